// Edition builds from the cron, end to end through the real local Queue and consumer (outbox
// transport, as in `wrangler dev`): a doubled or concurrent cron gives one edition and one email
// per subscriber; a slot with nothing new is recorded as skipped, and `force` sends it anyway.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { makeDeps } from "../../src/deps";
import { buildEdition, slotOf } from "../../src/editions/build";
import { addSubscribers, counts, digestOf, resetDelivery } from "../delivery/helpers";

const CRON = "0 7 * * *";

async function fireCron(scheduledTime: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: CRON }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** Waits for the real queue consumer to settle an edition's deliveries. */
async function settled(editionId: string, expected: number): Promise<Record<string, number>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const c = await counts(editionId);
    const done = (c.sent ?? 0) + (c.failed ?? 0) + (c.skipped ?? 0);
    if (done >= expected || Date.now() > deadline) return c;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Digest emails per address in the outbox (MAIL_TRANSPORT=outbox in tests). */
async function outboxPerAddress(): Promise<Map<string, number>> {
  const { results } = await env.DB.prepare(
    "SELECT to_address AS address, COUNT(*) AS n FROM outbox WHERE kind = 'digest' GROUP BY to_address",
  ).all<{ address: string; n: number }>();
  return new Map(results.map((r) => [r.address, r.n]));
}

async function editionsForSlot(slot: string): Promise<Array<{ id: string; status: string; skip_reason: string | null }>> {
  const { results } = await env.DB.prepare("SELECT id, status, skip_reason FROM editions WHERE slot = ?")
    .bind(slot)
    .all<{ id: string; status: string; skip_reason: string | null }>();
  return results;
}

const admin = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(
    new Request(`http://localhost${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${env.ADMIN_TOKEN}`,
        "content-type": "application/json",
        ...(init.headers as Record<string, string>),
      },
    }),
  );

beforeEach(resetDelivery);

// The local queue delivers a batch after max_batch_timeout (1 s), twice per edition (fan-out, sends).
describe("cron edition through the real queue", { timeout: 30_000 }, () => {
  it("gives one edition and one email per subscriber when the cron fires twice in a row", async () => {
    const subs = await addSubscribers(3, "cron-seq-");
    const at = Date.UTC(2030, 0, 7, 7, 0);
    await fireCron(at);
    await fireCron(at);
    const rows = await editionsForSlot(slotOf(new Date(at)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: "2030-01-07", status: "built" });
    expect(await settled("2030-01-07", 3)).toEqual({ sent: 3 });
    const outbox = await outboxPerAddress();
    for (const s of subs) expect(outbox.get(s.email)).toBe(1);
    expect(outbox.size).toBe(3);
  });

  it("gives one edition and one email per subscriber when two cron runs overlap", async () => {
    const subs = await addSubscribers(4, "cron-par-");
    const at = Date.UTC(2030, 0, 8, 7, 0);
    await Promise.all([fireCron(at), fireCron(at)]);
    const rows = await editionsForSlot(slotOf(new Date(at)));
    expect(rows).toHaveLength(1);
    expect(await settled(rows[0]!.id, 4)).toEqual({ sent: 4 });
    const outbox = await outboxPerAddress();
    for (const s of subs) expect(outbox.get(s.email)).toBe(1);
    const fanouts = await env.DB.prepare("SELECT COUNT(*) AS n, MAX(batches) AS batches FROM fanouts").first<{
      n: number;
      batches: number;
    }>();
    expect(fanouts).toEqual({ n: 1, batches: 1 });
  });

  it("records a slot with nothing new as skipped, and force builds and sends it anyway", async () => {
    const subs = await addSubscribers(2, "cron-skip-");
    const day1 = Date.UTC(2030, 0, 9, 7, 0);
    const day2 = Date.UTC(2030, 0, 10, 7, 0);
    await fireCron(day1);
    await settled("2030-01-09", 2);
    await fireCron(day2); // same seeds: nothing new
    const [skipped] = await editionsForSlot(slotOf(new Date(day2)));
    expect(skipped).toMatchObject({ status: "skipped", skip_reason: "nothing new since edition 2030-01-09" });
    expect((await outboxPerAddress()).get(subs[0]!.email)).toBe(1);
    // The admin sees why.
    const status = await admin(`/admin/editions/${skipped!.id}`);
    expect(await status.json()).toMatchObject({ edition: { status: "skipped", skipReason: "nothing new since edition 2030-01-09" } });
    // Sending a skipped slot is refused with the way out.
    const refused = await admin(`/admin/editions/${skipped!.id}/send`, { method: "POST" });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toContain('"force": true');

    const forced = await admin("/admin/editions", { method: "POST", body: JSON.stringify({ force: true, slot: slotOf(new Date(day2)) }) });
    expect(forced.status).toBe(201);
    const { edition } = (await forced.json()) as { edition: { status: string; editionId: string } };
    expect(edition).toMatchObject({ status: "built", editionId: "2030-01-10" });
    expect((await editionsForSlot(slotOf(new Date(day2))))[0]!.skip_reason).toMatch(
      /^forced; (had been|would have been) skipped: nothing new since edition 2030-01-09/,
    );
    const send = await admin(`/admin/editions/${edition.editionId}/send`, { method: "POST" });
    expect(send.status).toBe(202);
    expect(await settled("2030-01-10", 2)).toEqual({ sent: 2 });
    const outbox = await outboxPerAddress();
    for (const s of subs) expect(outbox.get(s.email)).toBe(2);
    // A second send request changes nothing.
    const again = await admin(`/admin/editions/${edition.editionId}/send`, { method: "POST" });
    expect(((await again.json()) as { started: boolean }).started).toBe(false);
  });
});

describe("edition build", () => {
  it("is idempotent per slot when two builds race", async () => {
    const now = new Date(Date.UTC(2030, 1, 1, 7, 0));
    const deps = makeDeps(env, { digest: digestOf(["race-a", "race-b"]) });
    const opts = { slot: "race-1", now };
    const [a, b] = await Promise.all([buildEdition(deps, opts), buildEdition(deps, opts)]);
    expect(a.editionId).toBe(b.editionId);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM editions").first<{ n: number }>()).toEqual({ n: 1 });
  });

  it("skips a slot whose stories were all in the last edition, and one with no stories", async () => {
    const now = new Date(Date.UTC(2030, 1, 2, 7, 0));
    await buildEdition(makeDeps(env, { digest: digestOf(["x", "y", "z"]) }), { slot: "s1", now });
    const subset = await buildEdition(makeDeps(env, { digest: digestOf(["y"]) }), { slot: "s2", now });
    expect(subset).toMatchObject({ status: "skipped", reason: expect.stringMatching(/^nothing new since edition/) });
    const empty = await buildEdition(makeDeps(env, { digest: digestOf([]) }), { slot: "s3", now });
    // With an edition before it, an empty digest means nothing new arrived since.
    expect(empty).toMatchObject({ status: "skipped", reason: expect.stringMatching(/^nothing new since edition/) });
    const forcedEmpty = await buildEdition(makeDeps(env, { digest: digestOf([]) }), { slot: "s3", now, force: true });
    expect(forcedEmpty.status).toBe("skipped");
    const fresh = await buildEdition(makeDeps(env, { digest: digestOf(["y", "new"]) }), { slot: "s4", now });
    expect(fresh.status).toBe("built");
  });

  it("gives a second edition of the same date its own id, and stores the rendering once", async () => {
    const now = new Date(Date.UTC(2030, 1, 3, 7, 0));
    const first = await buildEdition(makeDeps(env, { digest: digestOf(["d1"]) }), { slot: "2030-02-03T07:00Z", now });
    const second = await buildEdition(makeDeps(env, { digest: digestOf(["d2"]) }), { slot: "2030-02-03T19:00Z", now });
    expect([first.editionId, second.editionId]).toEqual(["2030-02-03", "2030-02-03-2"]);
    const row = await env.DB.prepare("SELECT html, text, subject FROM editions WHERE id = ?")
      .bind("2030-02-03-2")
      .first<{ html: string; text: string; subject: string }>();
    expect(row!.html).toContain("%%UNSUBSCRIBE_URL%%");
    expect(row!.html).toContain("/editions/2030-02-03-2");
    expect(row!.text).toContain("%%UNSUBSCRIBE_URL%%");
    expect(row!.subject).toBe("The Daily Digest: Headline d2");
  });
});
