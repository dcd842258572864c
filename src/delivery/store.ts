// SQL for delivering editions (fanouts, deliveries; nothing else writes them): the recipient
// snapshot, the fan-out's progress, and the per-batch claim/record steps of the queue consumer. Every state change is a compare-and-set, so at-least-
// once queue delivery, doubled messages and crashed consumers can neither lose nor double a send.
//
// A "unit" is what one queue message and one provider call cover: the deliveries of one edition
// with the same (batch_no, part). Rows of a unit always change state together.
import { sendableEditionStatement, type AlongsideStatements } from "../editions/store";
import { scrub } from "../log";
import type { SendableEdition } from "../editions/types";
import { subscriberTokensStatement } from "../subscriptions/store";

/** A provider's error text as stored: addresses masked (they quote recipients), at most 500 characters. */
const errorText = (text: string): string => scrub(text).slice(0, 500);

export type DeliveryStatus = "pending" | "sending" | "sent" | "failed" | "skipped";

export interface Unit {
  editionId: string;
  batch: number;
  /** '' for a whole batch; '0', '1', '01'... for halves after a permanent batch rejection. */
  part: string;
}

export interface FanoutState {
  editionId: string;
  status: "running" | "done" | "failed";
  cursor: number;
  batches: number;
  enqueued: number;
  snapshotDone: boolean;
  batchSize: number;
  /** Set while sending is paused by an account-wide provider error. */
  pausedAt: string | null;
  /** The provider's message that paused it. */
  pauseReason: string | null;
}

interface FanoutRow {
  editionId: string;
  status: "running" | "done" | "failed";
  cursor: number;
  batches: number;
  enqueued: number;
  snapshotDone: number;
  batchSize: number;
  pausedAt: string | null;
  pauseReason: string | null;
}

const fanoutColumns = `edition_id AS editionId, status, cursor, batches, enqueued, snapshot_done AS snapshotDone, batch_size AS batchSize,
  paused_at AS pausedAt, pause_reason AS pauseReason`;

const toState = (r: FanoutRow): FanoutState => ({ ...r, snapshotDone: r.snapshotDone === 1 });

/**
 * Starts (or resumes) the fan-out of an edition; a second call for the same edition changes
 * nothing but a failed fan-out, which it sets running again.
 * @example const state = await startFanout(env.DB, "2026-11-23", new Date(), 100);
 */
export async function startFanout(
  db: D1Database,
  editionId: string,
  now: Date,
  batchSize: number,
): Promise<{ state: FanoutState; created: boolean }> {
  const iso = now.toISOString();
  const [insert, , read] = await db.batch([
    db
      .prepare(`INSERT OR IGNORE INTO fanouts (edition_id, status, batch_size, started_at, updated_at) VALUES (?, 'running', ?, ?, ?)`)
      .bind(editionId, batchSize, iso, iso),
    db
      .prepare(`UPDATE fanouts SET status = 'running', last_error = NULL, updated_at = ? WHERE edition_id = ? AND status = 'failed'`)
      .bind(iso, editionId),
    db.prepare(`SELECT ${fanoutColumns} FROM fanouts WHERE edition_id = ?`).bind(editionId),
  ]);
  return { state: toState((read!.results as FanoutRow[])[0]!), created: insert!.meta.changes > 0 };
}

/**
 * Starts an edition's fan-out in the transaction that inserts the edition (editions/store.ts runs
 * it, for the row it inserts only), so a build never leaves an edition without its send.
 * @example await buildEdition(deps, { slot, now, alongside: fanoutWithEdition(100) });
 */
export function fanoutWithEdition(batchSize: number): AlongsideStatements {
  return (db, e) => [
    db
      .prepare(
        `INSERT OR IGNORE INTO fanouts (edition_id, status, batch_size, started_at, updated_at)
         SELECT id, 'running', ?3, ?4, ?4 FROM editions WHERE id = ?1 AND slot = ?2 AND status = 'built'`,
      )
      .bind(e.id, e.slot, batchSize, e.createdAt),
  ];
}

/** The fan-out's progress for an edition, or null when it was never started. */
export async function getFanout(db: D1Database, editionId: string): Promise<FanoutState | null> {
  const row = await db.prepare(`SELECT ${fanoutColumns} FROM fanouts WHERE edition_id = ?`).bind(editionId).first<FanoutRow>();
  return row ? toState(row) : null;
}

/**
 * Snapshots the next page of active subscribers (id > cursor, keyset paging) into deliveries,
 * numbering their provider batches, and advances the cursor: one transaction, three bound
 * parameters whatever the page size. `enqueued` is saved in the same call (it costs nothing
 * extra). Guarded by the cursor, so a concurrent run for the same edition inserts nothing and
 * simply reads the state the other run left.
 * @example const { inserted, state } = await snapshotPage(env.DB, state, 10_000, state.enqueued, new Date());
 */
export async function snapshotPage(
  db: D1Database,
  state: FanoutState,
  pageSize: number,
  enqueued: number,
  now: Date,
  tokenKid: string | null = null,
): Promise<{ inserted: number; state: FanoutState }> {
  const iso = now.toISOString();
  const size = state.batchSize;
  const [, insert, , read] = await db.batch([
    db.prepare(`UPDATE fanouts SET enqueued = MAX(enqueued, ?), updated_at = ? WHERE edition_id = ?`).bind(enqueued, iso, state.editionId),
    db
      .prepare(
        // Batch numbers continue from the previous pages; a batch never spans two pages. The CASTs
        // matter: D1 binds JS numbers as REAL, and REAL division would give every row its own batch.
        // The subscriber's stored unsubscribe token comes along when the current key signed it;
        // otherwise NULL, and the consumer signs one (once) and stores it.
        `INSERT OR IGNORE INTO deliveries
           (edition_id, subscriber_id, email, batch_no, part, status, attempts, updated_at, unsubscribe_token)
         SELECT ?1, s.id, s.email, CAST(?3 AS INTEGER) + (ROW_NUMBER() OVER (ORDER BY s.id) - 1) / CAST(?6 AS INTEGER),
                '', 'pending', 0, ?5,
                CASE WHEN s.unsubscribe_kid = ?7 THEN s.unsubscribe_token END
         FROM (SELECT id, email, unsubscribe_token, unsubscribe_kid FROM subscribers
               WHERE status = 'active' AND id > ?2 ORDER BY id LIMIT ?4) AS s
         WHERE EXISTS (SELECT 1 FROM fanouts f WHERE f.edition_id = ?1 AND f.cursor = ?2 AND f.batches = ?3 AND f.snapshot_done = 0)
         ORDER BY s.id`,
      )
      .bind(state.editionId, state.cursor, state.batches, pageSize, iso, size, tokenKid),
    db
      .prepare(
        `UPDATE fanouts SET
           cursor = COALESCE((SELECT MAX(subscriber_id) FROM deliveries WHERE edition_id = ?1), 0),
           batches = COALESCE((SELECT MAX(batch_no) + 1 FROM deliveries WHERE edition_id = ?1), 0),
           snapshot_done = CASE WHEN (SELECT COUNT(*) FROM deliveries WHERE edition_id = ?1 AND subscriber_id > ?2) < ?4 THEN 1 ELSE 0 END,
           updated_at = ?5
         WHERE edition_id = ?1 AND cursor = ?2 AND batches = ?3 AND snapshot_done = 0`,
      )
      .bind(state.editionId, state.cursor, state.batches, pageSize, iso),
    db.prepare(`SELECT ${fanoutColumns} FROM fanouts WHERE edition_id = ?`).bind(state.editionId),
  ]);
  return { inserted: insert!.meta.changes, state: toState((read!.results as FanoutRow[])[0]!) };
}

/**
 * Saves how many batches have been enqueued, and closes the fan-out when all are.
 * @example await saveEnqueued(env.DB, "2026-11-23", 1000, true, new Date());
 */
export async function saveEnqueued(db: D1Database, editionId: string, enqueued: number, done: boolean, now: Date): Promise<void> {
  const iso = now.toISOString();
  await db
    .prepare(
      `UPDATE fanouts SET enqueued = MAX(enqueued, ?1),
         status = CASE WHEN ?2 = 1 AND snapshot_done = 1 AND MAX(enqueued, ?1) >= batches THEN 'done' ELSE status END,
         done_at = CASE WHEN ?2 = 1 AND snapshot_done = 1 AND MAX(enqueued, ?1) >= batches THEN ?3 ELSE done_at END,
         updated_at = ?3
       WHERE edition_id = ?4`,
    )
    .bind(enqueued, done ? 1 : 0, iso, editionId)
    .run();
}

/** Marks a fan-out failed (its queue message exhausted its retries); `send` resumes it. */
export async function failFanout(db: D1Database, editionId: string, error: string, now: Date): Promise<void> {
  await db
    .prepare(`UPDATE fanouts SET status = 'failed', last_error = ?, updated_at = ? WHERE edition_id = ? AND status != 'done'`)
    .bind(errorText(error), now.toISOString(), editionId)
    .run();
}

export interface ClaimedDelivery {
  id: number;
  subscriberId: number;
  email: string;
  attempts: number;
  /** The stored unsubscribe token, or null when the consumer must sign one. */
  unsubscribeToken: string | null;
}

/** Why an edition's sending is paused (an account-wide provider error), or null. */
export interface PauseState {
  pausedAt: string;
  reason: string;
}

/** One (part, status) group of a unit and the units split from it. */
export interface UnitGroup {
  part: string;
  status: DeliveryStatus;
  final: number;
  n: number;
  claimedAt: number | null;
}

export interface ClaimResult {
  /** Rows now held by this claim, in delivery id order: the provider payload, in order. */
  claimed: ClaimedDelivery[];
  /** Rows skipped at this claim because the subscriber is no longer active. */
  skipped: number;
  /** The unit and its split-off parts after the claim. */
  groups: UnitGroup[];
  /** Set when the edition's sending is paused: nothing was claimed. */
  paused: PauseState | null;
  /** Rows of the unit held for an operator: their key is older than the provider remembers. */
  held: number;
  /** The edition, when asked for (callers cache it: editions never change). */
  edition: SendableEdition | null;
  /** The edition's created_at when the edition itself was not asked for, to check a cached copy. */
  editionStamp: string | null;
}

/**
 * Claims a unit for sending with a compare-and-set: pending, retryable-failed, or 'sending' whose
 * lease expired (its consumer died, maybe after the provider accepted the mail) become 'sending'
 * under `token`. A live lease is left alone. Before the unit's first attempt, recipients who are
 * no longer active are marked skipped; after it, the recipient set is frozen, because a retry
 * must repeat the same payload under the same Idempotency-Key for the provider to dedupe it.
 * @example const { claimed } = await claimUnit(env.DB, unit, crypto.randomUUID(), { nowMs: Date.now(), leaseMs: 60_000 });
 */
export async function claimUnit(
  db: D1Database,
  unit: Unit,
  token: string,
  opts: { nowMs: number; leaseMs: number; withEdition: boolean; heldBeforeMs: number },
): Promise<ClaimResult> {
  const iso = new Date(opts.nowMs).toISOString();
  const staleBefore = opts.nowMs - opts.leaseMs;
  const statements = [
    db
      .prepare(
        `UPDATE deliveries SET status = 'skipped', last_error = 'unsubscribed before send', updated_at = ?4
         WHERE edition_id = ?1 AND batch_no = ?2 AND part = ?3 AND status = 'pending' AND attempts = 0
           AND NOT EXISTS (SELECT 1 FROM subscribers s WHERE s.id = deliveries.subscriber_id AND s.status = 'active')`,
      )
      .bind(unit.editionId, unit.batch, unit.part, iso),
    db
      .prepare(
        // Never while the edition is paused, and never a row whose key the provider may have
        // forgotten (it could send twice): those wait for an operator (resendHeld).
        `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, claim_token = ?4, claimed_at = ?5, updated_at = ?6,
           key_first_used_at = COALESCE(key_first_used_at, ?5)
         WHERE edition_id = ?1 AND batch_no = ?2 AND part = ?3
           AND (status = 'pending' OR (status = 'failed' AND final = 0) OR (status = 'sending' AND claimed_at < ?7))
           AND (key_first_used_at IS NULL OR key_first_used_at >= ?8)
           AND NOT EXISTS (SELECT 1 FROM fanouts f WHERE f.edition_id = ?1 AND f.paused_at IS NOT NULL)
         RETURNING id, subscriber_id AS subscriberId, email, attempts, unsubscribe_token AS unsubscribeToken`,
      )
      .bind(unit.editionId, unit.batch, unit.part, token, opts.nowMs, iso, staleBefore, opts.heldBeforeMs),
    db
      .prepare(
        `SELECT part, status, final, COUNT(*) AS n, MAX(claimed_at) AS claimedAt,
           SUM(CASE WHEN status IN ('pending', 'sending', 'failed') AND final = 0 AND key_first_used_at < ?4 THEN 1 ELSE 0 END) AS held
         FROM deliveries
         WHERE edition_id = ?1 AND batch_no = ?2 AND (part = ?3 OR part LIKE ?3 || '_%')
         GROUP BY part, status, final ORDER BY part`,
      )
      .bind(unit.editionId, unit.batch, unit.part, opts.heldBeforeMs),
    db
      .prepare(`SELECT paused_at AS pausedAt, pause_reason AS reason FROM fanouts WHERE edition_id = ? AND paused_at IS NOT NULL`)
      .bind(unit.editionId),
  ];
  statements.push(
    opts.withEdition
      ? sendableEditionStatement(db, unit.editionId)
      : db.prepare("SELECT created_at AS createdAt FROM editions WHERE id = ? AND status = 'built'").bind(unit.editionId),
  );
  const [skip, claim, groups, paused, edition] = await db.batch(statements);
  const claimed = (claim!.results as ClaimedDelivery[]).sort((a, b) => a.id - b.id);
  const unitGroups = groups!.results as Array<UnitGroup & { held: number }>;
  return {
    claimed,
    skipped: skip!.meta.changes,
    groups: unitGroups,
    paused: (paused!.results as PauseState[])[0] ?? null,
    held: unitGroups.filter((g) => g.part === unit.part).reduce((n, g) => n + (g.held ?? 0), 0),
    edition: opts.withEdition ? ((edition!.results as SendableEdition[])[0] ?? null) : null,
    editionStamp: opts.withEdition ? null : ((edition!.results as Array<{ createdAt: string }>)[0]?.createdAt ?? null),
  };
}

/**
 * Records the provider's acceptance: each row becomes 'sent' with its provider message id.
 * Unconditional on status: if the provider accepted, that is the truth, whatever we thought.
 * @example await recordSent(env.DB, [{ id: 1, providerId: "re_1" }], new Date());
 */
export async function recordSent(db: D1Database, sent: Array<{ id: number; providerId: string }>, now: Date): Promise<void> {
  if (sent.length === 0) return;
  const map = JSON.stringify(Object.fromEntries(sent.map((s) => [String(s.id), s.providerId])));
  await db
    .prepare(
      `UPDATE deliveries SET status = 'sent', provider_id = json_extract(?1, '$."' || id || '"'), sent_at = ?2, updated_at = ?2,
         claim_token = NULL, last_error = NULL
       WHERE id IN (SELECT CAST(key AS INTEGER) FROM json_each(?1))`,
    )
    .bind(map, now.toISOString())
    .run();
}

/**
 * Gives a claim back after an error: 'failed' with the error, retryable (final = 0) or for good,
 * or 'pending' again (`pending`: the account's trouble, not the recipients'). `refused`: the
 * provider accepted nothing in this call (401/403, 429), so if this claim was the key's first
 * use, the key counts as unused again. Only rows still held by `token` change, so a late
 * consumer cannot undo another's success.
 * @example await releaseClaim(env.DB, token, "Resend 500 ...", { final: false, now: new Date() });
 */
export async function releaseClaim(
  db: D1Database,
  token: string,
  error: string,
  opts: { final: boolean; now: Date; pending?: boolean; refused?: boolean },
): Promise<number> {
  const res = await db
    .prepare(
      `UPDATE deliveries SET status = CASE WHEN ?5 = 1 THEN 'pending' ELSE 'failed' END, final = ?1, last_error = ?2, claim_token = NULL,
         updated_at = ?3,
         key_first_used_at = CASE WHEN ?6 = 1 AND key_first_used_at = claimed_at THEN NULL ELSE key_first_used_at END
       WHERE claim_token = ?4 AND status = 'sending'`,
    )
    .bind(opts.final ? 1 : 0, errorText(error), opts.now.toISOString(), token, opts.pending ? 1 : 0, opts.refused ? 1 : 0)
    .run();
  return res.meta.changes;
}

/**
 * Pauses an edition's sending after an account-wide provider error. True only for the call
 * that paused it (so the log says it once).
 * @example if (await pauseEdition(env.DB, "2026-11-23", "Resend 401 ...", new Date())) log.warn("delivery_paused", ...);
 */
export async function pauseEdition(db: D1Database, editionId: string, reason: string, now: Date): Promise<boolean> {
  const res = await db
    .prepare(`UPDATE fanouts SET paused_at = ?1, pause_reason = ?2, updated_at = ?1 WHERE edition_id = ?3 AND paused_at IS NULL`)
    .bind(now.toISOString(), errorText(reason), editionId)
    .run();
  return res.meta.changes > 0;
}

/**
 * Lifts an edition's pause (and a failed fan-out's failure) and returns the units that still
 * have rows to send automatically, for the caller to enqueue. Held rows are left to an operator.
 * @example const { units } = await resumeEdition(env.DB, "2026-11-23", new Date(), heldBeforeMs, 2000);
 */
export async function resumeEdition(
  db: D1Database,
  editionId: string,
  now: Date,
  heldBeforeMs: number,
  limit: number,
): Promise<{ wasPaused: boolean; units: Unit[] }> {
  const [lift, units] = await db.batch([
    db
      .prepare(`UPDATE fanouts SET paused_at = NULL, pause_reason = NULL, updated_at = ?1 WHERE edition_id = ?2 AND paused_at IS NOT NULL`)
      .bind(now.toISOString(), editionId),
    db
      .prepare(
        `SELECT DISTINCT edition_id AS editionId, batch_no AS batch, part FROM deliveries
         WHERE edition_id = ?1 AND status IN ('pending', 'sending', 'failed') AND final = 0
           AND (key_first_used_at IS NULL OR key_first_used_at >= ?2)
         ORDER BY batch_no, part LIMIT ?3`,
      )
      .bind(editionId, heldBeforeMs, limit),
  ]);
  return { wasPaused: lift!.meta.changes > 0, units: units!.results as Unit[] };
}

/** Editions paused since before `before`: the sweep tries them again, slowly. */
export async function pausedEditions(db: D1Database, before: Date, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT edition_id AS editionId FROM fanouts WHERE paused_at IS NOT NULL AND paused_at < ? ORDER BY paused_at LIMIT ?`)
    .bind(before.toISOString(), limit)
    .all<{ editionId: string }>();
  return results.map((r) => r.editionId);
}

/**
 * Moves rows to new provider batches after the fan-out's last (so new Idempotency-Keys), pending
 * with a fresh start: final failures (`failed`, after a fix) or rows held because their key
 * outlived the provider's memory (`held`, an operator's decision). Returns the new units.
 * Null when the fan-out is still snapshotting (new batch numbers would collide with its pages).
 * @example const units = await resendRows(env.DB, "2026-11-23", "failed", new Date(), heldBeforeMs);
 */
export async function resendRows(
  db: D1Database,
  editionId: string,
  which: "failed" | "held",
  now: Date,
  heldBeforeMs: number,
): Promise<Unit[] | null> {
  const fanout = await db
    .prepare(`SELECT batches, batch_size AS batchSize, snapshot_done AS done FROM fanouts WHERE edition_id = ?`)
    .bind(editionId)
    .first<{ batches: number; batchSize: number; done: number }>();
  if (fanout?.done !== 1) return null;
  const picked =
    which === "failed"
      ? `status = 'failed' AND final = 1`
      : `status IN ('pending', 'sending', 'failed') AND final = 0 AND key_first_used_at < ?4`;
  const iso = now.toISOString();
  const [, , read] = await db.batch([
    db
      .prepare(
        // attempts = 0: a new payload under a new key, so unsubscribes since are honoured again.
        `WITH picked AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS rn FROM deliveries WHERE edition_id = ?1 AND ${picked})
         UPDATE deliveries SET batch_no = CAST(?2 AS INTEGER) + picked.rn / CAST(?3 AS INTEGER), part = '', status = 'pending', final = 0,
           attempts = 0, claim_token = NULL, claimed_at = NULL, key_first_used_at = NULL, updated_at = ?5,
           last_error = substr('resent under a new key; before: ' || COALESCE(last_error, ''), 1, 500)
         FROM picked
         WHERE deliveries.id = picked.id
           AND EXISTS (SELECT 1 FROM fanouts f WHERE f.edition_id = ?1 AND f.batches = ?2)`,
      )
      .bind(editionId, fanout.batches, fanout.batchSize, heldBeforeMs, iso),
    db
      .prepare(
        `UPDATE fanouts SET batches = MAX(batches, COALESCE((SELECT MAX(batch_no) + 1 FROM deliveries WHERE edition_id = ?1), 0)),
           enqueued = MAX(enqueued, COALESCE((SELECT MAX(batch_no) + 1 FROM deliveries WHERE edition_id = ?1), 0)), updated_at = ?2
         WHERE edition_id = ?1`,
      )
      .bind(editionId, iso),
    db
      .prepare(
        `SELECT DISTINCT edition_id AS editionId, batch_no AS batch, part FROM deliveries
         WHERE edition_id = ? AND batch_no >= ? ORDER BY batch_no`,
      )
      .bind(editionId, fanout.batches),
  ]);
  return read!.results as Unit[];
}

/**
 * Stores unsubscribe tokens the consumer signed: on the delivery rows (frozen for retries) and
 * on their subscribers with the signing key's id (reused by every later edition).
 * @example await storeUnsubscribeTokens(env.DB, [{ deliveryId: 1, subscriberId: 7, token }], kid);
 */
export async function storeUnsubscribeTokens(
  db: D1Database,
  rows: Array<{ deliveryId: number; subscriberId: number; token: string }>,
  kid: string,
): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(rows.map((r) => [r.deliveryId, r.subscriberId, r.token]));
  await db.batch([
    db
      .prepare(
        `UPDATE deliveries
         SET unsubscribe_token = (SELECT json_extract(value, '$[2]') FROM json_each(?1) WHERE json_extract(value, '$[0]') = deliveries.id)
         WHERE id IN (SELECT json_extract(value, '$[0]') FROM json_each(?1))`,
      )
      .bind(json),
    subscriberTokensStatement(db, json, kid),
  ]);
}

/**
 * Erases an address from the delivery rows (the subscription's erasure runs it in its
 * transaction): the rows keep their counts but lose the address, token and subscriber id; a
 * row not yet sent is skipped. A negative id keeps UNIQUE (edition_id, subscriber_id).
 * @example eraseAddress(db, email, hash, now, (email, now) => [eraseDeliveriesStatement(db, email, now)]);
 */
export function eraseDeliveriesStatement(db: D1Database, email: string, now: Date): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE deliveries SET email = '(erased)', unsubscribe_token = NULL, subscriber_id = -id, updated_at = ?2,
         status = CASE WHEN status = 'pending' AND attempts = 0 THEN 'skipped' ELSE status END,
         last_error = CASE WHEN status = 'pending' AND attempts = 0 THEN 'erased' ELSE last_error END
       WHERE email = ?1 COLLATE NOCASE OR subscriber_id IN (SELECT id FROM subscribers WHERE email = ?1)`,
    )
    .bind(email, now.toISOString());
}

/**
 * Removes provider error texts stored before they were masked that quote an erased address, on
 * this reader's rows or (one batch, one error) on others'.
 * @example eraseAddress(db, email, hash, now, (email) => [eraseErrorTextsStatement(db, email)]);
 */
export function eraseErrorTextsStatement(db: D1Database, email: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE deliveries SET last_error = '(error text removed: it named an erased address)'
       WHERE instr(lower(last_error), lower(?1)) > 0`,
    )
    .bind(email);
}

/**
 * Splits a claimed unit whose whole batch the provider rejected into two halves (new parts, so
 * new idempotency keys: nothing of the rejected batch was sent), pending again.
 * @example const parts = await splitClaim(env.DB, unit, token, claimed, "Resend 422 ...", new Date());
 */
export async function splitClaim(
  db: D1Database,
  unit: Unit,
  token: string,
  claimed: ClaimedDelivery[],
  error: string,
  now: Date,
): Promise<string[]> {
  const half = Math.ceil(claimed.length / 2);
  const halves = [claimed.slice(0, half), claimed.slice(half)].filter((h) => h.length > 0);
  const parts = halves.map((_, i) => `${unit.part}${i}`);
  const iso = now.toISOString();
  await db.batch(
    halves.map((h, i) =>
      db
        .prepare(
          // A new part is a new key that never reached the provider.
          `UPDATE deliveries
           SET part = ?1, status = 'pending', claim_token = NULL, last_error = ?2, updated_at = ?3, key_first_used_at = NULL
           WHERE claim_token = ?4 AND status = 'sending' AND id IN (SELECT value FROM json_each(?5))`,
        )
        .bind(parts[i], errorText(error), iso, token, JSON.stringify(h.map((d) => d.id))),
    ),
  );
  return parts;
}

/**
 * Marks what is left of a unit (and its split parts) failed for good: its queue message ran out
 * of retries and reached the dead-letter queue.
 * @example await failUnitForGood(env.DB, unit, "retries exhausted", new Date());
 */
export async function failUnitForGood(db: D1Database, unit: Unit, error: string, now: Date): Promise<number> {
  const res = await db
    .prepare(
      `UPDATE deliveries SET status = 'failed', final = 1, claim_token = NULL, updated_at = ?4,
         last_error = CASE WHEN last_error IS NULL THEN ?5 ELSE substr(?5 || ': ' || last_error, 1, 500) END
       WHERE edition_id = ?1 AND batch_no = ?2 AND (part = ?3 OR part LIKE ?3 || '_%')
         AND status IN ('pending', 'sending', 'failed') AND final = 0`,
    )
    .bind(unit.editionId, unit.batch, unit.part, now.toISOString(), errorText(error))
    .run();
  return res.meta.changes;
}

export interface DeliveryReport {
  total: number;
  counts: Record<DeliveryStatus, number>;
  /** Of the failed: how many are final (not retried any more). */
  failedFinal: number;
  /**
   * Unsent rows whose Idempotency-Key is older than the provider remembers: never resent
   * automatically (it could send twice); POST /admin/editions/:id/resend-held decides.
   */
  held: number;
  failures: Array<{ id: number; email: string; error: string | null; attempts: number; final: boolean }>;
}

/**
 * Delivery counts of an edition and its first failures.
 * @example const { counts } = await deliveryReport(env.DB, "2026-11-23", 50);
 */
export async function deliveryReport(
  db: D1Database,
  editionId: string,
  failureLimit: number,
  heldBeforeMs: number,
): Promise<DeliveryReport> {
  const [byStatus, failures, held] = await db.batch([
    db.prepare(`SELECT status, final, COUNT(*) AS n FROM deliveries WHERE edition_id = ? GROUP BY status, final`).bind(editionId),
    db
      .prepare(
        `SELECT id, email, last_error AS error, attempts, final FROM deliveries
         WHERE edition_id = ? AND status = 'failed' ORDER BY id LIMIT ?`,
      )
      .bind(editionId, failureLimit),
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM deliveries
         WHERE edition_id = ? AND status IN ('pending', 'sending', 'failed') AND final = 0 AND key_first_used_at < ?`,
      )
      .bind(editionId, heldBeforeMs),
  ]);
  const counts: Record<DeliveryStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  let failedFinal = 0;
  let total = 0;
  for (const r of byStatus!.results as Array<{ status: DeliveryStatus; final: number; n: number }>) {
    counts[r.status] += r.n;
    total += r.n;
    if (r.status === "failed" && r.final === 1) failedFinal += r.n;
  }
  return {
    total,
    counts,
    failedFinal,
    held: (held!.results as Array<{ n: number }>)[0]?.n ?? 0,
    failures: (failures!.results as Array<{ id: number; email: string; error: string | null; attempts: number; final: number }>).map(
      (f) => ({
        ...f,
        final: f.final === 1,
      }),
    ),
  };
}

/**
 * Units of running or finished fan-outs that still have unsent, retryable rows untouched since
 * `before`: a lost queue message would otherwise leave them waiting forever. The cron re-enqueues
 * them; a duplicate message is harmless because claims are compare-and-set.
 * @example const units = await staleUnits(env.DB, new Date(Date.now() - 3_600_000), 500);
 */
export async function staleUnits(db: D1Database, before: Date, limit: number, heldBeforeMs: number): Promise<Unit[]> {
  // Not held rows (an operator decides), not paused editions (resume or the slow retry does).
  const { results } = await db
    .prepare(
      `SELECT DISTINCT edition_id AS editionId, batch_no AS batch, part FROM deliveries
       WHERE status IN ('pending', 'sending', 'failed') AND final = 0 AND updated_at < ?1
         AND (key_first_used_at IS NULL OR key_first_used_at >= ?3)
         AND NOT EXISTS (SELECT 1 FROM fanouts f WHERE f.edition_id = deliveries.edition_id AND f.paused_at IS NOT NULL)
       LIMIT ?2`,
    )
    .bind(before.toISOString(), limit, heldBeforeMs)
    .all<Unit>();
  return results;
}

/**
 * Fan-outs that stopped making progress, for the sweep to resume: a lost continuation message,
 * or an edition whose build recorded the fan-out but whose invocation died before enqueuing it.
 */
export async function stalledFanouts(db: D1Database, before: Date, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT edition_id AS editionId FROM fanouts WHERE status = 'running' AND updated_at < ? LIMIT ?`)
    .bind(before.toISOString(), limit)
    .all<{ editionId: string }>();
  return results.map((r) => r.editionId);
}

/**
 * How many editions were handed to the provider for a subscriber (their delivery rows sent).
 * @example await sentCountFor(env.DB, 7) // 12
 */
export async function sentCountFor(db: D1Database, subscriberId: number): Promise<number> {
  const row = await db
    .prepare("SELECT COUNT(*) AS n FROM deliveries WHERE subscriber_id = ? AND status = 'sent'")
    .bind(subscriberId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
