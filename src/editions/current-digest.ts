// The digest an edition is built from: the items stored since the previous edition, grouped with
// the articles of the stories earlier editions carried (memory), so a story already sent is not
// sent again and one that new articles joined comes back as an update. Nothing is fetched or
// analysed here: ingest (src/sources/ingest.ts) stored each item with its analysis.
import type { Config } from "../config";
import { buildDigest, digestPrepared, leadNames, type DigestResult, type PreparedArticle } from "../digest";
import { log } from "../log";
import type { DigestContext } from "../ports";
import { configuredSources } from "../sources/ingest";
import { seedArticles } from "../sources/seeds";
import { hasItems, itemsByGuid, itemsSeenBetween, latestItems, nameHistory } from "../sources/store";
import type { StoredItem } from "../sources/types";
import { previousEdition, storyMemory } from "./store";

export type { DigestContext };

/** YYYY-MM-DD in UTC: editions are dated by their UTC schedule slot. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Most new items one edition draws on (the newest; more than that in one day are left out, with a warning). */
export const MAX_EDITION_ITEMS = 500;
/** Items a forced build or an otherwise empty preview draws on: the newest stored. */
export const LATEST_ITEMS = 100;
/** How long a story is remembered: an article joining it later than this starts a new story. */
export const MEMORY_DAYS = 7;
/** Most remembered stories a build reads. */
const MAX_MEMORY_STORIES = 300;
const DAY = 86_400_000;

/**
 * The digest of what is new as of `now`: items first seen since the previous edition, with memory.
 * @example const { digest, articles, memory } = await currentDigest(config, now, { db: env.DB, slot });
 */
export async function currentDigest(config: Config, now: Date, ctx: DigestContext): Promise<DigestResult> {
  const { db } = ctx;
  const options = { date: utcDate(now), title: config.title };
  const sources = configuredSources(config).map((s) => s.url);
  // Nothing ingested yet: the demo seeds as bundled, when they are a source.
  if (!(await hasItems(db, sources))) {
    return config.seeds ? buildDigest(seedArticles(), options) : { ...buildDigest([], options), memory: [] };
  }
  const until = now.toISOString();
  const latest = async () => {
    // As of `now`; an operator forcing a build for a later slot than the newest items gets those.
    let items = await latestItems(db, { until, sources, limit: LATEST_ITEMS });
    if (items.length === 0) items = await latestItems(db, { until: "9999", sources, limit: LATEST_ITEMS });
    return digestPrepared(
      items.map((i) => i.article),
      options,
    );
  };
  if (ctx.force) return latest();
  const previous = await previousEdition(db, { until, exceptSlot: ctx.slot ?? "" });
  const fresh = await itemsSeenBetween(db, { after: previous?.asOf ?? null, until, sources, limit: MAX_EDITION_ITEMS });
  // More new items than one edition takes: the newest are kept, the rest are never shown.
  if (fresh.length === MAX_EDITION_ITEMS) log.warn("edition_items_capped", { limit: MAX_EDITION_ITEMS, since: previous?.asOf ?? "" });
  const memory = await storyMemory(db, {
    since: new Date(now.getTime() - MEMORY_DAYS * DAY).toISOString(),
    until,
    exceptSlot: ctx.slot ?? "",
    limit: MAX_MEMORY_STORIES,
  });
  const freshIds = new Set(fresh.map((i) => i.article.id));
  const rememberedIds = [...new Set(memory.flatMap((m) => m.articleIds))].filter((id) => !freshIds.has(id));
  const remembered = fresh.length === 0 ? [] : await itemsByGuid(db, rememberedIds);
  const prepared: PreparedArticle[] = [...remembered, ...fresh].map((i) => i.article);
  const result = digestPrepared(prepared, { ...options, memory, ...(await historyFor(db, fresh, remembered.length)) });
  if (ctx.preview && result.digest.stories.length === 0) return latest();
  return result;
}

/** The names' history of the fresh articles' names, when there is a remembered story to continue. */
async function historyFor(
  db: D1Database,
  fresh: readonly StoredItem[],
  remembered: number,
): Promise<{ nameHistory?: ReadonlyMap<string, number> }> {
  if (remembered === 0 || fresh.length === 0) return {};
  return {
    nameHistory: await nameHistory(
      db,
      fresh.flatMap((i) => leadNames(i.article)),
    ),
  };
}
