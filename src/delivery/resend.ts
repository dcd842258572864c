// Operator decisions about rows the pipeline will not send again by itself:
// - "failed": recipients whose failure was final (a per-address rejection, or retries that ran
//   out before this fix), resent after the cause was fixed;
// - "held": rows whose Idempotency-Key is older than the provider's memory (24 h), which might
//   or might not have been sent; resent only when the operator says so (check the provider's log).
// Both get new provider batches after the fan-out's last, so new keys: the provider cannot
// confuse them with the earlier calls.
import { log } from "../log";
import { heldBefore, QUEUE_SEND_MAX, sendUnit, type Producer } from "./messages";
import { resendRows } from "./store";

export type ResendKind = "failed" | "held";

/**
 * Moves the edition's `which` rows to new units and enqueues them; null while the fan-out is
 * still snapshotting (try again when it is done).
 * @example const r = await resendEdition(env.DB, env.DELIVERIES, "2026-11-23", "failed");
 */
export async function resendEdition(
  db: D1Database,
  queue: Producer,
  editionId: string,
  which: ResendKind,
  now: Date = new Date(),
): Promise<{ units: number } | null> {
  const units = await resendRows(db, editionId, which, now, heldBefore(now.getTime()));
  if (units === null) return null;
  for (let i = 0; i < units.length; i += QUEUE_SEND_MAX) {
    await queue.sendBatch(units.slice(i, i + QUEUE_SEND_MAX).map((u) => ({ body: sendUnit(u.editionId, u.batch, u.part) })));
  }
  log.info("delivery_resend", { editionId, which, units: units.length });
  return { units: units.length };
}
