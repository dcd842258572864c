// SQL for subscribers: the double opt-in state machine (pending -> active -> unsubscribed, and
// bounced or complained from the provider's webhooks), the consent record, the confirmation
// cooldown and weekly cap per canonical mailbox (mailbox_caps) and the hourly budget
// (confirmation_budget), suppressions, erasure, the pending purge, import and export. Each
// change is one conditional statement or one batch (a transaction), so concurrent requests
// cannot half-apply it or send a confirmation twice. Addresses compare case-insensitively (the
// column is COLLATE NOCASE), and ids are never reused (AUTOINCREMENT, migration 0005).

export type SubscriberStatus = "pending" | "active" | "unsubscribed" | "bounced" | "complained";
export const SUBSCRIBER_STATUSES: readonly SubscriberStatus[] = ["pending", "active", "unsubscribed", "bounced", "complained"];
/** Statuses no import, and no mail but a confirmation the person asks for, may change. */
export const SUPPRESSED: readonly SubscriberStatus[] = ["unsubscribed", "bounced", "complained"];

export interface Subscriber {
  id: number;
  email: string;
  status: SubscriberStatus;
  source: string;
  requestedAt: string;
  requestPage: string | null;
  consentAt: string | null;
  consentPage: string | null;
  confirmNonce: string | null;
  lastConfirmationSentAt: string | null;
  confirmationsSent: number;
  createdAt: string;
  updatedAt: string;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
  unsubscribeMethod: string | null;
}

const columns = `id, email, status, source, requested_at AS requestedAt, request_page AS requestPage,
  consent_at AS consentAt, consent_page AS consentPage, confirm_nonce AS confirmNonce,
  last_confirmation_sent_at AS lastConfirmationSentAt, confirmations_sent AS confirmationsSent,
  created_at AS createdAt, updated_at AS updatedAt, confirmed_at AS confirmedAt,
  unsubscribed_at AS unsubscribedAt, unsubscribe_method AS unsubscribeMethod`;

export interface SignupRequest {
  email: string;
  source: string;
  requestPage: string | null;
  now: Date;
  /** Confirmation mails to one mailbox are at least this far apart. */
  cooldownMs: number;
  /** Used when the address has no live nonce (new, or re-subscribing after leaving). */
  nonce: string;
  /** At most this many confirmation mails to one mailbox in a week (7 days from the first). */
  weeklyCap: number;
  /** SHA-256 of the canonical mailbox (canonicalMailbox): what the cooldown and the cap key on. */
  mailboxHash: string;
  /** SHA-256 of the lowercased address: its suppression entry, if any. */
  addressHash: string;
}

/**
 * Records a signup request and claims the right to send one confirmation mail. Returns the
 * subscriber id and nonce to put in the link, or null when no mail should go out: the address is
 * active, bounced or complained (by its row or its suppression entry), or its mailbox was mailed
 * within the cooldown or reached the weekly cap. One transaction decides it: the mailbox's claim
 * first, then the subscriber row, written only by the request holding that claim, so of many
 * concurrent requests for one mailbox exactly one gets it. The row's status never changes here:
 * a new address comes in pending; an unsubscribed (or erased, or file-suppressed) one stays out
 * (a row 'unsubscribed' with a live nonce) until the reader confirms from the mail.
 * @example const claim = await claimConfirmation(env.DB, { email, source: "landing", requestPage: null, now, cooldownMs: 600_000, nonce, weeklyCap: 3, mailboxHash, addressHash });
 */
export async function claimConfirmation(db: D1Database, r: SignupRequest): Promise<{ id: number; nonce: string; sentAt: string } | null> {
  const now = r.now.toISOString();
  const cutoff = new Date(r.now.getTime() - r.cooldownMs).toISOString();
  const weekAgo = new Date(r.now.getTime() - WEEK_MS).toISOString();
  const claim = crypto.randomUUID();
  const claimed = "EXISTS (SELECT 1 FROM mailbox_caps WHERE mailbox_hash = ?9 AND claim = ?10)";
  const [, row] = await db.batch<{ id: number; nonce: string; sentAt: string }>([
    db
      .prepare(
        `INSERT INTO mailbox_caps (mailbox_hash, last_sent_at, week_started_at, week_count, claim)
         SELECT ?9, ?3, ?3, 1, ?10
         WHERE NOT EXISTS (SELECT 1 FROM subscribers WHERE email = ?1 AND status IN ('active', 'bounced', 'complained'))
           AND NOT EXISTS (SELECT 1 FROM suppressions WHERE email_hash = ?11 AND reason IN ('bounced', 'complained'))
         ON CONFLICT (mailbox_hash) DO UPDATE SET
           last_sent_at = excluded.last_sent_at,
           claim = excluded.claim,
           -- A week starts with its first mail; a new one when that is 7 days old.
           week_count = CASE WHEN mailbox_caps.week_started_at <= ?7 THEN 1 ELSE mailbox_caps.week_count + 1 END,
           week_started_at = CASE WHEN mailbox_caps.week_started_at <= ?7 THEN excluded.week_started_at ELSE mailbox_caps.week_started_at END
         WHERE mailbox_caps.last_sent_at <= ?6 AND (mailbox_caps.week_started_at <= ?7 OR mailbox_caps.week_count < ?8)`,
      )
      .bind(r.email, r.source, now, r.requestPage, r.nonce, cutoff, weekAgo, r.weeklyCap, r.mailboxHash, claim, r.addressHash),
    db
      .prepare(
        `INSERT INTO subscribers (email, status, source, requested_at, request_page, confirm_nonce, last_confirmation_sent_at,
           confirmations_sent, created_at, updated_at, week_started_at, week_confirmations, unsubscribe_method)
         SELECT ?1, CASE WHEN k.reason IS NULL THEN 'pending' ELSE 'unsubscribed' END, ?2, ?3, ?4, ?5, ?3, 1, ?3, ?3, ?3, 1,
           CASE WHEN k.reason IS NULL THEN NULL ELSE 'suppression' END
         FROM (SELECT (SELECT reason FROM suppressions WHERE email_hash = ?11) AS reason) AS k
         WHERE ${claimed}
         ON CONFLICT (email) DO UPDATE SET
           -- A live nonce is kept, so every link still in the inbox keeps working.
           confirm_nonce = COALESCE(subscribers.confirm_nonce, excluded.confirm_nonce),
           source = excluded.source,
           requested_at = excluded.requested_at,
           request_page = excluded.request_page,
           last_confirmation_sent_at = excluded.last_confirmation_sent_at,
           confirmations_sent = subscribers.confirmations_sent + 1,
           updated_at = excluded.updated_at,
           week_confirmations = CASE WHEN subscribers.week_started_at IS NULL OR subscribers.week_started_at <= ?7
                                     THEN 1 ELSE subscribers.week_confirmations + 1 END,
           week_started_at = CASE WHEN subscribers.week_started_at IS NULL OR subscribers.week_started_at <= ?7
                                  THEN excluded.requested_at ELSE subscribers.week_started_at END
         WHERE subscribers.status IN ('pending', 'unsubscribed') AND ${claimed}
         RETURNING id, confirm_nonce AS nonce, last_confirmation_sent_at AS sentAt`,
      )
      .bind(r.email, r.source, now, r.requestPage, r.nonce, cutoff, weekAgo, r.weeklyCap, r.mailboxHash, claim, r.addressHash),
  ]);
  return row!.results[0] ?? null;
}

/**
 * Gives a claim back after the confirmation mail could not be enqueued, so the person can try
 * again at once instead of waiting out a cooldown for a mail that never left.
 */
export async function releaseConfirmation(db: D1Database, id: number, sentAt: string, mailboxHash: string): Promise<void> {
  await db.batch([
    db
      .prepare(
        `UPDATE subscribers SET last_confirmation_sent_at = NULL, confirmations_sent = confirmations_sent - 1
         WHERE id = ? AND last_confirmation_sent_at = ?`,
      )
      .bind(id, sentAt),
    db
      .prepare(`UPDATE mailbox_caps SET last_sent_at = '', week_count = MAX(week_count - 1, 0) WHERE mailbox_hash = ? AND last_sent_at = ?`)
      .bind(mailboxHash, sentAt),
  ]);
}

const WEEK_MS = 7 * 24 * 3_600_000;

/** One subscriber by id, or null. */
export async function getSubscriber(db: D1Database, id: number): Promise<Subscriber | null> {
  return db.prepare(`SELECT ${columns} FROM subscribers WHERE id = ?`).bind(id).first<Subscriber>();
}

/**
 * The subscriber an old link's id names: the id itself, or the subscriber it was merged into
 * (migration 0005 merged case duplicates), or null when neither exists (erased).
 * @example const subscriber = await subscriberForLink(env.DB, 42);
 */
export async function subscriberForLink(db: D1Database, id: number): Promise<Subscriber | null> {
  return db
    .prepare(`SELECT ${columns} FROM subscribers WHERE id = COALESCE((SELECT subscriber_id FROM subscriber_aliases WHERE id = ?1), ?1)`)
    .bind(id)
    .first<Subscriber>();
}

/** One subscriber by address (any case), or null. */
export async function findSubscriberByEmail(db: D1Database, email: string): Promise<Subscriber | null> {
  return db.prepare(`SELECT ${columns} FROM subscribers WHERE email = ?`).bind(email).first<Subscriber>();
}

export type ConfirmOutcome = "confirmed" | "already-active" | "used" | "not-found";

/**
 * Activates a pending subscriber, or brings back an unsubscribed one who asked for this mail, if
 * the link's nonce is still the live one, and records the consent. Clearing the nonce in the same
 * statement makes the link single-use. The reader's own confirmation lifts an erasure's or an
 * unsubscribe's suppression entry (never a bounce's or a complaint's: those rows get no link).
 * @example await confirmSubscriber(env.DB, { id, nonce, now: new Date(), consentPage: url }, (email) => addressHash(email))
 */
export async function confirmSubscriber(
  db: D1Database,
  c: { id: number; nonce: string; now: Date; consentPage: string },
  hashOf: (email: string) => Promise<string>,
): Promise<ConfirmOutcome> {
  const now = c.now.toISOString();
  const done = await db
    .prepare(
      `UPDATE subscribers SET status = 'active', confirm_nonce = NULL, confirmed_at = ?1, consent_at = ?1,
         consent_page = ?2, updated_at = ?1,
         unsubscribe_method = CASE WHEN unsubscribe_method = 'suppression' THEN NULL ELSE unsubscribe_method END
       WHERE id = ?3 AND status IN ('pending', 'unsubscribed') AND confirm_nonce = ?4
       RETURNING id, email`,
    )
    .bind(now, c.consentPage, c.id, c.nonce)
    .first<{ id: number; email: string }>();
  if (done) {
    await db
      .prepare("DELETE FROM suppressions WHERE email_hash = ? AND reason IN ('erased', 'unsubscribed')")
      .bind(await hashOf(done.email))
      .run();
    return "confirmed";
  }
  const current = await getSubscriber(db, c.id);
  if (!current) return "not-found";
  return current.status === "active" ? "already-active" : "used";
}

export type UnsubscribeOutcome = "unsubscribed" | "already" | "not-found";

/**
 * Unsubscribes at once. Repeating it changes nothing (a mail client may POST twice).
 * @example await unsubscribeSubscriber(env.DB, { id, method: "one-click", now: new Date() })
 */
export async function unsubscribeSubscriber(
  db: D1Database,
  u: { id: number; method: "one-click" | "page"; now: Date },
): Promise<UnsubscribeOutcome> {
  const now = u.now.toISOString();
  // An old link of a merged duplicate acts on the subscriber it was merged into; a bounced or
  // complained address is already out of every send, and stays as the provider reported it.
  const done = await db
    .prepare(
      `UPDATE subscribers SET status = 'unsubscribed', confirm_nonce = NULL, unsubscribed_at = ?1,
         unsubscribe_method = ?2, updated_at = ?1
       WHERE id = COALESCE((SELECT subscriber_id FROM subscriber_aliases WHERE id = ?3), ?3) AND status IN ('pending', 'active')
       RETURNING id`,
    )
    .bind(now, u.method, u.id)
    .first<{ id: number }>();
  if (done) return "unsubscribed";
  return (await subscriberForLink(db, u.id)) ? "already" : "not-found";
}

/** How many subscribers have each status (every status present, zero when none). */
export async function countByStatus(db: D1Database): Promise<Record<SubscriberStatus, number>> {
  const { results } = await db
    .prepare("SELECT status, COUNT(*) AS n FROM subscribers GROUP BY status")
    .all<{ status: SubscriberStatus; n: number }>();
  const counts = Object.fromEntries(SUBSCRIBER_STATUSES.map((s) => [s, 0])) as Record<SubscriberStatus, number>;
  for (const r of results) counts[r.status] = r.n;
  return counts;
}

/**
 * Subscribers whose address contains `q` (any case), optionally of one status, newest first.
 * @example const rows = await searchSubscribers(env.DB, { q: "example.com", status: "active", limit: 50 });
 */
export async function searchSubscribers(
  db: D1Database,
  f: { q?: string; status?: SubscriberStatus; limit: number },
): Promise<Subscriber[]> {
  // LIKE is case-insensitive for ASCII; the pattern's own % and _ are escaped.
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : null;
  const { results } = await db
    .prepare(
      `SELECT ${columns} FROM subscribers
       WHERE (?1 IS NULL OR email LIKE ?1 ESCAPE '\\') AND (?2 IS NULL OR status = ?2)
       ORDER BY id DESC LIMIT ?3`,
    )
    .bind(like, f.status ?? null, f.limit)
    .all<Subscriber>();
  return results;
}

/** Every subscriber in id order, for the CSV export (a page at a time). */
export async function exportPage(db: D1Database, afterId: number, limit: number): Promise<Subscriber[]> {
  const { results } = await db
    .prepare(`SELECT ${columns} FROM subscribers WHERE id > ? ORDER BY id LIMIT ?`)
    .bind(afterId, limit)
    .all<Subscriber>();
  return results;
}

/**
 * Erases an address: its subscriber row and merged ids go, and a hash of it is kept as a
 * suppression so an import cannot bring it back. One transaction, with the other tables' own
 * statements (`alongside`: delivery rows, outbox copies, provider events; src/jobs/erase.ts),
 * whose changes come back in their order.
 * @example const { erased } = await eraseAddress(env.DB, "ann@example.com", await addressHash("ann@example.com"), new Date());
 */
export async function eraseAddress(
  db: D1Database,
  email: string,
  emailHash: string,
  now: Date,
  alongside: (email: string, now: Date) => D1PreparedStatement[] = () => [],
): Promise<{ erased: boolean; alongside: number[] }> {
  const iso = now.toISOString();
  const ids = "SELECT id FROM subscribers WHERE email = ?1";
  const others = alongside(email, now);
  const results = await db.batch([
    // A bounce or a complaint outlives the row: the hash keeps its reason, so no signup mails it.
    db
      .prepare(
        `INSERT INTO suppressions (email_hash, reason, created_at)
         VALUES (?1, COALESCE((SELECT status FROM subscribers WHERE email = ?2 AND status IN ('bounced', 'complained')), 'erased'), ?3)
         ON CONFLICT (email_hash) DO UPDATE SET reason = excluded.reason WHERE excluded.reason IN ('bounced', 'complained')`,
      )
      .bind(emailHash, email, iso),
    // Before the subscriber row goes: the other features' statements find its id by the address.
    ...others,
    db.prepare(`DELETE FROM subscriber_aliases WHERE subscriber_id IN (${ids})`).bind(email),
    db.prepare("DELETE FROM subscribers WHERE email = ?1").bind(email),
  ]);
  const changes = results.map((r) => r.meta.changes);
  return { erased: changes[changes.length - 1]! > 0, alongside: changes.slice(1, 1 + others.length) };
}

/**
 * Stores unsubscribe tokens signed for subscribers, with the signing key's id (reused by every
 * later edition); delivery batches it with its own rows' tokens.
 * @example db.batch([deliveryTokens, subscriberTokensStatement(db, JSON.stringify([[deliveryId, subscriberId, token]]), kid)]);
 */
export function subscriberTokensStatement(db: D1Database, json: string, kid: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE subscribers
       SET unsubscribe_token = (SELECT json_extract(value, '$[2]') FROM json_each(?1) WHERE json_extract(value, '$[1]') = subscribers.id),
         unsubscribe_kid = ?2
       WHERE id IN (SELECT json_extract(value, '$[1]') FROM json_each(?1))`,
    )
    .bind(json, kid);
}

/**
 * Suppresses the subscribers a provider event names ('bounced' or 'complained'), only if the
 * event row `webhookId` holds `applyToken` (so a replayed event applies nothing). A complaint is
 * never softened to a bounce. The webhooks store batches it with the event's insert.
 * @example db.batch([insertEvent, suppressForEventStatement(db, { recipients, status: "bounced", at, webhookId, applyToken })]);
 */
export function suppressForEventStatement(
  db: D1Database,
  e: { recipients: string; status: "bounced" | "complained"; at: string; webhookId: string; applyToken: string },
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE subscribers SET status = ?2, suppressed_at = ?3, suppressed_reason = ?2, confirm_nonce = NULL, updated_at = ?3
       WHERE email IN (SELECT value FROM json_each(?1)) AND status <> 'complained' AND status <> ?2
         AND EXISTS (SELECT 1 FROM mail_events WHERE webhook_id = ?4 AND apply_token = ?5)`,
    )
    .bind(e.recipients, e.status, e.at, e.webhookId, e.applyToken);
}

/**
 * Pending rows whose last request is older than `before`: never-confirmed ones are deleted;
 * one that had consented before (and asked again) goes back to how it ended. Returns counts.
 * @example await purgePending(env.DB, new Date(Date.now() - 7 * 86_400_000), new Date());
 */
export async function purgePending(db: D1Database, before: Date, now: Date): Promise<{ deleted: number; restored: number }> {
  const cut = before.toISOString();
  const [, deleted, restored, , , expired] = await db.batch([
    db
      .prepare(
        `DELETE FROM subscriber_aliases WHERE subscriber_id IN
           (SELECT id FROM subscribers WHERE status = 'pending' AND requested_at < ? AND consent_at IS NULL)`,
      )
      .bind(cut),
    db.prepare("DELETE FROM subscribers WHERE status = 'pending' AND requested_at < ? AND consent_at IS NULL").bind(cut),
    db
      .prepare(
        `UPDATE subscribers SET status = COALESCE(suppressed_reason, 'unsubscribed'), confirm_nonce = NULL, updated_at = ?2
         WHERE status = 'pending' AND requested_at < ?1 AND consent_at IS NOT NULL`,
      )
      .bind(cut, now.toISOString()),
    // Caps and budget hours past their week (or day) hold nothing any more.
    db.prepare("DELETE FROM mailbox_caps WHERE week_started_at < ?1 AND last_sent_at < ?1").bind(cut),
    db.prepare("DELETE FROM confirmation_budget WHERE hour < ?").bind(new Date(now.getTime() - 86_400_000).toISOString().slice(0, 13)),
    // A request for an erased or file-suppressed address left a row only for its confirmation
    // mail: unconfirmed, it goes again (the suppression entry stays).
    db
      .prepare("DELETE FROM subscribers WHERE status = 'unsubscribed' AND unsubscribe_method = 'suppression' AND requested_at < ?")
      .bind(cut),
  ]);
  return { deleted: deleted!.meta.changes + expired!.meta.changes, restored: restored!.meta.changes };
}

/** Which of these address hashes are kept as suppressions (erased or suppressed before), with their reasons. */
export async function suppressedHashes(db: D1Database, hashes: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < hashes.length; i += 500) {
    const { results } = await db
      .prepare("SELECT email_hash AS h, reason FROM suppressions WHERE email_hash IN (SELECT value FROM json_each(?))")
      .bind(JSON.stringify(hashes.slice(i, i + 500)))
      .all<{ h: string; reason: string }>();
    for (const r of results) found.set(r.h, r.reason);
  }
  return found;
}

/** The current rows of these addresses (any case), keyed by lowercased address. */
export async function subscribersByEmail(db: D1Database, emails: string[]): Promise<Map<string, Subscriber>> {
  const found = new Map<string, Subscriber>();
  for (let i = 0; i < emails.length; i += 500) {
    const { results } = await db
      .prepare(`SELECT ${columns} FROM subscribers WHERE email IN (SELECT value FROM json_each(?))`)
      .bind(JSON.stringify(emails.slice(i, i + 500)))
      .all<Subscriber>();
    for (const r of results) found.set(r.email.toLowerCase(), r);
  }
  return found;
}

/** One change an import makes. */
export type ImportChange =
  | { kind: "add-active"; email: string; consentAt: string; consentPage: string | null }
  | { kind: "add-pending"; email: string; nonce: string }
  /** The file says the reader left (or bounced, or complained): the row follows, and the hash is kept. */
  | { kind: "suppress"; email: string; emailHash: string; status: "unsubscribed" | "bounced" | "complained" };

/**
 * Applies an import's changes in one transaction; every statement is guarded so that a row
 * that became suppressed (or appeared) since the plan was made is left alone: an insert never
 * replaces a row, and no statement here activates an existing one. Returns the ids and nonces of
 * the pending rows added, for their confirmation mails.
 * @example const pending = await applyImport(env.DB, changes, new Date());
 */
export async function applyImport(db: D1Database, changes: ImportChange[], now: Date): Promise<Array<{ id: number; nonce: string }>> {
  if (changes.length === 0) return [];
  const iso = now.toISOString();
  const statements = changes.flatMap((c) => {
    if (c.kind === "add-active") {
      return [
        db
          .prepare(
            `INSERT INTO subscribers (email, status, source, requested_at, consent_at, consent_page, confirmed_at, created_at, updated_at)
             VALUES (?1, 'active', 'import', ?2, ?3, ?4, ?3, ?2, ?2)
             ON CONFLICT (email) DO NOTHING RETURNING id, NULL AS nonce`,
          )
          .bind(c.email, iso, c.consentAt, c.consentPage),
      ];
    }
    if (c.kind === "add-pending") {
      return [
        db
          .prepare(
            `INSERT INTO subscribers (email, status, source, requested_at, confirm_nonce, last_confirmation_sent_at, confirmations_sent,
               created_at, updated_at, week_started_at, week_confirmations)
             VALUES (?1, 'pending', 'import', ?2, ?3, ?2, 1, ?2, ?2, ?2, 1)
             ON CONFLICT (email) DO NOTHING RETURNING id, confirm_nonce AS nonce`,
          )
          .bind(c.email, iso, c.nonce),
      ];
    }
    return [
      db
        .prepare(
          `INSERT INTO suppressions (email_hash, reason, created_at) VALUES (?1, ?2, ?3)
           ON CONFLICT (email_hash) DO UPDATE SET reason = excluded.reason WHERE excluded.reason IN ('bounced', 'complained')
           RETURNING NULL AS id, NULL AS nonce`,
        )
        .bind(c.emailHash, c.status, iso),
      db
        .prepare(
          `UPDATE subscribers SET status = ?2, confirm_nonce = NULL, updated_at = ?3,
             unsubscribed_at = CASE WHEN ?2 = 'unsubscribed' THEN ?3 ELSE unsubscribed_at END,
             unsubscribe_method = CASE WHEN ?2 = 'unsubscribed' THEN 'import' ELSE unsubscribe_method END,
             suppressed_at = CASE WHEN ?2 = 'unsubscribed' THEN suppressed_at ELSE ?3 END,
             suppressed_reason = CASE WHEN ?2 = 'unsubscribed' THEN suppressed_reason ELSE ?2 END
           WHERE email = ?1 AND status IN ('pending', 'active')
           RETURNING NULL AS id, NULL AS nonce`,
        )
        .bind(c.email, c.status, iso),
    ];
  });
  const results = await db.batch<{ id: number | null; nonce: string | null }>(statements);
  return results.flatMap((r) => r.results).filter((r): r is { id: number; nonce: string } => r.id !== null && r.nonce !== null);
}

/**
 * Lifts a bounce or a complaint, an operator's explicit decision: the row becomes 'unsubscribed'
 * (the reader may then ask for a confirmation mail and opt in again; nothing is sent by this) and
 * the address's bounced or complained suppression entry goes. Returns the status lifted, or null.
 * @example await liftSuppression(env.DB, "ann@example.com", await addressHash("ann@example.com"), new Date());
 */
export async function liftSuppression(
  db: D1Database,
  email: string,
  emailHash: string,
  now: Date,
): Promise<{ lifted: "bounced" | "complained" | null; entry: boolean }> {
  const iso = now.toISOString();
  const [row, entry] = await db.batch<{ was: "bounced" | "complained" }>([
    db
      .prepare(
        `UPDATE subscribers SET status = 'unsubscribed', updated_at = ?2, unsubscribed_at = COALESCE(unsubscribed_at, ?2),
           unsubscribe_method = COALESCE(unsubscribe_method, 'lifted')
         WHERE email = ?1 AND status IN ('bounced', 'complained')
         RETURNING suppressed_reason AS was`,
      )
      .bind(email, iso),
    db.prepare("DELETE FROM suppressions WHERE email_hash = ? AND reason IN ('bounced', 'complained')").bind(emailHash),
  ]);
  return { lifted: row!.results[0]?.was ?? null, entry: entry!.meta.changes > 0 };
}

/**
 * Reserves one confirmation mail in the global hourly budget: this hour when it has room, else
 * the first later hour (of `hoursAhead`) that has. Returns the hour's start, or null when all are full.
 * @example const at = await reserveConfirmationSlot(env.DB, new Date(), 100, 12); // Date or null
 */
export async function reserveConfirmationSlot(db: D1Database, now: Date, perHour: number, hoursAhead: number): Promise<Date | null> {
  const first = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  const hours = Array.from({ length: hoursAhead }, (_, h) => new Date(first + h * 3_600_000).toISOString().slice(0, 13));
  const row = await db
    .prepare(
      `INSERT INTO confirmation_budget (hour, sent)
       SELECT h.value, 1 FROM json_each(?1) AS h LEFT JOIN confirmation_budget AS b ON b.hour = h.value
       WHERE COALESCE(b.sent, 0) < ?2 ORDER BY h.value LIMIT 1
       ON CONFLICT (hour) DO UPDATE SET sent = sent + 1 WHERE sent < ?2
       RETURNING hour`,
    )
    .bind(JSON.stringify(hours), perHour)
    .first<{ hour: string }>();
  return row ? new Date(`${row.hour}:00:00Z`) : null;
}
