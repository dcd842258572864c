// The queue dispatch: every message on the deliveries queue is one feature's, delivery's "send"
// and "fanout" or subscriptions' "confirm". A batch is read once here, each message handed to
// its feature's handler, and acked or retried by the result; the dead-letter queue's messages
// go to the same features' dead-letter handling. The Worker's `queue` handler comes here.
import * as z from "zod/mini";
import "../validation";
import { ConfigError } from "../config";
import { refusedDeployment } from "../deploy-guard";
import { makeDeps, type DepsOverrides } from "../deps";
import {
  backoffSeconds,
  deliveryContext,
  fanoutOne,
  finishDeliveries,
  sendOne,
  type DeliveryCounts,
  type DeliveryOptions,
  type DeliveryOutcome,
} from "../delivery/consumer";
import { failDeadLettered } from "../delivery/dead-letter";
import {
  DEAD_LETTER_QUEUE,
  fanoutMessage,
  HANDOFF_ATTEMPTS,
  sendMessage,
  type FanoutMessage,
  type SendMessage,
} from "../delivery/messages";
import { errorText, log } from "../log";
import { confirmMessage, type ConfirmMessage } from "../subscriptions/messages";
import { deliverConfirmation } from "../subscriptions/service";

/** Every message kind the deliveries queue carries, each owned by its feature. */
export const queueMessage = z.discriminatedUnion("kind", [sendMessage, fanoutMessage, confirmMessage]);
export type QueueMessage = z.infer<typeof queueMessage>;

/**
 * A message body checked against the schema, or null for anything else.
 * @example const msg = parseQueueMessage(message.body); if (!msg) message.ack();
 */
export function parseQueueMessage(body: unknown): QueueMessage | null {
  const parsed = queueMessage.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/**
 * The Worker's queue handler: the dead-letter queue's batches, or the deliveries queue's.
 * @example export default { queue: (batch, env) => handleQueue(batch, env) }
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<unknown> {
  return batch.queue === DEAD_LETTER_QUEUE ? handleDeadLetterBatch(batch, env) : handleDeliveryBatch(batch, env);
}

/** The shared overrides (transport, queue, clock: tests move it past the lease to play a consumer that died), and the consumer's own. */
export interface ConsumerDeps extends DepsOverrides, DeliveryOptions {}

export type Outcome = DeliveryOutcome | "malformed" | "config-error" | "handed-to-sweep" | "confirmation";

export interface BatchSummary extends DeliveryCounts {
  messages: number;
  outcomes: Partial<Record<Outcome, number>>;
  subrequests: number;
}

/** A batch's messages by kind; the same unit (or fan-out) twice, a duplicate delivery, is handled once and settles both. */
interface Sorted {
  sends: Map<string, { msg: SendMessage; messages: Message<unknown>[] }>;
  fanouts: Map<string, { msg: FanoutMessage; messages: Message<unknown>[] }>;
  confirmations: Array<{ msg: ConfirmMessage; message: Message<unknown> }>;
}

/** Sorts a batch by kind; a malformed message can never succeed: acked, not retried forever, and logged. */
function sortBatch(batch: MessageBatch<unknown>, count: (o: Outcome) => void): Sorted {
  const sorted: Sorted = { sends: new Map(), fanouts: new Map(), confirmations: [] };
  for (const message of batch.messages) {
    const msg = parseQueueMessage(message.body);
    if (!msg) {
      log.warn("delivery_message_malformed", {
        queue: batch.queue,
        id: message.id,
        body: String(JSON.stringify(message.body)).slice(0, 200),
      });
      message.ack();
      count("malformed");
    } else if (msg.kind === "confirm") {
      sorted.confirmations.push({ msg, message });
    } else if (msg.kind === "send") {
      const key = `${msg.editionId}/${msg.batch}/${msg.part}`;
      const seen = sorted.sends.get(key);
      if (seen) seen.messages.push(message);
      else sorted.sends.set(key, { msg, messages: [message] });
    } else {
      const seen = sorted.fanouts.get(msg.editionId);
      if (seen) seen.messages.push(message);
      else sorted.fanouts.set(msg.editionId, { msg, messages: [message] });
    }
  }
  return sorted;
}

/**
 * Handles one batch from the deliveries queue; acks or retries every message explicitly, so a
 * throw part-way leaves finished messages acked and the rest to be redelivered.
 * @example export default { queue: (batch, env) => handleDeliveryBatch(batch, env) }
 */
export async function handleDeliveryBatch(batch: MessageBatch<unknown>, env: Env, deps: ConsumerDeps = {}): Promise<BatchSummary> {
  const started = Date.now();
  let shared: ReturnType<typeof makeDeps>;
  try {
    const refused = refusedDeployment(env);
    if (refused.length > 0) throw new ConfigError(`Deployment refused: ${refused.join("; ")}`);
    shared = makeDeps(env, deps);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return configTrouble(batch, err);
  }
  const summary: BatchSummary = { messages: batch.messages.length, outcomes: {}, sent: 0, failed: 0, skipped: 0, subrequests: 0 };
  const count = (o: Outcome) => (summary.outcomes[o] = (summary.outcomes[o] ?? 0) + 1);
  const ctx = deliveryContext(shared, summary, deps);
  const { sends, fanouts, confirmations } = sortBatch(batch, count);

  // Sends first, a few at a time (Workers allow 6 open connections). Each costs 3 subrequests
  // (claim, provider, record), at most 6 (an edition re-read, storing new subscribers' tokens, a
  // pause): wrangler.toml gives each invocation one message, and a batch of up to 7 would still
  // fit the budget; the fan-out gets what is left.
  const queue = [...sends.values()];
  const workers = Array.from({ length: Math.min(4, queue.length) }, async () => {
    for (let item = queue.shift(); item; item = queue.shift()) await settle(item.messages, () => sendOne(ctx, item.msg), count);
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
  for (const item of fanouts.values()) await settle(item.messages, () => fanoutOne(ctx, item.msg), count);

  const { subrequests, pacedMs } = await finishDeliveries(ctx);
  summary.subrequests = subrequests;
  log.info("delivery_batch", { queue: batch.queue, ...summary, pacedMs, ms: Date.now() - started });
  return summary;
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

/**
 * The dead-letter queue: records each dead-lettered message's unit (or fan-out) as failed for
 * good, never retried, and acks it; a confirmation is only logged (the person can ask again).
 * @example export default { queue: (batch, env) => handleDeadLetterBatch(batch, env) }
 */
export async function handleDeadLetterBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  deps: Pick<DepsOverrides, "clock"> = {},
): Promise<{ units: number; rows: number; fanouts: number; malformed: number }> {
  const now = deps.clock ?? (() => new Date());
  const summary = { units: 0, rows: 0, fanouts: 0, malformed: 0 };
  for (const message of batch.messages) {
    const msg = parseQueueMessage(message.body);
    try {
      if (!msg) {
        summary.malformed++;
        log.warn("dead_letter_malformed", { id: message.id, body: String(JSON.stringify(message.body)).slice(0, 200) });
      } else if (msg.kind === "confirm") {
        // The person can ask again; the weekly cap counted this one.
        log.warn("confirmation_dead_lettered", { subscriberId: msg.subscriberId });
      } else {
        if (msg.kind === "send") summary.units++;
        else summary.fanouts++;
        summary.rows += await failDeadLettered(env.DB, msg, message.attempts, now());
      }
      message.ack();
    } catch (err) {
      log.error("dead_letter_error", { id: message.id, error: errorText(err) });
      message.retry({ delaySeconds: 30 });
    }
  }
  log.info("dead_letter_batch", { queue: batch.queue, messages: batch.messages.length, ...summary });
  return summary;
}
