// SQL for subscribers: the double opt-in state machine (pending -> active -> unsubscribed), the
// consent record, and the per-address confirmation cooldown. Each change is one conditional
// statement, so concurrent requests cannot half-apply it or send a confirmation twice.

export type SubscriberStatus = "pending" | "active" | "unsubscribed";

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
  /** Confirmation mails to one address are at least this far apart. */
  cooldownMs: number;
  /** Used when the address has no live nonce (new, or re-subscribing after leaving). */
  nonce: string;
}

/**
 * Records a signup request and claims the right to send one confirmation mail. Returns the
 * subscriber id and nonce to put in the link, or null when no mail should go out: the address
 * is already active, or a confirmation went to it within the cooldown. One upsert decides it,
 * so of many concurrent requests for one address exactly one gets the claim.
 * @example const claim = await claimConfirmation(env.DB, { email, source: "landing", requestPage: null, now, cooldownMs: 600_000, nonce });
 */
export async function claimConfirmation(db: D1Database, r: SignupRequest): Promise<{ id: number; nonce: string; sentAt: string } | null> {
  const now = r.now.toISOString();
  const cutoff = new Date(r.now.getTime() - r.cooldownMs).toISOString();
  const row = await db
    .prepare(
      `INSERT INTO subscribers (email, status, source, requested_at, request_page, confirm_nonce, last_confirmation_sent_at,
         confirmations_sent, created_at, updated_at)
       VALUES (?1, 'pending', ?2, ?3, ?4, ?5, ?3, 1, ?3, ?3)
       ON CONFLICT (email) DO UPDATE SET
         -- A pending address keeps its nonce, so every link still in its inbox keeps working.
         confirm_nonce = CASE WHEN subscribers.status = 'pending' AND subscribers.confirm_nonce IS NOT NULL
                              THEN subscribers.confirm_nonce ELSE excluded.confirm_nonce END,
         status = 'pending',
         source = excluded.source,
         requested_at = excluded.requested_at,
         request_page = excluded.request_page,
         last_confirmation_sent_at = excluded.last_confirmation_sent_at,
         confirmations_sent = subscribers.confirmations_sent + 1,
         updated_at = excluded.updated_at
       WHERE subscribers.status <> 'active'
         AND (subscribers.last_confirmation_sent_at IS NULL OR subscribers.last_confirmation_sent_at <= ?6)
       RETURNING id, confirm_nonce AS nonce, last_confirmation_sent_at AS sentAt`,
    )
    .bind(r.email, r.source, now, r.requestPage, r.nonce, cutoff)
    .first<{ id: number; nonce: string; sentAt: string }>();
  return row ?? null;
}

/**
 * Gives a claim back after the confirmation mail could not be sent, so the person can try
 * again at once instead of waiting out a cooldown for a mail that never left.
 */
export async function releaseConfirmation(db: D1Database, id: number, sentAt: string): Promise<void> {
  await db
    .prepare(
      `UPDATE subscribers SET last_confirmation_sent_at = NULL, confirmations_sent = confirmations_sent - 1
       WHERE id = ? AND last_confirmation_sent_at = ?`,
    )
    .bind(id, sentAt)
    .run();
}

/** One subscriber by id, or null. */
export async function getSubscriber(db: D1Database, id: number): Promise<Subscriber | null> {
  return db.prepare(`SELECT ${columns} FROM subscribers WHERE id = ?`).bind(id).first<Subscriber>();
}

export type ConfirmOutcome = "confirmed" | "already-active" | "used" | "not-found";

/**
 * Activates a pending subscriber if the link's nonce is still the live one, and records the
 * consent. Clearing the nonce in the same statement makes the link single-use.
 * @example await confirmSubscriber(env.DB, { id, nonce, now: new Date(), consentPage: url })
 */
export async function confirmSubscriber(
  db: D1Database,
  c: { id: number; nonce: string; now: Date; consentPage: string },
): Promise<ConfirmOutcome> {
  const now = c.now.toISOString();
  const done = await db
    .prepare(
      `UPDATE subscribers SET status = 'active', confirm_nonce = NULL, confirmed_at = ?1, consent_at = ?1,
         consent_page = ?2, updated_at = ?1
       WHERE id = ?3 AND status = 'pending' AND confirm_nonce = ?4
       RETURNING id`,
    )
    .bind(now, c.consentPage, c.id, c.nonce)
    .first<{ id: number }>();
  if (done) return "confirmed";
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
  const done = await db
    .prepare(
      `UPDATE subscribers SET status = 'unsubscribed', confirm_nonce = NULL, unsubscribed_at = ?1,
         unsubscribe_method = ?2, updated_at = ?1
       WHERE id = ?3 AND status <> 'unsubscribed'
       RETURNING id`,
    )
    .bind(now, u.method, u.id)
    .first<{ id: number }>();
  if (done) return "unsubscribed";
  return (await getSubscriber(db, u.id)) ? "already" : "not-found";
}
