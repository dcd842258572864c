// HTTP helpers shared by the routes: error answers shaped for the caller (JSON for API clients,
// a small HTML page for browsers) and content validators (ETag, If-None-Match).
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { siteCss } from "../generated/templates";
import { escapeHtml } from "../render/format";

/**
 * True when the caller should get JSON: it asked for JSON, or it expressed no preference and
 * is an API caller (a JSON body or an /admin path). Browsers send text/html and get pages.
 */
export function wantsJson(c: Context): boolean {
  // Media types are case-insensitive (RFC 9110), so "Application/JSON" is JSON too.
  const accept = (c.req.header("accept") ?? "").toLowerCase();
  if (accept.includes("text/html")) return false;
  if (accept.includes("application/json") || accept.includes("+json")) return true;
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  return type.includes("application/json") || c.req.path.startsWith("/admin");
}

/** The request's media type, lowercased and without parameters ("application/json"). */
export function mediaType(c: Context): string {
  return (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * A minimal error page in the site's look: the site stylesheet, allowed by its hash in
 * PAGE_CSP (a style attribute would be blocked by that CSP and log a console error).
 */
export function errorPage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${siteCss}</style></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">Home</a></p></main></body></html>`;
}

/**
 * Answers with an error in the caller's format.
 * @example return problem(c, 404, "Not found", "No edition with that id.");
 */
export function problem(c: Context, status: ContentfulStatusCode, title: string, message: string, extra: Record<string, unknown> = {}) {
  if (wantsJson(c)) return c.json({ error: title, message, ...extra }, status);
  // Error pages get the same CSP as every other page (no script, the stylesheet by hash).
  return c.html(errorPage(title, message), status);
}

/**
 * A strong ETag from the SHA-1 of `content`, first `bytes` bytes in hex, after an optional prefix.
 * @example await contentEtag("<p>hi</p>") // '"c5b8…"'
 */
export async function contentEtag(content: string, { prefix = "", bytes = 12 } = {}): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", new TextEncoder().encode(content)));
  return `"${prefix}${Array.from(digest.slice(0, bytes), (b) => b.toString(16).padStart(2, "0")).join("")}"`;
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
