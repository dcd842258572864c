// The cron handler: build this slot's edition, start sending it, and resume anything a lost
// queue message left behind (cron has no exactly-once promise, and neither do queues).
import { getConfig } from "../config";
import { stalledFanouts, staleUnits } from "../delivery/store";
import { buildEdition, slotOf, type BuildResult } from "./build";
import { startSend, type FanoutOptions } from "../delivery/fanout";
import { continueFanout, QUEUE_SEND_MAX, sendUnit, type Producer } from "../delivery/messages";

/** Work older than this with no progress is presumed lost and enqueued again (duplicates are harmless). */
const STALE_AFTER_MS = 60 * 60_000;
const SWEEP_LIMIT = 500;

/**
 * Builds the slot's edition and starts its delivery; a second run for the slot is a no-op.
 * @example ctx.waitUntil(runScheduled(env, new Date(controller.scheduledTime), controller.cron));
 */
export async function runScheduled(
  env: Env,
  scheduledTime: Date,
  cron: string,
  deps: { queue?: Producer; fanout?: FanoutOptions } = {},
): Promise<{ build: BuildResult; sendStarted: boolean; resumed: number }> {
  const config = getConfig(env);
  const queue = deps.queue ?? (env.DELIVERIES as Producer);
  const build = await buildEdition(env.DB, config, { slot: slotOf(scheduledTime), now: scheduledTime });
  let sendStarted = false;
  if (build.status === "built") {
    // Also on a repeat run: if the first run died between build and send, this one sends.
    const { created } = await startSend(env.DB, queue, build.editionId, { batchSize: config.deliveryBatchSize, ...deps.fanout });
    sendStarted = created;
  }
  const resumed = await sweep(env.DB, queue, new Date(Date.now() - STALE_AFTER_MS));
  console.log(JSON.stringify({ event: "scheduled", cron, slot: build.slot, editionId: build.editionId, status: build.status, sendStarted, resumed }));
  return { build, sendStarted, resumed };
}

/** Re-enqueues stalled fan-outs and units untouched for an hour; returns how many. */
async function sweep(db: D1Database, queue: Producer, before: Date): Promise<number> {
  const [fanouts, units] = await Promise.all([stalledFanouts(db, before, 50), staleUnits(db, before, SWEEP_LIMIT)]);
  const bodies = [...fanouts.map((id) => continueFanout(id)), ...units.map((u) => sendUnit(u.editionId, u.batch, u.part))];
  for (let i = 0; i < bodies.length; i += QUEUE_SEND_MAX) await queue.sendBatch(bodies.slice(i, i + QUEUE_SEND_MAX).map((body) => ({ body })));
  return bodies.length;
}
