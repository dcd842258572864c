// Fetching a feed: a conditional GET (If-None-Match / If-Modified-Since), a time limit, the bytes
// read under the cap (fetch.ts), then decoded in the encoding the answer declares (decode.ts), so
// ISO-8859-1, windows-1252 and UTF-16 feeds read right. Used by ingest, fetchFeeds and the CLI.
import { decodeFeed } from "./decode";
import { FeedError } from "./feed-parse";
import { type FetchOptions, readBytes } from "./fetch";

export type FetchedFeed =
  | { status: 304 }
  | { status: 200; body: string; encoding: string; warnings: string[]; etag: string | null; lastModified: string | null };

const FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5";

/**
 * GETs a feed conditionally, reads at most `maxBytes`, and decodes it; throws FeedError (naming the
 * URL) on an HTTP error, a timeout or an oversized body.
 * @example const r = await fetchFeedText(url, { etag, timeoutMs: 8000, maxBytes: MAX_FEED_BYTES });
 */
export async function fetchFeedText(url: string, o: FetchOptions): Promise<FetchedFeed> {
  const headers: Record<string, string> = { accept: o.accept ?? FEED_ACCEPT, "user-agent": "newsletter-digest/0.1 (+feed reader)" };
  if (o.etag) headers["if-none-match"] = o.etag;
  if (o.lastModified) headers["if-modified-since"] = o.lastModified;
  const signal = AbortSignal.timeout(o.timeoutMs);
  let res: Response;
  try {
    res = await (o.fetcher ?? fetch)(url, { headers, signal, redirect: "follow" });
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
  const bytes = await readBytes(res, url, o.maxBytes, signal, o.timeoutMs);
  const { text, encoding, warnings } = decodeFeed(bytes, res.headers.get("content-type"));
  return { status: 200, body: text, encoding, warnings, etag: res.headers.get("etag"), lastModified: res.headers.get("last-modified") };
}
