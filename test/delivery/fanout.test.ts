// The fan-out: keyset pages snapshotted with INSERT ... SELECT, batches of at most 100, the
// hand-on through a queue message when the subrequest budget runs low, and safety when two
// fan-outs of one edition run at once.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { makeDeps } from "../../src/deps";
import { buildEdition } from "../../src/editions/build";
import { SubrequestBudget } from "../../src/delivery/budget";
import { runFanout, startSend } from "../../src/delivery/fanout";
import { runScheduled } from "../../src/jobs/scheduled";
import type { SendMessage } from "../../src/delivery/messages";
import { addSubscribers, digestOf, RecordingQueue, resetDelivery } from "./helpers";

let n = 0;
async function edition(): Promise<string> {
  const slot = `fanout-${++n}`;
  const r = await buildEdition(makeDeps(env, { digest: digestOf([`fan-${slot}`]) }), { slot, now: new Date() });
  return r.editionId;
}

async function snapshot(editionId: string) {
  const { results } = await env.DB.prepare(
    "SELECT subscriber_id AS sid, batch_no AS batch FROM deliveries WHERE edition_id = ? ORDER BY subscriber_id",
  )
    .bind(editionId)
    .all<{ sid: number; batch: number }>();
  return results;
}

beforeEach(resetDelivery);

describe("fan-out", () => {
  it("snapshots every active subscriber once, in batches of at most 100, and enqueues each batch once", async () => {
    const active = await addSubscribers(2_345, "fan-active-");
    await addSubscribers(20, "fan-pending-", "pending");
    await addSubscribers(20, "fan-gone-", "unsubscribed");
    const id = await edition();
    const queue = new RecordingQueue();
    await startSend(env.DB, queue, id);
    queue.pending.length = 0;
    const budget = new SubrequestBudget();
    const run = await runFanout(env.DB, queue, id, budget, { pageSize: 1_000 });
    expect(run.outcome).toBe("done");
    const rows = await snapshot(id);
    expect(rows.map((r) => r.sid)).toEqual(active.map((s) => s.id));
    const sizes = new Map<number, number>();
    for (const r of rows) sizes.set(r.batch, (sizes.get(r.batch) ?? 0) + 1);
    // 3 pages (1000, 1000, 345): 10 + 10 + 4 batches, numbered without gaps; integers, not REAL.
    expect([...sizes.keys()]).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(Math.max(...sizes.values())).toBe(100);
    expect(sizes.get(23)).toBe(45);
    const bodies = queue.pending.map((m) => m.body as SendMessage);
    expect(bodies.map((b) => b.batch)).toEqual([...sizes.keys()]);
    expect(bodies.every((b) => b.kind === "send" && b.part === "" && b.editionId === id)).toBe(true);
    // Reads, pages, sends: well inside one invocation's 50 subrequests.
    expect(budget.used).toBeLessThanOrEqual(10);
    const state = await env.DB.prepare("SELECT status, batches, enqueued, snapshot_done AS done FROM fanouts WHERE edition_id = ?")
      .bind(id)
      .first();
    expect(state).toEqual({ status: "done", batches: 24, enqueued: 24, done: 1 });
  });

  it("hands itself on through a queue message when the budget runs low, and resumes where it stopped", async () => {
    const subs = await addSubscribers(1_200, "fan-handon-");
    const id = await edition();
    const queue = new RecordingQueue();
    await startSend(env.DB, queue, id);
    queue.pending.length = 0;
    let runs = 0;
    let outcome = "";
    do {
      // A budget of 6 fits one page of 200 and its send per invocation.
      const run = await runFanout(env.DB, queue, id, new SubrequestBudget(6), { pageSize: 200 });
      outcome = run.outcome;
      runs++;
      if (outcome === "handed-on") {
        const cont = queue.pending.findIndex((m) => m.body.kind === "fanout");
        expect(cont).toBeGreaterThanOrEqual(0);
        queue.pending.splice(cont, 1);
      }
    } while (outcome === "handed-on" && runs < 50);
    expect(outcome).toBe("done");
    expect(runs).toBeGreaterThan(3);
    expect((await snapshot(id)).map((r) => r.sid)).toEqual(subs.map((s) => s.id));
    const batches = queue.pending.map((m) => (m.body as SendMessage).batch).sort((a, b) => a - b);
    expect(batches).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it("inserts nothing twice when two fan-outs of one edition run at once", async () => {
    const subs = await addSubscribers(1_500, "fan-race-");
    const id = await edition();
    const queue = new RecordingQueue();
    await startSend(env.DB, queue, id);
    queue.pending.length = 0;
    const runs = await Promise.all([1, 2].map(() => runFanout(env.DB, queue, id, new SubrequestBudget(), { pageSize: 300 })));
    for (const r of runs) expect(["done", "already-done"]).toContain(r.outcome);
    const rows = await snapshot(id);
    expect(rows.map((r) => r.sid)).toEqual(subs.map((s) => s.id));
    const sizes = new Map<number, number>();
    for (const r of rows) sizes.set(r.batch, (sizes.get(r.batch) ?? 0) + 1);
    expect(sizes.size).toBe(15);
    expect(Math.max(...sizes.values())).toBeLessThanOrEqual(100);
    // Every batch enqueued at least once; duplicates are harmless (the consumer's claim is a CAS).
    expect(new Set(queue.pending.map((m) => (m.body as SendMessage).batch))).toEqual(new Set(sizes.keys()));
  });

  it("has the cron re-enqueue units whose queue messages were lost", async () => {
    await addSubscribers(250, "fan-lost-");
    const id = await edition();
    const lost = new RecordingQueue();
    await startSend(env.DB, lost, id);
    await runFanout(env.DB, lost, id, new SubrequestBudget());
    // The three send messages vanish; an hour later nothing has touched the rows.
    await env.DB.prepare("UPDATE deliveries SET updated_at = ? WHERE edition_id = ?")
      .bind(new Date(Date.now() - 2 * 3_600_000).toISOString(), id)
      .run();
    const queue = new RecordingQueue();
    const { resumed } = await runScheduled(env, new Date(Date.UTC(2031, 0, 1, 7, 0)), "0 7 * * *", { queue });
    expect(resumed).toBe(3);
    const units = queue.pending.filter((m) => m.body.kind === "send" && m.body.editionId === id).map((m) => (m.body as SendMessage).batch);
    expect(units.sort()).toEqual([0, 1, 2]);
  });
});
