// Content negotiation: which format the caller wants answers in, and what a request body is.
import type { Context } from "hono";
import type { AppEnv } from "./env";

/**
 * True when the caller should get JSON: its route group answers JSON only (the admin API), it
 * asked for JSON, or it expressed no preference and sent JSON. Browsers send text/html and get
 * pages.
 */
export function wantsJson(c: Context<AppEnv>): boolean {
  if (c.get("answer") === "json") return true;
  // Media types are case-insensitive (RFC 9110), so "Application/JSON" is JSON too.
  const accept = (c.req.header("accept") ?? "").toLowerCase();
  if (accept.includes("text/html")) return false;
  if (accept.includes("application/json") || accept.includes("+json")) return true;
  return (c.req.header("content-type") ?? "").toLowerCase().includes("application/json");
}

/** The request's media type, lowercased and without parameters ("application/json"). */
export function mediaType(c: Context): string {
  return (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}
