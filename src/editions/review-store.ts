// SQL for review before send: which editions wait for the operator's approval. An edition waits
// while it has a review row and no fan-out (sending it, by the operator or the deadline, creates
// the fan-out). Nothing else reads or writes edition_reviews.

export interface WaitingEdition {
  editionId: string;
  title: string;
  waitingSince: string;
  deadlineAt: string | null;
}

/**
 * Holds an edition for review (once; a second call changes nothing).
 * @example await holdEdition(env.DB, "2026-11-23", new Date(), null);
 */
export async function holdEdition(db: D1Database, editionId: string, now: Date, deadlineAt: Date | null): Promise<void> {
  await db
    .prepare("INSERT OR IGNORE INTO edition_reviews (edition_id, waiting_since, deadline_at) VALUES (?, ?, ?)")
    .bind(editionId, now.toISOString(), deadlineAt?.toISOString() ?? null)
    .run();
}

const WAITING = `FROM edition_reviews r JOIN editions e ON e.id = r.edition_id AND e.status = 'built'
  WHERE NOT EXISTS (SELECT 1 FROM fanouts f WHERE f.edition_id = r.edition_id)`;

/**
 * The editions waiting for approval, oldest first.
 * @example const waiting = await waitingEditions(env.DB);
 */
export async function waitingEditions(db: D1Database, limit = 50): Promise<WaitingEdition[]> {
  const { results } = await db
    .prepare(
      `SELECT r.edition_id AS editionId, e.title, r.waiting_since AS waitingSince, r.deadline_at AS deadlineAt ${WAITING}
       ORDER BY r.waiting_since LIMIT ?`,
    )
    .bind(limit)
    .all<WaitingEdition>();
  return results;
}

/**
 * Whether (and since when) one edition waits for approval, or null.
 * @example await waitingEdition(env.DB, "2026-11-23") // { waitingSince, deadlineAt, ... } | null
 */
export async function waitingEdition(db: D1Database, editionId: string): Promise<WaitingEdition | null> {
  return db
    .prepare(
      `SELECT r.edition_id AS editionId, e.title, r.waiting_since AS waitingSince, r.deadline_at AS deadlineAt ${WAITING} AND r.edition_id = ?`,
    )
    .bind(editionId)
    .first<WaitingEdition>();
}

/**
 * Waiting editions whose deadline has passed, marked as released by the deadline (each once).
 * @example for (const id of await releaseOverdue(env.DB, new Date())) await send(id);
 */
export async function releaseOverdue(db: D1Database, now: Date): Promise<string[]> {
  const { results } = await db
    .prepare(
      `UPDATE edition_reviews SET released_by = 'deadline'
       WHERE released_by IS NULL AND deadline_at IS NOT NULL AND deadline_at <= ?1
         AND NOT EXISTS (SELECT 1 FROM fanouts f WHERE f.edition_id = edition_reviews.edition_id)
       RETURNING edition_id AS editionId`,
    )
    .bind(now.toISOString())
    .all<{ editionId: string }>();
  return results.map((r) => r.editionId);
}
