// Gathers the raw articles an edition is built from: the bundled seeds, plus configured feeds.
import type { RawArticle } from "../digest/types";
import { fetchFeeds } from "./feeds";
import { seedArticles } from "./seeds";

export interface GatherOptions {
  feedUrls?: string[];
  /** The edition's time: feed items older than `maxAgeHours` before it are left out. */
  now?: Date;
  maxAgeHours?: number;
}

/**
 * Everything the next edition may draw on: seeds first, then feed items, in a stable order.
 * @example const raw = await gatherArticles({ feedUrls: config.feedUrls, now: new Date() });
 */
export async function gatherArticles(options: GatherOptions = {}): Promise<RawArticle[]> {
  const { feedUrls = [], now = new Date(), maxAgeHours = 48 } = options;
  if (feedUrls.length === 0) return seedArticles();
  const { articles } = await fetchFeeds(feedUrls, { since: new Date(now.getTime() - maxAgeHours * 3600_000) });
  // Feeds can repeat an item (same guid in two feeds); keep the first.
  const seen = new Set<string>();
  return [...seedArticles(), ...articles].filter((a) => !seen.has(a.id) && seen.add(a.id));
}
