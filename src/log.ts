// The structured logger: one JSON line per event for `wrangler tail`, always with the same
// fields first (time, level, event), then the event's details as plain values. Anything that
// looks like an email address, a signed link token or a bearer token is masked before it is
// written, whatever field it arrives in (error messages from a provider quote addresses).

export type LogLevel = "info" | "warn" | "error";
type Scalar = string | number | boolean | null | undefined;
/** An event's details: flat scalar values, lists of them, or a flat table of counts; never whole objects. */
export type LogFields = Record<string, Scalar | readonly Scalar[] | Readonly<Record<string, number | undefined>>>;

// An address, plain or percent-encoded as it appears in a URL ("ann%40example.com", "%2540" twice encoded).
const EMAIL = /([A-Za-z0-9._%+!#$&'*/=?^`{|}~-]+)(?:@|%40|%2540)([A-Za-z0-9.-]+\.[A-Za-z0-9-]+)/gi;
// Our signed tokens ("<base64url>.<base64url>") and any token= parameter in a URL.
const SIGNED = /\b[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{40,}\b/g;
const TOKEN_PARAM = /([?&]token=)[^&\s"'<>]+/gi;
const BEARER = /\b(Bearer\s+)\S+/gi;

/**
 * A string with addresses (plain or percent-encoded) reduced to their domain and tokens removed.
 * @example scrub("no mailbox ann@example.com") // "no mailbox ***@example.com"
 * @example scrub("erase ann%40example.com") // "erase ***@example.com" ("/" may sit in a local part: a path before it goes too)
 */
export function scrub(s: string): string {
  return s.replace(TOKEN_PARAM, "$1[redacted]").replace(BEARER, "$1[redacted]").replace(SIGNED, "[token]").replace(EMAIL, "***@$2");
}

function clean(value: LogFields[string]): unknown {
  if (Array.isArray(value)) return value.map((v) => clean(v as Scalar));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrub(k), v]));
  return typeof value === "string" ? scrub(value) : value;
}

/** An error as one short line for a log field (no stack: stacks go to `stack` on 500s only). */
export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function write(level: LogLevel, event: string, fields: LogFields): void {
  const line: Record<string, unknown> = { time: new Date().toISOString(), level, event };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && !(key in line)) line[key] = clean(value);
  }
  const text = JSON.stringify(line);
  if (level === "error") console.error(text);
  else if (level === "warn") console.warn(text);
  else console.log(text);
}

/**
 * @example log.info("edition_build", { slot: "2026-11-23T07:00Z", status: "built", ms: 41 })
 * @example log.error("unhandled_error", { path: c.req.path, error: errorText(err) })
 */
export const log = {
  info: (event: string, fields: LogFields = {}) => write("info", event, fields),
  warn: (event: string, fields: LogFields = {}) => write("warn", event, fields),
  error: (event: string, fields: LogFields = {}) => write("error", event, fields),
};
