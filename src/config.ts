// Reads and checks the Worker's vars and secrets once per isolate, so a misconfigured deploy
// fails with one clear message instead of odd behaviour deep in a handler.
import * as z from "zod/mini";
import "./validation";
import { MAX_BATCH_EMAILS } from "./mail/types";

const onOff = z.pipe(
  z.optional(z.string()),
  z.transform((v) => ["on", "true", "1", "yes"].includes((v ?? "").trim().toLowerCase())),
);
const baseUrl = z.pipe(z.url(), z.transform((u) => u.replace(/\/+$/, "")));
/** Loopback hosts may use http (wrangler dev); anywhere else links must be https. */
const isLocal = (u: string) => /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(u);
// RFC 8058: the one-click List-Unsubscribe URL must be HTTPS, and it is built from this.
const publicBaseUrl = baseUrl.check(z.refine((u) => u.startsWith("https://") || isLocal(u), "PUBLIC_BASE_URL must be an https:// URL (RFC 8058 one-click unsubscribe needs HTTPS); http:// only for localhost"));

const schema = z.object({
  NEWSLETTER_TITLE: z._default(z.string().check(z.minLength(1)), "The Daily Digest"),
  PUBLIC_BASE_URL: publicBaseUrl,
  SENDER_ADDRESS: z.email(),
  SENDER_NAME: z.string().check(z.minLength(1)),
  SENDER_POSTAL_ADDRESS: z._default(z.string(), ""),
  MAIL_TRANSPORT: z._default(z.enum(["resend", "cloudflare", "outbox"]), "resend"),
  RESEND_BASE_URL: z._default(baseUrl, "https://api.resend.com"),
  FEED_URLS: z.pipe(
    z._default(z.string(), ""),
    z.transform((s) => s.split(/[\s,]+/).filter(Boolean)),
  ),
  DEV_MAILBOX: onOff,
  SIGNING_SECRET: z.string().check(z.minLength(16, "SIGNING_SECRET must be at least 16 characters")),
  ADMIN_TOKEN: z.string().check(z.minLength(16, "ADMIN_TOKEN must be at least 16 characters")),
  RESEND_API_KEY: z._default(z.string(), ""),
  DELIVERY_BATCH_SIZE: z._default(
    z.pipe(
      z.string(),
      z.transform((v) => Number(v)),
    ).check(z.refine((n) => Number.isInteger(n) && n >= 1 && n <= MAX_BATCH_EMAILS, `DELIVERY_BATCH_SIZE must be a whole number from 1 to ${MAX_BATCH_EMAILS}`)),
    MAX_BATCH_EMAILS,
  ),
});

export type Config = {
  title: string;
  baseUrl: string;
  sender: { address: string; name: string; postalAddress: string };
  mailTransport: "resend" | "cloudflare" | "outbox";
  resend: { baseUrl: string; apiKey: string };
  feedUrls: string[];
  devMailbox: boolean;
  signingSecret: string;
  adminToken: string;
  /** Recipients per provider call and queue message (at most MAX_BATCH_EMAILS). */
  deliveryBatchSize: number;
};

export class ConfigError extends Error {}

/**
 * The vars and secrets read here, structurally: the Worker's generated `Env` satisfies it, and
 * Node-side code (bench, scripts) can type-check against it without the Workers globals.
 */
export type ConfigEnv = { readonly [K in keyof z.input<typeof schema>]?: string };

const cache = new WeakMap<object, Config>();

/**
 * The checked configuration for this env, parsed once per env object.
 * @example const { baseUrl } = getConfig(env);
 */
export function getConfig(env: ConfigEnv): Config {
  const hit = cache.get(env);
  if (hit) return hit;
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const config: Config = {
    title: e.NEWSLETTER_TITLE,
    baseUrl: e.PUBLIC_BASE_URL,
    sender: { address: e.SENDER_ADDRESS, name: e.SENDER_NAME, postalAddress: e.SENDER_POSTAL_ADDRESS },
    mailTransport: e.MAIL_TRANSPORT,
    resend: { baseUrl: e.RESEND_BASE_URL, apiKey: e.RESEND_API_KEY },
    feedUrls: e.FEED_URLS,
    devMailbox: e.DEV_MAILBOX,
    signingSecret: e.SIGNING_SECRET,
    adminToken: e.ADMIN_TOKEN,
    deliveryBatchSize: e.DELIVERY_BATCH_SIZE,
  };
  cache.set(env, config);
  return config;
}
