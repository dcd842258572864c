// Conditional answers: a content ETag, If-None-Match, and a 304 when the client has the body.
// The Cache-Control values themselves live in ./policy.ts.
import { hexDigest } from "../hash";
import type { Context } from "hono";

/**
 * A strong ETag from the SHA-1 of `content`, first `bytes` bytes in hex, after an optional prefix.
 * @example await contentEtag("<p>hi</p>") // '"c5b8…"'
 */
export async function contentEtag(content: string, { prefix = "", bytes = 12 } = {}): Promise<string> {
  return `"${prefix}${await hexDigest("SHA-1", content, bytes)}"`;
}

/**
 * True when an If-None-Match header names this ETag (lists and weak validators included).
 * @example matchesEtag('W/"a", "b"', '"b"') // true
 */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

export interface CachedOptions {
  /** Cache-Control for the answer. */
  cacheControl: string;
  /** A validator computed elsewhere (cached with the body); by default the body's SHA-1. */
  etag?: string;
  /** More headers for both the 200 and the 304 (e.g. a route's own CSP). */
  headers?: Record<string, string>;
}

/**
 * Sends a body with an ETag and answers 304 when the client already has it.
 * @example return sendCached(c, html, "text/html; charset=utf-8", { cacheControl: "public, max-age=300" })
 */
export async function sendCached(c: Context, body: string, type: string, options: CachedOptions) {
  const etag = options.etag ?? (await contentEtag(body));
  const headers: Record<string, string> = { ...options.headers, "Cache-Control": options.cacheControl, ETag: etag };
  if (matchesEtag(c.req.header("if-none-match"), etag)) return c.body(null, 304, headers);
  return c.body(body, 200, { ...headers, "Content-Type": type });
}
