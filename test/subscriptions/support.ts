// Helpers for the subscription tests: requests to the Worker with a unique client IP each, and
// reads of the subscribers table and the outbox. It runs in workerd, so it lives outside
// test/support (which tsconfig.node.json checks as Node code).
import { env, exports } from "cloudflare:workers";
import PostalMime from "postal-mime";
import { mailboxHash } from "../../src/subscriptions/address";

export const ORIGIN = "http://localhost";
let ipCounter = 0;
const ipBase = Math.floor(Math.random() * 200) + 1;

/** A client IP no other test uses, so the per-IP rate limit never couples tests. */
export function freshIp(): string {
  ipCounter++;
  return `10.${ipBase}.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

export const uniqueEmail = (tag = "t") => `${tag}-${crypto.randomUUID().slice(0, 12)}@example.com`;

export function call(path: string, init: RequestInit & { ip?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", init.ip ?? freshIp());
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, { ...init, headers }));
}

/** A browser form post from our own page. */
export function postForm(path: string, fields: Record<string, string>, extra: Record<string, string> = {}, ip?: string) {
  return call(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, accept: "text/html", ...extra },
    body: new URLSearchParams(fields).toString(),
    ...(ip ? { ip } : {}),
  });
}

export function postJson(path: string, body: unknown, extra: Record<string, string> = {}, ip?: string) {
  return call(path, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...extra },
    body: JSON.stringify(body),
    ...(ip ? { ip } : {}),
  });
}

export interface Row {
  id: number;
  email: string;
  status: string;
  source: string;
  confirm_nonce: string | null;
  consent_at: string | null;
  consent_page: string | null;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  unsubscribe_method: string | null;
  last_confirmation_sent_at: string | null;
  confirmations_sent: number;
}

export const subscriberRow = (email: string) => env.DB.prepare("SELECT * FROM subscribers WHERE email = ?").bind(email).first<Row>();

/**
 * The mails to an address in the outbox. Confirmation mails are sent by the queue consumer after
 * the signup answer: with `atLeast`, waits (up to 10 s) until that many are there.
 */
export async function mailsTo(
  to: string,
  atLeast = 0,
): Promise<Array<{ id: number; raw: string; subject: string; text: string; html: string }>> {
  for (let i = 0; i < 100; i++) {
    const mails = await readMails(to);
    if (mails.length >= atLeast || i === 99) return mails;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}

async function readMails(to: string): Promise<Array<{ id: number; raw: string; subject: string; text: string; html: string }>> {
  const { results } = await env.DB.prepare("SELECT id, raw, subject, text, html FROM outbox WHERE to_address = ? ORDER BY id")
    .bind(to)
    .all<{ id: number; raw: string; subject: string; text: string; html: string }>();
  return results;
}

/** The confirmation link of the newest mail to an address, read from the parsed MIME. */
export async function confirmLinkFor(to: string, atLeast = 1): Promise<URL> {
  const mails = await mailsTo(to, atLeast);
  const last = mails[mails.length - 1];
  if (!last) throw new Error(`no mail to ${to}`);
  const parsed = await PostalMime.parse(last.raw);
  const match = /https?:\/\/\S+\/confirm\?token=[A-Za-z0-9._-]+/.exec(parsed.text ?? "");
  if (!match) throw new Error("no confirm link in the text part");
  return new URL(match[0]);
}

/** A path+query for the Worker from an absolute link in a mail (whose host is PUBLIC_BASE_URL). */
export const pathOf = (url: URL) => `${url.pathname}${url.search}`;

/** Moves an address's mailbox past the confirmation cooldown (the cap keys on the canonical mailbox). */
export async function pastCooldown(email: string): Promise<void> {
  await env.DB.prepare("UPDATE mailbox_caps SET last_sent_at = ? WHERE mailbox_hash = ?")
    .bind(new Date(Date.now() - 10 * 60_000 - 1).toISOString(), await mailboxHash(email))
    .run();
}

/** Moves an address's mailbox past its week of confirmation mails. */
export async function pastWeek(email: string): Promise<void> {
  await env.DB.prepare("UPDATE mailbox_caps SET week_started_at = ?, last_sent_at = ? WHERE mailbox_hash = ?")
    .bind(
      new Date(Date.now() - 7 * 86_400_000 - 1).toISOString(),
      new Date(Date.now() - 7 * 86_400_000 - 1).toISOString(),
      await mailboxHash(email),
    )
    .run();
}
