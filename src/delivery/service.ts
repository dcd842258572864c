// The sending operations, what the cron, the admin API and the console ask of delivery: start
// sending a built edition, resume it (after a pause, a failed fan-out or lost messages), resend
// final failures or held rows, and report how a send is going (with the edition's engagement)
// and what a reader received.
import { waitingEdition } from "../editions/review-store";
import { getEditionRecord, unpublishedAt } from "../editions/store";
import type { EditionRecord } from "../editions/types";
import type { Deps } from "../ports";
import { editionEngagement, type EngagementKind, readerEngagement } from "../webhooks/engagement-store";
import { editionMailEvents } from "../webhooks/store";
import { resumeSend, startSend } from "./fanout";
import { heldBefore } from "./messages";
import { resendEdition, type ResendKind } from "./resend";
import { deliveryReport, getFanout, sentCountFor, type FanoutState } from "./store";

/** A send that was started (or found already started). */
export interface SendStart {
  created: boolean;
  state: FanoutState;
}

/** A send started or resumed by an operator: whether a pause was lifted, how many units were enqueued again. */
export interface SendResume extends SendStart {
  wasPaused: boolean;
  units: number;
}

/**
 * Starts delivering a built edition (idempotent: resumes a failed fan-out, changes nothing on
 * a running or finished one).
 * @example const { created, state } = await sendEdition(deps, "2026-11-23");
 */
export function sendEdition(deps: Deps, editionId: string): Promise<SendStart> {
  return startSend(deps.db, deps.queue, editionId, { batchSize: deps.config.deliveryBatchSize, now: deps.clock });
}

type StoredEdition = { outcome: "missing" } | { outcome: "skipped"; record: EditionRecord } | { outcome: "built"; record: EditionRecord };

/** The edition an operator names: missing, a skipped slot (nothing to send), or built. */
async function storedEdition(deps: Deps, id: string): Promise<StoredEdition> {
  const record = await getEditionRecord(deps.db, id);
  if (!record) return { outcome: "missing" };
  return { outcome: record.status === "built" ? "built" : "skipped", record };
}

/**
 * Sends an edition the admin names, or resumes its sending (after a pause, a failed fan-out or
 * lost messages): missing, a skipped slot (nothing to send), or started.
 * @example const r = await sendStoredEdition(deps, id); if (r.outcome === "started") ...
 */
export async function sendStoredEdition(
  deps: Deps,
  id: string,
): Promise<{ outcome: "missing" } | { outcome: "skipped"; record: EditionRecord } | ({ outcome: "started" } & SendResume)> {
  const found = await storedEdition(deps, id);
  if (found.outcome !== "built") return found;
  const resumed = await resumeSend(deps.db, deps.queue, id, { batchSize: deps.config.deliveryBatchSize, now: deps.clock });
  return { outcome: "started", ...resumed };
}

/**
 * Resends, under new Idempotency-Keys, an edition's recipients whose failures were final, or
 * the rows held because their key outlived the provider's memory; "busy" while its fan-out is
 * still enqueueing.
 * @example const r = await resendStoredEdition(deps, id, "failed");
 */
export async function resendStoredEdition(
  deps: Deps,
  id: string,
  which: ResendKind,
): Promise<
  { outcome: "missing" } | { outcome: "skipped"; record: EditionRecord } | { outcome: "busy" } | { outcome: "resent"; units: number }
> {
  const found = await storedEdition(deps, id);
  if (found.outcome !== "built") return found;
  const result = await resendEdition(deps.db, deps.queue, id, which, deps.clock());
  return result ? { outcome: "resent", units: result.units } : { outcome: "busy" };
}

/**
 * An edition's record with its fan-out and delivery counts and failures, or null. `delivery` is
 * one word for the operator: paused (the provider refuses the account: fix, then send), held
 * (rows await resend-held), sending, done, awaiting approval (review before send), or not started.
 * @example const status = await editionStatus(deps, "2026-11-23");
 */
export async function editionStatus(deps: Deps, id: string) {
  const edition = await getEditionRecord(deps.db, id);
  if (!edition) return null;
  const held = heldBefore(deps.clock().getTime());
  const [fanout, deliveries, reported, engaged, unpublished, waiting] = await Promise.all([
    getFanout(deps.db, id),
    deliveryReport(deps.db, id, 50, held),
    editionMailEvents(deps.db, id),
    editionEngagement(deps.db, id),
    unpublishedAt(deps.db, id),
    waitingEdition(deps.db, id),
  ]);
  const open = deliveries.counts.pending + deliveries.counts.sending + deliveries.counts.failed - deliveries.failedFinal;
  const delivery = !fanout
    ? waiting
      ? "awaiting approval"
      : "not started"
    : fanout.pausedAt
      ? "paused"
      : open > deliveries.held || fanout.status === "running"
        ? "sending"
        : deliveries.held > 0
          ? "held"
          : "done";
  const pause = fanout?.pausedAt ? { since: fanout.pausedAt, reason: fanout.pauseReason } : null;
  // What the provider reported after sending: permanent bounces and complaints (those readers
  // are suppressed from later sends), soft bounces and delays (recorded only).
  // Unique recipients per kind from the provider's events (opens are a lower bound), and the most clicked links.
  const engagement = { ...engaged.counts, topLinks: engaged.links, eventsFoldedAt: engaged.foldedAt };
  return {
    edition: { ...edition, unpublishedAt: unpublished },
    delivery,
    // Held for the operator's approval (review before send): since when, and the deadline if any.
    review: waiting ? { waitingSince: waiting.waitingSince, deadlineAt: waiting.deadlineAt } : null,
    pause,
    fanout,
    deliveries: { ...deliveries, reported },
    engagement,
  };
}

/**
 * A reader's history for the operator: editions sent to them (the delivery rows), and of those
 * (within retention) delivered, opened, clicked, bounced, complained (the provider's events).
 * @example await readerHistory(db, 7) // { sent: 12, delivered: 12, opened: 5, clicked: 1, bounced: 0, complained: 0 }
 */
export async function readerHistory(db: D1Database, subscriberId: number): Promise<{ sent: number } & Record<EngagementKind, number>> {
  const [sent, engaged] = await Promise.all([sentCountFor(db, subscriberId), readerEngagement(db, subscriberId)]);
  return { sent, ...engaged };
}
