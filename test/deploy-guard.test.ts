// Production guards: off loopback, each unsafe setting makes the Worker refuse to serve: /healthz
// answers 503 naming the setting, every other route 503 without details, and a log line names it.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../src/app";
import { deploymentProblems, MIN_SECRET_LENGTH } from "../src/deploy-guard";

/** A production deployment that passes every guard. */
const safe = {
  ...env,
  PUBLIC_BASE_URL: "https://digest.example.com",
  DEV_MAILBOX: "off",
  MAIL_TRANSPORT: "resend",
  SIGNING_SECRET: "prod-signing-secret-0123456789abcdef-xyz",
  ADMIN_TOKEN: "prod-admin-token-0123456789abcdef-xyzw",
  RESEND_API_KEY: "re_live_0123456789abcdef0123456789abcdef",
} as Env;

const get = (path: string, e: Env) => app.fetch(new Request(`https://digest.example.com${path}`), e);

let error: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  error = vi.spyOn(console, "error");
});
afterEach(() => error.mockRestore());

describe("production guards", () => {
  it("let a safe production deployment and any loopback one run", async () => {
    expect(deploymentProblems(safe)).toEqual([]);
    expect((await get("/healthz", safe)).status).toBe(200);
    // Local development keeps its outbox, mailbox and short secrets.
    expect(
      deploymentProblems({
        ...safe,
        PUBLIC_BASE_URL: "http://localhost:8787",
        DEV_MAILBOX: "on",
        MAIL_TRANSPORT: "outbox",
        SIGNING_SECRET: "short",
      }),
    ).toEqual([]);
  });

  const refused: Array<[string, Partial<Record<string, string>>, RegExp]> = [
    ["DEV_MAILBOX=on", { DEV_MAILBOX: "on" }, /DEV_MAILBOX=on/],
    ["MAIL_TRANSPORT=outbox", { MAIL_TRANSPORT: "outbox" }, /MAIL_TRANSPORT=outbox/],
    ["MAIL_TRANSPORT=resend without RESEND_API_KEY", { RESEND_API_KEY: "" }, /MAIL_TRANSPORT=resend needs RESEND_API_KEY/],
    [
      "MAIL_TRANSPORT=cloudflare without RESEND_API_KEY (digests still use it)",
      { MAIL_TRANSPORT: "cloudflare", RESEND_API_KEY: "" },
      /MAIL_TRANSPORT=cloudflare needs RESEND_API_KEY/,
    ],
    ["SIGNING_SECRET placeholder", { SIGNING_SECRET: "change-me-to-a-long-random-string" }, /SIGNING_SECRET is a placeholder/],
    ["ADMIN_TOKEN placeholder", { ADMIN_TOKEN: "change-me-to-another-long-random-string" }, /ADMIN_TOKEN is a placeholder/],
    ["RESEND_API_KEY placeholder", { RESEND_API_KEY: "re_local_unused" }, /RESEND_API_KEY is a placeholder/],
    ["SIGNING_SECRET shorter than 32", { SIGNING_SECRET: "x".repeat(MIN_SECRET_LENGTH - 1) }, /SIGNING_SECRET is shorter than 32/],
    ["ADMIN_TOKEN shorter than 32", { ADMIN_TOKEN: "y".repeat(MIN_SECRET_LENGTH - 1) }, /ADMIN_TOKEN is shorter than 32/],
    ["RESEND_API_KEY shorter than 32", { RESEND_API_KEY: "re_short_key" }, /RESEND_API_KEY is shorter than 32/],
    [
      "SIGNING_SECRET_PREVIOUS shorter than 32",
      { SIGNING_SECRET_PREVIOUS: "old-and-short-0123456789" },
      /SIGNING_SECRET_PREVIOUS is shorter than 32/,
    ],
    [
      "a placeholder inside SIGNING_SECRET_PREVIOUS (issue 21, F5)",
      { SIGNING_SECRET_PREVIOUS: `${"p".repeat(40)},change-me-to-a-long-random-string` },
      /SIGNING_SECRET_PREVIOUS is a placeholder/,
    ],
    [
      "a short entry inside SIGNING_SECRET_PREVIOUS",
      { SIGNING_SECRET_PREVIOUS: `${"p".repeat(40)}, short-old-one-0123456789` },
      /SIGNING_SECRET_PREVIOUS is shorter than 32/,
    ],
    [
      "the committed loopback PUBLIC_BASE_URL on a Worker reached at a public host (issue 21, F5)",
      { PUBLIC_BASE_URL: "http://localhost:8787", DEV_MAILBOX: "on", ADMIN_TOKEN: "change-me-to-another-long-random-string" },
      /PUBLIC_BASE_URL=http:\/\/localhost:8787 is loopback, but requests come to digest\.example\.com/,
    ],
    [
      "one of SIGNING_SECRETS a placeholder",
      { SIGNING_SECRETS: `${"n".repeat(40)},change-me-to-a-long-random-string` },
      /SIGNING_SECRETS is a placeholder/,
    ],
  ];

  it.each(refused)("refuse %s: /healthz names it, other routes do not, a log line does", async (_name, settings, named) => {
    const unsafe = { ...safe, ...settings } as Env;
    expect(deploymentProblems(unsafe, "digest.example.com").join("; ")).toMatch(named);

    const health = await get("/healthz", unsafe);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { status: string; problems: string[] };
    expect(body.status).toBe("refused");
    expect(body.problems.join("; ")).toMatch(named);

    for (const path of ["/", "/preview", "/dev/mailbox", "/admin/editions/x", "/unsubscribe?token=x"]) {
      const res = await get(path, unsafe);
      expect(res.status, path).toBe(503);
      const text = await res.text();
      expect(text, path).not.toMatch(named);
      expect(text, path).not.toMatch(/DEV_MAILBOX|MAIL_TRANSPORT|SECRET|TOKEN|RESEND/);
    }
    const logged = error.mock.calls.map((c: unknown[]) => String(c[0])).filter((l: string) => l.includes('"deployment_refused"'));
    // Once for these six requests (each case's problem list differs from the one before).
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(named);
  });

  it("name every problem of a deployed loopback default: the mailbox, the placeholder token, the loopback URL", async () => {
    const deployed = {
      ...safe,
      PUBLIC_BASE_URL: "http://localhost:8787",
      DEV_MAILBOX: "on",
      ADMIN_TOKEN: "change-me-to-another-long-random-string",
    };
    expect(deploymentProblems(deployed as Env, "digest.example.com")).toEqual([
      "PUBLIC_BASE_URL=http://localhost:8787 is loopback, but requests come to digest.example.com",
      "DEV_MAILBOX=on publishes every confirmation link and address at /dev/mailbox",
      "ADMIN_TOKEN is a placeholder from .dev.vars.example",
    ]);
    // On loopback itself (wrangler dev, tests) nothing changes.
    expect(deploymentProblems(deployed as Env, "localhost")).toEqual([]);
    expect(deploymentProblems(deployed as Env, "127.0.0.1")).toEqual([]);
    expect(deploymentProblems(deployed as Env, "[::1]")).toEqual([]);
    const local = await app.fetch(new Request("http://127.0.0.1:8787/healthz"), deployed as Env);
    expect(local.status).toBe(200);
  });

  it("log the refusal once, not once per request", async () => {
    const unsafe = { ...safe, DEV_MAILBOX: "on", ADMIN_TOKEN: "z".repeat(10) } as Env;
    for (let i = 0; i < 3; i++) expect((await get("/", unsafe)).status).toBe(503);
    const logged = error.mock.calls.filter((c: unknown[]) => String(c[0]).includes('"deployment_refused"'));
    expect(logged).toHaveLength(1);
    expect(String(logged[0]![0])).toMatch(/DEV_MAILBOX=on.*ADMIN_TOKEN is shorter than 32/);
  });
});
