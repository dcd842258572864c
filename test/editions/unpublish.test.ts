// DELETE /admin/editions/:id (issue 22, item 5) in workerd with the real local D1: an edition
// never sent is deleted (its slot recorded as skipped); a sent one is unpublished: its page and
// source pages answer 410, it leaves the archive, the landing page and /feed.xml, and its
// delivery records and memory stay.
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { addSubscribers, counts, drain, fanOut, newEdition, resetDelivery } from "../delivery/helpers";

const get = (path: string, accept = "text/html") => exports.default.fetch(new Request(`http://localhost${path}`, { headers: { accept } }));
const admin = (path: string, method = "GET") =>
  exports.default.fetch(new Request(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } }));
const headlineOf = async (id: string) =>
  (
    JSON.parse((await env.DB.prepare("SELECT digest_json AS d FROM editions WHERE id = ?").bind(id).first<{ d: string }>())!.d) as {
      stories: Array<{ headline: string }>;
    }
  ).stories[0]!.headline;

beforeEach(async () => {
  await resetDelivery();
  await env.DB.batch([env.DB.prepare("DELETE FROM edition_stories"), env.DB.prepare("DELETE FROM edition_articles")]);
});

describe("DELETE /admin/editions/:id", () => {
  it("deletes an edition never sent, and keeps its slot taken so the schedule does not build it again", async () => {
    const id = await newEdition("unpub");
    const slot = (await env.DB.prepare("SELECT slot FROM editions WHERE id = ?").bind(id).first<{ slot: string }>())!.slot;
    const r = await admin(`/admin/editions/${id}`, "DELETE");
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ editionId: id, outcome: "deleted" });
    expect((await get(`/editions/${id}`)).status).toBe(404);
    expect((await admin(`/admin/editions/${id}`)).status).toBe(404);
    const rows = await env.DB.prepare("SELECT status, skip_reason AS reason FROM editions WHERE slot = ?")
      .bind(slot)
      .all<{ status: string; reason: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.status).toBe("skipped");
    expect(rows.results[0]!.reason).toContain(`edition ${id} was deleted before sending`);
    expect(
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM edition_stories WHERE edition_id = ?").bind(id).first<{ n: number }>())!.n,
    ).toBe(0);
    expect((await admin("/admin/editions/no-such-edition", "DELETE")).status).toBe(404);
  });

  it("unpublishes a sent edition: 410 for its pages, gone from the archive, landing page and feed; delivery records and the row stay", async () => {
    await addSubscribers(3, "unpub-");
    const kept = await newEdition("unpub");
    await drain(await fanOut(kept));
    const id = await newEdition("unpub");
    await drain(await fanOut(id));
    const headline = await headlineOf(id);
    const keptHeadline = await headlineOf(kept);
    expect((await get(`/editions/${id}`)).status).toBe(200);
    expect(await (await get("/feed.xml")).text()).toContain(headline);
    expect(await (await get("/")).text()).toContain(headline);
    const before = await counts(id);
    expect(before).toEqual({ sent: 3 });

    const r = await admin(`/admin/editions/${id}`, "DELETE");
    expect(r.status).toBe(200);
    const body = (await r.json()) as { outcome: string; unpublishedAt: string };
    expect(body.outcome).toBe("unpublished");

    const page = await get(`/editions/${id}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("unpublished");
    expect((await get(`/editions/${id}`, "application/json")).status).toBe(410);
    expect((await get(`/editions/${id}/sources/x`)).status).toBe(410);
    const feed = await (await get("/feed.xml")).text();
    expect(feed).not.toContain(headline);
    expect(feed).toContain(keptHeadline);
    const archive = await (await get("/editions")).text();
    expect(archive).not.toContain(`/editions/${id}"`);
    expect(archive).toContain(`/editions/${kept}"`);
    const landing = await (await get("/")).text();
    expect(landing).not.toContain(headline);
    expect(landing).toContain(keptHeadline);

    // The operator still sees it, with its deliveries; memory still knows what was sent.
    expect(await counts(id)).toEqual(before);
    const status = (await (await admin(`/admin/editions/${id}`)).json()) as { edition: { unpublishedAt: string } };
    expect(status.edition.unpublishedAt).toBe(body.unpublishedAt);
    // The row stays (what was sent is remembered), only off the web.
    const row = await env.DB.prepare("SELECT status, unpublished_at AS at FROM editions WHERE id = ?")
      .bind(id)
      .first<{ status: string; at: string }>();
    expect(row).toEqual({ status: "built", at: body.unpublishedAt });
    // Again: the same answer, the first time kept.
    expect(await (await admin(`/admin/editions/${id}`, "DELETE")).json()).toEqual({ editionId: id, ...body });
  });
});
