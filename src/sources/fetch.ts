// Fetching article pages, and the streaming read under a byte cap that feeds use too (feed-fetch.ts),
// so a hostile or huge document costs at most the cap (never `res.text()` on an unbounded body),
// within a time limit for the whole answer. Article pages come
// from links in feed items, which whoever writes the feed controls: fetchPage checks each one,
// and each redirect hop, against the page policy (fetch-policy.ts) before any connection.
import { FeedError } from "./feed-parse";
import { checkPageUrl, type PagePolicy, type Resolver } from "./fetch-policy";

/** Feeds larger than this are refused (read as a stream, stopped at the cap). */
export const MAX_FEED_BYTES = 2 * 1024 * 1024;

export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs: number;
  maxBytes: number;
  accept?: string;
  /** The fetch to use (tests give a recording stand-in); the global one by default. */
  fetcher?: typeof fetch;
}

/**
 * Reads a response's body as bytes, at most `maxBytes` (a streaming read that stops at the cap,
 * never `res.bytes()` on an unbounded body); throws FeedError naming the URL when it is larger, or
 * when the time limit runs out before the body does.
 * @example const bytes = await readBytes(res, url, MAX_FEED_BYTES, signal, 8000);
 */
export async function readBytes(res: Response, url: string, maxBytes: number, signal: AbortSignal, timeoutMs: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) throw new FeedError(`${url}: larger than ${Math.round(maxBytes / 1024)} KB, stopped reading`);
      chunks.push(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    if (e instanceof FeedError) throw e;
    throw new FeedError(
      `${url}: ${signal.aborted ? `no complete answer within ${timeoutMs} ms` : `read failed (${(e as Error).message})`}`,
    );
  }
  const out = new Uint8Array(bytes);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** An article page's text: its bytes, read under the cap, as UTF-8. */
async function readCapped(res: Response, url: string, maxBytes: number, signal: AbortSignal, timeoutMs: number): Promise<string> {
  return new TextDecoder().decode(await readBytes(res, url, maxBytes, signal, timeoutMs));
}

/** A page the policy refused: the item keeps its excerpt, and the reason goes on the source's row. */
export class PageRefused extends FeedError {}

/** Redirects followed at most per page, each hop checked like the first URL. */
export const MAX_PAGE_REDIRECTS = 3;
/** The only media types read as article pages. */
const PAGE_TYPES = new Set(["text/html", "application/xhtml+xml"]);

export interface PageFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  policy: PagePolicy;
  resolve: Resolver;
  fetcher?: typeof fetch;
}

/**
 * GETs an article page under the page policy: every URL (the first, and each of at most 3
 * redirects, followed by hand) is checked before it is requested, and only HTML or XHTML is read.
 * Throws PageRefused for what the policy forbids, FeedError for HTTP errors, timeouts and
 * oversized bodies.
 * @example const html = await fetchPage(item.url, { timeoutMs: 5000, maxBytes: 1 << 20, policy, resolve });
 */
export async function fetchPage(url: string, o: PageFetchOptions): Promise<string> {
  const headers = { accept: "text/html, application/xhtml+xml;q=0.9", "user-agent": "newsletter-digest/0.1 (+feed reader)" };
  const signal = AbortSignal.timeout(o.timeoutMs);
  let current = url;
  for (let hop = 0; ; hop++) {
    const check = await checkPageUrl(current, o.policy, o.resolve);
    if (!check.ok) throw new PageRefused(`${current}: refused, ${check.reason}`);
    let res: Response;
    try {
      res = await (o.fetcher ?? fetch)(check.url.href, { headers, signal, redirect: "manual" });
    } catch (e) {
      throw new FeedError(
        `${current}: ${signal.aborted ? `no answer within ${o.timeoutMs} ms` : `fetch failed (${(e as Error).message})`}`,
      );
    }
    if (res.status >= 300 && res.status < 400 && res.headers.has("location")) {
      await res.body?.cancel();
      if (hop >= MAX_PAGE_REDIRECTS) throw new PageRefused(`${url}: refused, more than ${MAX_PAGE_REDIRECTS} redirects`);
      current = new URL(res.headers.get("location")!, check.url).href;
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new FeedError(`${current}: HTTP ${res.status}`);
    }
    const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!PAGE_TYPES.has(type)) {
      await res.body?.cancel();
      throw new PageRefused(`${current}: refused, ${type || "no content type"} is not an HTML page`);
    }
    const declared = Number(res.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > o.maxBytes) {
      await res.body?.cancel();
      throw new FeedError(`${current}: larger than ${Math.round(o.maxBytes / 1024)} KB (Content-Length ${declared}), not read`);
    }
    return readCapped(res, current, o.maxBytes, signal, o.timeoutMs);
  }
}

const DOH = "https://cloudflare-dns.com/dns-query";

/**
 * Resolves a host name's A and AAAA records over DNS-over-HTTPS (the fetch policy checks every
 * address before a page is requested). On Cloudflare's network a fetch cannot reach private
 * addresses anyway; this keeps `wrangler dev` on a developer's machine from reaching them.
 * @example await dohResolver()("example.com") // ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]
 */
export function dohResolver(fetcher: typeof fetch = fetch, timeoutMs = 3000): Resolver {
  return async (host) => {
    const ask = async (type: "A" | "AAAA") => {
      const res = await fetcher(`${DOH}?name=${encodeURIComponent(host)}&type=${type}`, {
        headers: { accept: "application/dns-json" },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`DNS-over-HTTPS answered ${res.status}`);
      const body = (await res.json()) as { Status?: number; Answer?: Array<{ type?: number; data?: unknown }> };
      return (body.Answer ?? []).filter((a) => (a.type === 1 || a.type === 28) && typeof a.data === "string").map((a) => a.data as string);
    };
    const [v4, v6] = await Promise.all([ask("A"), ask("AAAA")]);
    return [...v4, ...v6];
  };
}
