// The sending operations, what the cron, the admin API and the console ask of delivery: start
// sending a built edition, resume it (after a pause, a failed fan-out or lost messages), resend
// final failures or held rows, and report how a send is going.
import { getEditionRecord } from "../editions/store";
import type { EditionRecord } from "../editions/types";
import type { Deps } from "../ports";
import { editionMailEvents } from "../webhooks/store";
import { resumeSend, startSend } from "./fanout";
import { heldBefore } from "./messages";
import { resendEdition, type ResendKind } from "./resend";
import { deliveryReport, getFanout, type FanoutState } from "./store";

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
 * (rows await resend-held), sending, done, or not started.
 * @example const status = await editionStatus(deps, "2026-11-23");
 */
export async function editionStatus(deps: Deps, id: string) {
  const edition = await getEditionRecord(deps.db, id);
  if (!edition) return null;
  const held = heldBefore(deps.clock().getTime());
  const [fanout, deliveries, reported] = await Promise.all([
    getFanout(deps.db, id),
    deliveryReport(deps.db, id, 50, held),
    editionMailEvents(deps.db, id),
  ]);
  const open = deliveries.counts.pending + deliveries.counts.sending + deliveries.counts.failed - deliveries.failedFinal;
  const delivery = !fanout
    ? "not started"
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
  return { edition, delivery, pause, fanout, deliveries: { ...deliveries, reported } };
}
