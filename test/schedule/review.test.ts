// Review before send (issue 22, item 4), in workerd with the real local D1: with the setting on,
// a scheduled build waits as "awaiting approval" (listed with since when) until the operator sends
// it, or until the first tick after its deadline.
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { runScheduleTick } from "../../src/jobs/tick";
import { addSubscribers, RecordingQueue, resetDelivery } from "../delivery/helpers";

const admin = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(
    new Request(`http://localhost${path}`, {
      ...init,
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
    }),
  );
const fanouts = async (id: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM fanouts WHERE edition_id = ?").bind(id).first<{ n: number }>())!.n;

async function tick(at: string, queue = new RecordingQueue()) {
  const time = new Date(at);
  return runScheduleTick(env, time, { clock: () => time, queue });
}

beforeEach(async () => {
  await resetDelivery();
  await env.DB.batch(["settings", "edition_reviews", "edition_stories", "edition_articles"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
});

describe("review before send", () => {
  it("holds the scheduled edition until the operator sends it", async () => {
    await addSubscribers(2, "review-");
    const put = await admin("/admin/settings", { method: "PUT", body: JSON.stringify({ review: true, sendAt: "08:00", timezone: "UTC" }) });
    expect(put.status).toBe(200);
    const r = await tick("2030-02-04T08:00:00Z");
    expect(r?.build?.status).toBe("built");
    expect(r?.sendStarted).toBe(false);
    const id = r!.build!.editionId;
    expect(await fanouts(id)).toBe(0);

    const waiting = (await (await admin("/admin/editions/awaiting")).json()) as {
      editions: Array<{ editionId: string; waitingSince: string }>;
    };
    expect(waiting.editions).toEqual([
      expect.objectContaining({ editionId: id, waitingSince: "2030-02-04T08:00:00.000Z", deadlineAt: null }),
    ]);
    const status = (await (await admin(`/admin/editions/${id}`)).json()) as { delivery: string; review: { waitingSince: string } };
    expect(status.delivery).toBe("awaiting approval");
    expect(status.review.waitingSince).toBe("2030-02-04T08:00:00.000Z");

    // Later ticks neither send it nor build another.
    await tick("2030-02-04T12:00:00Z");
    expect(await fanouts(id)).toBe(0);

    const approved = await admin(`/admin/editions/${id}/send`, { method: "POST" });
    expect(approved.status).toBe(202);
    expect(await fanouts(id)).toBe(1);
    expect(((await (await admin("/admin/editions/awaiting")).json()) as { editions: unknown[] }).editions).toEqual([]);
  });

  it("sends a held edition at the first tick after its deadline, once", async () => {
    await admin("/admin/settings", {
      method: "PUT",
      body: JSON.stringify({ review: true, reviewDeadlineMinutes: 30, sendAt: "08:00", timezone: "UTC" }),
    });
    const r = await tick("2030-02-05T08:00:00Z");
    const id = r!.build!.editionId;
    expect((await tick("2030-02-05T08:20:00Z"))?.released).toEqual([]);
    expect(await fanouts(id)).toBe(0);
    expect((await tick("2030-02-05T08:30:00Z"))?.released).toEqual([id]);
    expect(await fanouts(id)).toBe(1);
    expect((await tick("2030-02-05T08:40:00Z"))?.released).toEqual([]);
  });
});
