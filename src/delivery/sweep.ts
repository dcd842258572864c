// The delivery sweep, the one place that resumes delivery work nobody else will: run on its own
// frequent cron (every 10 minutes) and after each daily build (src/jobs/scheduled.ts). Whatever a
// lost queue message or a dead invocation left behind is enqueued again (duplicates are
// harmless: claims are compare-and-set), and paused editions are tried again at a slow interval.
// - stranded editions: the build records the fan-out with the edition (one D1 transaction), so
//   an invocation that died before enqueuing it leaves a fan-out without progress: resumed;
// - stalled fan-outs: a lost continuation message: resumed from the cursor in D1;
// - stale units: rows left unsent for an hour (a lost send message, or handed over by the
//   consumer near the queue's retry limit): enqueued again, unless held or paused;
// - paused editions: after an hour, resumed once; if the account is still refused, the first
//   provider call pauses the edition again and the next try is an hour later.
// Needs no configuration, so it keeps working while a configuration error stops the consumer.
import { log } from "../log";
import { resumeSend } from "./fanout";
import { continueFanout, heldBefore, QUEUE_SEND_MAX, sendUnit, type DeliveryMessage, type Producer } from "./messages";
import { pausedEditions, stalledFanouts, staleUnits } from "./store";

export { SWEEP_CRON } from "./settings";

/** A fan-out with no progress for this long is presumed lost (a running one updates every page). */
export const STALLED_FANOUT_MS = 10 * 60_000;
/** Unsent rows untouched for this long are presumed lost (retries back off to 15 minutes). */
export const STALE_UNIT_MS = 60 * 60_000;
/** A paused edition is tried again this long after it paused. */
export const PAUSE_RETRY_MS = 60 * 60_000;
const SWEEP_LIMIT = 500;

export interface SweepResult {
  /** Fan-outs enqueued again (stranded editions and stalled fan-outs). */
  fanouts: number;
  /** Units enqueued again. */
  units: number;
  /** Paused editions tried again. */
  paused: number;
}

/**
 * One sweep at `now`: enqueues what was lost, retries what paused. Logs one line.
 * @example await runSweep(env.DB, env.DELIVERIES, new Date());
 */
export async function runSweep(db: D1Database, queue: Producer, now: Date): Promise<SweepResult> {
  const nowMs = now.getTime();
  const [fanouts, units, paused] = await Promise.all([
    stalledFanouts(db, new Date(nowMs - STALLED_FANOUT_MS), 50),
    staleUnits(db, new Date(nowMs - STALE_UNIT_MS), SWEEP_LIMIT, heldBefore(nowMs)),
    pausedEditions(db, new Date(nowMs - PAUSE_RETRY_MS), 5),
  ]);
  const bodies: DeliveryMessage[] = [
    ...fanouts.map((id) => continueFanout(id)),
    ...units.map((u) => sendUnit(u.editionId, u.batch, u.part)),
  ];
  for (let i = 0; i < bodies.length; i += QUEUE_SEND_MAX)
    await queue.sendBatch(bodies.slice(i, i + QUEUE_SEND_MAX).map((body) => ({ body })));
  for (const editionId of paused) await resumeSend(db, queue, editionId, { now: () => now });
  const result = { fanouts: fanouts.length, units: units.length, paused: paused.length };
  log.info("sweep", { ...result, pausedEditions: paused });
  return result;
}
