// `npm start` as a newcomer runs it, in a copy of the project with a .dev.vars of its own: PORT
// sets where it serves and where its links point; the optional secrets in .dev.vars (webhook,
// previous signing secret) reach the Worker although wrangler.toml's [secrets] lists only the
// required ones; and starting (or restarting) never mails a subscriber.
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import PostalMime from "postal-mime";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signFor } from "../../src/subscriptions/tokens";
import { freePort } from "../browser/local-worker";

const root = fileURLToPath(new URL("../..", import.meta.url));
const WEBHOOK_SECRET = "whsec_c3RhcnQtdGVzdC13ZWJob29rLXNlY3JldC0wMTIz";
const PREVIOUS = "start-test-previous-signing-secret-0123456789";
const ADMIN_TOKEN = "start-test-admin-token-0123456789abcdef";

let dir: string;
let port: number;
let inspector: number;
let child: ChildProcess | undefined;
let output = "";

/** Runs `npm start`'s script in the copy with PORT set; resolves once its banner is printed. */
async function start(): Promise<void> {
  output = "";
  child = spawn(process.execPath, ["scripts/start.mjs", "--ip", "127.0.0.1", "--inspector-port", String(inspector)], {
    cwd: dir,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PATH: `${join(root, "node_modules", ".bin")}:${process.env.PATH}`,
      PORT: String(port),
      CI: "1",
      NO_COLOR: "1",
    },
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  for (let i = 0; i < 480; i++) {
    if (output.includes("Press Ctrl+C to stop")) return;
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`npm start printed no banner:\n${output.slice(-3000)}`);
}

async function stop(): Promise<void> {
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise((r) => child!.once("exit", r));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
  await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
  try {
    if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

const base = () => `http://localhost:${port}`;
const mailbox = async () =>
  (
    (await (await fetch(`${base()}/dev/mailbox`, { headers: { accept: "application/json" } })).json()) as {
      messages: { id: number; kind: string; to: string }[];
    }
  ).messages;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "digest-start-"));
  for (const part of [
    "scripts",
    "src",
    "templates",
    "seeds",
    "migrations",
    "wrangler.toml",
    "package.json",
    "tsconfig.json",
    ".dev.vars.example",
  ]) {
    cpSync(join(root, part), join(dir, part), { recursive: true, filter: (p) => !p.includes(`${join("src", "generated")}`) });
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  // A newcomer's .dev.vars with the optional secrets set; no PUBLIC_BASE_URL, so PORT decides.
  writeFileSync(
    join(dir, ".dev.vars"),
    [
      "SIGNING_SECRET=start-test-signing-secret-0123456789abcdef",
      `ADMIN_TOKEN=${ADMIN_TOKEN}`,
      "RESEND_API_KEY=re_local_unused",
      `RESEND_WEBHOOK_SECRET=${WEBHOOK_SECRET}`,
      `SIGNING_SECRET_PREVIOUS=${PREVIOUS}`,
      "MAIL_TRANSPORT=outbox",
      "DEV_MAILBOX=on",
    ].join("\n"),
  );
  [port, inspector] = [await freePort(), await freePort()];
  await start();
}, 180_000);

afterAll(async () => {
  await stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("npm start on a fresh copy with PORT set", () => {
  it("serves on PORT, builds today's edition without sending it, and lists the console", async () => {
    expect(output).toContain(`newsletter-digest is running on ${base()}`);
    expect(output).toContain(`${base()}/admin`);
    expect(output).toMatch(/Today's edition\s+built \S+, not sent/);
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
    // Each set-up table once: the migrations are summed up in one line, not listed.
    expect(output.match(/applied \d+ D1 migration/g)).toHaveLength(1);
    expect(output.match(/has access to the following bindings/g)).toHaveLength(1);
  });

  it("mails a confirmation whose link points at PORT", async () => {
    const address = `start-${Date.now()}@example.com`;
    const res = await fetch(`${base()}/subscribe`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base() },
      body: new URLSearchParams({ email: address }).toString(),
    });
    expect(res.status).toBeLessThan(400);
    let mail: { id: number } | undefined;
    for (let i = 0; i < 50 && !mail; i++) {
      mail = (await mailbox()).find((m) => m.to === address && m.kind === "confirmation");
      if (!mail) await new Promise((r) => setTimeout(r, 200));
    }
    expect(mail).toBeTruthy();
    const parsed = await PostalMime.parse(await (await fetch(`${base()}/dev/mailbox/${mail!.id}/raw`)).text());
    const link = /https?:\/\/[^\s"<>]+\/confirm\?token=[\w.-]+/.exec(parsed.text ?? "")?.[0];
    expect(link).toBeDefined();
    expect(new URL(link!).port).toBe(String(port));

    // Confirmed, the reader is a subscriber: a restart must not mail them the edition.
    expect((await fetch(link!.replace(/^http:\/\/localhost:\d+/, base()), { method: "POST", headers: { origin: base() } })).status).toBe(
      200,
    );
  });

  it("accepts a webhook signed with RESEND_WEBHOOK_SECRET from .dev.vars", async () => {
    const body = JSON.stringify({
      type: "email.delivered",
      created_at: new Date().toISOString(),
      data: { email_id: "re_start", to: ["x@example.com"] },
    });
    const id = `msg_${Date.now()}`;
    const at = new Date();
    const post = (secret: string) =>
      fetch(`${base()}/webhooks/resend`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "svix-id": id,
          "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
          "svix-signature": new Webhook(secret).sign(id, at, body),
        },
        body,
      });
    expect((await post("whsec_b3RoZXItc2VjcmV0LW5vdC10aGUtb25lLTAxMjM0")).status).toBe(401);
    expect((await post(WEBHOOK_SECRET)).status).toBe(200);
  });

  it("honours a link signed with SIGNING_SECRET_PREVIOUS from .dev.vars, and refuses one signed with another", async () => {
    const link = async (secret: string) =>
      fetch(`${base()}/unsubscribe?token=${await signFor({ signingSecrets: [secret] }, "unsubscribe", "u1.1")}`, {
        headers: { accept: "application/json" },
      });
    expect((await link(PREVIOUS)).status).toBe(200);
    expect((await link("some-other-secret-nobody-configured-0123")).status).toBe(400);
  });

  it("mails no subscriber when restarted", async () => {
    const before = (await mailbox()).filter((m) => m.kind === "digest").length;
    await stop();
    await start();
    expect(output).toContain("Today's edition");
    await new Promise((r) => setTimeout(r, 2000));
    expect((await mailbox()).filter((m) => m.kind === "digest")).toHaveLength(before);
    expect(before).toBe(0);
  });
});
