// SQL for editions (editions, edition_stories, edition_articles). Rows become the types of
// ./types.ts here; nothing else writes these tables (delivery batches its rendering read through
// sendableEditionStatement, and its fan-out is written by delivery's store, alongside an insert).
// The UNIQUE slot is what makes an edition build idempotent: whoever inserts first for a slot
// wins, every other run (a doubled cron, two at once, a retried admin call) reads that row back.
import type { Article, Digest, StoryMemory } from "../digest/types";
import type { Edition, EditionRecord, SendableEdition, ListedEdition, NewEdition, SlotRecord } from "./types";

/**
 * Statements another feature's store writes in the transaction that inserts an edition (delivery's
 * fan-out, so a crash between build and send leaves a fan-out for the sweep to resume, never a
 * stranded edition), for the row this run inserts only: their SQL must check that the edition
 * `id` holds `slot`, built.
 */
export type AlongsideStatements = (db: D1Database, edition: { id: string; slot: string; createdAt: string }) => D1PreparedStatement[];

/** How many date-suffixed ids a day may have before we give up (editions are daily). */
const MAX_IDS_PER_DATE = 50;

/** The slot's record (built or skipped), or null when nothing ran for it yet. */
export async function getSlot(db: D1Database, slot: string): Promise<SlotRecord | null> {
  return db.prepare("SELECT id, slot, status, skip_reason AS skipReason FROM editions WHERE slot = ?").bind(slot).first<SlotRecord>();
}

/**
 * The first free URL id for an edition dated `date`: the date itself, then date-2, date-3...
 * A concurrent build may still take it first; insertEdition then reports the clash.
 * @example await freeEditionId(env.DB, "2026-11-23") // "2026-11-23" or "2026-11-23-2"
 */
export async function freeEditionId(db: D1Database, date: string): Promise<string> {
  const { results } = await db.prepare("SELECT id FROM editions WHERE id = ?1 OR id LIKE ?1 || '-%'").bind(date).all<{ id: string }>();
  const taken = new Set(results.map((r) => r.id));
  for (let n = 1; n <= MAX_IDS_PER_DATE; n++) {
    const id = n === 1 ? date : `${date}-${n}`;
    if (!taken.has(id)) return id;
  }
  throw new Error(`No free edition id for ${date} after ${MAX_IDS_PER_DATE}`);
}

/**
 * Stores a built edition under `id` unless its slot already has one, and returns what the slot
 * holds afterwards, or null when `id` was taken by another slot meanwhile (pick another, retry).
 * A skipped record for the slot is replaced (that is what `force` does), in the same transaction.
 * @example const r = await insertEdition(env.DB, "2026-11-23", { slot: "2026-11-23T07:00Z", ... });
 */
export async function insertEdition(
  db: D1Database,
  id: string,
  e: NewEdition,
  alongside?: AlongsideStatements,
): Promise<{ record: SlotRecord; created: boolean } | null> {
  // One transaction: drop a skipped record (force), insert unless the slot or id is taken,
  // another feature's statements when asked (delivery's fan-out, only for the row just
  // inserted), then read what the slot holds now. INSERT OR IGNORE covers both UNIQUE(slot) and the id.
  const others = alongside?.(db, { id, slot: e.slot, createdAt: e.createdAt }) ?? [];
  const [, insert, ...rest] = await db.batch([
    db.prepare("DELETE FROM editions WHERE slot = ? AND status = 'skipped'").bind(e.slot),
    db
      .prepare(
        `INSERT OR IGNORE INTO editions (id, slot, status, skip_reason, title, subject, edition_date, content_hash, story_ids,
           digest_json, articles_json, html, text, created_at, send_id, as_of)
         VALUES (?, ?, 'built', ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?)`,
      )
      .bind(
        id,
        e.slot,
        e.skipReason ?? null,
        e.title,
        e.subject,
        e.date,
        e.contentHash,
        JSON.stringify(e.storyIds),
        JSON.stringify(e.digest),
        e.html,
        e.text,
        e.createdAt,
        e.sendId,
        e.asOf,
      ),
    ...others,
    // Memory and source texts only for the row this run inserted (the slot's, under this id).
    ...(e.memory ?? []).map((m) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO edition_stories (edition_id, story_id, as_of, article_ids, sentences, first_edition_id)
           SELECT id, ?3, ?4, ?5, ?6, COALESCE(?7, id) FROM editions WHERE id = ?1 AND slot = ?2 AND status = 'built'`,
        )
        .bind(id, e.slot, m.id, e.asOf, JSON.stringify(m.articleIds), JSON.stringify(m.sentences), m.firstEdition ?? null),
    ),
    ...e.articles.map((a) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO edition_articles (edition_id, article_id, article_json)
           SELECT id, ?3, ?4 FROM editions WHERE id = ?1 AND slot = ?2 AND status = 'built'`,
        )
        .bind(id, e.slot, a.id, JSON.stringify(a)),
    ),
    db.prepare("SELECT id, slot, status, skip_reason AS skipReason FROM editions WHERE slot = ?").bind(e.slot),
  ]);
  const read = rest[rest.length - 1]!;
  const record = (read.results as SlotRecord[])[0];
  if (!record) return null;
  return { record, created: insert!.meta.changes > 0 && record.id === id };
}

/**
 * Records that a slot was skipped and why, unless the slot already has a record.
 * @example await recordSkippedSlot(env.DB, { slot, title, date, reason: "nothing new since 2026-11-22", createdAt });
 */
export async function recordSkippedSlot(
  db: D1Database,
  s: { slot: string; title: string; date: string; reason: string; contentHash: string | null; createdAt: string },
): Promise<{ record: SlotRecord; created: boolean }> {
  // Skipped rows never take the date id the archive shows; their id is derived from the slot.
  const id = `skipped-${s.slot.replace(/[^A-Za-z0-9-]/g, "")}`;
  const [insert, read] = await db.batch([
    db
      .prepare(
        `INSERT OR IGNORE INTO editions (id, slot, status, skip_reason, title, edition_date, content_hash, created_at)
         VALUES (?, ?, 'skipped', ?, ?, ?, ?, ?)`,
      )
      .bind(id, s.slot, s.reason, s.title, s.date, s.contentHash, s.createdAt),
    db.prepare("SELECT id, slot, status, skip_reason AS skipReason FROM editions WHERE slot = ?").bind(s.slot),
  ]);
  return { record: (read!.results as SlotRecord[])[0]!, created: insert!.meta.changes > 0 };
}

/** The newest built edition (other than `slot`'s): what "nothing new since" compares against. */
export async function lastBuiltEdition(
  db: D1Database,
  exceptSlot: string,
): Promise<{ id: string; contentHash: string | null; storyIds: string[] } | null> {
  const row = await db
    .prepare(
      `SELECT id, content_hash AS contentHash, story_ids AS storyIds FROM editions
       WHERE status = 'built' AND slot != ? ORDER BY created_at DESC, id DESC LIMIT 1`,
    )
    .bind(exceptSlot)
    .first<{ id: string; contentHash: string | null; storyIds: string | null }>();
  if (!row) return null;
  // An unreadable list only weakens the "nothing new" check to the hash comparison.
  return { id: row.id, contentHash: row.contentHash, storyIds: parseStoryIds(row.storyIds) };
}

interface EditionRow {
  id: string;
  slot: string;
  title: string;
  date: string;
  createdAt: string;
  digest_json: string | null;
  articles_json: string;
}

/** A stored digest, or an empty one if the row's JSON is missing or unreadable (never a 500). */
function parseDigest(json: string | null, r: { title: string; date: string }): Digest {
  try {
    const d = JSON.parse(json ?? "") as Digest;
    if (d && Array.isArray(d.stories)) return d;
  } catch {
    // fall through
  }
  return { title: r.title, date: r.date, stories: [] };
}

/**
 * One built edition by its URL id, or null.
 * @example const edition = await getEdition(env.DB, "2026-11-23");
 */
export async function getEdition(db: D1Database, id: string): Promise<Edition | null> {
  const row = await db
    .prepare(
      `SELECT id, slot, title, edition_date AS date, created_at AS createdAt, digest_json, articles_json
       FROM editions WHERE id = ? AND status = 'built' AND unpublished_at IS NULL`,
    )
    .bind(id)
    .first<EditionRow>();
  if (!row) return null;
  const { digest_json, articles_json, ...rest } = row;
  // Source texts live in their own rows; editions built before that kept them in articles_json.
  const { results } = await db
    .prepare("SELECT article_json FROM edition_articles WHERE edition_id = ? ORDER BY rowid")
    .bind(id)
    .all<{ article_json: string }>();
  const articles = results.length > 0 ? results.map((r) => JSON.parse(r.article_json) as Article) : parseArticles(articles_json);
  return { ...rest, digest: parseDigest(digest_json, row), articles };
}

function parseArticles(json: string | null): Article[] {
  try {
    const a = JSON.parse(json ?? "[]") as unknown;
    return Array.isArray(a) ? (a as Article[]) : [];
  } catch {
    return [];
  }
}

/**
 * The newest built edition as of `until` (other than `exceptSlot`'s), with its build time: the
 * next edition draws on the items first seen after it.
 * @example const prev = await previousEdition(env.DB, { until: now.toISOString(), exceptSlot: slot });
 */
export async function previousEdition(
  db: D1Database,
  q: { until: string; exceptSlot: string },
): Promise<{ id: string; asOf: string } | null> {
  return db
    .prepare(
      `SELECT id, as_of AS asOf FROM editions
       WHERE status = 'built' AND as_of IS NOT NULL AND as_of <= ?1 AND slot != ?2 ORDER BY as_of DESC, id DESC LIMIT 1`,
    )
    .bind(q.until, q.exceptSlot)
    .first<{ id: string; asOf: string }>();
}

/**
 * The stories editions built in [since, until] carried, each as its latest edition left it.
 * @example const memory = await storyMemory(env.DB, { since, until, exceptSlot: slot, limit: 300 });
 */
export async function storyMemory(
  db: D1Database,
  q: { since: string; until: string; exceptSlot: string; limit: number },
): Promise<StoryMemory[]> {
  const { results } = await db
    .prepare(
      `SELECT s.story_id AS id, s.article_ids AS articleIds, s.sentences, s.first_edition_id AS firstEdition
       FROM edition_stories s JOIN editions e ON e.id = s.edition_id
       WHERE s.as_of >= ?1 AND s.as_of <= ?2 AND e.slot != ?3 ORDER BY s.as_of DESC, s.edition_id DESC LIMIT ?4`,
    )
    .bind(q.since, q.until, q.exceptSlot, q.limit * 3)
    .all<{ id: string; articleIds: string; sentences: string; firstEdition: string | null }>();
  const seen = new Set<string>();
  const out: StoryMemory[] = [];
  for (const r of results) {
    if (seen.has(r.id) || out.length >= q.limit) continue;
    seen.add(r.id);
    try {
      const m: StoryMemory = { id: r.id, articleIds: JSON.parse(r.articleIds) as string[], sentences: JSON.parse(r.sentences) as string[] };
      if (r.firstEdition) m.firstEdition = r.firstEdition;
      out.push(m);
    } catch {
      // an unreadable row is forgotten
    }
  }
  return out;
}

/**
 * Built editions newest first, `limit` at a time; pass the last item's createdAt/id as `before`
 * for the next (older) page.
 * @example await listEditions(env.DB, { limit: 20 })
 */
export async function listEditions(
  db: D1Database,
  opts: { limit: number; before?: { createdAt: string; id: string } },
): Promise<ListedEdition[]> {
  const limit = Math.max(1, Math.min(100, Math.floor(opts.limit)));
  const cols = "id, title, edition_date AS date, created_at AS createdAt, digest_json";
  const stmt = opts.before
    ? db
        .prepare(
          `SELECT ${cols} FROM editions WHERE status = 'built' AND unpublished_at IS NULL AND (created_at < ?1 OR (created_at = ?1 AND id < ?2))
           ORDER BY created_at DESC, id DESC LIMIT ?3`,
        )
        .bind(opts.before.createdAt, opts.before.id, limit)
    : db
        .prepare(
          `SELECT ${cols} FROM editions WHERE status = 'built' AND unpublished_at IS NULL ORDER BY created_at DESC, id DESC LIMIT ?1`,
        )
        .bind(limit);
  const { results } = await stmt.all<Omit<EditionRow, "slot" | "articles_json">>();
  return results.map(({ digest_json, ...r }) => ({ ...r, digest: parseDigest(digest_json, r) }));
}

/** The SQL that reads an SendableEdition, for callers that put it in a batch with other statements. */
export function sendableEditionStatement(db: D1Database, id: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT id, send_id AS sendId, created_at AS createdAt, title, COALESCE(subject, title) AS subject, html, text
       FROM editions WHERE id = ? AND status = 'built'`,
    )
    .bind(id);
}

/**
 * A built edition's stored rendering, or null.
 * @example const e = await getSendableEdition(env.DB, "2026-11-23");
 */
export async function getSendableEdition(db: D1Database, id: string): Promise<SendableEdition | null> {
  return sendableEditionStatement(db, id).first<SendableEdition>();
}

/**
 * An edition or skipped slot by id, for the admin API.
 * @example const record = await getEditionRecord(env.DB, "skipped-2026-11-24T0700Z");
 */
export async function getEditionRecord(db: D1Database, id: string): Promise<EditionRecord | null> {
  const row = await db
    .prepare(
      `SELECT id, slot, status, skip_reason AS skipReason, title, edition_date AS date, created_at AS createdAt, story_ids AS storyIds
       FROM editions WHERE id = ?`,
    )
    .bind(id)
    .first<Omit<EditionRecord, "storyCount"> & { storyIds: string | null }>();
  if (!row) return null;
  const { storyIds, ...rest } = row;
  return { ...rest, storyCount: parseStoryIds(storyIds).length };
}

/** A stored list of story ids; an unreadable one reads as empty. */
function parseStoryIds(json: string | null): string[] {
  try {
    const parsed = JSON.parse(json ?? "[]") as unknown;
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/**
 * When a built edition was unpublished, or null (published, or no such edition).
 * @example if (await unpublishedAt(env.DB, id)) throw gone();
 */
export async function unpublishedAt(db: D1Database, id: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT unpublished_at AS at FROM editions WHERE id = ? AND status = 'built'")
    .bind(id)
    .first<{ at: string | null }>();
  return row?.at ?? null;
}

/**
 * Whether an edition's delivery has started (its fan-out row exists; delivery's store writes it,
 * this only reads): edits and deletion stop there.
 * @example if (await sendStarted(env.DB, "2026-11-23")) return { outcome: "started" };
 */
export async function sendStarted(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS one FROM fanouts WHERE edition_id = ?").bind(id).first()) !== null;
}

/**
 * Deletes an edition that never started sending (no fan-out row), with its memory and source
 * texts: its stories count as never sent. False when it started sending meanwhile, or is gone.
 * @example await deleteUnsentEdition(env.DB, "2026-11-23-2");
 */
export async function deleteUnsentEdition(db: D1Database, id: string): Promise<boolean> {
  const unsent = "NOT EXISTS (SELECT 1 FROM fanouts WHERE edition_id = ?1)";
  const [, , edition] = await db.batch([
    db.prepare(`DELETE FROM edition_stories WHERE edition_id = ?1 AND ${unsent}`).bind(id),
    db.prepare(`DELETE FROM edition_articles WHERE edition_id = ?1 AND ${unsent}`).bind(id),
    db.prepare(`DELETE FROM editions WHERE id = ?1 AND ${unsent}`).bind(id),
  ]);
  return edition!.meta.changes > 0;
}

/**
 * Takes a built edition off the web (its row, memory and delivery records stay). Idempotent:
 * returns when it was unpublished (the first time), or null for no such built edition.
 * @example await unpublishEdition(env.DB, "2026-11-23", new Date());
 */
export async function unpublishEdition(db: D1Database, id: string, now: Date): Promise<string | null> {
  const row = await db
    .prepare(
      `UPDATE editions SET unpublished_at = COALESCE(unpublished_at, ?2) WHERE id = ?1 AND status = 'built'
       RETURNING unpublished_at AS at`,
    )
    .bind(id, now.toISOString())
    .first<{ at: string }>();
  return row?.at ?? null;
}

/** What an edit before sending replaces in a built edition. */
export interface EditionEdit {
  subject: string;
  digest: Digest;
  storyIds: string[];
  contentHash: string;
  html: string;
  text: string;
  /** Stories dropped: forgotten by memory too (they were never sent). */
  droppedStoryIds: string[];
}

/**
 * Replaces a built edition's subject, digest and rendering while its delivery has not started
 * (no fan-out row), in one transaction. False when sending started meanwhile (or no such edition).
 * @example const ok = await updateUnsentEdition(env.DB, "2026-11-23", edit);
 */
export async function updateUnsentEdition(db: D1Database, id: string, e: EditionEdit): Promise<boolean> {
  const unsent = "NOT EXISTS (SELECT 1 FROM fanouts WHERE edition_id = ?1)";
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE editions SET subject = ?2, digest_json = ?3, story_ids = ?4, content_hash = ?5, html = ?6, text = ?7
         WHERE id = ?1 AND status = 'built' AND ${unsent}`,
      )
      .bind(id, e.subject, JSON.stringify(e.digest), JSON.stringify(e.storyIds), e.contentHash, e.html, e.text),
    db
      .prepare(`DELETE FROM edition_stories WHERE edition_id = ?1 AND story_id IN (SELECT value FROM json_each(?2)) AND ${unsent}`)
      .bind(id, JSON.stringify(e.droppedStoryIds)),
  ]);
  return update!.meta.changes > 0;
}

/**
 * What changes whenever an edition is built, edited, deleted or unpublished: a cache of what
 * depends on the editions keys on it.
 * @example await editionsVersion(env.DB) // "3|2026-11-23:ab12...:"
 */
export async function editionsVersion(db: D1Database): Promise<string> {
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS n, group_concat(id || ':' || COALESCE(content_hash, '') || ':' || COALESCE(unpublished_at, ''), ',') AS latest
       FROM (SELECT id, content_hash, unpublished_at FROM editions WHERE status = 'built' ORDER BY created_at DESC, id DESC LIMIT 3)`,
    )
    .first<{ n: number; latest: string | null }>();
  const total = await db.prepare("SELECT COUNT(*) AS n FROM editions").first<{ n: number }>();
  return `${total?.n ?? 0}|${row?.latest ?? ""}`;
}
