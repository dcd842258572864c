// What the 10-minute cron does besides the delivery sweep: the operator's schedule (build and
// send the day's edition at the first tick at or after sendAt in their time zone, once per local
// date; with review on, it waits for approval instead), editions whose review deadline passed,
// and housekeeping that needs the settings (engagement events past retention are folded).
// An orchestration step beside ./scheduled.ts: it calls editions, delivery and webhooks, none calls it.
import { ConfigError } from "../config";
import { refusedDeployment } from "../deploy-guard";
import { makeDeps, type DepsOverrides } from "../deps";
import { holdForReview, overdueReviews } from "../editions/review";
import { sendStoredEdition } from "../delivery/service";
import { slotRecorded } from "../editions/service";
import type { BuildResult } from "../editions/types";
import { errorText, log } from "../log";
import { dueSlots } from "../settings/schedule";
import { currentSettings } from "../settings/service";
import { foldExpiredEngagement } from "../webhooks/engagement";
import { pruneMailEvents } from "../webhooks/store";
import { buildAndSend } from "./publish";

export interface TickResult {
  /** The slot built at this tick, if any. */
  build: BuildResult | null;
  /** Whether its send was started (false while it waits for review). */
  sendStarted: boolean;
  /** Editions sent because their review deadline passed. */
  released: string[];
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
    // Review on: the edition waits for the operator (or its deadline) instead of sending.
    if (settings.review && r.build.status === "built" && r.build.created) {
      await holdForReview(deps.db, r.build.editionId, deps.clock(), settings.reviewDeadlineMinutes);
    }
    log.info("scheduled_edition", { slot, status: r.build.status, editionId: r.build.editionId, sendStarted, review: settings.review });
    break;
  }
  const now = deps.clock();
  // Editions whose review deadline passed go out now.
  const released: string[] = [];
  for (const id of await overdueReviews(deps.db, now)) {
    const r = await sendStoredEdition(deps, id);
    if (r.outcome === "started") released.push(id);
  }
  if (released.length > 0) log.info("review_deadline_sent", { editions: released });
  // Housekeeping waits for a tick that built nothing: a build's ingest and fan-out already use
  // much of the invocation's subrequests (50 on the free plan).
  let folded = { editions: 0, rows: 0 };
  if (!build) {
    folded = await foldExpiredEngagement(deps.db, now, settings.eventRetentionDays).catch((e: unknown) => {
      log.error("engagement_fold_failed", { error: errorText(e) });
      return { editions: 0, rows: 0 };
    });
    await pruneMailEvents(deps.db, new Date(now.getTime() - settings.eventRetentionDays * 86_400_000)).catch((e: unknown) =>
      log.error("mail_events_prune_failed", { error: errorText(e) }),
    );
  }
  return { build, sendStarted, released, folded };
}
