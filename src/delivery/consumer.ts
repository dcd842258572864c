// The deliveries queue consumer. Each "send" message names one unit (a provider batch of up to
// 100 recipients); the consumer claims it in D1 with a compare-and-set, sends it in one provider
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
import { ConfigError, type Config } from "../config";
import { refusedDeployment } from "../deploy-guard";
import { makeDeps, type Deps, type DepsOverrides } from "../deps";
import { getSendableEdition } from "../editions/store";
import type { SendableEdition } from "../editions/types";
import { errorText, log } from "../log";
import {
  AccountMailError,
  IdempotencyConflictError,
  PermanentMailError,
  RateLimitedMailError,
  TransientMailError,
  type MailTransport,
  type SentEmail,
} from "../mail/types";
import { deliverConfirmation } from "../subscriptions/service";
import { signingKid, unsubscribeToken } from "../subscriptions/tokens";
import { claimUnit, pauseEdition, recordSent, releaseClaim, splitClaim, storeUnsubscribeTokens, type UnitGroup } from "./store";
import { SubrequestBudget } from "./budget";
import { composeEmails } from "./compose";
import { runFanout, type FanoutOptions } from "./fanout";
import {
  HANDOFF_ATTEMPTS,
  heldBefore,
  idempotencyKey,
  parseDeliveryMessage,
  sendUnit,
  type ConfirmMessage,
  type FanoutMessage,
  type Producer,
  type SendMessage,
} from "./messages";
import { Pacer, type Sleep } from "./pacing";

/** How long a claim is exclusive: well above one provider call's timeout (10 s) plus D1. */
export const LEASE_MS = 60_000;
export { HANDOFF_ATTEMPTS };
/** Exponential backoff for transient provider errors: 10 s, 20 s, 40 s ... capped at 15 min. */
export const BACKOFF_BASE_SECONDS = 10;
export const BACKOFF_MAX_SECONDS = 900;

/** The shared overrides (transport, queue, clock: tests move it past the lease to play a consumer that died), and the consumer's own. */
export interface ConsumerDeps extends DepsOverrides {
  leaseMs?: number;
  fanout?: FanoutOptions;
  budget?: SubrequestBudget;
  /** How the pacer waits; tests record the waits instead of sleeping. */
  sleep?: Sleep;
}

export type Outcome =
  | "sent"
  | "failed"
  | "split"
  | "retry"
  | "leased"
  | "done"
  | "requeued"
  | "malformed"
  | "fanout"
  | "paused"
  | "held"
  | "config-error"
  | "handed-to-sweep"
  | "confirmation";

export interface BatchSummary {
  messages: number;
  outcomes: Partial<Record<Outcome, number>>;
  sent: number;
  failed: number;
  skipped: number;
  subrequests: number;
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

interface Context {
  env: Env;
  config: Config;
  transport: MailTransport;
  pacer: Pacer | null;
  queue: Producer;
  now: () => number;
  leaseMs: number;
  budget: SubrequestBudget;
  summary: BatchSummary;
}

/**
 * Handles one batch from the deliveries queue; acks or retries every message explicitly, so a
 * throw part-way leaves finished messages acked and the rest to be redelivered.
 * @example export default { queue: (batch, env) => handleDeliveryBatch(batch, env) }
 */
export async function handleDeliveryBatch(batch: MessageBatch<unknown>, env: Env, deps: ConsumerDeps = {}): Promise<BatchSummary> {
  const started = Date.now();
  let shared: Deps;
  try {
    const refused = refusedDeployment(env);
    if (refused.length > 0) throw new ConfigError(`Deployment refused: ${refused.join("; ")}`);
    shared = makeDeps(env, deps);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return configTrouble(batch, err);
  }
  const { config } = shared;
  const transport = shared.mail("bulk");
  const now = () => shared.clock().getTime();
  const ctx: Context = {
    env,
    config,
    transport,
    // The outbox is local: nothing to pace.
    pacer: transport.name === "outbox" ? null : Pacer.forRate(config.providerRate, config.deliveryConcurrency, now, deps.sleep),
    queue: shared.queue,
    now,
    leaseMs: deps.leaseMs ?? LEASE_MS,
    budget: deps.budget ?? new SubrequestBudget(),
    summary: { messages: batch.messages.length, outcomes: {}, sent: 0, failed: 0, skipped: 0, subrequests: 0 },
  };
  const count = (o: Outcome) => (ctx.summary.outcomes[o] = (ctx.summary.outcomes[o] ?? 0) + 1);

  const sends = new Map<string, { msg: SendMessage; messages: Message<unknown>[] }>();
  const confirmations: Array<{ msg: ConfirmMessage; message: Message<unknown> }> = [];
  const fanouts = new Map<string, { msg: FanoutMessage; messages: Message<unknown>[] }>();
  for (const message of batch.messages) {
    const msg = parseDeliveryMessage(message.body);
    if (!msg) {
      // Can never succeed: ack it so it is not retried forever, and say so in the logs.
      log.warn("delivery_message_malformed", {
        queue: batch.queue,
        id: message.id,
        body: String(JSON.stringify(message.body)).slice(0, 200),
      });
      message.ack();
      count("malformed");
      continue;
    }
    if (msg.kind === "confirm") {
      confirmations.push({ msg, message });
      continue;
    }
    // The same unit twice in one batch (a duplicate delivery): handle once, settle both.
    const key = msg.kind === "send" ? `${msg.editionId}/${msg.batch}/${msg.part}` : msg.editionId;
    const group = msg.kind === "send" ? sends : fanouts;
    const seen = group.get(key) as { messages: Message<unknown>[] } | undefined;
    if (seen) seen.messages.push(message);
    else (group as Map<string, { msg: typeof msg; messages: Message<unknown>[] }>).set(key, { msg, messages: [message] });
  }

  // Sends first, a few at a time (Workers allow 6 open connections). Each costs 3 subrequests
  // (claim, provider, record), at most 6 (an edition re-read, storing new subscribers' tokens, a
  // pause): wrangler.toml gives each invocation one message, and a batch of up to 7 would still
  // fit the budget; the fan-out gets what is left.
  const queue = [...sends.values()];
  const workers = Array.from({ length: Math.min(4, queue.length) }, async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      await settle(
        item.messages,
        () => sendOne(ctx, item.msg),
        (o) => count(o),
      );
    }
  });
  await Promise.all(workers);
  // Confirmation mails go through the transactional transport, one call each; a failure is
  // retried with backoff (a repeat sends nothing once the person has confirmed).
  for (const { msg, message } of confirmations) {
    await settle(
      [message],
      async () => {
        const sent = await deliverConfirmation(shared, msg.subscriberId, msg.nonce);
        log.info("confirmation_mail", { subscriberId: msg.subscriberId, sent });
        return { outcome: "confirmation" as const };
      },
      count,
    );
  }
  for (const item of fanouts.values()) {
    await settle(
      item.messages,
      async () => {
        const run = await runFanout(env.DB, ctx.queue, item.msg.editionId, ctx.budget, {
          tokenKid: await signingKid(config),
          ...deps.fanout,
        });
        const { editionId, outcome, pages, messages } = run;
        log.info("fanout_run", { editionId, outcome, pages, messages, batches: run.state?.batches, enqueued: run.state?.enqueued });
        return { outcome: "fanout" as const };
      },
      count,
    );
  }

  // Hold this concurrency slot until the last call's interval has passed (see pacing.ts).
  await ctx.pacer?.settle();
  ctx.summary.subrequests = ctx.budget.used;
  log.info("delivery_batch", { queue: batch.queue, ...ctx.summary, pacedMs: ctx.pacer?.waited ?? 0, ms: Date.now() - started });
  return ctx.summary;
}

/**
 * The consumer cannot run with this configuration: touch nothing (no row is claimed, so no
 * recipient can fail) and retry like a transient error; near the queue's retry limit, ack and
 * leave the rows to the sweep instead of the dead-letter queue.
 */
function configTrouble(batch: MessageBatch<unknown>, err: ConfigError): BatchSummary {
  const summary: BatchSummary = { messages: batch.messages.length, outcomes: {}, sent: 0, failed: 0, skipped: 0, subrequests: 0 };
  for (const m of batch.messages) {
    const outcome: Outcome = m.attempts >= HANDOFF_ATTEMPTS ? "handed-to-sweep" : "config-error";
    if (outcome === "handed-to-sweep") m.ack();
    else m.retry({ delaySeconds: backoffSeconds(m.attempts) });
    summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
  }
  log.error("delivery_config_error", { queue: batch.queue, error: err.message, ...summary });
  return summary;
}

type Settlement = { outcome: Outcome; retryDelaySeconds?: number };

/** Runs one message's work and acks or retries its message(s) by the result; never throws. */
async function settle(messages: Message<unknown>[], work: () => Promise<Settlement>, count: (o: Outcome) => void): Promise<void> {
  let result: Settlement;
  try {
    result = await work();
  } catch (err) {
    // Unexpected (D1 unavailable, a bug): retry with backoff; the claim, if any, is either
    // released or expires, and the retry resends under the same key.
    const attempts = Math.max(...messages.map((m) => m.attempts));
    log.error("delivery_message_error", { error: errorText(err), attempts });
    result = { outcome: "retry", retryDelaySeconds: backoffSeconds(attempts) };
  }
  // The dead-letter queue fails recipients for good; trouble that is not theirs never goes
  // there: near the retry limit the rows are left (retryable) to the sweep instead.
  const attempts = Math.max(...messages.map((m) => m.attempts));
  const handOff = result.retryDelaySeconds !== undefined && attempts >= HANDOFF_ATTEMPTS;
  count(handOff ? "handed-to-sweep" : result.outcome);
  for (const m of messages) {
    if (result.retryDelaySeconds !== undefined && !handOff) m.retry({ delaySeconds: result.retryDelaySeconds });
    else m.ack();
  }
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
  ctx: Context,
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
  await storeUnsubscribeTokens(ctx.env.DB, signed, await signingKid(ctx.config));
  const byId = new Map(signed.map((s) => [s.deliveryId, s.token]));
  return claimed.map((d) => (d.unsubscribeToken ? d : { ...d, unsubscribeToken: byId.get(d.id)! }));
}

async function sendOne(ctx: Context, msg: SendMessage): Promise<Settlement> {
  const { env, summary } = ctx;
  const unit = { editionId: msg.editionId, batch: msg.batch, part: msg.part };
  const token = crypto.randomUUID();
  const nowMs = ctx.now();
  const cached = editionCache.get(msg.editionId);
  ctx.budget.take(1);
  const claim = await claimUnit(env.DB, unit, token, {
    nowMs,
    leaseMs: ctx.leaseMs,
    withEdition: !cached,
    heldBeforeMs: heldBefore(nowMs),
  });
  summary.skipped += claim.skipped;
  let edition = cached && claim.editionStamp === cached.createdAt ? cached : claim.edition;
  if (cached && !edition && claim.editionStamp !== null) {
    // A different edition under a cached id (rows were deleted and the id reused): read it.
    ctx.budget.take(1);
    edition = await getSendableEdition(env.DB, msg.editionId);
  }
  if (edition && edition !== cached) remember(edition);

  if (claim.claimed.length === 0) {
    // Paused: the rows wait (pending) for `send` or the sweep, which enqueue them again.
    if (claim.paused) return { outcome: "paused" };
    if (claim.held > 0) {
      log.warn("delivery_held", {
        ...unit,
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

  const release = async (error: string, final: boolean) => {
    ctx.budget.take(1);
    await releaseClaim(env.DB, token, error, { final, now: new Date(ctx.now()) });
  };
  if (!edition) {
    await release(`edition ${msg.editionId} is not a built edition`, true);
    summary.failed += claim.claimed.length;
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
    const error = err instanceof Error ? err : new Error(String(err));
    const attempts = Math.max(...claim.claimed.map((d) => d.attempts));
    if (error instanceof AccountMailError) {
      // Not the recipients' fault, and nothing was accepted: back to pending, edition paused.
      ctx.budget.take(2);
      await releaseClaim(env.DB, token, error.message, { final: false, now: new Date(ctx.now()), pending: true, refused: true });
      if (await pauseEdition(env.DB, msg.editionId, error.message, new Date(ctx.now()))) {
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
      if (claim.claimed.length > 1 && !(error instanceof IdempotencyConflictError)) {
        // The provider refused the whole batch and sent none of it: find the bad recipient(s).
        ctx.budget.take(2);
        const parts = await splitClaim(env.DB, unit, token, claim.claimed, error.message, new Date(ctx.now()));
        await ctx.queue.sendBatch(parts.map((p) => ({ body: sendUnit(msg.editionId, msg.batch, p) })));
        return { outcome: "split" };
      }
      await release(error.message, true);
      summary.failed += claim.claimed.length;
      return { outcome: "failed" };
    }
    // Transient (429, 5xx, timeout) or unknown: retry the same unit, same key, same payload.
    const rateLimited = error instanceof RateLimitedMailError;
    ctx.budget.take(1);
    await releaseClaim(env.DB, token, error.message, { final: false, now: new Date(ctx.now()), refused: rateLimited });
    const retryAfter = error instanceof TransientMailError ? error.retryAfterSeconds : undefined;
    // A 429 holds every later call of this invocation too, not just this unit.
    if (rateLimited) ctx.pacer?.backOff(Math.min(60, retryAfter ?? 1));
    return { outcome: "retry", retryDelaySeconds: backoffSeconds(attempts, retryAfter) };
  }
  ctx.budget.take(1);
  await recordSent(
    env.DB,
    claim.claimed.map((d, i) => ({ id: d.id, providerId: results[i]?.providerId ?? "unknown" })),
    new Date(ctx.now()),
  );
  summary.sent += claim.claimed.length;
  return { outcome: "sent" };
}
