// Production guards: settings that are fine on a developer's machine and unsafe on the internet.
// When PUBLIC_BASE_URL is not loopback, the Worker refuses to run with any of them: /healthz
// answers 503 naming the setting, every other route 503 without details (src/http/guard.ts), the
// queue consumer and the cron retry later (config errors never fail a recipient), and one log
// line names it. A loopback PUBLIC_BASE_URL is itself a misconfiguration when a request came to
// a host that is not loopback (the committed default, deployed as it is, would otherwise turn
// every check off). Free of Worker types, so Node-side checks can import it.
import { log } from "./log";

/**
 * Every placeholder value in .dev.vars.example (test/node/deployment-config.test.ts checks the list
 * against the file): a deployment that copied one is using a secret published in this repository.
 */
export const PLACEHOLDER_SECRETS: ReadonlySet<string> = new Set([
  "change-me-to-a-long-random-string",
  "change-me-to-another-long-random-string",
  "re_local_unused",
  "whsec_Y2hhbmdlLW1lLXRvLWEtcmFuZG9tLXNlY3JldA==",
]);

/** Shortest secret accepted in production: 32 characters (128+ bits when random). */
export const MIN_SECRET_LENGTH = 32;

/**
 * Secrets the Worker reads; SIGNING_SECRETS (newest first) and SIGNING_SECRET_PREVIOUS are
 * comma-separated lists, and every entry is checked (the config accepts each).
 */
const SECRETS = [
  "SIGNING_SECRETS",
  "SIGNING_SECRET",
  "SIGNING_SECRET_PREVIOUS",
  "ADMIN_TOKEN",
  "RESEND_API_KEY",
  "RESEND_WEBHOOK_SECRET",
] as const;

export type GuardEnv = { readonly [K in (typeof SECRETS)[number] | "PUBLIC_BASE_URL" | "DEV_MAILBOX" | "MAIL_TRANSPORT"]?: string };

const LISTS: ReadonlySet<string> = new Set(["SIGNING_SECRETS", "SIGNING_SECRET_PREVIOUS"]);

/** Loopback origins (wrangler dev, tests): the guards do not apply there. */
export function isLoopback(baseUrl: string | undefined): boolean {
  return /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/i.test((baseUrl ?? "").trim());
}

/**
 * Whether a request's host name is loopback: localhost (and *.localhost), 127.0.0.0/8, ::1.
 * @example isLoopbackHost("127.0.0.1") // true; isLoopbackHost("digest.example.com") // false
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(h) || h === "::1";
}

const isOn = (v: string | undefined) => ["on", "true", "1", "yes"].includes((v ?? "").trim().toLowerCase());

/**
 * What makes this deployment unsafe, one message per setting; empty on loopback or when fine.
 * `requestHost` is the host a request came to, when there is one: with a loopback
 * PUBLIC_BASE_URL, a request to any other host means the Worker is deployed with the local
 * default, and every check applies (and that setting is named).
 * @example deploymentProblems({ PUBLIC_BASE_URL: "https://digest.example.com", DEV_MAILBOX: "on" })
 *          // ["DEV_MAILBOX=on publishes every confirmation link and address at /dev/mailbox"]
 */
export function deploymentProblems(env: GuardEnv, requestHost?: string): string[] {
  const problems: string[] = [];
  if (isLoopback(env.PUBLIC_BASE_URL)) {
    if (requestHost === undefined || isLoopbackHost(requestHost)) return [];
    problems.push(`PUBLIC_BASE_URL=${(env.PUBLIC_BASE_URL ?? "").trim()} is loopback, but requests come to ${requestHost}`);
  }
  if (isOn(env.DEV_MAILBOX)) problems.push("DEV_MAILBOX=on publishes every confirmation link and address at /dev/mailbox");
  const transport = (env.MAIL_TRANSPORT ?? "resend").trim() || "resend";
  if (transport === "outbox") problems.push("MAIL_TRANSPORT=outbox stores mail in D1 and sends nothing");
  // Digests always go through the provider's API, with MAIL_TRANSPORT=cloudflare too.
  if (transport !== "outbox" && !(env.RESEND_API_KEY ?? "").trim()) problems.push(`MAIL_TRANSPORT=${transport} needs RESEND_API_KEY`);
  for (const name of SECRETS) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    const values = LISTS.has(name) ? raw.split(",").map((s) => s.trim()) : [raw];
    for (const value of values) {
      if (value === "" && LISTS.has(name)) continue;
      if (PLACEHOLDER_SECRETS.has(value)) problems.push(`${name} is a placeholder from .dev.vars.example`);
      else if (value.length < MIN_SECRET_LENGTH) problems.push(`${name} is shorter than ${MIN_SECRET_LENGTH} characters`);
    }
  }
  return problems;
}

// One log line per isolate (and per distinct problem list), not one per request.
let logged = "";
function logOnce(problems: string[]): void {
  const line = problems.join("; ");
  if (line === logged) return;
  logged = line;
  log.error("deployment_refused", { problems });
}

/**
 * The problems of `env`, logged once; the queue consumer and the cron use it before any work.
 * @example if (refusedDeployment(env).length) throw new ConfigError("...");
 */
export function refusedDeployment(env: GuardEnv, requestHost?: string): string[] {
  const problems = deploymentProblems(env, requestHost);
  if (problems.length > 0) logOnce(problems);
  return problems;
}
