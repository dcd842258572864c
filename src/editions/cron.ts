// The cron handler: build this slot's edition, start sending it, and resume anything a lost
// queue message left behind (cron has no exactly-once promise, and neither do queues).
import { makeDeps, type DepsOverrides } from "../deps";
import { resumeStalled, STALE_AFTER_MS } from "../delivery/sweep";
import { log } from "../log";
import { buildAndSend, slotOf } from "./service";
import type { BuildResult } from "./types";

/**
 * Builds the slot's edition and starts its delivery; a second run for the slot is a no-op.
 * @example ctx.waitUntil(runScheduled(env, new Date(controller.scheduledTime), controller.cron));
 */
export async function runScheduled(
  env: Env,
  scheduledTime: Date,
  cron: string,
  overrides: DepsOverrides = {},
): Promise<{ build: BuildResult; sendStarted: boolean; resumed: number }> {
  const deps = makeDeps(env, overrides);
  // Also on a repeat run: if the first run died between build and send, this one sends.
  const { build, send } = await buildAndSend(deps, { slot: slotOf(scheduledTime), now: scheduledTime, send: true });
  const sendStarted = send?.created ?? false;
  const resumed = await resumeStalled(deps.db, deps.queue, new Date(deps.clock().getTime() - STALE_AFTER_MS));
  log.info("scheduled", { cron, slot: build.slot, editionId: build.editionId, status: build.status, sendStarted, resumed });
  return { build, sendStarted, resumed };
}
