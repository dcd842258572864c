// SQL for editions. Rows become Edition objects here; nothing else in the app writes SQL for them.
import type { Article, Digest } from "../digest/types";

export interface EditionInput {
  id: string;
  slot: string;
  title: string;
  date: string;
  contentHash: string;
  digest: Digest;
  articles: Article[];
  html: string;
  text: string;
  createdAt: string;
}

export interface EditionSummary {
  id: string;
  slot: string;
  title: string;
  date: string;
  createdAt: string;
}

/**
 * Stores a built edition unless its slot already has one; returns the slot's edition id either way.
 * The UNIQUE slot makes a doubled or concurrent cron run a no-op.
 */
export async function insertEdition(db: D1Database, e: EditionInput): Promise<{ id: string; created: boolean }> {
  const res = await db
    .prepare(
      `INSERT INTO editions (id, slot, status, title, edition_date, content_hash, digest_json, articles_json, html, text, created_at)
       VALUES (?, ?, 'built', ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slot) DO NOTHING`,
    )
    .bind(e.id, e.slot, e.title, e.date, e.contentHash, JSON.stringify(e.digest), JSON.stringify(e.articles), e.html, e.text, e.createdAt)
    .run();
  const row = await db.prepare("SELECT id FROM editions WHERE slot = ?").bind(e.slot).first<{ id: string }>();
  return { id: row!.id, created: res.meta.changes > 0 };
}

export async function latestEditions(db: D1Database, limit: number): Promise<EditionSummary[]> {
  const { results } = await db
    .prepare(
      `SELECT id, slot, title, edition_date AS date, created_at AS createdAt FROM editions
       WHERE status = 'built' ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .bind(limit)
    .all<EditionSummary>();
  return results;
}

export interface Edition extends EditionSummary {
  digest: Digest;
  articles: Article[];
  html: string;
  text: string;
}

interface EditionRow {
  id: string;
  slot: string;
  title: string;
  date: string;
  createdAt: string;
  digest_json: string;
  articles_json: string;
  html: string;
  text: string;
}

/** One built edition by its URL id, or null. */
export async function getEdition(db: D1Database, id: string): Promise<Edition | null> {
  const row = await db
    .prepare(
      `SELECT id, slot, title, edition_date AS date, created_at AS createdAt, digest_json, articles_json, html, text
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
    html: row.html,
    text: row.text,
  };
}
