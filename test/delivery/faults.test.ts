// Delivery under the provider's and the configuration's faults, against the real local fake
// provider (its own recipient domain, so its own faults and idempotency memory), real local D1,
// and the real consumer driven the way the Queue drives it. Every test ends with each recipient
// accepted exactly once by the provider (the fake records an email once per Idempotency-Key, as
// Resend does) and nobody recorded as failed for the account's or the configuration's trouble.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import { getConfig } from "../../src/config";
import { composeEmails } from "../../src/delivery/compose";
import { HANDOFF_ATTEMPTS, LEASE_MS } from "../../src/delivery/consumer";
import { handleDeliveryBatch } from "../../src/jobs/queue";
import {
  DELIVERIES_QUEUE,
  heldBefore,
  idempotencyKey,
  KEY_MEMORY_MARGIN_MS,
  PROVIDER_KEY_MEMORY_MS,
  type DeliveryMessage,
  type Producer,
} from "../../src/delivery/messages";
import { claimUnit } from "../../src/delivery/store";
import { PAUSE_RETRY_MS, runSweep, STALLED_FANOUT_MS, STALE_UNIT_MS } from "../../src/delivery/sweep";
import { makeDeps, type DigestSource } from "../../src/deps";
import { buildEdition } from "../../src/editions/build";
import { runScheduled } from "../../src/jobs/scheduled";
import { resendTransport } from "../../src/mail/resend";
import {
  addSubscribers,
  counts,
  digestOf,
  drain,
  fakeControl,
  fakeEmails,
  fakeReset,
  noSleep,
  perAddress,
  RecordingQueue,
  resetDelivery,
  sendIdOf,
  fanOut,
  newEdition,
} from "./helpers";

const SCOPE = "faults.test";
const subscribers = (n: number, prefix: string) => addSubscribers(n, prefix, "active", SCOPE);
const transport = (apiKey = env.RESEND_API_KEY) => resendTransport({ baseUrl: env.RESEND_BASE_URL, apiKey, timeoutMs: 2_000 });
const HOUR = 3_600_000;

/** The admin API with the deliveries queue replaced by `queue`, so the test drives the consumer. */
async function admin(method: string, path: string, queue?: RecordingQueue): Promise<{ status: number; body: Record<string, unknown> }> {
  const testEnv = queue ? ({ ...env, DELIVERIES: queue as unknown as Queue } as Env) : env;
  const res = await app.fetch(
    new Request(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } }),
    testEnv,
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Each address accepted exactly once at the fake. */
async function expectEachOnce(addresses: string[]): Promise<void> {
  const { emails } = await fakeEmails(SCOPE);
  const per = perAddress(emails);
  for (const a of addresses) expect(per.get(a), a).toBe(1);
  expect(emails).toHaveLength(addresses.length);
}

/** Rows ever marked failed for good, and their errors. */
async function finalFailures(editionId: string): Promise<Array<{ email: string; error: string }>> {
  const { results } = await env.DB.prepare(
    "SELECT email, last_error AS error FROM deliveries WHERE edition_id = ? AND status = 'failed' AND final = 1",
  )
    .bind(editionId)
    .all<{ email: string; error: string }>();
  return results;
}

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(async () => {
  await resetDelivery();
  await fakeReset(SCOPE);
  warn = vi.spyOn(console, "warn");
});
afterEach(() => warn.mockRestore());

const pausedLines = () => warn.mock.calls.filter((c: unknown[]) => String(c[0]).includes('"delivery_paused"'));

describe("account-wide provider errors pause the edition, they fail nobody", () => {
  it("401 for a while: pauses, says so once, retries slowly, and sends everyone once after a resume", async () => {
    const subs = await subscribers(5, "k401-");
    const editionId = await newEdition("faults", 2);
    const queue = await fanOut(editionId, 2);
    expect(queue.pending).toHaveLength(3);
    await fakeControl(SCOPE, { accountError: "401" });

    await drain(queue, { transport: transport() });
    expect(await counts(editionId)).toEqual({ pending: 5 });
    expect(await finalFailures(editionId)).toEqual([]);
    expect(pausedLines()).toHaveLength(1);
    expect(String(pausedLines()[0]![0])).toMatch(/401 restricted_api_key/);
    const callsWhilePaused = (await fakeEmails(SCOPE)).calls;
    expect(callsWhilePaused).toBeGreaterThanOrEqual(1);

    const status = await admin("GET", `/admin/editions/${editionId}`);
    expect(status.body.delivery).toBe("paused");
    expect(status.body.pause).toMatchObject({
      reason: expect.stringMatching(/Resend 401 restricted_api_key: This API key is restricted or was revoked/),
    });
    expect(status.body.deliveries).toMatchObject({ counts: { failed: 0, pending: 5 }, failedFinal: 0 });

    // The sweep leaves a paused edition alone for an hour, then tries once: still refused.
    const sweeper = new RecordingQueue();
    expect(await runSweep(env.DB, sweeper, new Date(Date.now() + PAUSE_RETRY_MS / 2))).toEqual({ fanouts: 0, units: 0, paused: 0 });
    expect(sweeper.pending).toHaveLength(0);
    expect((await runSweep(env.DB, sweeper, new Date(Date.now() + PAUSE_RETRY_MS + 60_000))).paused).toBe(1);
    expect(sweeper.pending.filter((m) => m.body.kind === "send")).toHaveLength(3);
    await drain(sweeper, { transport: transport() });
    expect((await fakeEmails(SCOPE)).calls).toBeGreaterThan(callsWhilePaused);
    expect((await fakeEmails(SCOPE)).emails).toHaveLength(0);
    expect(await counts(editionId)).toEqual({ pending: 5 });
    expect((await admin("GET", `/admin/editions/${editionId}`)).body.delivery).toBe("paused");

    // The key is fixed; the operator resumes.
    await fakeControl(SCOPE, { accountError: "" });
    const resumed = new RecordingQueue();
    const res = await admin("POST", `/admin/editions/${editionId}/send`, resumed);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ resumed: true, unitsEnqueued: 3 });
    await drain(resumed, { transport: transport() });
    await expectEachOnce(subs.map((s) => s.email));
    expect(await counts(editionId)).toEqual({ sent: 5 });
    expect((await admin("GET", `/admin/editions/${editionId}`)).body).toMatchObject({ delivery: "done", pause: null });
  });

  it("403 invalid key during a split batch: the halves wait, only the bad address fails, for its own 422", async () => {
    const good1 = await subscribers(4, "k403-a-");
    const bad = await subscribers(1, "invalid-k403-");
    const good2 = await subscribers(5, "k403-b-");
    const editionId = await newEdition("faults", 10);
    const queue = await fanOut(editionId, 10);
    // First call: the provider rejects the batch for the bad address; the consumer splits it.
    await drain(queue, { transport: transport() }, { maxRounds: 1 }).catch(() => undefined);
    expect(queue.pending.map((m) => (m.body as { part: string }).part).sort()).toEqual(["0", "1"]);
    // Now the key is rotated away under us: the halves get 403.
    await drain(queue, { transport: transport("re_rotated_away_0123456789abcdef") });
    expect(await counts(editionId)).toEqual({ pending: 10 });
    expect(await finalFailures(editionId)).toEqual([]);
    const status = await admin("GET", `/admin/editions/${editionId}`);
    expect(status.body).toMatchObject({ delivery: "paused", pause: { reason: expect.stringMatching(/403 invalid_api_key/) } });

    const resumed = new RecordingQueue();
    await admin("POST", `/admin/editions/${editionId}/send`, resumed);
    await drain(resumed, { transport: transport() });
    await expectEachOnce([...good1, ...good2].map((s) => s.email));
    expect(await counts(editionId)).toEqual({ sent: 9, failed: 1 });
    const failures = await finalFailures(editionId);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ email: bad[0]!.email, error: expect.stringMatching(/422/) });
    expect(failures[0]!.error).not.toMatch(/invalid_api_key/);
  });

  it("an unverified sending domain pauses too", async () => {
    const subs = await subscribers(3, "unverified-");
    const editionId = await newEdition("faults");
    const queue = await fanOut(editionId);
    await fakeControl(SCOPE, { accountError: "unverified" });
    await drain(queue, { transport: transport() });
    expect(await counts(editionId)).toEqual({ pending: 3 });
    expect((await admin("GET", `/admin/editions/${editionId}`)).body).toMatchObject({
      delivery: "paused",
      pause: { reason: expect.stringMatching(/domain is not verified/) },
    });
    await fakeControl(SCOPE, { accountError: "" });
    const resumed = new RecordingQueue();
    await admin("POST", `/admin/editions/${editionId}/send`, resumed);
    await drain(resumed, { transport: transport() });
    await expectEachOnce(subs.map((s) => s.email));
  });

  it("a missing key pauses without calling the provider, and the fixed deployment sends", async () => {
    const subs = await subscribers(4, "nokey-");
    const editionId = await newEdition("faults");
    const queue = await fanOut(editionId);
    // The Worker's own transport (no test transport): MAIL_TRANSPORT=resend, RESEND_API_KEY unset.
    const deployed = { ...env, MAIL_TRANSPORT: "resend", RESEND_API_KEY: "" } as Env;
    await drain(queue, {}, { testEnv: deployed });
    expect((await fakeEmails(SCOPE)).calls).toBe(0);
    expect(await counts(editionId)).toEqual({ pending: 4 });
    expect((await admin("GET", `/admin/editions/${editionId}`)).body).toMatchObject({
      delivery: "paused",
      pause: { reason: "RESEND_API_KEY is not set" },
    });

    const resumed = new RecordingQueue();
    await admin("POST", `/admin/editions/${editionId}/send`, resumed);
    await drain(resumed, {}, { testEnv: { ...deployed, RESEND_API_KEY: env.RESEND_API_KEY } as Env });
    await expectEachOnce(subs.map((s) => s.email));
    expect(await counts(editionId)).toEqual({ sent: 4 });
  });
});

describe("rate limits", () => {
  it("a 429 storm with Retry-After: retried no sooner than asked, later calls held back, everyone sent once", async () => {
    const subs = await subscribers(30, "storm-");
    const editionId = await newEdition("faults", 10);
    const queue = await fanOut(editionId, 10);
    await fakeControl(SCOPE, { failFirst: 5, modes: ["429"], retryAfter: 30 });
    const waits: number[] = [];
    const { retries, delays } = await drain(queue, { transport: transport(), sleep: async (ms) => void waits.push(ms) });
    expect(retries).toBe(5);
    expect(delays, JSON.stringify(delays)).toSatisfy((d: number[]) => d.every((x) => x >= 30));
    // After a 429 the invocation's next call waited for Retry-After (recorded, not slept).
    expect(waits, JSON.stringify(waits)).toSatisfy((w: number[]) => w.some((ms) => ms >= 29_000));
    await expectEachOnce(subs.map((s) => s.email));
    expect(await counts(editionId)).toEqual({ sent: 30 });
    expect((await fakeEmails(SCOPE)).calls).toBe(3 + 5);
  });

  it("paces calls to PROVIDER_RATE shared by max_concurrency consumers: 2/s over 2 consumers is one call a second each", async () => {
    await subscribers(30, "pace-");
    const editionId = await newEdition("faults", 10);
    const queue = await fanOut(editionId, 10);
    const waits: number[] = [];
    const t0 = Date.now();
    const batch = createMessageBatch<unknown>(
      DELIVERIES_QUEUE,
      queue.pending.map((m, i) => ({ id: `p${i}`, timestamp: new Date(), attempts: 1, body: m.body })),
    );
    // A frozen clock makes the pacer's arithmetic exact: turns at +0, +1 s, +2 s, then the slot
    // is held until +3 s.
    const summary = await handleDeliveryBatch(batch, env, {
      transport: transport(),
      queue: new RecordingQueue(),
      clock: () => new Date(t0),
      sleep: async (ms) => void waits.push(ms),
    });
    expect(summary.sent).toBe(30);
    expect(waits.sort((a, b) => a - b)).toEqual([1000, 2000, 3000]);
    // Twice the rate, half the waits.
    await resetDelivery();
    await subscribers(30, "pace2-");
    const id2 = await newEdition("faults", 10);
    const q2 = await fanOut(id2, 10);
    const waits2: number[] = [];
    const batch2 = createMessageBatch<unknown>(
      DELIVERIES_QUEUE,
      q2.pending.map((m, i) => ({ id: `q${i}`, timestamp: new Date(), attempts: 1, body: m.body })),
    );
    await handleDeliveryBatch(batch2, { ...env, PROVIDER_RATE: "4" } as Env, {
      transport: transport(),
      queue: new RecordingQueue(),
      clock: () => new Date(t0),
      sleep: async (ms) => void waits2.push(ms),
    });
    expect(waits2.sort((a, b) => a - b)).toEqual([500, 1000, 1500]);
  });
});

describe("idempotency keys", () => {
  it(
    "two deployments (or a database reset) sharing one provider account: " + "same edition id and batches, different keys, both sent",
    async () => {
      const first = await subscribers(5, "shared-");
      const idA = await newEdition("faults");
      await drain(await fanOut(idA), { transport: transport() });
      const sendA = await sendIdOf(idA);
      // The other deployment: its own database with the same ids (here: this one, reset, its
      // AUTOINCREMENT counter set back so that the same ids come out again).
      await resetDelivery();
      await env.DB.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'subscribers'")
        .bind(first[0]!.id - 1)
        .run();
      const second = await subscribers(5, "shared-");
      expect(second).toEqual(first);
      const idB = await newEdition("faults");
      expect(idB).toBe(idA);
      await drain(await fanOut(idB), { transport: transport() });
      const sendB = await sendIdOf(idB);
      expect(sendA).not.toBe(sendB);

      const { emails } = await fakeEmails(SCOPE);
      expect(new Set(emails.map((e) => e.idempotencyKey))).toEqual(
        new Set([idempotencyKey(sendA, idA, 0, ""), idempotencyKey(sendB, idB, 0, "")]),
      );
      for (const s of first) {
        const got = emails.filter((e) => e.to[0] === s.email);
        // Once from each deployment, each under its own key.
        expect(got.map((e) => e.idempotencyKey!.split("/")[0]).sort()).toEqual([sendA, sendB].sort());
      }
      expect(await counts(idB)).toEqual({ sent: 5 });
      expect(await finalFailures(idB)).toEqual([]);
    },
  );

  it("a row past the provider's key memory is held, not resent by the consumer or the sweep", async () => {
    const subs = await subscribers(6, "aged-");
    const editionId = await newEdition("faults");
    const queue = await fanOut(editionId);
    const sendId = await sendIdOf(editionId);
    // 23 hours ago a consumer claimed the unit, the provider accepted the batch, and the consumer died.
    const then = Date.now() - 23 * HOUR;
    const claim = await claimUnit(env.DB, { editionId, batch: 0, part: "" }, "died", {
      nowMs: then,
      leaseMs: LEASE_MS,
      withEdition: true,
      heldBeforeMs: heldBefore(then),
    });
    const emails = await composeEmails(claim.edition!, claim.claimed, getConfig(env));
    await transport().sendBatch(emails, { idempotencyKey: idempotencyKey(sendId, editionId, 0, "") });
    expect(23 * HOUR).toBeGreaterThan(PROVIDER_KEY_MEMORY_MS - KEY_MEMORY_MARGIN_MS);
    const callsBefore = (await fakeEmails(SCOPE)).calls;

    // The redelivered message: held, acked, no provider call.
    const { acked } = await drain(queue, { transport: transport() });
    expect(acked).toBe(1);
    // The sweep does not pick it up either, however late.
    const sweeper = new RecordingQueue();
    expect(await runSweep(env.DB, sweeper, new Date(Date.now() + 2 * HOUR))).toEqual({ fanouts: 0, units: 0, paused: 0 });
    // Nor does a resume.
    const resumed = new RecordingQueue();
    expect((await admin("POST", `/admin/editions/${editionId}/send`, resumed)).body).toMatchObject({ unitsEnqueued: 0 });
    await drain(resumed, { transport: transport() });
    expect((await fakeEmails(SCOPE)).calls).toBe(callsBefore);

    await expectEachOnce(subs.map((s) => s.email));
    const status = await admin("GET", `/admin/editions/${editionId}`);
    expect(status.body).toMatchObject({ delivery: "held", deliveries: { held: 6, failedFinal: 0, counts: { failed: 0 } } });
  });

  it("resend-held sends held rows once under new keys, on the operator's word", async () => {
    const subs = await subscribers(4, "heldsend-");
    const editionId = await newEdition("faults");
    const queue = await fanOut(editionId);
    // A consumer claimed the unit 23 hours ago and died before calling the provider.
    const then = Date.now() - 23 * HOUR;
    await claimUnit(env.DB, { editionId, batch: 0, part: "" }, "died", {
      nowMs: then,
      leaseMs: LEASE_MS,
      withEdition: false,
      heldBeforeMs: heldBefore(then),
    });
    await drain(queue, { transport: transport() });
    expect((await fakeEmails(SCOPE)).calls).toBe(0);

    const resent = new RecordingQueue();
    const res = await admin("POST", `/admin/editions/${editionId}/resend-held`, resent);
    expect(res).toMatchObject({ status: 202, body: { unitsEnqueued: 1 } });
    await drain(resent, { transport: transport() });
    await expectEachOnce(subs.map((s) => s.email));
    const { emails } = await fakeEmails(SCOPE);
    expect(emails[0]!.idempotencyKey).not.toBe(idempotencyKey(await sendIdOf(editionId), editionId, 0, ""));
    expect(await counts(editionId)).toEqual({ sent: 4 });
  });

  it("resend-failed sends final failures once under new keys after a fix", async () => {
    const subs = await subscribers(5, "refail-");
    const editionId = await newEdition("faults");
    await fanOut(editionId);
    // What the old code did on a 401: every row failed for good.
    await env.DB.prepare(
      "UPDATE deliveries SET status = 'failed', final = 1, attempts = 1, last_error = 'Resend 401 missing_api_key' WHERE edition_id = ?",
    )
      .bind(editionId)
      .run();
    const resent = new RecordingQueue();
    const res = await admin("POST", `/admin/editions/${editionId}/resend-failed`, resent);
    expect(res).toMatchObject({ status: 202, body: { unitsEnqueued: 1 } });
    await drain(resent, { transport: transport() });
    await expectEachOnce(subs.map((s) => s.email));
    expect(await counts(editionId)).toEqual({ sent: 5 });
    // Nothing left to resend: a second call enqueues nothing and sends nothing.
    const again = new RecordingQueue();
    expect((await admin("POST", `/admin/editions/${editionId}/resend-failed`, again)).body).toMatchObject({ unitsEnqueued: 0 });
  });
});

describe("configuration errors and crashed invocations", () => {
  it(
    "a consumer config error retries without touching a row, " +
      "hands over to the sweep before the dead-letter queue, and sends once fixed",
    async () => {
      const subs = await subscribers(12, "cfg-");
      const editionId = await newEdition("faults", 5);
      const queue = await fanOut(editionId, 5);
      const broken = { ...env, SENDER_ADDRESS: "not an address" } as Env;
      const { retries, delays } = await drain(queue, { transport: transport() }, { testEnv: broken, maxRounds: 3 }).catch(() => ({
        retries: -1,
        delays: [],
      }));
      expect(retries).toBe(-1); // still retrying after three rounds
      expect(delays).toEqual([]);
      expect(queue.pending).toHaveLength(3);
      expect(queue.pending.every((m) => m.attempts === 4)).toBe(true);
      expect(await counts(editionId)).toEqual({ pending: 12 });
      expect((await fakeEmails(SCOPE)).calls).toBe(0);

      // At the queue's retry limit the message is acked, never dead-lettered.
      const last = createMessageBatch<unknown>(
        DELIVERIES_QUEUE,
        queue.pending.map((m, i) => ({ id: `last${i}`, timestamp: new Date(), attempts: HANDOFF_ATTEMPTS, body: m.body })),
      );
      const summary = await handleDeliveryBatch(last, broken, { transport: transport() });
      const result = await getQueueResult(last, createExecutionContext());
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks).toHaveLength(3);
      expect(summary.outcomes).toEqual({ "handed-to-sweep": 3 });
      expect(await counts(editionId)).toEqual({ pending: 12 });

      // An hour on, the sweep enqueues the untouched rows; the configuration is fixed by then.
      const sweeper = new RecordingQueue();
      expect((await runSweep(env.DB, sweeper, new Date(Date.now() + STALE_UNIT_MS + 60_000))).units).toBe(3);
      await drain(sweeper, { transport: transport() });
      await expectEachOnce(subs.map((s) => s.email));
      expect(await counts(editionId)).toEqual({ sent: 12 });
    },
  );

  it("a production guard refusal in the consumer is a config error too: retried, nothing sent, nobody failed", async () => {
    await subscribers(2, "guard-");
    const editionId = await newEdition("faults");
    const queue = await fanOut(editionId);
    const unsafe = { ...env, PUBLIC_BASE_URL: "https://digest.example.com", DEV_MAILBOX: "on" } as Env;
    const error = vi.spyOn(console, "error");
    await drain(queue, { transport: transport() }, { testEnv: unsafe, maxRounds: 1 }).catch(() => undefined);
    expect(error.mock.calls.some((c) => String(c[0]).includes("DEV_MAILBOX=on"))).toBe(true);
    error.mockRestore();
    expect(queue.pending).toHaveLength(1);
    expect(await counts(editionId)).toEqual({ pending: 2 });
    expect((await fakeEmails(SCOPE)).calls).toBe(0);
  });

  it("a cron invocation that dies between build and fan-out: the sweep finds the edition and sends it", async () => {
    const subs = await subscribers(7, "stranded-");
    const dying: Producer = {
      send: async () => {
        throw new Error("invocation killed");
      },
      sendBatch: async () => {
        throw new Error("invocation killed");
      },
    };
    const scheduled = new Date(Date.UTC(2032, 2, 3, 7, 0));
    await expect(runScheduled(env, scheduled, "0 7 * * *", { queue: dying })).rejects.toThrow("invocation killed");
    const edition = await env.DB.prepare("SELECT id FROM editions WHERE slot = '2032-03-03T07:00Z' AND status = 'built'").first<{
      id: string;
    }>();
    expect(edition).not.toBeNull();
    const fanout = await env.DB.prepare("SELECT status, enqueued FROM fanouts WHERE edition_id = ?").bind(edition!.id).first();
    expect(fanout).toEqual({ status: "running", enqueued: 0 });

    const queue = new RecordingQueue();
    // A sweep right away leaves a fan-out that may still be starting alone; ten minutes on, it resumes it.
    expect((await runSweep(env.DB, queue, new Date())).fanouts).toBe(0);
    expect((await runSweep(env.DB, queue, new Date(Date.now() + STALLED_FANOUT_MS + 60_000))).fanouts).toBe(1);
    expect(queue.pending.map((m) => m.body)).toEqual([{ v: 1, kind: "fanout", editionId: edition!.id } satisfies DeliveryMessage]);
    await drain(queue, { transport: transport(), sleep: noSleep });
    await expectEachOnce(subs.map((s) => s.email));
    expect(await counts(edition!.id)).toEqual({ sent: 7 });
  });
});

describe("subjects", () => {
  it("are stripped of control and format characters when the edition is built", async () => {
    const digest = digestOf(["ctl"]);
    const withControls: DigestSource = async (c, now) => {
      const d = await digest(c, now);
      d.digest.stories[0]!.headline = "Markets\u0007 rally\u202e after\r\nvote\u200b";
      return d;
    };
    const result = await buildEdition(makeDeps(env, { digest: withControls }), { slot: "faults-subject", now: new Date() });
    const row = await env.DB.prepare("SELECT subject FROM editions WHERE id = ?").bind(result.editionId).first<{ subject: string }>();
    expect(row!.subject).toBe("The Daily Digest: Markets rally after vote");
    // And that is the subject the provider gets.
    const [sub] = await subscribers(1, "subject-");
    const queue = await fanOut(result.editionId);
    await drain(queue, { transport: transport() });
    const { emails } = await fakeEmails(SCOPE);
    expect(emails.map((e) => [e.to[0], e.subject])).toEqual([[sub!.email, "The Daily Digest: Markets rally after vote"]]);
  });
});
