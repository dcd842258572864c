// Fan-out: turns "send edition X" into queue messages, one per provider batch of up to 100
// recipients. The recipients are snapshotted into D1 page by page (keyset paging, INSERT ...
// SELECT, no per-recipient parameters), each page's batches go out in one sendBatch call, and
// when the invocation's subrequest budget runs low the fan-out hands itself on through a
// "fanout" queue message; its progress lives in D1, so any run, or a doubled one, resumes it.
//
// Cost: a page of 10,000 recipients is one D1 call and one queue call, so 100,000 recipients
// take about 23 subrequests in one invocation (see bench/delivery.bench.ts).
import { log } from "../log";
import { MAX_BATCH_EMAILS } from "../mail/types";
import type { SubrequestBudget } from "./budget";
import { continueFanout, heldBefore, QUEUE_SEND_MAX, sendUnit, type Producer } from "./messages";
import { getFanout, resumeEdition, saveEnqueued, snapshotPage, startFanout, type FanoutState } from "./store";

/** Subscribers snapshotted per D1 statement: 100 provider batches, one queue sendBatch. */
export const PAGE_SIZE = 10_000;
/** Recipients per provider call unless the caller sets DELIVERY_BATCH_SIZE. */
export const BATCH_SIZE = MAX_BATCH_EMAILS;
/** Subrequests kept back to hand the fan-out on: save progress, send the continuation. */
const HAND_ON_COST = 2;

export interface FanoutOptions {
  now?: () => Date;
  pageSize?: number;
  /** Only when starting; tests use small batches to exercise many provider calls. */
  batchSize?: number;
  /** The current unsubscribe signing key's id: stored tokens it signed are copied into the snapshot. */
  tokenKid?: string | null;
}

/**
 * Starts delivering an edition: records the fan-out and enqueues its first step. Idempotent:
 * calling it again for an edition already fanned out changes nothing; for a failed fan-out it
 * resumes from the stored cursor.
 * @example await startSend(env.DB, env.DELIVERIES, "2026-11-23");
 */
export async function startSend(
  db: D1Database,
  queue: Producer,
  editionId: string,
  opts: FanoutOptions = {},
): Promise<{ created: boolean; state: FanoutState }> {
  const now = (opts.now ?? (() => new Date()))();
  const { state, created } = await startFanout(db, editionId, now, opts.batchSize ?? BATCH_SIZE);
  if (state.status !== "done") await queue.send(continueFanout(editionId));
  return { created, state };
}

/** Most units one resume enqueues (20 queue calls); older leftovers reach the sweep within the hour. */
export const RESUME_UNIT_LIMIT = 2_000;

/**
 * Sends an edition or resumes its sending: starts (or un-fails) the fan-out like startSend, lifts
 * a pause, and enqueues every unit that still has rows to send automatically (held rows wait for
 * an operator). What `POST /admin/editions/:id/send` and the sweep's retry of paused editions do.
 * @example const { resumed, units } = await resumeSend(env.DB, env.DELIVERIES, "2026-11-23");
 */
export async function resumeSend(
  db: D1Database,
  queue: Producer,
  editionId: string,
  opts: FanoutOptions = {},
): Promise<{ created: boolean; state: FanoutState; wasPaused: boolean; units: number }> {
  const now = (opts.now ?? (() => new Date()))();
  const { created, state } = await startSend(db, queue, editionId, opts);
  const { wasPaused, units } = await resumeEdition(db, editionId, now, heldBefore(now.getTime()), RESUME_UNIT_LIMIT);
  for (let i = 0; i < units.length; i += QUEUE_SEND_MAX) {
    await queue.sendBatch(units.slice(i, i + QUEUE_SEND_MAX).map((u) => ({ body: sendUnit(u.editionId, u.batch, u.part) })));
  }
  if (wasPaused) log.info("delivery_resumed", { editionId, units: units.length });
  return { created, state, wasPaused, units: units.length };
}

export interface FanoutRun {
  editionId: string;
  outcome: "done" | "handed-on" | "missing" | "already-done" | "failed";
  pages: number;
  messages: number;
  state: FanoutState | null;
}

/**
 * Runs an edition's fan-out as far as the budget allows, then hands on or finishes.
 * @example const run = await runFanout(env.DB, env.DELIVERIES, "2026-11-23", new SubrequestBudget());
 */
export async function runFanout(
  db: D1Database,
  queue: Producer,
  editionId: string,
  budget: SubrequestBudget,
  opts: FanoutOptions = {},
): Promise<FanoutRun> {
  const clock = opts.now ?? (() => new Date());
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  budget.take(1);
  let state = await getFanout(db, editionId);
  if (!state) return { editionId, outcome: "missing", pages: 0, messages: 0, state };
  if (state.status === "done") return { editionId, outcome: "already-done", pages: 0, messages: 0, state };
  // A stray message for a fan-out given up on (dead-lettered): `send` resumes it explicitly.
  if (state.status === "failed") return { editionId, outcome: "failed", pages: 0, messages: 0, state };

  let enqueued = state.enqueued;
  let pages = 0;
  let messages = 0;
  for (;;) {
    if (enqueued < state.batches) {
      if (budget.remaining < 1 + HAND_ON_COST) break;
      const upto = Math.min(enqueued + QUEUE_SEND_MAX, state.batches);
      const batch = [];
      for (let b = enqueued; b < upto; b++) batch.push({ body: sendUnit(editionId, b, "") });
      budget.take(1);
      await queue.sendBatch(batch);
      messages += batch.length;
      enqueued = upto;
      continue;
    }
    if (state.snapshotDone) {
      budget.take(1);
      await saveEnqueued(db, editionId, enqueued, true, clock());
      return { editionId, outcome: "done", pages, messages, state: { ...state, enqueued, status: "done" } };
    }
    // A page and the sends for its batches, with the hand-on still affordable afterwards.
    const sendsPerPage = Math.ceil(pageSize / state.batchSize / QUEUE_SEND_MAX);
    if (budget.remaining < 1 + sendsPerPage + HAND_ON_COST) break;
    budget.take(1);
    ({ state } = await snapshotPage(db, state, pageSize, enqueued, clock(), opts.tokenKid ?? null));
    enqueued = Math.max(enqueued, state.enqueued);
    pages++;
  }
  // Out of budget: save progress, then continue in a fresh invocation. If we die between the
  // two, the next cron's sweep finds the fan-out stalled and resumes it.
  budget.take(HAND_ON_COST);
  await saveEnqueued(db, editionId, enqueued, false, clock());
  await queue.send(continueFanout(editionId));
  return { editionId, outcome: "handed-on", pages, messages, state: { ...state, enqueued } };
}
