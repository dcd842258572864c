// The email provider transport: Resend's HTTP API (POST /emails, POST /emails/batch). Used for
// bulk digests and wherever send_email is not configured. Errors are sorted for the caller's
// retry logic: 429, 5xx, timeouts and network failures are transient; other 4xx are permanent.
import { concatBytes } from "./bytes";
import { formatMailbox } from "./mime";
import { PLACEHOLDER_SECRETS } from "../deploy-guard";
import {
  AccountMailError,
  IdempotencyConflictError,
  MAX_BATCH_EMAILS,
  PermanentMailError,
  RateLimitedMailError,
  TransientMailError,
  type MailTransport,
  type OutgoingEmail,
  type SentEmail,
} from "./types";

export interface ResendOptions {
  baseUrl: string;
  apiKey: string;
  /** Per-call timeout; a slow provider must not hold a queue consumer. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface ResendEmailBody {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

export function toBody(email: OutgoingEmail): ResendEmailBody {
  return {
    from: formatMailbox(email.from),
    to: [email.to],
    subject: email.subject,
    html: email.html,
    text: email.text,
    ...(email.headers && Object.keys(email.headers).length > 0 ? { headers: email.headers } : {}),
  };
}

/**
 * The JSON of `toBody(email)`, byte for byte. When the email carries its html and text already
 * encoded, they are spliced in instead of encoded again: escaping a batch's 100 copies of a
 * digest was most of a queue consumer's CPU.
 * @example encodeBody(email) === JSON.stringify(toBody(email))
 */
export function encodeBody(email: OutgoingEmail): string {
  if (!email.json) return JSON.stringify(toBody(email));
  const { html: _html, text: _text, ...rest } = toBody(email);
  const head = JSON.stringify({ from: rest.from, to: rest.to, subject: rest.subject }).slice(0, -1);
  const headers = rest.headers ? `,"headers":${JSON.stringify(rest.headers)}` : "";
  return `${head},"html":${email.json.html},"text":${email.json.text}${headers}}`;
}

const utf8 = new TextEncoder();

/**
 * The JSON body of a batch call as UTF-8 bytes, byte for byte the encoding of
 * `[${emails.map(encodeBody).join(",")}]`, assembled from each email's `jsonBytes` pieces (the
 * edition's shared bytes around each recipient's link): no megabyte string, no re-encoding.
 * Null unless every email carries its pieces.
 * @example const body = encodeBatchBytes(emails) ?? `[${emails.map(encodeBody).join(",")}]`;
 */
export function encodeBatchBytes(emails: OutgoingEmail[]): Uint8Array<ArrayBuffer> | null {
  if (!emails.every((e) => e.jsonBytes)) return null;
  const parts: Uint8Array[] = [];
  const comma = utf8.encode(",");
  const htmlKey = utf8.encode(',"html":');
  const textKey = utf8.encode(',"text":');
  parts.push(utf8.encode("["));
  emails.forEach((email, i) => {
    if (i > 0) parts.push(comma);
    // The same fields in the same order as toBody, without reading html or text as strings.
    parts.push(utf8.encode(JSON.stringify({ from: formatMailbox(email.from), to: [email.to], subject: email.subject }).slice(0, -1)));
    parts.push(htmlKey, ...email.jsonBytes!.html, textKey, ...email.jsonBytes!.text);
    const headers = email.headers && Object.keys(email.headers).length > 0 ? `,"headers":${JSON.stringify(email.headers)}` : "";
    parts.push(utf8.encode(`${headers}}`));
  });
  parts.push(utf8.encode("]"));
  return concatBytes(parts);
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

async function describe(res: Response): Promise<{ name: string; message: string }> {
  const body = (await res.json().catch(() => null)) as { name?: unknown; message?: unknown } | null;
  return {
    name: typeof body?.name === "string" ? body.name : `http_${res.status}`,
    message: typeof body?.message === "string" ? body.message : res.statusText || "no message",
  };
}

/** Resend's error names for trouble with the account, never with one recipient. */
const ACCOUNT_ERROR_NAMES: ReadonlySet<string> = new Set([
  "missing_api_key",
  "invalid_api_key",
  "restricted_api_key",
  "invalid_access",
  "daily_quota_exceeded",
  "monthly_quota_exceeded",
  "invalid_from_address",
]);

/**
 * Whether an error answer is about the account rather than this mail: a missing, invalid or
 * restricted key (401/403), an unverified domain or sender, a spent sending quota. Resend's 403
 * also covers "domain is not verified" and "you can only send testing emails to your own address".
 * @example isAccountWide(403, "validation_error", "The example.com domain is not verified") // true
 */
export function isAccountWide(status: number, name: string, message: string): boolean {
  if (status === 401 || status === 403) return true;
  if (ACCOUNT_ERROR_NAMES.has(name)) return true;
  return /domain (is )?not verified|verify (a|your) domain|sender .*not (verified|allowed)/i.test(message);
}

/**
 * A MailTransport over Resend's API. The idempotency key goes in the Idempotency-Key header,
 * so a retried call after a timeout does not send twice (Resend remembers keys for 24 hours).
 * @example const t = resendTransport({ baseUrl: "https://api.resend.com", apiKey: "re_..." });
 * await t.sendBatch(emails, { idempotencyKey: "edition-2026-11-23/chunk-0" });
 */
export function resendTransport(options: ResendOptions): MailTransport {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call<T>(path: string, body: string | Uint8Array<ArrayBuffer>, idempotencyKey?: string): Promise<T> {
    // No call with a key that cannot work: the answer would be a 401 for every recipient.
    if (!options.apiKey.trim()) throw new AccountMailError("RESEND_API_KEY is not set");
    if (PLACEHOLDER_SECRETS.has(options.apiKey)) throw new AccountMailError("RESEND_API_KEY is a placeholder from .dev.vars.example");
    const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}`, "content-type": "application/json" };
    if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
    let res: Response;
    try {
      res = await doFetch(`${options.baseUrl}${path}`, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      throw new TransientMailError(timedOut ? `Resend did not answer within ${timeoutMs} ms` : `Resend unreachable: ${String(err)}`);
    }
    if (res.ok) {
      const parsed = (await res.json().catch(() => null)) as T | null;
      // A 2xx without the promised body means we cannot know the ids; retrying with the same
      // idempotency key is safe and will return the remembered answer.
      if (parsed === null) throw new TransientMailError(`Resend answered ${res.status} without a JSON body`);
      return parsed;
    }
    const { name, message } = await describe(res);
    const text = `Resend ${res.status} ${name}: ${message}`;
    if (isAccountWide(res.status, name, message)) throw new AccountMailError(text);
    if (res.status === 429) throw new RateLimitedMailError(text, parseRetryAfter(res.headers.get("retry-after")));
    if (res.status >= 500) throw new TransientMailError(text, parseRetryAfter(res.headers.get("retry-after")));
    // Another request with this key is still running: it will finish, so asking again is right.
    if (res.status === 409 && name === "concurrent_idempotent_requests") throw new TransientMailError(text, 1);
    if (res.status === 409) throw new IdempotencyConflictError(text);
    throw new PermanentMailError(text);
  }

  return {
    name: "resend",
    async send(email, sendOptions): Promise<SentEmail> {
      const answer = await call<{ id?: unknown }>("/emails", encodeBody(email), sendOptions?.idempotencyKey);
      if (typeof answer.id !== "string") throw new TransientMailError("Resend answer has no id");
      return { providerId: answer.id };
    },
    async sendBatch(emails, sendOptions): Promise<SentEmail[]> {
      if (emails.length === 0) return [];
      if (emails.length > MAX_BATCH_EMAILS) throw new PermanentMailError(`A Resend batch holds at most ${MAX_BATCH_EMAILS} emails`);
      const body = encodeBatchBytes(emails) ?? `[${emails.map(encodeBody).join(",")}]`;
      const answer = await call<{ data?: Array<{ id?: unknown }> }>("/emails/batch", body, sendOptions.idempotencyKey);
      const ids = Array.isArray(answer.data) ? answer.data.map((d) => d?.id) : [];
      if (ids.length !== emails.length || ids.some((id) => typeof id !== "string")) {
        throw new TransientMailError(`Resend batch answer holds ${ids.length} ids for ${emails.length} emails`);
      }
      return ids.map((id) => ({ providerId: id as string }));
    },
  };
}
