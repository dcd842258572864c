// The cron handler. The daily cron builds this slot's edition and starts sending it; the frequent
// sweep cron (every 10 minutes) resumes anything a lost queue message or a dead invocation left
// behind (cron has no exactly-once promise, and neither do queues). See src/jobs/sweep.ts.
import { ConfigError, getConfig } from "../config";
import { refusedDeployment } from "../deploy-guard";
import { buildEdition, slotOf, type BuildResult } from "./build-edition";
import { startSend, type FanoutOptions } from "./fanout";
import type { Producer } from "./messages";
import { runSweep, SWEEP_CRON, type SweepResult } from "./sweep";

export { SWEEP_CRON };


/**
 * Dispatches a cron firing: the sweep for SWEEP_CRON, the edition build for any other.
 * @example ctx.waitUntil(handleScheduled(env, new Date(controller.scheduledTime), controller.cron));
 */
export async function handleScheduled(env: Env, scheduledTime: Date, cron: string): Promise<unknown> {
  if (cron === SWEEP_CRON) return runSweep(env.DB, env.DELIVERIES as Producer, new Date());
  return runScheduled(env, scheduledTime, cron);
}

/**
 * Builds the slot's edition and starts its delivery; a second run for the slot is a no-op.
 * The edition and its fan-out are recorded in one D1 transaction, so if this invocation dies
 * before the fan-out is enqueued, the sweep finds it and sends the edition.
 * @example await runScheduled(env, new Date(controller.scheduledTime), controller.cron);
 */
export async function runScheduled(
  env: Env,
  scheduledTime: Date,
  cron: string,
  deps: { queue?: Producer; fanout?: FanoutOptions; now?: Date } = {},
): Promise<{ build: BuildResult; sendStarted: boolean; resumed: number; sweep: SweepResult }> {
  const refused = refusedDeployment(env);
  if (refused.length > 0) throw new ConfigError(`Deployment refused: ${refused.join("; ")}`);
  const config = getConfig(env);
  const queue = deps.queue ?? (env.DELIVERIES as Producer);
  const batchSize = deps.fanout?.batchSize ?? config.deliveryBatchSize;
  const build = await buildEdition(env.DB, config, { slot: slotOf(scheduledTime), now: scheduledTime, send: { batchSize } });
  let sendStarted = false;
  if (build.status === "built") {
    // Also on a repeat run: if the first run died between build and send, this one sends.
    const started = await startSend(env.DB, queue, build.editionId, { ...deps.fanout, batchSize });
    sendStarted = build.created || started.created;
  }
  const sweep = await runSweep(env.DB, queue, deps.now ?? new Date());
  const resumed = sweep.fanouts + sweep.units;
  console.log(JSON.stringify({ event: "scheduled", cron, slot: build.slot, editionId: build.editionId, status: build.status, sendStarted, resumed }));
  return { build, sendStarted, resumed, sweep };
}
