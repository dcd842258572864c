// SQL for the provider's webhook events (mail_events; nothing else writes it): each event is
// recorded once by its webhook id, and a suppressing one (a permanent bounce, a complaint)
// changes its recipients' status in the same transaction, through the subscribers' store. No
// address is stored with an event: the subscriber id and the edition suffice.
import { suppressForEventStatement } from "../subscriptions/store";

export interface MailEvent {
  webhookId: string;
  type: string;
  bounceType: string | null;
  /** The status the recipients get: 'bounced', 'complained', or null (recorded only). */
  suppressAs: "bounced" | "complained" | null;
  recipients: string[];
  providerId: string | null;
  receivedAt: Date;
}

/**
 * Records an event once and applies it. `applied` is false for a replay (the id was seen
 * before): nothing changes then. The status change is tied to this very insert by a random
 * token, so a replay that races the first delivery cannot apply it twice either.
 * @example const { applied, suppressed } = await recordMailEvent(env.DB, event);
 */
export async function recordMailEvent(db: D1Database, e: MailEvent): Promise<{ applied: boolean; suppressed: number }> {
  const token = crypto.randomUUID();
  const iso = e.receivedAt.toISOString();
  const to = JSON.stringify(e.recipients);
  const statements = [
    db
      .prepare(
        `INSERT OR IGNORE INTO mail_events
           (webhook_id, type, bounce_type, suppressed, subscriber_id, edition_id, provider_id, apply_token, received_at)
         VALUES (?1, ?2, ?3, ?4,
           (SELECT id FROM subscribers WHERE email IN (SELECT value FROM json_each(?5)) ORDER BY id LIMIT 1),
           (SELECT edition_id FROM deliveries WHERE provider_id = ?6 LIMIT 1), ?6, ?7, ?8)`,
      )
      .bind(e.webhookId, e.type, e.bounceType, e.suppressAs ? 1 : 0, to, e.providerId, token, iso),
  ];
  if (e.suppressAs) {
    // The subscribers' own store suppresses them, in this transaction, tied to this very insert.
    statements.push(
      suppressForEventStatement(db, { recipients: to, status: e.suppressAs, at: iso, webhookId: e.webhookId, applyToken: token }),
    );
  }
  const [insert, update] = await db.batch(statements);
  return { applied: insert!.meta.changes > 0, suppressed: update?.meta.changes ?? 0 };
}

export interface EditionMailEvents {
  /** Permanent bounces: those readers are suppressed. */
  bounced: number;
  complained: number;
  /** Transient or undetermined bounces: recorded, not suppressed. */
  softBounced: number;
  delayed: number;
}

/**
 * What the provider reported back about an edition's mails.
 * @example const { bounced, complained } = await editionMailEvents(env.DB, "2026-11-23");
 */
export async function editionMailEvents(db: D1Database, editionId: string): Promise<EditionMailEvents> {
  const { results } = await db
    .prepare("SELECT type, suppressed, COUNT(*) AS n FROM mail_events WHERE edition_id = ? GROUP BY type, suppressed")
    .bind(editionId)
    .all<{ type: string; suppressed: number; n: number }>();
  const counts: EditionMailEvents = { bounced: 0, complained: 0, softBounced: 0, delayed: 0 };
  for (const r of results) {
    if (r.type === "email.bounced") counts[r.suppressed ? "bounced" : "softBounced"] += r.n;
    else if (r.type === "email.complained") counts.complained += r.n;
    else if (r.type === "email.delivery_delayed") counts.delayed += r.n;
  }
  return counts;
}

/**
 * Deletes webhook ids received before `before` (retention): a replay that old is past any
 * provider retry, and the engagement counts do not need them. A bounded slice per call.
 * @example await pruneMailEvents(env.DB, new Date(Date.now() - 90 * 86_400_000));
 */
export async function pruneMailEvents(db: D1Database, before: Date): Promise<number> {
  const r = await db
    .prepare("DELETE FROM mail_events WHERE webhook_id IN (SELECT webhook_id FROM mail_events WHERE received_at < ? LIMIT 5000)")
    .bind(before.toISOString())
    .run();
  return r.meta.changes;
}

/**
 * Forgets which subscriber an address's events were about (the subscription's erasure runs it
 * in its transaction, before the subscriber row goes).
 * @example eraseAddress(db, email, hash, now, (email) => [forgetEventsStatement(db, email)]);
 */
export function forgetEventsStatement(db: D1Database, email: string): D1PreparedStatement {
  return db
    .prepare("UPDATE mail_events SET subscriber_id = NULL WHERE subscriber_id IN (SELECT id FROM subscribers WHERE email = ?1)")
    .bind(email);
}
