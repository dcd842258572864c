// The dead-letter queue consumer: messages that exhausted their retries land here. What they
// were trying to send is recorded as failed for good (visible in the admin API), never retried.
import type { DepsOverrides } from "../deps";
import { errorText, log } from "../log";
import { parseDeliveryMessage } from "./messages";
import { failFanout, failUnitForGood } from "./store";

/**
 * Records each dead-lettered message's unit (or fan-out) as failed and acks it.
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
    const msg = parseDeliveryMessage(message.body);
    try {
      if (!msg) {
        summary.malformed++;
        log.warn("dead_letter_malformed", { id: message.id, body: String(JSON.stringify(message.body)).slice(0, 200) });
      } else if (msg.kind === "send") {
        summary.units++;
        summary.rows += await failUnitForGood(
          env.DB,
          { editionId: msg.editionId, batch: msg.batch, part: msg.part },
          `retries exhausted after ${message.attempts} attempts`,
          now(),
        );
      } else if (msg.kind === "confirm") {
        // The person can ask again; the weekly cap counted this one.
        log.warn("confirmation_dead_lettered", { subscriberId: msg.subscriberId });
      } else {
        summary.fanouts++;
        await failFanout(env.DB, msg.editionId, "fan-out retries exhausted; POST /admin/editions/:id/send resumes it", now());
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
