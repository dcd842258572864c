// Gathers raw articles in one go, without the store: the configured feeds, or the bundled seeds
// when there are none (or when asked). Seeds are never mixed into feeds otherwise.
import type { RawArticle } from "../digest/types";
import { fetchFeeds } from "./feeds";
import { seedArticles } from "./seeds";

export interface GatherOptions {
  feedUrls?: string[];
  /** The edition's time: feed items older than `maxAgeHours` before it are left out. */
  now?: Date;
  maxAgeHours?: number;
  /** Add the seeds to the feeds (SEEDS=on). */
  seeds?: boolean;
}

/**
 * The feeds' fresh items (seeds first when asked), in a stable order; the seeds alone when no feed is given.
 * @example const raw = await gatherArticles({ feedUrls: config.feedUrls, now: new Date() });
 */
export async function gatherArticles(options: GatherOptions = {}): Promise<RawArticle[]> {
  const { feedUrls = [], now = new Date(), maxAgeHours = 48, seeds = false } = options;
  if (feedUrls.length === 0) return seedArticles();
  const { articles } = await fetchFeeds(feedUrls, { since: new Date(now.getTime() - maxAgeHours * 3600_000) });
  // Feeds can repeat an item (same guid in two feeds); keep the first.
  const seen = new Set<string>();
  return [...(seeds ? seedArticles() : []), ...articles].filter((a) => !seen.has(a.id) && seen.add(a.id));
}
