// What the 10-minute cron does besides the delivery sweep: the operator's schedule (build and
// send the day's edition at the first tick at or after sendAt in their time zone, once per local
// date) and housekeeping that needs the settings (engagement events past retention are folded).
// An orchestration step like src/editions/cron.ts: it calls editions and webhooks, neither calls it.
import { ConfigError } from "../config";
import { refusedDeployment } from "../deploy-guard";
import { makeDeps, type DepsOverrides } from "../deps";
import { buildAndSend, slotRecorded } from "../editions/service";
import type { BuildResult } from "../editions/types";
import { errorText, log } from "../log";
import { dueSlots } from "../settings/schedule";
import { currentSettings } from "../settings/service";
import { foldExpiredEngagement } from "../webhooks/engagement";
import { pruneMailEvents } from "../webhooks/store";

export interface TickResult {
  /** The slot built at this tick, if any. */
  build: BuildResult | null;
  /** Whether its send was started (false while it waits for review). */
  sendStarted: boolean;
  folded: { editions: number; rows: number };
}

/**
 * One tick at `at` (the cron's scheduled time): builds and sends the due edition, if any, and
 * folds expired engagement. A configuration error or a refused deployment stops this part only.
 * @example await runScheduleTick(env, new Date(controller.scheduledTime));
 */
export async function runScheduleTick(env: Env, at: Date, overrides: DepsOverrides = {}): Promise<TickResult | null> {
  if (refusedDeployment(env).length > 0) return null;
  let deps: ReturnType<typeof makeDeps>;
  try {
    deps = makeDeps(env, overrides);
  } catch (e) {
    if (e instanceof ConfigError) return null;
    throw e;
  }
  const settings = await currentSettings(deps);
  let build: BuildResult | null = null;
  let sendStarted = false;
  for (const slot of dueSlots(at, settings)) {
    if (await slotRecorded(deps, slot)) continue;
    const r = await buildAndSend(deps, { slot, now: at, send: !settings.review });
    build = r.build;
    sendStarted = r.send?.created ?? false;
    log.info("scheduled_edition", { slot, status: r.build.status, editionId: r.build.editionId, sendStarted, review: settings.review });
    break;
  }
  const now = deps.clock();
  const folded = await foldExpiredEngagement(deps.db, now, settings.eventRetentionDays).catch((e: unknown) => {
    log.error("engagement_fold_failed", { error: errorText(e) });
    return { editions: 0, rows: 0 };
  });
  await pruneMailEvents(deps.db, new Date(now.getTime() - settings.eventRetentionDays * 86_400_000)).catch((e: unknown) =>
    log.error("mail_events_prune_failed", { error: errorText(e) }),
  );
  return { build, sendStarted, folded };
}
