// SQL for editions. Rows become Edition objects here; nothing else in the app writes SQL for them.
// The UNIQUE slot is what makes an edition build idempotent: whoever inserts first for a slot
// wins, every other run (a doubled cron, two at once, a retried admin call) reads that row back.
import type { Article, Digest } from "../digest/types";

/** What an edition id may look like (ids are dates like 2026-11-23, then 2026-11-23-2, ...). */
export const EDITION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

export interface EditionInput {
  slot: string;
  title: string;
  subject: string;
  /** YYYY-MM-DD. */
  date: string;
  contentHash: string;
  storyIds: string[];
  digest: Digest;
  articles: Article[];
  html: string;
  text: string;
  createdAt: string;
  /** Recorded on a forced build of a slot that had been skipped, so history keeps the reason. */
  skipReason?: string | null;
}

export interface EditionSummary {
  id: string;
  slot: string;
  title: string;
  date: string;
  createdAt: string;
}

/** What a slot holds: a built edition, or the record of why it was skipped. */
export interface SlotRecord {
  id: string;
  slot: string;
  status: "built" | "skipped";
  skipReason: string | null;
}

/** How many date-suffixed ids a day may have before we give up (editions are daily). */
const MAX_IDS_PER_DATE = 50;

/** The slot's record (built or skipped), or null when nothing ran for it yet. */
export async function getSlot(db: D1Database, slot: string): Promise<SlotRecord | null> {
  return db
    .prepare("SELECT id, slot, status, skip_reason AS skipReason FROM editions WHERE slot = ?")
    .bind(slot)
    .first<SlotRecord>();
}

/**
 * The first free URL id for an edition dated `date`: the date itself, then date-2, date-3...
 * A concurrent build may still take it first; insertEdition then reports the clash.
 * @example await freeEditionId(env.DB, "2026-11-23") // "2026-11-23" or "2026-11-23-2"
 */
export async function freeEditionId(db: D1Database, date: string): Promise<string> {
  const { results } = await db
    .prepare("SELECT id FROM editions WHERE id = ?1 OR id LIKE ?1 || '-%'")
    .bind(date)
    .all<{ id: string }>();
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
export async function insertEdition(db: D1Database, id: string, e: EditionInput): Promise<{ record: SlotRecord; created: boolean } | null> {
  // One transaction: drop a skipped record (force), insert unless the slot or id is taken,
  // then read what the slot holds now. INSERT OR IGNORE covers both UNIQUE(slot) and the id.
  const [, insert, read] = await db.batch([
    db.prepare("DELETE FROM editions WHERE slot = ? AND status = 'skipped'").bind(e.slot),
    db
      .prepare(
        `INSERT OR IGNORE INTO editions (id, slot, status, skip_reason, title, subject, edition_date, content_hash, story_ids,
           digest_json, articles_json, html, text, created_at)
         VALUES (?, ?, 'built', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        JSON.stringify(e.articles),
        e.html,
        e.text,
        e.createdAt,
      ),
    db.prepare("SELECT id, slot, status, skip_reason AS skipReason FROM editions WHERE slot = ?").bind(e.slot),
  ]);
  const record = (read!.results as SlotRecord[])[0];
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
export async function lastBuiltEdition(db: D1Database, exceptSlot: string): Promise<{ id: string; contentHash: string | null; storyIds: string[] } | null> {
  const row = await db
    .prepare(
      `SELECT id, content_hash AS contentHash, story_ids AS storyIds FROM editions
       WHERE status = 'built' AND slot != ? ORDER BY created_at DESC, id DESC LIMIT 1`,
    )
    .bind(exceptSlot)
    .first<{ id: string; contentHash: string | null; storyIds: string | null }>();
  if (!row) return null;
  let storyIds: string[] = [];
  try {
    const parsed = JSON.parse(row.storyIds ?? "[]") as unknown;
    if (Array.isArray(parsed)) storyIds = parsed.filter((x): x is string => typeof x === "string");
  } catch {
    // An unreadable list only weakens the "nothing new" check to the hash comparison.
  }
  return { id: row.id, contentHash: row.contentHash, storyIds };
}

/** A built edition as the web shows it (the stored email rendering is for sending only). */
export interface Edition extends EditionSummary {
  digest: Digest;
  articles: Article[];
}

interface EditionRow {
  id: string;
  slot: string;
  title: string;
  date: string;
  createdAt: string;
  digest_json: string;
  articles_json: string;
}

/**
 * One built edition by its URL id, or null.
 * @example const edition = await getEdition(env.DB, "2026-11-23");
 */
export async function getEdition(db: D1Database, id: string): Promise<Edition | null> {
  const row = await db
    .prepare(
      `SELECT id, slot, title, edition_date AS date, created_at AS createdAt, digest_json, articles_json
       FROM editions WHERE id = ? AND status = 'built'`,
    )
    .bind(id)
    .first<EditionRow>();
  if (!row) return null;
  return {
    id: row.id,
    slot: row.slot,
    title: row.title,
    date: row.date,
    createdAt: row.createdAt,
    digest: JSON.parse(row.digest_json) as Digest,
    articles: JSON.parse(row.articles_json) as Article[],
  };
}

/** What the queue consumer needs to send an edition: the stored rendering and its subject. */
export interface SendableEdition {
  id: string;
  /** Tells two editions with the same id apart (ids are only reused if rows are deleted). */
  createdAt: string;
  title: string;
  subject: string;
  html: string;
  text: string;
}

/** The SQL that reads a SendableEdition, for callers that put it in a batch with other statements. */
export function sendableEditionStatement(db: D1Database, id: string): D1PreparedStatement {
  return db
    .prepare(`SELECT id, created_at AS createdAt, title, COALESCE(subject, title) AS subject, html, text FROM editions WHERE id = ? AND status = 'built'`)
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
export async function getEditionRecord(
  db: D1Database,
  id: string,
): Promise<{ id: string; slot: string; status: string; skipReason: string | null; title: string; date: string; createdAt: string; storyCount: number } | null> {
  const row = await db
    .prepare(
      `SELECT id, slot, status, skip_reason AS skipReason, title, edition_date AS date, created_at AS createdAt, story_ids AS storyIds
       FROM editions WHERE id = ?`,
    )
    .bind(id)
    .first<{ id: string; slot: string; status: string; skipReason: string | null; title: string; date: string; createdAt: string; storyIds: string | null }>();
  if (!row) return null;
  let storyCount = 0;
  try {
    const ids = JSON.parse(row.storyIds ?? "[]") as unknown;
    storyCount = Array.isArray(ids) ? ids.length : 0;
  } catch {
    storyCount = 0;
  }
  const { storyIds: _ignored, ...rest } = row;
  return { ...rest, storyCount };
}
