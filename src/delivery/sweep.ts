// Resumes delivery work a lost queue message left behind: fan-outs that stopped making progress
// and units untouched for a while are enqueued again (a duplicate is harmless: claims are CAS).
import { continueFanout, QUEUE_SEND_MAX, sendUnit, type Producer } from "./messages";
import { stalledFanouts, staleUnits } from "./store";

/** Work older than this with no progress is presumed lost and enqueued again. */
export const STALE_AFTER_MS = 60 * 60_000;
const SWEEP_LIMIT = 500;

/**
 * Re-enqueues stalled fan-outs and units untouched since `before`; returns how many.
 * @example const resumed = await resumeStalled(env.DB, queue, new Date(Date.now() - STALE_AFTER_MS));
 */
export async function resumeStalled(db: D1Database, queue: Producer, before: Date): Promise<number> {
  const [fanouts, units] = await Promise.all([stalledFanouts(db, before, 50), staleUnits(db, before, SWEEP_LIMIT)]);
  const bodies = [...fanouts.map((id) => continueFanout(id)), ...units.map((u) => sendUnit(u.editionId, u.batch, u.part))];
  for (let i = 0; i < bodies.length; i += QUEUE_SEND_MAX) await queue.sendBatch(bodies.slice(i, i + QUEUE_SEND_MAX).map((body) => ({ body })));
  return bodies.length;
}
