// The ingest stage against a real local HTTP server: hostile sources are reported on their rows
// and never stop the edition; items are stored once; an edition of 500 items stays far under
// D1's 2 MB row limit; short excerpts get their page's text.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeDeps } from "../../src/deps";
import { buildEdition } from "../../src/editions/build";
import { getEdition } from "../../src/editions/store";
import { ingestSources, MAX_ITEM_CHARS } from "../../src/sources/ingest";
import { getSources, itemsByGuid } from "../../src/sources/store";
import { leadNames } from "../../src/digest";

const url = (p: string) => `${env.TEST_FIXTURES_URL}${p}`;
const depsFor = (feeds: string[], extra: Record<string, string> = {}) =>
  makeDeps({ ...env, FEED_URLS: feeds.join(","), FULL_TEXT_PER_RUN: "0", ...extra });

describe("ingest", () => {
  it("reports a broken, a slow, a 5 MB and a pathological feed, and the edition is still built", async () => {
    const broken = url("/feeds/broken.xml");
    const slow = url("/slow/5000");
    const huge = url(`/huge/${5 * 1024 * 1024}.xml`);
    const patho = url("/pathological.xml");
    const good = url("/feeds/rss.xml");
    const deps = depsFor([broken, slow, huge, patho, good]);
    const now = new Date("2026-11-23T07:00:00Z");
    const report = await ingestSources(deps, now, { timeoutMs: 1500 });
    const by = new Map(report.sources.map((s) => [s.url, s]));
    expect(by.get(broken)).toMatchObject({ status: "failed", error: expect.stringMatching(/not valid XML/) });
    expect(by.get(slow)).toMatchObject({ status: "failed", error: expect.stringMatching(/no answer within 1500 ms/) });
    expect(by.get(huge)).toMatchObject({ status: "failed", error: expect.stringMatching(/larger than 2048 KB/) });
    expect(by.get(patho)).toMatchObject({ status: "fetched", newItems: 1 });
    expect(by.get(patho)!.warnings.join("\n")).toContain(`${patho}: item patho-1 is larger than 100 KB`);
    expect(by.get(good)).toMatchObject({ status: "fetched", newItems: 1 }); // the year-old item is past retention

    // Each failure is recorded on its source's row, with the time of the try and no success.
    const states = new Map((await getSources(env.DB, [broken, slow, huge, patho, good])).map((s) => [s.url, s]));
    for (const u of [broken, slow, huge]) {
      expect(states.get(u)).toMatchObject({ lastStatus: "failed", lastFetchAt: now.toISOString(), lastSuccessAt: null });
      expect(states.get(u)!.lastError).toBe(by.get(u)!.error);
    }
    expect(states.get(patho)).toMatchObject({ lastStatus: "fetched", lastError: null, items: 1 });
    expect(states.get(patho)!.lastWarnings.join("\n")).toContain("larger than 100 KB");
    const stored = await env.DB.prepare("SELECT LENGTH(text) AS n FROM items WHERE guid = 'patho-1'").first<{ n: number }>();
    expect(stored!.n).toBeLessThanOrEqual(MAX_ITEM_CHARS);

    const built = await buildEdition(deps, { slot: "2026-11-23T07:00Z", now });
    expect(built.status).toBe("built");
    const edition = (await getEdition(env.DB, built.editionId))!;
    const sources = edition.digest.stories.flatMap((s) => s.sources.map((x) => x.id));
    expect(sources).toContain("https://gazette.example/bridge");
    expect(sources).toContain("patho-1");
  });

  it("stores each item once: a second fetch of a changed feed adds only its new items", async () => {
    const feeds = [url("/news/5.xml?count=5&at=2026-11-20T06:00:00Z"), url("/news/5.xml?count=6&at=2026-11-20T06:00:00Z")];
    const deps = depsFor(feeds);
    const first = await ingestSources(deps, new Date("2026-11-20T07:00:00Z"));
    // The second feed repeats the first one's five items (same guids and texts) and adds one.
    expect(first.sources.map((s) => s.newItems).reduce((a, b) => a + b, 0)).toBe(6);
    const again = await ingestSources(deps, new Date("2026-11-21T07:00:00Z"));
    expect(again.sources.map((s) => s.status)).toEqual(["not-modified", "not-modified"]);
    expect(again.sources.map((s) => s.newItems)).toEqual([0, 0]);
  });

  it("counts each stored item's names into the names' history once, however many feeds repeat it", async () => {
    const names = async () =>
      new Map(
        (await env.DB.prepare("SELECT name, articles FROM name_history").all<{ name: string; articles: number }>()).results.map((r) => [
          r.name,
          r.articles,
        ]),
      );
    const before = await names();
    const feeds = [url("/news/7.xml?count=4&at=2026-11-22T06:00:00Z"), url("/news/7.xml?count=5&at=2026-11-22T06:00:00Z")];
    const deps = depsFor(feeds);
    await ingestSources(deps, new Date("2026-11-22T07:00:00Z"));
    await ingestSources(deps, new Date("2026-11-22T08:00:00Z"));
    const after = await names();
    // Five items were stored (the second feed repeats the first one's four): '' counts them.
    expect((after.get("") ?? 0) - (before.get("") ?? 0)).toBe(5);
    const guids = (
      await env.DB.prepare("SELECT guid FROM items WHERE source_url IN (?, ?)")
        .bind(...feeds)
        .all<{ guid: string }>()
    ).results;
    expect(guids).toHaveLength(5);
    // Each name is counted once per stored item whose title and lead use it.
    const expected = new Map<string, number>();
    for (const item of await itemsByGuid(
      env.DB,
      guids.map((g) => g.guid),
    ))
      for (const name of new Set(leadNames(item.article))) expected.set(name, (expected.get(name) ?? 0) + 1);
    expect(expected.size).toBeGreaterThan(3);
    for (const [name, n] of expected) expect((after.get(name) ?? 0) - (before.get(name) ?? 0), name).toBe(n);
  });

  it("builds an edition of 500 items far under D1's 2 MB row limit", async () => {
    const at = "2026-11-25T06:00:00Z";
    const feeds = [0, 1, 2, 3, 4].map((k) => url(`/news/${k}.xml?count=100&at=${at}`));
    const deps = depsFor(feeds);
    const now = new Date("2026-11-25T07:00:00Z");
    const report = await ingestSources(deps, now);
    const items = report.sources.reduce((n, s) => n + s.newItems, 0);
    expect(report.sources.every((s) => s.status === "fetched")).toBe(true);
    // 500 distinct generated articles (test/support/synthetic-news.ts), each stored once.
    expect(items).toBe(500);
    const built = await buildEdition(deps, { slot: "2026-11-25T07:00Z", now });
    expect(built.status).toBe("built");
    const row = await env.DB.prepare(
      `SELECT LENGTH(digest_json) + LENGTH(html) + LENGTH(text) + LENGTH(articles_json) + LENGTH(story_ids) AS bytes
       FROM editions WHERE id = ?`,
    )
      .bind(built.editionId)
      .first<{ bytes: number }>();
    expect(row!.bytes).toBeLessThan(700_000);
    const parts = await env.DB.prepare(
      "SELECT COUNT(*) AS n, MAX(LENGTH(article_json)) AS biggest FROM edition_articles WHERE edition_id = ?",
    )
      .bind(built.editionId)
      .first<{ n: number; biggest: number }>();
    expect(parts!.n).toBe(items);
    expect(parts!.biggest).toBeLessThan(2 * MAX_ITEM_CHARS);
    const memory = await env.DB.prepare(
      "SELECT MAX(LENGTH(article_ids) + LENGTH(sentences)) AS biggest FROM edition_stories WHERE edition_id = ?",
    )
      .bind(built.editionId)
      .first<{ biggest: number }>();
    expect(memory!.biggest).toBeLessThan(100_000);
  });

  it("fetches the page of an item that carries only an excerpt, within the run's cap, unless the source opts out", async () => {
    const feed = url("/excerpts/ferry.xml?n=3");
    const optedOut = url("/excerpts/tram.xml?n=2");
    const deps = depsFor([feed, optedOut], { FULL_TEXT_PER_RUN: "2", FULL_TEXT_SKIP: optedOut });
    const report = await ingestSources(deps, new Date("2026-11-23T07:00:00Z"));
    expect(report.pagesFetched).toBe(2);
    const rows = await env.DB.prepare("SELECT guid, text FROM items WHERE source_url IN (?, ?) ORDER BY guid")
      .bind(feed, optedOut)
      .all<{ guid: string; text: string }>();
    const full = rows.results.filter((r) => r.text.includes("ferry timetable adds crossings"));
    // Two pages within the cap, the article's text without its navigation; the rest keep their teaser.
    expect(full).toHaveLength(2);
    for (const r of full) expect(r.text).not.toMatch(/Home \| News|Copyright/);
    expect(rows.results.filter((r) => r.guid.startsWith("tram-")).map((r) => r.text)).toEqual(["Short teaser 0.", "Short teaser 1."]);
  });

  it("prunes items older than ITEM_RETENTION_DAYS, counted from when they were first seen", async () => {
    const feed = url("/news/5.xml?count=3&offset=20&at=2026-10-01T06:00:00Z");
    const deps = depsFor([feed], { ITEM_RETENTION_DAYS: "10" });
    const first = await ingestSources(deps, new Date("2026-10-01T07:00:00Z"));
    expect(first.sources[0]).toMatchObject({ status: "fetched", newItems: 3 });
    const count = async () =>
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM items WHERE source_url = ?").bind(feed).first<{ n: number }>())!.n;
    expect(await count()).toBe(3);
    await ingestSources(deps, new Date("2026-10-10T07:00:00Z"));
    expect(await count()).toBe(3);
    const later = await ingestSources(deps, new Date("2026-10-12T07:00:00Z"));
    expect(later.pruned).toBeGreaterThanOrEqual(3);
    expect(await count()).toBe(0);
  });

  it("mixes the seeds into feed editions only with SEEDS=on, and shows a source's configured name", async () => {
    const feed = url("/feeds/atom.xml");
    // Later than the other tests' editions: this build draws on what is first seen now.
    const now = new Date("2026-12-05T07:00:00Z");
    const without = depsFor([`Valley Desk <${feed}>`]);
    expect(without.config.seeds).toBe(false);
    expect(without.config.feeds).toEqual([{ url: feed, name: "Valley Desk" }]);
    const report = await ingestSources(without, now);
    expect(report.sources.map((s) => s.url)).toEqual([feed]);
    const built = await buildEdition(without, { slot: "seeds-off", now });
    const edition = (await getEdition(env.DB, built.editionId))!;
    const sources = edition.digest.stories.flatMap((s) => s.sources);
    expect(sources.map((s) => s.id)).toEqual(["urn:uuid:orchestra-prize"]);
    expect(sources[0]!.publisher).toBe("Valley Desk");

    const withSeeds = depsFor([feed], { SEEDS: "on" });
    const again = await ingestSources(withSeeds, new Date("2026-12-06T07:00:00Z"));
    expect(again.sources.map((s) => s.url)).toEqual([feed, "seeds:"]);
    const mixed = await buildEdition(withSeeds, { slot: "seeds-on", now: new Date("2026-12-06T07:00:00Z") });
    const ids = (await getEdition(env.DB, mixed.editionId))!.digest.stories.flatMap((s) => s.sources.map((x) => x.id));
    expect(ids).toContain("000_b1cf72ef45b43b21.txt");
  });
});
