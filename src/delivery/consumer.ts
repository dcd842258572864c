// Delivery's queue messages, one at a time (the queue dispatch, src/jobs/queue.ts, reads the
// batch, acks and retries). Each "send" message names one unit (a provider batch of up to 100
// recipients); the consumer claims it in D1 with a compare-and-set, sends it in one provider
// call under an Idempotency-Key derived from (edition, batch, part), records the provider's ids,
// and acks. "fanout" messages continue an edition's fan-out.
//
// Exactly once, case by case:
// - duplicate message, or two consumers at once: the claim is a CAS; the loser claims nothing,
//   sees the unit sent (ack) or leased by the other (retry after the lease).
// - provider error 429/5xx/timeout: the claim is released as retryable 'failed' and the message
//   retried with exponential backoff. The retry resends the same recipients with byte-identical
//   payload under the same key, so a timeout that the provider had in fact accepted is deduped.
// - consumer dies after the provider accepted (before 'sent' is recorded): the rows stay
//   'sending'; the redelivered message reclaims them once the lease expires and resends, same
//   key, same payload: the provider answers with the first call's ids and sends nothing.
// - permanent rejection of a whole batch (one bad address fails a Resend batch): nothing was
//   sent, so the unit is split in halves with new keys until the bad address stands alone and
//   is recorded failed; the others go out.
// - malformed message: acked and logged, never retried.
// - account-wide refusal (401/403, unverified domain, missing or placeholder key): nothing was
//   sent and nothing could be; the rows go back to pending and the edition's sending pauses
//   (one log line). `POST /admin/editions/:id/send` resumes it, and the sweep retries it hourly.
// - a configuration error (the consumer cannot even start): retried like a transient error;
//   no row is touched, so no recipient fails, and before the queue's retries run out the message
//   is acked and the rows left to the sweep, so an edition is never dead-lettered for it.
// - a row whose key is older than the provider's 24-hour memory: never resent automatically
//   (held for an operator: POST /admin/editions/:id/resend-held).
import type { Config } from "../config";
import { getSendableEdition } from "../editions/store";
import type { SendableEdition } from "../editions/types";
import { log } from "../log";
import {
  AccountMailError,
  IdempotencyConflictError,
  PermanentMailError,
  RateLimitedMailError,
  TransientMailError,
  type MailTransport,
  type SentEmail,
} from "../mail/types";
import type { Deps } from "../ports";
import { signingKid, unsubscribeToken } from "../subscriptions/tokens";
import {
  claimUnit,
  pauseEdition,
  recordSent,
  releaseClaim,
  splitClaim,
  storeUnsubscribeTokens,
  type ClaimedDelivery,
  type ClaimResult,
  type Unit,
  type UnitGroup,
} from "./store";
import { SubrequestBudget } from "./budget";
import { composeEmails } from "./compose";
import { runFanout, type FanoutOptions } from "./fanout";
import { HANDOFF_ATTEMPTS, heldBefore, idempotencyKey, sendUnit, type FanoutMessage, type Producer, type SendMessage } from "./messages";
import { Pacer, type Sleep } from "./pacing";

/** How long a claim is exclusive: well above one provider call's timeout (10 s) plus D1. */
export const LEASE_MS = 60_000;
export { HANDOFF_ATTEMPTS };
/** Exponential backoff for transient provider errors: 10 s, 20 s, 40 s ... capped at 15 min. */
export const BACKOFF_BASE_SECONDS = 10;
export const BACKOFF_MAX_SECONDS = 900;

/** What a test may set of the consumer (the clock, transport and queue come with the deps). */
export interface DeliveryOptions {
  leaseMs?: number;
  fanout?: FanoutOptions;
  budget?: SubrequestBudget;
  /** How the pacer waits; tests record the waits instead of sleeping. */
  sleep?: Sleep;
}

/** How a delivery message ended: the queue dispatch acks it, or retries it after `retryDelaySeconds`. */
export type DeliveryOutcome = "sent" | "failed" | "split" | "retry" | "leased" | "done" | "requeued" | "fanout" | "paused" | "held";

export interface Settlement {
  outcome: DeliveryOutcome;
  retryDelaySeconds?: number;
}

/** Recipients this invocation sent, failed and skipped (the batch's log line and summary). */
export interface DeliveryCounts {
  sent: number;
  failed: number;
  skipped: number;
}

/**
 * Retry delay for the n-th attempt (1-based), at least what the provider asked for.
 * @example backoffSeconds(3) // 40
 */
export function backoffSeconds(attempt: number, retryAfter?: number): number {
  const exp = Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempt - 1));
  return Math.max(retryAfter ?? 0, exp);
}

// Editions never change once built: keep the last few renderings per isolate, saving a ~60 KB
// D1 read per message.
const editionCache = new Map<string, SendableEdition>();
function remember(edition: SendableEdition): void {
  editionCache.set(edition.id, edition);
  while (editionCache.size > 4) editionCache.delete(editionCache.keys().next().value!);
}

export interface DeliveryContext {
  db: D1Database;
  config: Config;
  transport: MailTransport;
  pacer: Pacer | null;
  queue: Producer;
  now: () => number;
  leaseMs: number;
  budget: SubrequestBudget;
  summary: DeliveryCounts;
  fanout: FanoutOptions;
}

/**
 * What one invocation's delivery messages share: the bulk transport, the pacer of its provider
 * calls, the subrequest budget, the counts.
 * @example const ctx = deliveryContext(makeDeps(env), summary);
 */
export function deliveryContext(
  deps: Pick<Deps, "db" | "config" | "clock" | "mail" | "queue">,
  summary: DeliveryCounts,
  opts: DeliveryOptions = {},
): DeliveryContext {
  const { config } = deps;
  const transport = deps.mail("bulk");
  const now = () => deps.clock().getTime();
  return {
    db: deps.db,
    config,
    transport,
    // The outbox is local: nothing to pace.
    pacer: transport.name === "outbox" ? null : Pacer.forRate(config.providerRate, config.deliveryConcurrency, now, opts.sleep),
    queue: deps.queue,
    now,
    leaseMs: opts.leaseMs ?? LEASE_MS,
    budget: opts.budget ?? new SubrequestBudget(),
    summary,
    fanout: opts.fanout ?? {},
  };
}

/**
 * Continues an edition's fan-out as far as the invocation's budget allows.
 * @example await fanoutOne(ctx, { v: 1, kind: "fanout", editionId: "2026-11-23" });
 */
export async function fanoutOne(ctx: DeliveryContext, msg: FanoutMessage): Promise<Settlement> {
  const run = await runFanout(ctx.db, ctx.queue, msg.editionId, ctx.budget, {
    tokenKid: await signingKid(ctx.config),
    ...ctx.fanout,
  });
  const { editionId, outcome, pages, messages } = run;
  log.info("fanout_run", { editionId, outcome, pages, messages, batches: run.state?.batches, enqueued: run.state?.enqueued });
  return { outcome: "fanout" };
}

/**
 * Ends the invocation's delivery work: holds this concurrency slot until the last provider
 * call's interval has passed (see pacing.ts); returns the subrequests used.
 */
export async function finishDeliveries(ctx: DeliveryContext): Promise<{ subrequests: number; pacedMs: number }> {
  await ctx.pacer?.settle();
  return { subrequests: ctx.budget.used, pacedMs: ctx.pacer?.waited ?? 0 };
}

/** Units split from this one that still have rows to send. */
function openChildren(groups: UnitGroup[], part: string): string[] {
  const parts = new Set<string>();
  for (const g of groups) {
    if (g.part !== part && (g.status === "pending" || g.status === "sending" || (g.status === "failed" && g.final === 0)))
      parts.add(g.part);
  }
  return [...parts];
}

/**
 * The claimed rows with their unsubscribe tokens: stored ones as they are; for the others (new
 * subscribers, or a rotated signing key) one HMAC each, stored on the row (a retry must carry the
 * same link) and on the subscriber (later editions reuse it).
 */
async function withTokens(
  ctx: DeliveryContext,
  claimed: Array<{ id: number; subscriberId: number; email: string; unsubscribeToken: string | null }>,
) {
  const missing = claimed.filter((d) => !d.unsubscribeToken);
  if (missing.length === 0) return claimed;
  const signed = await Promise.all(
    missing.map(async (d) => ({
      deliveryId: d.id,
      subscriberId: d.subscriberId,
      token: await unsubscribeToken(ctx.config, d.subscriberId),
    })),
  );
  ctx.budget.take(1);
  await storeUnsubscribeTokens(ctx.db, signed, await signingKid(ctx.config));
  const byId = new Map(signed.map((s) => [s.deliveryId, s.token]));
  return claimed.map((d) => (d.unsubscribeToken ? d : { ...d, unsubscribeToken: byId.get(d.id)! }));
}

/** A unit claimed for this call: its key, the rows the claim took, and the claim's token. */
interface Claimed {
  msg: SendMessage;
  unit: Unit;
  token: string;
  claimed: ClaimedDelivery[];
}

/**
 * Sends one unit: claim, compose, one provider call, record; or says why not and when to retry.
 * @example const { outcome } = await sendOne(ctx, sendUnit("2026-11-23", 4));
 */
export async function sendOne(ctx: DeliveryContext, msg: SendMessage): Promise<Settlement> {
  const unit = { editionId: msg.editionId, batch: msg.batch, part: msg.part };
  const token = crypto.randomUUID();
  const nowMs = ctx.now();
  const { claim, edition } = await claimWithEdition(ctx, unit, token, nowMs);
  if (claim.claimed.length === 0) return nothingClaimed(ctx, msg, claim, nowMs);
  const claimed: Claimed = { msg, unit, token, claimed: claim.claimed };
  if (!edition) {
    ctx.budget.take(1);
    await releaseClaim(ctx.db, token, `edition ${msg.editionId} is not a built edition`, { final: true, now: new Date(ctx.now()) });
    ctx.summary.failed += claim.claimed.length;
    return { outcome: "failed" };
  }

  const recipients = await withTokens(ctx, claim.claimed);
  const emails = await composeEmails(edition, recipients, ctx.config);
  const key = idempotencyKey(edition.sendId, msg.editionId, msg.batch, msg.part);
  let results: SentEmail[];
  try {
    await ctx.pacer?.turn();
    ctx.budget.take(1);
    results = await ctx.transport.sendBatch(emails, { idempotencyKey: key });
  } catch (err) {
    return providerRefused(ctx, claimed, err instanceof Error ? err : new Error(String(err)));
  }
  ctx.budget.take(1);
  await recordSent(
    ctx.db,
    claim.claimed.map((d, i) => ({ id: d.id, providerId: results[i]?.providerId ?? "unknown" })),
    new Date(ctx.now()),
  );
  ctx.summary.sent += claim.claimed.length;
  return { outcome: "sent" };
}

/**
 * Claims the unit, with the edition's stored rendering: the isolate's cached copy when the
 * claim's stamp says it is still that edition, else the one the claim read (or a fresh read).
 */
async function claimWithEdition(
  ctx: DeliveryContext,
  unit: Unit,
  token: string,
  nowMs: number,
): Promise<{ claim: ClaimResult; edition: SendableEdition | null }> {
  const cached = editionCache.get(unit.editionId);
  ctx.budget.take(1);
  const claim = await claimUnit(ctx.db, unit, token, {
    nowMs,
    leaseMs: ctx.leaseMs,
    withEdition: !cached,
    heldBeforeMs: heldBefore(nowMs),
  });
  ctx.summary.skipped += claim.skipped;
  let edition = cached && claim.editionStamp === cached.createdAt ? cached : claim.edition;
  if (cached && !edition && claim.editionStamp !== null) {
    // A different edition under a cached id (rows were deleted and the id reused): read it.
    ctx.budget.take(1);
    edition = await getSendableEdition(ctx.db, unit.editionId);
  }
  if (edition && edition !== cached) remember(edition);
  return { claim, edition };
}

/** Nothing to claim: paused, held for an operator, leased by another consumer, split, or done. */
async function nothingClaimed(ctx: DeliveryContext, msg: SendMessage, claim: ClaimResult, nowMs: number): Promise<Settlement> {
  // Paused: the rows wait (pending) for `send` or the sweep, which enqueue them again.
  if (claim.paused) return { outcome: "paused" };
  if (claim.held > 0) {
    log.warn("delivery_held", {
      editionId: msg.editionId,
      batch: msg.batch,
      part: msg.part,
      rows: claim.held,
      reason: "key older than the provider's memory; POST /admin/editions/:id/resend-held decides",
    });
    return { outcome: "held" };
  }
  const live = claim.groups.find((g) => g.part === msg.part && g.status === "sending" && (g.claimedAt ?? 0) >= nowMs - ctx.leaseMs);
  if (live) {
    // Another consumer holds this unit: come back when its lease would have run out.
    return { outcome: "leased", retryDelaySeconds: Math.max(1, Math.ceil(((live.claimedAt ?? nowMs) + ctx.leaseMs - nowMs) / 1000)) };
  }
  const children = openChildren(claim.groups, msg.part);
  if (children.length > 0) {
    // This unit was split but the halves' messages may have been lost: enqueue them again.
    ctx.budget.take(1);
    await ctx.queue.sendBatch(children.map((p) => ({ body: sendUnit(msg.editionId, msg.batch, p) })));
    return { outcome: "requeued" };
  }
  return { outcome: "done" };
}

/**
 * The provider refused the call: the account (pause the edition), the whole batch for one
 * address (split it), the recipients for good (fail), or for now (retry the same unit, same key).
 */
async function providerRefused(ctx: DeliveryContext, c: Claimed, error: Error): Promise<Settlement> {
  const { msg, token } = c;
  const attempts = Math.max(...c.claimed.map((d) => d.attempts));
  if (error instanceof AccountMailError) {
    // Not the recipients' fault, and nothing was accepted: back to pending, edition paused.
    ctx.budget.take(2);
    await releaseClaim(ctx.db, token, error.message, { final: false, now: new Date(ctx.now()), pending: true, refused: true });
    if (await pauseEdition(ctx.db, msg.editionId, error.message, new Date(ctx.now()))) {
      log.warn("delivery_paused", {
        editionId: msg.editionId,
        reason: error.message,
        resume: `POST /admin/editions/${msg.editionId}/send`,
      });
    }
    return { outcome: "paused" };
  }
  if (error instanceof PermanentMailError) {
    // An idempotency conflict means the provider saw this key with another payload:
    // splitting (new keys) could send twice, so the unit is failed as it stands.
    if (c.claimed.length > 1 && !(error instanceof IdempotencyConflictError)) {
      // The provider refused the whole batch and sent none of it: find the bad recipient(s).
      ctx.budget.take(2);
      const parts = await splitClaim(ctx.db, c.unit, token, c.claimed, error.message, new Date(ctx.now()));
      await ctx.queue.sendBatch(parts.map((p) => ({ body: sendUnit(msg.editionId, msg.batch, p) })));
      return { outcome: "split" };
    }
    ctx.budget.take(1);
    await releaseClaim(ctx.db, token, error.message, { final: true, now: new Date(ctx.now()) });
    ctx.summary.failed += c.claimed.length;
    return { outcome: "failed" };
  }
  // Transient (429, 5xx, timeout) or unknown: retry the same unit, same key, same payload.
  const rateLimited = error instanceof RateLimitedMailError;
  ctx.budget.take(1);
  await releaseClaim(ctx.db, token, error.message, { final: false, now: new Date(ctx.now()), refused: rateLimited });
  const retryAfter = error instanceof TransientMailError ? error.retryAfterSeconds : undefined;
  // A 429 holds every later call of this invocation too, not just this unit.
  if (rateLimited) ctx.pacer?.backOff(Math.min(60, retryAfter ?? 1));
  return { outcome: "retry", retryDelaySeconds: backoffSeconds(attempts, retryAfter) };
}
