// SQL for sources and stored feed items. Each source row holds its fetch state (conditional GET
// validators, last success, last error); each item is stored once, with the analysis the digest
// core needs, so edition builds never fetch or analyse again.
import type { PreparedArticle } from "../digest";
import type { SourceState, StoredItem } from "./types";

/** D1 allows 100 bound parameters per statement: id lists are read in chunks below that. */
const CHUNK = 90;

/** Makes sure each configured source has a row (names follow the configuration). */
export async function upsertSources(db: D1Database, sources: readonly { url: string; name?: string }[]): Promise<void> {
  if (sources.length === 0) return;
  await db.batch(
    sources.map((s) =>
      db.prepare("INSERT INTO sources (url, name) VALUES (?1, ?2) ON CONFLICT (url) DO UPDATE SET name = ?2").bind(s.url, s.name ?? null),
    ),
  );
}

interface SourceRow {
  url: string;
  name: string | null;
  etag: string | null;
  lastModified: string | null;
  lastFetchAt: string | null;
  lastStatus: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastWarnings: string | null;
  items: number;
}

const SOURCE_COLS = `url, name, etag, last_modified AS lastModified, last_fetch_at AS lastFetchAt, last_status AS lastStatus,
  last_success_at AS lastSuccessAt, last_error AS lastError, last_warnings AS lastWarnings, items`;

function toState(r: SourceRow): SourceState {
  let warnings: string[] = [];
  try {
    const w = JSON.parse(r.lastWarnings ?? "[]") as unknown;
    if (Array.isArray(w)) warnings = w.filter((x): x is string => typeof x === "string");
  } catch {
    // an unreadable list reads as none
  }
  return { ...r, lastWarnings: warnings, lastStatus: r.lastStatus as SourceState["lastStatus"] };
}

/**
 * Sources with their state, by URL order; only `urls` when given.
 * @example const [state] = await getSources(env.DB, ["https://a.example/rss"]);
 */
export async function getSources(db: D1Database, urls?: readonly string[]): Promise<SourceState[]> {
  if (!urls) {
    const { results } = await db.prepare(`SELECT ${SOURCE_COLS} FROM sources ORDER BY url`).all<SourceRow>();
    return results.map(toState);
  }
  const out: SourceState[] = [];
  for (let k = 0; k < urls.length; k += CHUNK) {
    const part = urls.slice(k, k + CHUNK);
    const { results } = await db
      .prepare(`SELECT ${SOURCE_COLS} FROM sources WHERE url IN (${part.map(() => "?").join(",")})`)
      .bind(...part)
      .all<SourceRow>();
    out.push(...results.map(toState));
  }
  return out.sort((a, b) => a.url.localeCompare(b.url));
}

/** What one fetch of a source did, recorded on its row. */
export interface FetchRecord {
  url: string;
  at: string;
  status: "fetched" | "not-modified" | "failed";
  etag?: string | null;
  lastModified?: string | null;
  error?: string;
  warnings: string[];
}

/** The statement that records a fetch (validators only change on a fetched answer). */
export function recordFetchStatement(db: D1Database, f: FetchRecord): D1PreparedStatement {
  const ok = f.status !== "failed";
  return db
    .prepare(
      `UPDATE sources SET last_fetch_at = ?2, last_status = ?3,
         last_success_at = CASE WHEN ?4 THEN ?2 ELSE last_success_at END,
         last_error = CASE WHEN ?4 THEN NULL ELSE ?5 END,
         etag = CASE WHEN ?3 = 'fetched' THEN ?6 ELSE etag END,
         last_modified = CASE WHEN ?3 = 'fetched' THEN ?7 ELSE last_modified END,
         last_warnings = ?8,
         items = (SELECT COUNT(*) FROM items WHERE source_url = ?1)
       WHERE url = ?1`,
    )
    .bind(f.url, f.at, f.status, ok ? 1 : 0, f.error ?? null, f.etag ?? null, f.lastModified ?? null, JSON.stringify(f.warnings));
}

/** Which of these guids and URLs are stored already (the rest is new). */
export async function knownItems(db: D1Database, guids: readonly string[], urls: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (const [col, values] of [
    ["guid", guids],
    ["url", urls],
  ] as const) {
    for (let k = 0; k < values.length; k += CHUNK) {
      const part = values.slice(k, k + CHUNK);
      const { results } = await db
        .prepare(`SELECT ${col} AS v FROM items WHERE ${col} IN (${part.map(() => "?").join(",")})`)
        .bind(...part)
        .all<{ v: string }>();
      for (const r of results) known.add(r.v);
    }
  }
  return known;
}

/** A new item as ingest stores it. */
export interface NewItem {
  sourceUrl: string;
  article: PreparedArticle;
  fingerprint: string;
  firstSeenAt: string;
}

/**
 * What the digest needs of an item besides its text: its analysed sentences, as an array (as every
 * row stored before lead-ins were kept), or with the line the article opened on to introduce a list,
 * `{ candidates, leadIn }`.
 */
type StoredAnalysis = PreparedArticle["candidates"] | { candidates: PreparedArticle["candidates"]; leadIn: string };

function analysisOf(a: PreparedArticle): StoredAnalysis {
  return a.leadIn ? { candidates: a.candidates, leadIn: a.leadIn } : a.candidates;
}

/** The statement that stores an item unless its guid, URL or fingerprint is stored already. */
export function insertItemStatement(db: D1Database, item: NewItem): D1PreparedStatement {
  const a = item.article;
  return db
    .prepare(
      `INSERT OR IGNORE INTO items (source_url, guid, url, title, publisher, published_at, text, fingerprint, analysis, first_seen_at, author)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      item.sourceUrl,
      a.id,
      a.url ?? null,
      a.title ?? null,
      a.publisher ?? null,
      a.publishedAt ?? null,
      a.paragraphs.join("\n\n"),
      item.fingerprint,
      JSON.stringify(analysisOf(a)),
      item.firstSeenAt,
      a.author ?? null,
    );
}

/**
 * The statement that counts the names of the items one fetch stored into the names' history, run
 * after their inserts in the same batch: an item counts only if this fetch stored it (its row has
 * this source and this run's first-seen time), so an item seen again, here or in another feed, is
 * never counted twice. One statement for the whole fetch, whatever its number of items. The name
 * `''` counts the items themselves.
 */
export function countNamesStatement(
  db: D1Database,
  fetch: { sourceUrl: string; firstSeenAt: string; items: readonly { guid: string; names: readonly string[] }[] },
): D1PreparedStatement {
  const items = fetch.items.map((i) => ({ guid: i.guid, names: ["", ...new Set(i.names)] }));
  return db
    .prepare(
      `INSERT INTO name_history (name, articles)
       SELECT name.value, COUNT(*) FROM json_each(?1) AS item, json_each(item.value, '$.names') AS name
       WHERE EXISTS (SELECT 1 FROM items WHERE guid = json_extract(item.value, '$.guid') AND source_url = ?2 AND first_seen_at = ?3)
       GROUP BY name.value
       ON CONFLICT (name) DO UPDATE SET articles = articles + excluded.articles`,
    )
    .bind(JSON.stringify(items), fetch.sourceUrl, fetch.firstSeenAt);
}

/** How many stored articles use each of `names` (those no stored article uses are left out). */
export async function nameHistory(db: D1Database, names: readonly string[]): Promise<Map<string, number>> {
  const { results } = await db
    .prepare("SELECT name, articles FROM name_history WHERE name IN (SELECT value FROM json_each(?)) AND name <> ''")
    .bind(JSON.stringify([...new Set(names)]))
    .all<{ name: string; articles: number }>();
  return new Map(results.map((r) => [r.name, r.articles]));
}

interface ItemRow {
  guid: string;
  url: string | null;
  title: string | null;
  publisher: string | null;
  publishedAt: string | null;
  author: string | null;
  text: string;
  analysis: string;
  firstSeenAt: string;
  sourceUrl: string;
}

const ITEM_COLS = `guid, url, title, publisher, published_at AS publishedAt, author, text, analysis, first_seen_at AS firstSeenAt,
  source_url AS sourceUrl`;

function toItem(r: ItemRow): StoredItem {
  const article: PreparedArticle = { id: r.guid, paragraphs: r.text.split("\n\n"), candidates: [] };
  if (r.title !== null) article.title = r.title;
  if (r.url !== null) article.url = r.url;
  if (r.publisher !== null) article.publisher = r.publisher;
  if (r.publishedAt !== null) article.publishedAt = r.publishedAt;
  if (r.author !== null) article.author = r.author;
  try {
    const stored = JSON.parse(r.analysis) as StoredAnalysis;
    if (Array.isArray(stored)) article.candidates = stored;
    else if (Array.isArray(stored?.candidates)) {
      article.candidates = stored.candidates;
      if (typeof stored.leadIn === "string") article.leadIn = stored.leadIn;
    }
  } catch {
    // an unreadable analysis leaves the item without sentences: it cannot be summarised
  }
  return { article, firstSeenAt: r.firstSeenAt, sourceUrl: r.sourceUrl };
}

/**
 * Items first seen in (after, until] from these sources only, oldest first: the newest `limit` of
 * them (by first seen, then published) when there are more.
 * @example await itemsSeenBetween(env.DB, { after: prev.asOf, until: now.toISOString(), sources, limit: 500 })
 */
export async function itemsSeenBetween(
  db: D1Database,
  q: { after: string | null; until: string; sources: readonly string[]; limit: number },
): Promise<StoredItem[]> {
  if (q.sources.length === 0) return [];
  const src = q.sources.slice(0, CHUNK);
  const { results } = await db
    .prepare(
      `SELECT ${ITEM_COLS} FROM items
       WHERE first_seen_at > ?1 AND first_seen_at <= ?2 AND source_url IN (${src.map((_, i) => `?${i + 4}`).join(",")})
       ORDER BY first_seen_at DESC, COALESCE(published_at, '') DESC, id DESC LIMIT ?3`,
    )
    .bind(q.after ?? "", q.until, q.limit, ...src)
    .all<ItemRow>();
  return results.map(toItem).reverse();
}

/**
 * The newest items first seen up to `until` from these sources (a forced build, the preview).
 * @example await latestItems(env.DB, { until, sources, limit: 50 })
 */
export async function latestItems(db: D1Database, q: { until: string; sources: readonly string[]; limit: number }): Promise<StoredItem[]> {
  if (q.sources.length === 0) return [];
  const src = q.sources.slice(0, CHUNK);
  const { results } = await db
    .prepare(
      `SELECT ${ITEM_COLS} FROM items WHERE first_seen_at <= ?1 AND source_url IN (${src.map((_, i) => `?${i + 3}`).join(",")})
       ORDER BY first_seen_at DESC, id DESC LIMIT ?2`,
    )
    .bind(q.until, q.limit, ...src)
    .all<ItemRow>();
  return results.map(toItem).reverse();
}

/** Stored items by guid (the articles of remembered stories); missing ones were pruned. */
export async function itemsByGuid(db: D1Database, guids: readonly string[]): Promise<StoredItem[]> {
  const out: StoredItem[] = [];
  for (let k = 0; k < guids.length; k += CHUNK) {
    const part = guids.slice(k, k + CHUNK);
    const { results } = await db
      .prepare(`SELECT ${ITEM_COLS} FROM items WHERE guid IN (${part.map(() => "?").join(",")}) ORDER BY first_seen_at, id`)
      .bind(...part)
      .all<ItemRow>();
    out.push(...results.map(toItem));
  }
  return out;
}

/**
 * Deletes feed items first seen before `before` (retention; the few bundled seeds stay, or they
 * would come back as new); returns how many went.
 * @example await pruneItems(env.DB, "2026-10-24T07:00:00.000Z")
 */
export async function pruneItems(db: D1Database, before: string): Promise<number> {
  const r = await db.prepare("DELETE FROM items WHERE first_seen_at < ? AND source_url != 'seeds:'").bind(before).run();
  return r.meta.changes;
}

/** Whether any item is stored for these sources (the preview falls back to the seeds when not). */
export async function hasItems(db: D1Database, sources: readonly string[]): Promise<boolean> {
  if (sources.length === 0) return false;
  const src = sources.slice(0, CHUNK);
  const row = await db
    .prepare(`SELECT 1 AS x FROM items WHERE source_url IN (${src.map(() => "?").join(",")}) LIMIT 1`)
    .bind(...src)
    .first();
  return row !== null;
}

/**
 * The name each source's newest stored item carries (the feed's channel title, or the configured
 * name): what editions label its stories with, so the console can name the source the same way.
 * @example await publisherNames(env.DB, ["https://a.example/rss"]) // Map { "https://a.example/rss" => "Harbour Gazette" }
 */
export async function publisherNames(db: D1Database, urls: string[]): Promise<Map<string, string>> {
  if (urls.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT source_url AS url, (SELECT publisher FROM items i WHERE i.source_url = s.value AND i.publisher IS NOT NULL AND i.publisher <> ''
         ORDER BY i.first_seen_at DESC LIMIT 1) AS name
       FROM (SELECT value, value AS source_url FROM json_each(?)) s`,
    )
    .bind(JSON.stringify(urls))
    .all<{ url: string; name: string | null }>();
  return new Map(results.filter((r) => r.name).map((r) => [r.url, r.name!]));
}

/**
 * What changes whenever an ingest stores items or retention prunes them (the smallest and largest
 * item ids, both read from the rowid b-tree's ends): a cache of what the items give keys on it.
 * @example await itemsVersion(env.DB) // "1-5230"
 */
export async function itemsVersion(db: D1Database): Promise<string> {
  const row = await db.prepare("SELECT MIN(id) AS lo, MAX(id) AS hi FROM items").first<{ lo: number | null; hi: number | null }>();
  return `${row?.lo ?? 0}-${row?.hi ?? 0}`;
}
