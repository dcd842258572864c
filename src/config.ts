// Reads and checks the Worker's vars and secrets once per isolate, so a misconfigured deploy
// fails with one clear message instead of odd behaviour deep in a handler.
import * as z from "zod/mini";
import "./validation";
import { headerText } from "./header-text";
import { settingsProblems, type Settings, type Weekday } from "./settings/schedule";

/**
 * Most emails one provider call may carry (Resend's /emails/batch limit): the ceiling of
 * DELIVERY_BATCH_SIZE. Defined here, with the var it bounds, so the configuration imports
 * nothing of the features; the mail transports re-export it.
 */
export const MAX_BATCH_EMAILS = 100;

const onOff = z.pipe(
  z.optional(z.string()),
  z.transform((v) => ["on", "true", "1", "yes"].includes((v ?? "").trim().toLowerCase())),
);
const baseUrl = z.pipe(
  z.url(),
  z.transform((u) => u.replace(/\/+$/, "")),
);
/** Loopback hosts may use http (wrangler dev); anywhere else links must be https. */
const isLocal = (u: string) => /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(u);
// RFC 8058: the one-click List-Unsubscribe URL must be HTTPS, and it is built from this.
const publicBaseUrl = baseUrl.check(
  z.refine(
    (u) => u.startsWith("https://") || isLocal(u),
    "PUBLIC_BASE_URL must be an https:// URL (RFC 8058 one-click unsubscribe needs HTTPS); http:// only for localhost",
  ),
);

/** A var given as text and read as a number that `ok` accepts (`message` names the var and its range); `fallback` when unset. */
const numberVar = (ok: (n: number) => boolean, message: string, fallback: number) =>
  z._default(
    z
      .pipe(
        z.string(),
        z.transform((v) => Number(v)),
      )
      .check(z.refine(ok, message)),
    fallback,
  );

const schema = z.object({
  NEWSLETTER_TITLE: z._default(
    z
      .pipe(
        z.string(),
        z.transform((v) => headerText(v)),
      )
      .check(z.minLength(1)),
    "The Daily Digest",
  ),
  PUBLIC_BASE_URL: publicBaseUrl,
  SENDER_ADDRESS: z.email(),
  SENDER_NAME: z
    .pipe(
      z.string(),
      z.transform((v) => headerText(v)),
    )
    .check(z.minLength(1)),
  SENDER_POSTAL_ADDRESS: z._default(z.string(), ""),
  MAIL_TRANSPORT: z._default(z.enum(["resend", "cloudflare", "outbox"]), "resend"),
  RESEND_BASE_URL: z._default(baseUrl, "https://api.resend.com"),
  FEED_URLS: z.pipe(
    z._default(z.string(), ""),
    z.transform((s) => parseFeedList(s)),
  ),
  SEEDS: onOff,
  ITEM_RETENTION_DAYS: numberVar(
    (n) => Number.isInteger(n) && n >= 1 && n <= 3650,
    "ITEM_RETENTION_DAYS must be a whole number of days from 1",
    30,
  ),
  FULL_TEXT_PER_RUN: numberVar(
    (n) => Number.isInteger(n) && n >= 0 && n <= 40,
    "FULL_TEXT_PER_RUN must be a whole number from 0 to 40",
    10,
  ),
  FULL_TEXT_SKIP: z.pipe(
    z._default(z.string(), ""),
    z.transform((s) => s.split(/[\s,]+/).filter(Boolean)),
  ),
  // Hosts whose article pages may be fetched although they are not a feed's own site.
  FULL_TEXT_HOSTS: z.pipe(
    z._default(z.string(), ""),
    z.transform((s) =>
      s
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((h) => h.toLowerCase().replace(/\.$/, "")),
    ),
  ),
  CONFIRMATIONS_PER_HOUR: numberVar(
    (n) => Number.isInteger(n) && n >= 1 && n <= 100_000,
    "CONFIRMATIONS_PER_HOUR must be a whole number from 1",
    100,
  ),
  DEV_MAILBOX: onOff,
  // Rotation: SIGNING_SECRETS="newest,older,..." or SIGNING_SECRET plus SIGNING_SECRET_PREVIOUS.
  SIGNING_SECRETS: z._default(z.string(), ""),
  SIGNING_SECRET: z._default(z.string(), ""),
  SIGNING_SECRET_PREVIOUS: z._default(z.string(), ""),
  ADMIN_TOKEN: z.string().check(z.minLength(16, "ADMIN_TOKEN must be at least 16 characters")),
  RESEND_API_KEY: z._default(z.string(), ""),
  // Optional: without it POST /webhooks/resend answers 503 (bounces and complaints are not received).
  RESEND_WEBHOOK_SECRET: z._default(
    z
      .string()
      .check(
        z.refine((v) => v === "" || /^whsec_[A-Za-z0-9+/]{16,}={0,2}$/.test(v), "RESEND_WEBHOOK_SECRET must look like whsec_<base64>"),
      ),
    "",
  ),
  DELIVERY_BATCH_SIZE: numberVar(
    (n) => Number.isInteger(n) && n >= 1 && n <= MAX_BATCH_EMAILS,
    `DELIVERY_BATCH_SIZE must be a whole number from 1 to ${MAX_BATCH_EMAILS}`,
    MAX_BATCH_EMAILS,
  ),
  PROVIDER_RATE: numberVar(
    (n) => Number.isFinite(n) && n > 0 && n <= 1000,
    "PROVIDER_RATE must be a number of provider calls per second above 0",
    2,
  ),
  // Defaults of the operator's settings (GET/PUT /admin/settings stores changes in D1).
  SEND_AT: z._default(z.string(), "07:00"),
  SEND_TIMEZONE: z._default(z.string(), "UTC"),
  SEND_DAYS: z._default(z.string(), "mon,tue,wed,thu,fri,sat,sun"),
  REVIEW_BEFORE_SEND: onOff,
  EVENT_RETENTION_DAYS: numberVar(
    (n) => Number.isInteger(n) && n >= 1 && n <= 3650,
    "EVENT_RETENTION_DAYS must be a whole number of days from 1",
    90,
  ),
  DELIVERY_MAX_CONCURRENCY: numberVar(
    (n) => Number.isInteger(n) && n >= 1 && n <= 250,
    "DELIVERY_MAX_CONCURRENCY must be a whole number from 1 to 250",
    2,
  ),
});

export type Config = {
  title: string;
  baseUrl: string;
  sender: { address: string; name: string; postalAddress: string };
  mailTransport: "resend" | "cloudflare" | "outbox";
  resend: { baseUrl: string; apiKey: string };
  /** The configured feeds' URLs (FEED_URLS), in order. */
  feedUrls: string[];
  /** The configured feeds, each with its optional display name ("Name <url>" in FEED_URLS). */
  feeds: FeedSource[];
  /** The bundled seeds are a source: with no feed configured, or with SEEDS=on. */
  seeds: boolean;
  /** Stored items older than this many days are pruned (ITEM_RETENTION_DAYS). */
  retentionDays: number;
  /** Article pages fetched per ingest run for items that carry only a short excerpt (FULL_TEXT_PER_RUN). */
  fullTextPerRun: number;
  /** Feed URLs whose items' pages are never fetched (FULL_TEXT_SKIP). */
  fullTextSkip: string[];
  /** Hosts outside a feed's own site whose pages may be fetched too (FULL_TEXT_HOSTS; "*" for any public host). */
  fullTextHosts: string[];
  /** Confirmation mails sent per hour at most, across all signups (CONFIRMATIONS_PER_HOUR). */
  confirmationsPerHour: number;
  devMailbox: boolean;
  /** The secret that signs new links: the first of `signingSecrets`. */
  signingSecret: string;
  /** Every secret whose links are accepted, newest first. */
  signingSecrets: string[];
  adminToken: string;
  /** The provider's webhook signing secret (whsec_...), or "" when webhooks are off. */
  webhookSecret: string;
  /** Provider calls per second the consumers may make together (PROVIDER_RATE). */
  providerRate: number;
  /** The consumer's max_concurrency in wrangler.toml: how many consumers share the rate. */
  deliveryConcurrency: number;
  /** Recipients per provider call and queue message (at most MAX_BATCH_EMAILS). */
  deliveryBatchSize: number;
  /** The operator's settings before any change is stored (SEND_AT, SEND_TIMEZONE, SEND_DAYS, REVIEW_BEFORE_SEND, EVENT_RETENTION_DAYS). */
  settingsDefaults: Settings;
};

export class ConfigError extends Error {}

/** A configured feed: its URL and the name readers see instead of the feed's own title. */
export interface FeedSource {
  url: string;
  name?: string;
}

/**
 * FEED_URLS: comma- or newline-separated entries, each a URL or `Display Name <URL>`.
 * @example parseFeedList("https://a.example/rss, Harbour Gazette <https://b.example/feed.xml>")
 */
export function parseFeedList(s: string): FeedSource[] {
  const out: FeedSource[] = [];
  for (const entry of s.split(/[,\n]+/)) {
    const named = /^\s*(.*?)\s*<([^<>\s]+)>\s*$/.exec(entry);
    if (named) out.push(named[1] ? { url: named[2]!, name: named[1] } : { url: named[2]! });
    else for (const url of entry.split(/\s+/).filter(Boolean)) out.push({ url });
  }
  return out;
}

/**
 * The vars and secrets read here, structurally: the Worker's generated `Env` satisfies it, and
 * Node-side code (bench, scripts) can type-check against it without the Workers globals.
 */
export type ConfigEnv = { readonly [K in keyof z.input<typeof schema>]?: string };

const cache = new WeakMap<object, Config>();

/** The signing secrets, newest first, from SIGNING_SECRETS or SIGNING_SECRET (+ _PREVIOUS). */
function signingSecrets(e: { SIGNING_SECRETS: string; SIGNING_SECRET: string; SIGNING_SECRET_PREVIOUS: string }): string[] {
  const listed = e.SIGNING_SECRETS.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const secrets =
    listed.length > 0 ? listed : [e.SIGNING_SECRET, ...e.SIGNING_SECRET_PREVIOUS.split(",").map((s) => s.trim())].filter(Boolean);
  if (secrets.length === 0) throw new ConfigError("Invalid configuration: SIGNING_SECRETS or SIGNING_SECRET must be set");
  for (const s of secrets) {
    if (s.length < 16)
      throw new ConfigError("Invalid configuration: SIGNING_SECRET must be at least 16 characters (each of SIGNING_SECRETS too)");
  }
  return [...new Set(secrets)];
}

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
  const secrets = signingSecrets(e);
  const settingsDefaults: Settings = {
    sendAt: e.SEND_AT.trim(),
    timezone: e.SEND_TIMEZONE.trim(),
    days: e.SEND_DAYS.split(/[\s,]+/).filter(Boolean) as Weekday[],
    review: e.REVIEW_BEFORE_SEND,
    reviewDeadlineMinutes: null,
    eventRetentionDays: e.EVENT_RETENTION_DAYS,
  };
  const unusable = settingsProblems(settingsDefaults);
  if (unusable.length > 0) throw new ConfigError(`Invalid configuration (SEND_AT, SEND_TIMEZONE, SEND_DAYS): ${unusable.join("; ")}`);
  const config: Config = {
    title: e.NEWSLETTER_TITLE,
    baseUrl: e.PUBLIC_BASE_URL,
    sender: { address: e.SENDER_ADDRESS, name: e.SENDER_NAME, postalAddress: e.SENDER_POSTAL_ADDRESS },
    mailTransport: e.MAIL_TRANSPORT,
    resend: { baseUrl: e.RESEND_BASE_URL, apiKey: e.RESEND_API_KEY },
    feedUrls: e.FEED_URLS.map((f) => f.url),
    feeds: e.FEED_URLS,
    seeds: e.FEED_URLS.length === 0 || e.SEEDS,
    retentionDays: e.ITEM_RETENTION_DAYS,
    fullTextPerRun: e.FULL_TEXT_PER_RUN,
    fullTextSkip: e.FULL_TEXT_SKIP,
    fullTextHosts: e.FULL_TEXT_HOSTS,
    confirmationsPerHour: e.CONFIRMATIONS_PER_HOUR,
    devMailbox: e.DEV_MAILBOX,
    signingSecret: secrets[0]!,
    signingSecrets: secrets,
    adminToken: e.ADMIN_TOKEN,
    webhookSecret: e.RESEND_WEBHOOK_SECRET,
    deliveryBatchSize: e.DELIVERY_BATCH_SIZE,
    providerRate: e.PROVIDER_RATE,
    deliveryConcurrency: e.DELIVERY_MAX_CONCURRENCY,
    settingsDefaults,
  };
  cache.set(env, config);
  return config;
}
