// Feed sources in workerd: RSS, Atom and JSON Feed parsed from a real local HTTP server, with
// broken, failing and slow feeds skipped rather than failing the edition.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest";
import { FeedError, parseFeed } from "../../src/sources/feed-parse";
import { fetchFeeds } from "../../src/sources/feeds";
import { gatherArticles } from "../../src/sources";

const url = (path: string) => `${env.TEST_FIXTURES_URL}${path}`;
const now = new Date("2026-11-23T07:00:00Z");

describe("feeds", () => {
  it("parses RSS, Atom and JSON Feed items with their metadata and never invents a date", async () => {
    const { articles, failures } = await fetchFeeds([url("/feeds/rss.xml"), url("/feeds/atom.xml"), url("/feeds/feed.json")]);
    expect(failures).toEqual([]);
    const byId = new Map(articles.map((a) => [a.id, a]));
    expect(byId.get("https://gazette.example/bridge")).toMatchObject({
      title: "Harbour bridge to close for repairs in March",
      url: "https://gazette.example/bridge",
      publisher: "Harbour Gazette",
      publishedAt: "2026-11-23T05:00:00.000Z",
      format: "html",
    });
    // content:encoded wins over the teaser description.
    expect(byId.get("https://gazette.example/bridge")!.body).toContain("expansion joints");
    expect(byId.get("urn:uuid:orchestra-prize")).toMatchObject({
      title: "Valley orchestra wins national prize",
      url: "https://observer.example/orchestra",
      publisher: "Valley Observer",
    });
    expect(byId.get("urn:uuid:orchestra-prize")!.body).toMatch(/^<p>The Valley Youth Orchestra/);
    expect(byId.get("storm-2026-11-22")).toMatchObject({
      format: "text",
      publisher: "Coastal Weather Desk",
      publishedAt: "2026-11-22T20:00:00.000Z",
    });
    const undated = parseFeed(
      "<rss><channel><item><title>T</title><description>Body text.</description></item></channel></rss>",
      "https://x/feed",
    );
    expect(undated[0]!.publishedAt).toBeUndefined();
  });

  it("skips a broken, missing, failing or slow feed and keeps the rest", async () => {
    const { articles, failures } = await fetchFeeds(
      [url("/feeds/broken.xml"), url("/feeds/nope.xml"), url("/status/503"), url("/slow/2000"), url("/feeds/atom.xml")],
      { timeoutMs: 500 },
    );
    expect(failures.map((f) => f.url).sort()).toEqual(
      [url("/feeds/broken.xml"), url("/feeds/nope.xml"), url("/slow/2000"), url("/status/503")].sort(),
    );
    expect(articles.map((a) => a.id)).toEqual(["urn:uuid:orchestra-prize"]);
  });

  it("rejects documents that are not feeds with a FeedError", () => {
    expect(() => parseFeed("<html><body>hi</body></html>", "https://x")).toThrow(FeedError);
    expect(() => parseFeed("{ nope", "https://x")).toThrow(FeedError);
  });

  it("gathers fresh feed items without the seeds (unless asked), drops stale ones, and digests them", async () => {
    const feeds = [url("/feeds/rss.xml"), url("/feeds/atom.xml"), url("/feeds/feed.json")];
    expect((await gatherArticles({ feedUrls: feeds, now, seeds: true })).map((a) => a.id)).toContain("000_b1cf72ef45b43b21.txt");
    const raw = await gatherArticles({ feedUrls: feeds, now });
    const ids = raw.map((a) => a.id);
    expect(ids).not.toContain("000_b1cf72ef45b43b21.txt");
    expect(ids).toContain("https://gazette.example/bridge");
    expect(ids).not.toContain("https://gazette.example/old");
    const { digest } = buildDigest(raw, { date: "2026-11-23" });
    const sources = digest.stories.flatMap((s) => s.sources.map((x) => x.id));
    expect(sources).toContain("urn:uuid:orchestra-prize");
    const bridge = digest.stories.find((s) => s.sources.some((x) => x.id === "https://gazette.example/bridge"))!;
    expect(bridge.sources[0]).toMatchObject({ url: "https://gazette.example/bridge", publisher: "Harbour Gazette" });
    // The figure caption inside the feed HTML is not article prose.
    expect(bridge.summary.join(" ")).not.toContain("Gazette photo");
  });
});
