// Delivery's dead letters: a message that exhausted its retries lands on the dead-letter queue
// (src/jobs/queue.ts reads it), and what it was trying to send is recorded as failed for good
// (visible in the admin API), never retried.
import type { DeliveryMessage } from "./messages";
import { failFanout, failUnitForGood } from "./store";

/**
 * Records a dead-lettered delivery message's unit (or fan-out) as failed; returns the rows failed.
 * @example summary.rows += await failDeadLettered(env.DB, msg, message.attempts, new Date());
 */
export async function failDeadLettered(db: D1Database, msg: DeliveryMessage, attempts: number, now: Date): Promise<number> {
  if (msg.kind === "send") {
    const unit = { editionId: msg.editionId, batch: msg.batch, part: msg.part };
    return failUnitForGood(db, unit, `retries exhausted after ${attempts} attempts`, now);
  }
  await failFanout(db, msg.editionId, "fan-out retries exhausted; POST /admin/editions/:id/send resumes it", now);
  return 0;
}
