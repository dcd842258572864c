// Fetches the configured feeds. A feed that is down, slow or malformed is logged and skipped:
// one broken source must not cost subscribers the whole edition.
import type { RawArticle } from "../digest/types";
import { FeedError, parseFeed } from "./feed-parse";

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
  const res = await fetch(url, {
    headers: {
      accept: "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5",
      "user-agent": "newsletter-digest/0.1 (+feed reader)",
    },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new FeedError(`${url}: HTTP ${res.status}`);
  return parseFeed(await res.text(), url);
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
  for (const f of failures) console.warn(JSON.stringify({ event: "feed_failed", ...f }));
  return { articles, failures };
}
