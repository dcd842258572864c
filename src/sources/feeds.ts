// Fetches feeds once, unconditionally (the CLI and tests; the Worker ingests through ingest.ts).
// A feed that is down, slow, malformed or over 2 MB is logged and skipped: one broken source must
// not cost the whole digest.
import type { RawArticle } from "../digest/types";
import { log } from "../log";
import { readFeed, toRawArticles } from "./feed-parse";
import { fetchFeedText } from "./feed-fetch";
import { MAX_FEED_BYTES } from "./fetch";

export interface FeedOptions {
  /** Per-feed time limit. */
  timeoutMs?: number;
  /** Most items taken from one feed (newest first when dated). */
  maxItemsPerFeed?: number;
  /** Items published before this are dropped; undated items are kept. */
  since?: Date;
}

export interface FeedResult {
  articles: RawArticle[];
  failures: { url: string; error: string }[];
}

async function fetchFeed(url: string, timeoutMs: number): Promise<RawArticle[]> {
  const res = await fetchFeedText(url, { timeoutMs, maxBytes: MAX_FEED_BYTES });
  if (res.status !== 200) return [];
  // The body is decoded in the charset the answer declares (HTTP header, XML declaration, BOM).
  const feed = readFeed(res.body, url);
  for (const warning of [...res.warnings, ...feed.warnings]) log.warn("feed_warning", { url, warning });
  return toRawArticles(feed, url);
}

/**
 * Fetches every feed in parallel and returns the items that pass the age and count limits.
 * @example const { articles, failures } = await fetchFeeds(config.feedUrls, { since: yesterday });
 */
export async function fetchFeeds(urls: string[], options: FeedOptions = {}): Promise<FeedResult> {
  const { timeoutMs = 8000, maxItemsPerFeed = 30, since } = options;
  const settled = await Promise.allSettled(urls.map((url) => fetchFeed(url, timeoutMs)));
  const articles: RawArticle[] = [];
  const failures: FeedResult["failures"] = [];
  settled.forEach((r, i) => {
    const url = urls[i]!;
    if (r.status === "rejected") {
      failures.push({ url, error: r.reason instanceof Error ? r.reason.message : String(r.reason) });
      return;
    }
    const fresh = r.value
      .filter((a) => !since || !a.publishedAt || Date.parse(a.publishedAt) >= since.getTime())
      .sort((a, b) => (b.publishedAt ?? "").localeCompare(a.publishedAt ?? ""))
      .slice(0, maxItemsPerFeed);
    articles.push(...fresh);
  });
  for (const f of failures) log.warn("feed_failed", { ...f });
  return { articles, failures };
}
