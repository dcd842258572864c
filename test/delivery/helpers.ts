// Helpers for the delivery tests in workerd (kept out of test/support, which is type-checked for
// Node): subscribers inserted with SQL, a queue producer that records what the pipeline enqueues,
// a driver that plays the Queue's redelivery loop against the real consumer, and the fake
// provider's controls.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Digest } from "../../src/digest/types";
import type { DigestResult } from "../../src/digest";
import { SubrequestBudget } from "../../src/delivery/budget";
import { handleDeliveryBatch, type ConsumerDeps, type QueueMessage } from "../../src/jobs/queue";
import { runFanout, startSend } from "../../src/delivery/fanout";
import { makeDeps } from "../../src/deps";
import { buildEdition } from "../../src/editions/build";
import { DELIVERIES_QUEUE, type Producer } from "../../src/delivery/messages";
import { fanoutWithEdition } from "../../src/delivery/store";
import type { AcceptedEmail } from "../support/fake-resend";

/** Empties the delivery tables; storage is per test file, so this touches only this file's data. */
export async function resetDelivery(): Promise<void> {
  const tables = ["deliveries", "fanouts", "editions", "outbox", "subscribers", "mail_events", "suppressions", "subscriber_aliases"];
  await env.DB.batch(tables.map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
}

/**
 * Inserts `n` subscribers `${prefix}${i}@${domain}` in one statement and returns them by id.
 * Tests that talk to the fake provider use their own domain: the fake keeps faults, mail and
 * idempotency memory per recipient domain, so test files running in parallel stay apart.
 * @example const subs = await addSubscribers(500, "load-", "active", "delivery.test");
 */
export async function addSubscribers(
  n: number,
  prefix: string,
  status: "active" | "pending" | "unsubscribed" = "active",
  domain = "example.com",
): Promise<Array<{ id: number; email: string }>> {
  const now = new Date().toISOString();
  await env.DB.prepare(
    `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1)
     INSERT INTO subscribers (email, status, source, requested_at, created_at, updated_at, confirmed_at)
     SELECT ?2 || i || '@' || ?5, ?3, 'test', ?4, ?4, ?4, ?4 FROM seq`,
  )
    .bind(n, prefix, status, now, domain)
    .run();
  const { results } = await env.DB.prepare("SELECT id, email FROM subscribers WHERE email LIKE ? || '%' ORDER BY id")
    .bind(prefix)
    .all<{ id: number; email: string }>();
  return results;
}

/** A Producer that keeps what is sent, for tests that drive the consumer themselves. */
export class RecordingQueue implements Producer {
  pending: Array<{ body: QueueMessage; attempts: number }> = [];
  sent = 0;
  async send(body: QueueMessage): Promise<QueueSendResponse> {
    this.pending.push({ body, attempts: 1 });
    this.sent++;
    return {} as QueueSendResponse;
  }
  async sendBatch(messages: Iterable<MessageSendRequest<QueueMessage>>): Promise<QueueSendBatchResponse> {
    for (const m of messages) {
      this.pending.push({ body: m.body, attempts: 1 });
      this.sent++;
    }
    return {} as QueueSendBatchResponse;
  }
}

let nextMessageId = 1;

/** A Sleep that returns at once (the pacer still counts what it asked for). */
export const noSleep = async (_ms: number): Promise<void> => {};

/**
 * Plays the Queue: hands the recorded messages to the real consumer in batches of `batchSize`,
 * puts retried ones back (attempts + 1) and drops acked ones, until nothing is left. Backoff
 * delays are not waited for. Returns how many consumer invocations it took.
 * @example await drain(queue, { transport });
 */
export async function drain(
  queue: RecordingQueue,
  deps: ConsumerDeps = {},
  opts: { batchSize?: number; maxRounds?: number; testEnv?: Env } = {},
): Promise<{ rounds: number; retries: number; delays: number[]; acked: number }> {
  const batchSize = opts.batchSize ?? 10;
  let rounds = 0;
  let retries = 0;
  let acked = 0;
  const delays: number[] = [];
  while (queue.pending.length > 0) {
    if (++rounds > (opts.maxRounds ?? 500)) throw new Error("queue did not settle");
    const taken = queue.pending.splice(0, batchSize).map((m) => ({ ...m, id: `m${nextMessageId++}` }));
    const batch = createMessageBatch<unknown>(
      DELIVERIES_QUEUE,
      taken.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts, body: m.body })),
    );
    // The harness's result drops retry delays: note them on the way through.
    const asked = new Map<string, number>();
    for (const message of batch.messages) {
      const retry = message.retry.bind(message);
      message.retry = (options?: QueueRetryOptions) => {
        asked.set(message.id, options?.delaySeconds ?? 0);
        retry(options);
      };
    }
    const ctx = createExecutionContext();
    // Pacing waits are recorded by the pacer, not slept: tests assert on logic, never on time.
    await handleDeliveryBatch(batch, opts.testEnv ?? env, { sleep: noSleep, ...deps, queue });
    const result = await getQueueResult(batch, ctx);
    for (const m of taken) {
      const retried = result.retryMessages.find((r) => r.msgId === m.id);
      if (retried) {
        retries++;
        delays.push(asked.get(m.id) ?? 0);
        queue.pending.push({ body: m.body, attempts: m.attempts + 1 });
      } else if (!result.explicitAcks.includes(m.id)) throw new Error(`message ${m.id} neither acked nor retried`);
      else acked++;
    }
  }
  return { rounds, retries, delays, acked };
}

/** A digest source with the given story ids, for builds that must differ from the seeds. */
export function digestOf(storyIds: string[]): (config: unknown, now: Date) => Promise<DigestResult> {
  return async (_config, now) => {
    const digest: Digest = {
      title: "The Daily Digest",
      date: now.toISOString().slice(0, 10),
      stories: storyIds.map((id) => ({
        id,
        update: false,
        headline: `Headline ${id}`,
        summary: [`Summary sentence for ${id}.`],
        sources: [{ id: `${id}.txt`, publisher: "Test Wire" }],
      })),
    };
    return { digest, articles: [], warnings: [] };
  };
}

const fake = () => env.RESEND_BASE_URL;

/** Clears a scope (a recipient domain) at the fake and registers it with no faults. */
export async function fakeReset(scope: string): Promise<void> {
  await fetch(`${fake()}/__reset?scope=${encodeURIComponent(scope)}`, { method: "POST" });
  await fakeControl(scope, {});
}

export async function fakeControl(scope: string, plan: Record<string, unknown>): Promise<void> {
  await fetch(`${fake()}/__control`, { method: "POST", body: JSON.stringify({ scope, ...plan }) });
}

export async function fakeEmails(scope: string): Promise<{ emails: AcceptedEmail[]; calls: number }> {
  return (await (await fetch(`${fake()}/__emails?scope=${encodeURIComponent(scope)}`)).json()) as {
    emails: AcceptedEmail[];
    calls: number;
  };
}

/** How many accepted emails each address got at the fake. */
export function perAddress(emails: AcceptedEmail[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of emails) for (const to of e.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

/** The edition's send id (the prefix of its Idempotency-Keys). */
export async function sendIdOf(editionId: string): Promise<string | null> {
  return (
    (await env.DB.prepare("SELECT send_id AS sendId FROM editions WHERE id = ?").bind(editionId).first<{ sendId: string | null }>())
      ?.sendId ?? null
  );
}

/** Delivery counts straight from D1. */
export async function counts(editionId: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare("SELECT status, COUNT(*) AS n FROM deliveries WHERE edition_id = ? GROUP BY status")
    .bind(editionId)
    .all<{ status: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.status, r.n]));
}

let slotCounter = 0;
/**
 * Builds a fresh edition (its own stories, so never skipped) and returns its id.
 * @param prefix names the test file's slots, so files running in parallel never share one
 */
export async function newEdition(prefix: string, batchSize?: number): Promise<string> {
  const slot = `${prefix}-${++slotCounter}`;
  const send = batchSize === undefined ? {} : { alongside: fanoutWithEdition(batchSize) };
  const result = await buildEdition(makeDeps(env, { digest: digestOf([`story-${slot}`]) }), { slot, now: new Date(), ...send });
  if (result.status !== "built") throw new Error(`edition for ${slot} was ${result.status}`);
  return result.editionId;
}

/** Starts the send and runs the fan-out, leaving the units' send messages in the returned queue. */
export async function fanOut(editionId: string, batchSize = 100): Promise<RecordingQueue> {
  const queue = new RecordingQueue();
  await startSend(env.DB, queue, editionId, { batchSize });
  queue.pending.length = 0;
  const run = await runFanout(env.DB, queue, editionId, new SubrequestBudget(), { pageSize: 1_000 });
  if (run.outcome !== "done") throw new Error(`fan-out of ${editionId} ended ${run.outcome}`);
  return queue;
}
