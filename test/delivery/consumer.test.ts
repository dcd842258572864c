// Exactly-once delivery against the fake provider (a real local HTTP server told to fail): the
// consumer is driven the way the Queue drives it (createMessageBatch + getQueueResult), with
// retried messages handed back until everything settles.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { getConfig } from "../../src/config";
import { claimUnit } from "../../src/delivery/store";
import { composeEmails } from "../../src/delivery/compose";
import { backoffSeconds, LEASE_MS } from "../../src/delivery/consumer";
import { handleDeadLetterBatch, handleDeliveryBatch } from "../../src/jobs/queue";
import { DEAD_LETTER_QUEUE, DELIVERIES_QUEUE, heldBefore, idempotencyKey, sendUnit } from "../../src/delivery/messages";
import { resendTransport } from "../../src/mail/resend";
import type { MailTransport } from "../../src/mail/types";
import {
  addSubscribers,
  counts,
  drain,
  fakeControl,
  fakeEmails,
  fakeReset,
  perAddress,
  RecordingQueue,
  resetDelivery,
  sendIdOf,
  fanOut,
  newEdition,
} from "./helpers";

const config = () => getConfig(env);
/** This file's recipient domain, and so its own fault plan and mail list at the shared fake. */
const SCOPE = "delivery.test";
const subscribers = (n: number, prefix: string) => addSubscribers(n, prefix, "active", SCOPE);
// A client timeout a little under the fake's 300 ms "timeout" answers: the fake accepts the
// batch, we give up first, exactly the case the Idempotency-Key exists for.
const transport = () => resendTransport({ baseUrl: env.RESEND_BASE_URL, apiKey: env.RESEND_API_KEY, timeoutMs: 250 });

beforeEach(async () => {
  await resetDelivery();
  await fakeReset(SCOPE);
});

describe("delivery through the fake provider", () => {
  it("sends one email per subscriber with 30% of provider calls failing (500, 429, timeouts)", async () => {
    const subs = await subscribers(500, "load-");
    const editionId = await newEdition("test-delivery");
    // Batches of 10 make 50 units, so the failures hit many provider calls.
    const queue = await fanOut(editionId, 10);
    expect(queue.pending).toHaveLength(50);
    await fakeControl(SCOPE, { failRate: 0.3, modes: ["500", "429", "timeout"], timeoutMs: 300, seed: 7 });

    const { retries } = await drain(queue, { transport: transport() });

    const { emails, calls } = await fakeEmails(SCOPE);
    const per = perAddress(emails);
    expect(per.size).toBe(500);
    for (const s of subs) expect(per.get(s.email), s.email).toBe(1);
    expect(emails).toHaveLength(500);
    // The failures really happened, and were retried.
    expect(calls).toBeGreaterThan(50);
    expect(retries).toBeGreaterThan(0);
    expect(await counts(editionId)).toEqual({ sent: 500 });
    // Every row carries the provider id of its accepted email.
    const ids = new Map(emails.map((e) => [e.to[0], e.id]));
    const { results } = await env.DB.prepare("SELECT email, provider_id AS providerId FROM deliveries WHERE edition_id = ?")
      .bind(editionId)
      .all<{ email: string; providerId: string }>();
    for (const r of results) expect(r.providerId).toBe(ids.get(r.email));
    // And the admin API says so.
    const res = await exports.default.fetch(
      new Request(`http://localhost/admin/editions/${editionId}`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } }),
    );
    const status = (await res.json()) as { deliveries: { counts: Record<string, number>; total: number } };
    expect(status.deliveries.total).toBe(500);
    expect(status.deliveries.counts).toMatchObject({ pending: 0, sending: 0, sent: 500, failed: 0 });
  });

  it("resends a timed-out batch with the same key and payload, so the provider sends it once", async () => {
    const subs = await subscribers(5, "timeout-");
    const editionId = await newEdition("test-delivery");
    const queue = await fanOut(editionId);
    await fakeControl(SCOPE, { failRate: 1, modes: ["timeout"], timeoutMs: 300 });
    const first = await drain(queue, { transport: transport() }, { maxRounds: 1 }).catch((e: Error) => e);
    expect(first).toBeInstanceOf(Error); // one round was not enough: the message was retried
    expect((await fakeEmails(SCOPE)).emails).toHaveLength(5); // ...though the provider had accepted the batch
    await fakeControl(SCOPE, { failRate: 0 });
    await drain(queue, { transport: transport() });
    const { emails } = await fakeEmails(SCOPE);
    expect(emails).toHaveLength(5);
    expect([...perAddress(emails).values()]).toEqual([1, 1, 1, 1, 1]);
    expect(new Set(emails.map((e) => e.idempotencyKey))).toEqual(new Set([idempotencyKey(await sendIdOf(editionId), editionId, 0, "")]));
    expect(await counts(editionId)).toEqual({ sent: 5 });
    const attempts = await env.DB.prepare("SELECT MIN(attempts) AS lo, MAX(attempts) AS hi FROM deliveries WHERE edition_id = ?")
      .bind(editionId)
      .first<{ lo: number; hi: number }>();
    expect(attempts).toEqual({ lo: 2, hi: 2 });
    expect(subs).toHaveLength(5);
  });

  it("recovers a consumer that died after the provider accepted: reclaimed after the lease, deduped", async () => {
    await subscribers(7, "crash-");
    const editionId = await newEdition("test-delivery");
    const queue = await fanOut(editionId);
    const t0 = Date.now();
    // Play the consumer that dies: claim, send, and never record.
    const claim = await claimUnit(env.DB, { editionId, batch: 0, part: "" }, "dead-consumer", {
      nowMs: t0,
      leaseMs: LEASE_MS,
      withEdition: true,
      heldBeforeMs: heldBefore(t0),
    });
    expect(claim.claimed).toHaveLength(7);
    const emails = await composeEmails(claim.edition!, claim.claimed, config());
    const accepted = await transport().sendBatch(emails, { idempotencyKey: idempotencyKey(claim.edition!.sendId, editionId, 0, "") });
    expect(await counts(editionId)).toEqual({ sending: 7 });

    // Redelivered while the lease still runs: nothing is sent, the message comes back later.
    const early = createMessageBatch<unknown>(DELIVERIES_QUEUE, [
      { id: "early", timestamp: new Date(), attempts: 2, body: queue.pending[0]!.body },
    ]);
    const ctx = createExecutionContext();
    const summary = await handleDeliveryBatch(early, env, { transport: transport(), queue, clock: () => new Date(t0 + 1_000) });
    const result = await getQueueResult(early, ctx);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["early"]);
    expect(summary.outcomes).toEqual({ leased: 1 });
    expect((await fakeEmails(SCOPE)).calls).toBe(1);

    // After the lease: reclaimed, resent under the same key, deduped by the provider.
    await drain(queue, { transport: transport(), clock: () => new Date(t0 + LEASE_MS + 1_000) });
    const fake = await fakeEmails(SCOPE);
    expect(fake.emails).toHaveLength(7);
    expect([...perAddress(fake.emails).values()].every((n) => n === 1)).toBe(true);
    expect(fake.calls).toBe(2);
    expect(await counts(editionId)).toEqual({ sent: 7 });
    const { results } = await env.DB.prepare("SELECT provider_id AS id FROM deliveries WHERE edition_id = ? ORDER BY id")
      .bind(editionId)
      .all<{ id: string }>();
    expect(results.map((r) => r.id)).toEqual(accepted.map((a) => a.providerId));
  });

  it("loses nothing and duplicates nothing when the consumer throws mid-batch", async () => {
    const subs = await subscribers(30, "throw-");
    const editionId = await newEdition("test-delivery");
    const queue = await fanOut(editionId, 10);
    const real = transport();
    let calls = 0;
    // The second provider call succeeds at the provider, then the consumer blows up.
    const flaky: MailTransport = {
      name: "flaky",
      send: (e, o) => real.send(e, o),
      async sendBatch(emails, options) {
        const sent = await real.sendBatch(emails, options);
        if (++calls === 2) throw new Error("isolate crashed after the provider accepted");
        return sent;
      },
    };
    const { retries } = await drain(queue, { transport: flaky });
    expect(retries).toBe(1);
    const { emails } = await fakeEmails(SCOPE);
    expect(emails).toHaveLength(30);
    for (const s of subs) expect(perAddress(emails).get(s.email)).toBe(1);
    expect(await counts(editionId)).toEqual({ sent: 30 });
  });

  it("sends a unit once when two consumers get the same message at the same time", async () => {
    await subscribers(12, "dup-");
    const editionId = await newEdition("test-delivery");
    const queue = await fanOut(editionId);
    const body = queue.pending[0]!.body;
    const batches = ["a", "b"].map((id) =>
      createMessageBatch<unknown>(DELIVERIES_QUEUE, [{ id, timestamp: new Date(), attempts: 1, body }]),
    );
    await Promise.all(batches.map((b) => handleDeliveryBatch(b, env, { transport: transport(), queue })));
    const results = await Promise.all(batches.map((b) => getQueueResult(b, createExecutionContext())));
    // One sent and acked; the other found the unit sent (ack) or leased (retry later).
    expect(results.filter((r) => r.explicitAcks.length === 1).length).toBeGreaterThanOrEqual(1);
    const { emails, calls } = await fakeEmails(SCOPE);
    expect(calls).toBe(1);
    expect(emails).toHaveLength(12);
    expect(await counts(editionId)).toEqual({ sent: 12 });
  });

  it("honours an unsubscribe between build and send", async () => {
    const subs = await subscribers(10, "unsub-");
    const editionId = await newEdition("test-delivery");
    const queue = await fanOut(editionId);
    // The snapshot holds all ten; three leave through the one-click link of an earlier mail.
    const leaving = subs.slice(2, 5);
    const composed = await composeEmails(
      { id: editionId, title: "t", subject: "s", html: "", text: "" },
      leaving.map((s) => ({ subscriberId: s.id, email: s.email })),
      config(),
    );
    for (const mail of composed) {
      const url = mail.headers!["List-Unsubscribe"]!.slice(1, -1);
      const res = await exports.default.fetch(
        new Request(url, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "List-Unsubscribe=One-Click",
        }),
      );
      expect(res.status).toBeLessThan(300);
    }
    await drain(queue, { transport: transport() });
    const { emails } = await fakeEmails(SCOPE);
    const got = new Set(emails.flatMap((e) => e.to));
    expect(got.size).toBe(7);
    for (const s of leaving) expect(got.has(s.email)).toBe(false);
    expect(await counts(editionId)).toEqual({ sent: 7, skipped: 3 });
  });

  it("records permanent failures without retrying them, and still sends the rest of the batch", async () => {
    const good1 = await subscribers(9, "perm-a-");
    const bad = await subscribers(1, "invalid-perm-");
    const good2 = await subscribers(9, "perm-b-");
    const editionId = await newEdition("test-delivery");
    const queue = await fanOut(editionId, 10);
    const { retries } = await drain(queue, { transport: transport() });
    expect(retries).toBe(0);
    const { emails, calls } = await fakeEmails(SCOPE);
    expect(emails).toHaveLength(18);
    for (const s of [...good1, ...good2]) expect(perAddress(emails).get(s.email)).toBe(1);
    expect(await counts(editionId)).toEqual({ sent: 18, failed: 1 });
    const failed = await env.DB.prepare(
      "SELECT email, final, last_error AS error FROM deliveries WHERE edition_id = ? AND status = 'failed'",
    )
      .bind(editionId)
      .first<{ email: string; final: number; error: string }>();
    expect(failed).toMatchObject({ email: bad[0]!.email, final: 1 });
    expect(failed!.error).toMatch(/422/);
    // A redelivered message for that batch changes nothing and calls nobody.
    queue.pending.push({ body: sendUnit(editionId, 0, ""), attempts: 1 }, { body: sendUnit(editionId, 1, ""), attempts: 1 });
    await drain(queue, { transport: transport() });
    expect((await fakeEmails(SCOPE)).calls).toBe(calls);
  });

  it("splits a rejected batch even when the provider's message quotes a bad address like 409@", async () => {
    // Rejections are told apart by status, not by searching the message for "409".
    await fakeControl(SCOPE, { rejectPattern: "^409" });
    const good = await subscribers(5, "split409-");
    const bad = await addSubscribers(1, "409", "active", SCOPE);
    const editionId = await newEdition("test-delivery");
    const queue = await fanOut(editionId, 10);
    await drain(queue, { transport: transport() });
    const { emails } = await fakeEmails(SCOPE);
    for (const s of good) expect(perAddress(emails).get(s.email)).toBe(1);
    expect(await counts(editionId)).toEqual({ sent: 5, failed: 1 });
    const failed = await env.DB.prepare("SELECT email FROM deliveries WHERE edition_id = ? AND status = 'failed'")
      .bind(editionId)
      .first<{ email: string }>();
    expect(failed!.email).toBe(bad[0]!.email);
  });

  it("puts the list headers and the web version in every digest email", async () => {
    const [sub] = await subscribers(1, "headers-");
    const editionId = await newEdition("test-delivery");
    await drain(await fanOut(editionId), { transport: transport() });
    const [email] = (await fakeEmails(SCOPE)).emails;
    expect(email!.to).toEqual([sub!.email]);
    const unsubscribe = /^<(https?:\/\/[^>]+\/unsubscribe\?token=[A-Za-z0-9_.-]+)>$/.exec(email!.headers["List-Unsubscribe"] ?? "");
    expect(unsubscribe).not.toBeNull();
    expect(email!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(email!.headers["List-Id"]).toMatch(/^".+" <[a-z0-9-]+\.example\.com>$/);
    expect(email!.html).toContain(unsubscribe![1]);
    expect(email!.text).toContain(unsubscribe![1]);
    expect(email!.html).toContain(`/editions/${editionId}`);
    expect(email!.html).not.toContain("%%UNSUBSCRIBE_URL%%");
  });
});

describe("retry timing", () => {
  it("backs off exponentially, never sooner than the provider's Retry-After", () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n))).toEqual([10, 20, 40, 80]);
    expect(backoffSeconds(20)).toBe(900);
    expect(backoffSeconds(1, 120)).toBe(120);
  });
});

describe("bad and dead-lettered messages", () => {
  it("acks malformed messages instead of retrying them forever", async () => {
    const bodies = [
      null,
      "text",
      42,
      { kind: "send" },
      { v: 1, kind: "send", editionId: "../etc", batch: -1, part: "2" },
      { v: 1, kind: "nope", editionId: "x" },
    ];
    const batch = createMessageBatch<unknown>(
      DELIVERIES_QUEUE,
      bodies.map((body, i) => ({ id: `bad${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const summary = await handleDeliveryBatch(batch, env, { transport: transport(), queue: new RecordingQueue() });
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks.sort()).toEqual(bodies.map((_, i) => `bad${i}`).sort());
    expect(result.retryMessages).toEqual([]);
    expect(summary.outcomes.malformed).toBe(bodies.length);
  });

  it("records a dead-lettered unit as failed for good", async () => {
    await subscribers(4, "dlq-");
    const editionId = await newEdition("test-delivery");
    const queue = await fanOut(editionId);
    await fakeControl(SCOPE, { failRate: 1, modes: ["500"] });
    await drain(queue, { transport: transport() }, { maxRounds: 3 }).catch(() => undefined);
    expect(await counts(editionId)).toEqual({ failed: 4 });
    const batch = createMessageBatch<unknown>(DEAD_LETTER_QUEUE, [
      { id: "d1", timestamp: new Date(), attempts: 9, body: sendUnit(editionId, 0, "") },
      { id: "d2", timestamp: new Date(), attempts: 1, body: { junk: true } },
    ]);
    const summary = await handleDeadLetterBatch(batch, env);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks.sort()).toEqual(["d1", "d2"]);
    expect(summary).toMatchObject({ units: 1, rows: 4, malformed: 1 });
    const row = await env.DB.prepare("SELECT final, last_error AS error FROM deliveries WHERE edition_id = ? LIMIT 1")
      .bind(editionId)
      .first<{ final: number; error: string }>();
    expect(row!.final).toBe(1);
    expect(row!.error).toMatch(/retries exhausted.*500/);
    // Final failures are not claimed again.
    await fakeControl(SCOPE, { failRate: 0 });
    queue.pending.push({ body: sendUnit(editionId, 0, ""), attempts: 1 });
    await drain(queue, { transport: transport() });
    expect((await fakeEmails(SCOPE)).emails).toHaveLength(0);
  });
});
