// Read-only SQL for the archive and the feed: pages of editions, newest first, with their digests.
// Editions are written by src/db/editions.ts; this module never writes.
import type { Digest } from "../digest/types";

export interface ArchivedEdition {
  id: string;
  title: string;
  date: string;
  createdAt: string;
  digest: Digest;
}

interface Row {
  id: string;
  title: string;
  date: string;
  createdAt: string;
  digest_json: string | null;
}

/**
 * Built editions newest first, `limit` at a time; pass the last item's createdAt/id as `before`
 * for the next (older) page.
 * @example await listEditions(env.DB, { limit: 20 })
 */
export async function listEditions(db: D1Database, opts: { limit: number; before?: { createdAt: string; id: string } }): Promise<ArchivedEdition[]> {
  const limit = Math.max(1, Math.min(100, Math.floor(opts.limit)));
  const cols = "id, title, edition_date AS date, created_at AS createdAt, digest_json";
  const stmt = opts.before
    ? db
        .prepare(
          `SELECT ${cols} FROM editions WHERE status = 'built' AND (created_at < ?1 OR (created_at = ?1 AND id < ?2))
           ORDER BY created_at DESC, id DESC LIMIT ?3`,
        )
        .bind(opts.before.createdAt, opts.before.id, limit)
    : db.prepare(`SELECT ${cols} FROM editions WHERE status = 'built' ORDER BY created_at DESC, id DESC LIMIT ?1`).bind(limit);
  const { results } = await stmt.all<Row>();
  return results.map((r) => ({
    id: r.id,
    title: r.title,
    date: r.date,
    createdAt: r.createdAt,
    digest: parseDigest(r.digest_json, r),
  }));
}

/** A stored digest, or an empty one if the row's JSON is missing or unreadable (never a 500). */
function parseDigest(json: string | null, r: Row): Digest {
  try {
    const d = JSON.parse(json ?? "") as Digest;
    if (d && Array.isArray(d.stories)) return d;
  } catch {
    // fall through
  }
  return { title: r.title, date: r.date, stories: [] };
}
