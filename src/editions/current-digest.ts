// The digest of what the sources hold right now: what /preview shows and the cron freezes.
import { buildDigest, type DigestResult } from "../digest";
import type { Config } from "../config";
import { gatherArticles } from "../sources";

/** YYYY-MM-DD in UTC: editions are dated by their UTC schedule slot. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * The digest of the bundled seeds and the configured feeds as of `now`.
 * @example const { digest, articles } = await currentDigest(config, new Date());
 */
export async function currentDigest(config: Config, now: Date): Promise<DigestResult> {
  const raw = await gatherArticles({ feedUrls: config.feedUrls, now });
  return buildDigest(raw, { date: utcDate(now), title: config.title });
}
