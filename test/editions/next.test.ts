// The next edition, honestly (issue 22, item 1), in workerd with the real local D1:
// GET /admin/editions/next answers what a build now would contain by the build's own code path,
// "nothing-new" once that was built, and changes as soon as an ingest stores new items (no
// cache); /preview says plainly when it shows the latest edition because nothing is new.
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { makeDeps } from "../../src/deps";
import { nextEdition } from "../../src/editions/next";
import { ingestSources } from "../../src/sources/ingest";
import { resetDelivery } from "../delivery/helpers";

const admin = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(
    new Request(`http://localhost${path}`, {
      ...init,
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
    }),
  );
const get = (path: string) => exports.default.fetch(new Request(`http://localhost${path}`));

interface Next {
  status: string;
  reason: string | null;
  stories: Array<{ id: string; headline: string }>;
}

beforeEach(async () => {
  await resetDelivery();
  await env.DB.batch(["items", "sources", "edition_stories", "edition_articles"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
});

describe("GET /admin/editions/next and /preview", () => {
  it("answers what the build then stores, then nothing-new, and /preview says it shows the latest edition", async () => {
    const next = (await (await admin("/admin/editions/next")).json()) as Next;
    expect(next.status).toBe("would-build");
    expect(next.stories.length).toBeGreaterThan(0);
    expect((await get("/preview")).headers.get("preview-status")).toBe("would-build");
    // Nothing was stored by asking.
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM editions").first<{ n: number }>())!.n).toBe(0);

    const built = await admin("/admin/editions", { method: "POST", body: "{}" });
    expect(built.status).toBe(201);
    const { edition } = (await built.json()) as { edition: { editionId: string } };
    const storyIds = JSON.parse(
      (await env.DB.prepare("SELECT story_ids AS s FROM editions WHERE id = ?").bind(edition.editionId).first<{ s: string }>())!.s,
    ) as string[];
    expect(storyIds).toEqual(next.stories.map((s) => s.id));
    // Built without sending.
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM fanouts").first<{ n: number }>())!.n).toBe(0);

    const after = (await (await admin("/admin/editions/next")).json()) as Next;
    expect(after).toMatchObject({ status: "nothing-new", stories: [] });
    expect(after.reason).toContain(edition.editionId);

    const preview = await get("/preview");
    expect(preview.headers.get("preview-status")).toBe("nothing-new");
    const html = await preview.text();
    expect(html).toMatch(/<body[^>]*><div role="note"[^>]*>Nothing new: a build now would be skipped/);
    expect(html).toContain(`Below is the latest edition, ${edition.editionId}, as it was sent.`);
    const text = await (await get("/preview?format=text")).text();
    expect(text.startsWith("Nothing new: a build now would be skipped")).toBe(true);
  });

  it("changes as soon as an ingest stores new items", async () => {
    const deps = makeDeps({ ...env, FEED_URLS: `${env.TEST_FIXTURES_URL}/feeds/rss.xml`, FULL_TEXT_PER_RUN: "0" });
    const now = new Date("2026-11-23T07:00:00Z");
    const fixed = { ...deps, clock: () => now };
    expect(await nextEdition(fixed)).toMatchObject({ status: "nothing-new", reason: "the sources hold no stories", stories: [] });
    const report = await ingestSources(deps, now);
    expect(report.sources[0]!.newItems).toBeGreaterThan(0);
    const next = await nextEdition(fixed);
    expect(next.status).toBe("would-build");
    expect(next.stories.length).toBeGreaterThan(0);
  });

  it("a forced build always builds, even twice within one minute", async () => {
    const first = await admin("/admin/editions", { method: "POST", body: JSON.stringify({ force: true }) });
    const second = await admin("/admin/editions", { method: "POST", body: JSON.stringify({ force: true }) });
    expect([first.status, second.status]).toEqual([201, 201]);
    const ids = [first, second].map(async (r) => ((await r.json()) as { edition: { editionId: string; status: string } }).edition);
    const [a, b] = await Promise.all(ids);
    expect(a!.status).toBe("built");
    expect(b!.status).toBe("built");
    expect(a!.editionId).not.toBe(b!.editionId);
  });
});
