// SQL for engagement (issue 22): the per-recipient rows (engagement_events), the per-edition
// counts a trigger keeps beside them (engagement_counts), and which editions' rows were folded
// away (engagement_editions). Nothing else reads or writes these tables. A recipient is found
// from the provider's email id through the edition's delivery rows, so no address is stored.

/** What a recipient did with an edition's mail, as counted. */
export type EngagementKind = "delivered" | "opened" | "clicked" | "bounced" | "complained";
export const ENGAGEMENT_KINDS: readonly EngagementKind[] = ["delivered", "opened", "clicked", "bounced", "complained"];

/** Longest link kept for the "most clicked" list; longer ones are cut (tracking parameters, mostly). */
export const MAX_LINK_CHARS = 500;

export interface EngagementEvent {
  /** The provider's email id: the delivery row that carried it names the edition and the reader. */
  providerId: string;
  kind: EngagementKind;
  /** For a click: the link clicked. */
  link?: string;
  at: Date;
}

/**
 * Records an event once per (edition, recipient, kind): a replay or a repeat (a second open)
 * inserts nothing. A click also records its link once per recipient. Returns whether it counted,
 * or "unknown" when no delivery carried that email id (a test send, a confirmation mail) and
 * "folded" when the edition's rows are past retention.
 * @example await recordEngagement(env.DB, { providerId: "re_123", kind: "opened", at: new Date() }) // "counted"
 */
export async function recordEngagement(db: D1Database, e: EngagementEvent): Promise<"counted" | "repeat" | "unknown" | "folded"> {
  const at = Math.floor(e.at.getTime() / 1000);
  const insert = (kind: string, link: string) =>
    db
      .prepare(
        `INSERT OR IGNORE INTO engagement_events (edition_id, subscriber_id, kind, link, at)
         SELECT d.edition_id, d.subscriber_id, ?2, ?3, ?4 FROM deliveries d
         WHERE d.provider_id = ?1 AND d.subscriber_id > 0
           AND NOT EXISTS (SELECT 1 FROM engagement_editions f WHERE f.edition_id = d.edition_id AND f.folded_at IS NOT NULL)
         LIMIT 1`,
      )
      .bind(e.providerId, kind, link, at);
  const statements = [insert(e.kind, "")];
  if (e.kind === "clicked" && e.link) statements.push(insert("link", e.link.slice(0, MAX_LINK_CHARS)));
  statements.push(
    db
      .prepare(
        `SELECT d.edition_id AS editionId, (SELECT folded_at FROM engagement_editions f WHERE f.edition_id = d.edition_id) AS foldedAt
         FROM deliveries d WHERE d.provider_id = ?1 AND d.subscriber_id > 0 LIMIT 1`,
      )
      .bind(e.providerId),
  );
  const results = await db.batch(statements);
  const found = (results[results.length - 1]!.results as Array<{ editionId: string; foldedAt: string | null }>)[0];
  if (!found) return "unknown";
  if (found.foldedAt) return "folded";
  return results[0]!.meta.changes > 0 ? "counted" : "repeat";
}

export interface Engagement {
  /** Unique recipients per kind. */
  counts: Record<EngagementKind, number>;
  /** The most clicked links, by unique recipients. */
  links: Array<{ url: string; recipients: number }>;
  /** Whether the per-recipient rows were folded away (retention) and when. */
  foldedAt: string | null;
}

/**
 * An edition's engagement: unique recipients per kind and its most clicked links.
 * @example const { counts } = await editionEngagement(env.DB, "2026-11-23"); counts.opened
 */
export async function editionEngagement(db: D1Database, editionId: string, topLinks = 10): Promise<Engagement> {
  const [kinds, links, folded] = await db.batch([
    db.prepare("SELECT kind, recipients FROM engagement_counts WHERE edition_id = ? AND kind <> 'link'").bind(editionId),
    db
      .prepare(
        `SELECT link AS url, recipients FROM engagement_counts WHERE edition_id = ? AND kind = 'link'
         ORDER BY recipients DESC, link LIMIT ?`,
      )
      .bind(editionId, topLinks),
    db.prepare("SELECT folded_at AS foldedAt FROM engagement_editions WHERE edition_id = ?").bind(editionId),
  ]);
  const counts = Object.fromEntries(ENGAGEMENT_KINDS.map((k) => [k, 0])) as Record<EngagementKind, number>;
  for (const r of kinds!.results as Array<{ kind: string; recipients: number }>) {
    if ((ENGAGEMENT_KINDS as readonly string[]).includes(r.kind)) counts[r.kind as EngagementKind] = r.recipients;
  }
  const foldedAt = (folded!.results as Array<{ foldedAt: string | null }>)[0]?.foldedAt ?? null;
  return { counts, links: links!.results as Array<{ url: string; recipients: number }>, foldedAt };
}

/**
 * A reader's history: per kind, how many editions (still within retention) it happened for.
 * @example await readerEngagement(env.DB, 7) // { delivered: 12, opened: 5, clicked: 1, bounced: 0, complained: 0 }
 */
export async function readerEngagement(db: D1Database, subscriberId: number): Promise<Record<EngagementKind, number>> {
  const { results } = await db
    .prepare("SELECT kind, COUNT(*) AS n FROM engagement_events WHERE subscriber_id = ? AND kind <> 'link' GROUP BY kind")
    .bind(subscriberId)
    .all<{ kind: string; n: number }>();
  const out = Object.fromEntries(ENGAGEMENT_KINDS.map((k) => [k, 0])) as Record<EngagementKind, number>;
  for (const r of results) if ((ENGAGEMENT_KINDS as readonly string[]).includes(r.kind)) out[r.kind as EngagementKind] = r.n;
  return out;
}

/**
 * Deletes an address's per-recipient rows (erasure; its ids merged away included); the editions'
 * counts keep them. The erasure runs it in its transaction, before the subscriber row goes.
 * @example eraseAddress(db, email, hash, now, (email) => [forgetEngagementStatement(db, email)]);
 */
export function forgetEngagementStatement(db: D1Database, email: string): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM engagement_events WHERE subscriber_id IN (
         SELECT id FROM subscribers WHERE email = ?1
         UNION SELECT a.id FROM subscriber_aliases a JOIN subscribers s ON s.id = a.subscriber_id WHERE s.email = ?1)`,
    )
    .bind(email);
}

/**
 * Folds editions whose first event is older than `before`: marks them folded and deletes up to
 * `maxRows` of their per-recipient rows (the counts stay). Called by the sweep; bounded per call,
 * so a large edition is cleared over a few runs. Returns the editions marked and the rows deleted.
 * @example await foldEngagement(env.DB, new Date(Date.now() - 90 * 86_400_000), new Date(), 20_000);
 */
export async function foldEngagement(
  db: D1Database,
  before: Date,
  now: Date,
  maxRows: number,
): Promise<{ editions: number; rows: number }> {
  const marked = await db
    .prepare(
      `UPDATE engagement_editions SET folded_at = ?2
       WHERE edition_id IN (SELECT edition_id FROM engagement_editions WHERE folded_at IS NULL AND first_at < ?1 LIMIT 20)`,
    )
    .bind(Math.floor(before.getTime() / 1000), now.toISOString())
    .run();
  // Rows of folded editions, a slice at a time (a subscriber range of one edition per statement).
  let rows = 0;
  for (let round = 0; round < 10 && rows < maxRows; round++) {
    const r = await db
      .prepare(
        `DELETE FROM engagement_events WHERE (edition_id, subscriber_id, kind, link) IN (
           SELECT e.edition_id, e.subscriber_id, e.kind, e.link FROM engagement_editions f
           JOIN engagement_events e ON e.edition_id = f.edition_id
           WHERE f.folded_at IS NOT NULL LIMIT ?1)`,
      )
      .bind(Math.min(5_000, maxRows - rows))
      .run();
    rows += r.meta.changes;
    if (r.meta.changes === 0) break;
  }
  return { editions: marked.meta.changes, rows };
}
