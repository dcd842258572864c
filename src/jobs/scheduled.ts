// The cron handler. The one cron (every 10 minutes) resumes anything a lost queue message or a
// dead invocation left behind (cron has no exactly-once promise, and neither do queues; see
// src/delivery/sweep.ts), purges week-old pending signups, and runs the operator's schedule
// (./tick.ts), which publishes the day's edition when it is due. Any other cron expression (only
// fired by hand, /__scheduled?cron=...) publishes the minute's slot at once (./publish.ts).
import { ConfigError } from "../config";
import { refusedDeployment } from "../deploy-guard";
import { makeBaseDeps, makeDeps, type DepsOverrides } from "../deps";
import { runSweep, SWEEP_CRON, type SweepResult } from "../delivery/sweep";
import { slotOf } from "../editions/build";
import type { BuildResult } from "../editions/types";
import { log } from "../log";
import { purgeStalePending } from "../subscriptions/lifecycle";
import { buildAndSend } from "./publish";
import { runScheduleTick } from "./tick";

export { SWEEP_CRON };

/**
 * Dispatches a cron firing: the sweep and the schedule for SWEEP_CRON, the edition build for any other.
 * @example ctx.waitUntil(handleScheduled(env, new Date(controller.scheduledTime), controller.cron));
 */
export async function handleScheduled(env: Env, scheduledTime: Date, cron: string): Promise<unknown> {
  // The sweep needs no configuration: it keeps working while a configuration error stops the rest.
  if (cron === SWEEP_CRON) {
    const { db, queue, clock } = makeBaseDeps(env);
    const sweep = await runSweep(db, queue, clock());
    // Pending signups never confirmed within a week go (no configuration needed either).
    const purged = await purgeStalePending(db, clock());
    // The operator's schedule (./tick.ts): the day's edition when it is due.
    const schedule = await runScheduleTick(env, scheduledTime);
    return { ...sweep, purged, schedule };
  }
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
  overrides: DepsOverrides = {},
): Promise<{ build: BuildResult; sendStarted: boolean; resumed: number; sweep: SweepResult }> {
  const refused = refusedDeployment(env);
  if (refused.length > 0) throw new ConfigError(`Deployment refused: ${refused.join("; ")}`);
  const deps = makeDeps(env, overrides);
  // Also on a repeat run: if the first run died between build and send, this one sends.
  const { build, send } = await buildAndSend(deps, { slot: slotOf(scheduledTime), now: scheduledTime, send: true });
  const sendStarted = send?.created ?? false;
  const sweep = await runSweep(deps.db, deps.queue, deps.clock());
  const resumed = sweep.fanouts + sweep.units;
  log.info("scheduled", { cron, slot: build.slot, editionId: build.editionId, status: build.status, sendStarted, resumed });
  return { build, sendStarted, resumed, sweep };
}
