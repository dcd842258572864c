// Fetching a feed or an article page: conditional GET (If-None-Match / If-Modified-Since), a time
// limit for the whole answer, and a streaming read that stops at a byte cap, so a hostile or huge
// document costs at most the cap (never `res.text()` on an unbounded body).
import { FeedError } from "./feed-parse";

/** Feeds larger than this are refused (read as a stream, stopped at the cap). */
export const MAX_FEED_BYTES = 2 * 1024 * 1024;

export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs: number;
  maxBytes: number;
  accept?: string;
}

export type Fetched = { status: 304 } | { status: 200; body: string; etag: string | null; lastModified: string | null };

const FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5";

/**
 * GETs a URL conditionally and reads at most `maxBytes` of it; throws FeedError (naming the URL)
 * on an HTTP error, a timeout or an oversized body.
 * @example const r = await fetchCapped(url, { etag, timeoutMs: 8000, maxBytes: MAX_FEED_BYTES });
 */
export async function fetchCapped(url: string, o: FetchOptions): Promise<Fetched> {
  const headers: Record<string, string> = { accept: o.accept ?? FEED_ACCEPT, "user-agent": "newsletter-digest/0.1 (+feed reader)" };
  if (o.etag) headers["if-none-match"] = o.etag;
  if (o.lastModified) headers["if-modified-since"] = o.lastModified;
  const signal = AbortSignal.timeout(o.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { headers, signal, redirect: "follow" });
  } catch (e) {
    throw new FeedError(`${url}: ${signal.aborted ? `no answer within ${o.timeoutMs} ms` : `fetch failed (${(e as Error).message})`}`);
  }
  if (res.status === 304) {
    await res.body?.cancel();
    return { status: 304 };
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new FeedError(`${url}: HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > o.maxBytes) {
    await res.body?.cancel();
    throw new FeedError(`${url}: larger than ${Math.round(o.maxBytes / 1024)} KB (Content-Length ${declared}), not read`);
  }
  const body = await readCapped(res, url, o.maxBytes, signal, o.timeoutMs);
  return { status: 200, body, etag: res.headers.get("etag"), lastModified: res.headers.get("last-modified") };
}

async function readCapped(res: Response, url: string, maxBytes: number, signal: AbortSignal, timeoutMs: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  let out = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) throw new FeedError(`${url}: larger than ${Math.round(maxBytes / 1024)} KB, stopped reading`);
      out += decoder.decode(value, { stream: true });
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    if (e instanceof FeedError) throw e;
    throw new FeedError(
      `${url}: ${signal.aborted ? `no complete answer within ${timeoutMs} ms` : `read failed (${(e as Error).message})`}`,
    );
  }
  return out + decoder.decode();
}
