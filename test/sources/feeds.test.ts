// Feed sources in workerd: RSS, Atom and JSON Feed parsed from a real local HTTP server, with
// broken, failing and slow feeds skipped rather than failing the edition; every fixture of
// test/fixtures/feeds/conformance/ read as a reader expects (feed-conformance-cases.ts), in the
// encoding it declares; hostile documents refused or defused.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest";
import { makeDeps } from "../../src/deps";
import { buildEdition } from "../../src/editions/build";
import { getEdition } from "../../src/editions/store";
import { gatherArticles } from "../../src/sources";
import { charsetOf, decodeFeed } from "../../src/sources/decode";
import { FeedError, itemLine, parseFeed, readFeed } from "../../src/sources/feed-parse";
import { fetchFeeds } from "../../src/sources/feeds";
import { ingestSources } from "../../src/sources/ingest";
import { getSources } from "../../src/sources/store";
import { MAX_DEPTH } from "../../src/sources/xml";
import { CONFORMANCE, squeeze } from "./feed-conformance-cases";

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

describe("feed conformance in workerd", () => {
  it.each(Object.entries(CONFORMANCE))("reads %s as a reader would", async (file, expected) => {
    const where = url(`/feeds/conformance/${file}`);
    const res = await fetch(where);
    expect(res.status).toBe(200);
    const decoded = decodeFeed(new Uint8Array(await res.arrayBuffer()), res.headers.get("content-type"));
    const feed = readFeed(decoded.text, where);
    const got = feed.items.map((it, k) => itemLine(it, `${where}#${k}`));
    expect(got.map((g) => ({ ...g, text: squeeze(g.text) }))).toEqual(
      expected.map((e, k) => ({ ...e, id: e.id ?? `${where}#${k}`, text: squeeze(e.text) })),
    );
    // Undecodable bytes and unexpandable entities are reported, and only then.
    expect(decoded.warnings.some((w) => /undecodable/.test(w))).toBe(file === "invalid-utf8.xml");
    expect(feed.warnings.some((w) => /could not be expanded/.test(w))).toBe(file === "billion-laughs.xml");
  });

  it("keeps accented letters of ISO-8859-1 and windows-1252 feeds through fetchFeeds", async () => {
    const { articles, failures } = await fetchFeeds([url("/feeds/conformance/latin1.xml"), url("/feeds/conformance/windows-1252.xml")]);
    expect(failures).toEqual([]);
    expect(articles.map((a) => a.title).sort()).toEqual(["Café crème à Zürich", "“Smart quotes” – and € signs"]);
  });

  it("decodes by the HTTP charset first, then the XML declaration, then the byte-order mark", () => {
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode('<?xml version="1.0" encoding="utf-8"?><rss><channel><item><title>Caf'),
      0xe9,
      ...new TextEncoder().encode("</title></item></channel></rss>"),
    ]);
    // The header says ISO-8859-1: it wins over the declaration's UTF-8.
    const byHeader = decodeFeed(latin1, "application/rss+xml; charset=ISO-8859-1");
    expect(byHeader).toMatchObject({ encoding: "windows-1252", warnings: [] });
    expect(parseFeed(byHeader.text, "https://x/")[0]!.title).toBe("Café");
    // Without the header, the declaration (UTF-8) rules: the byte is undecodable, and reported.
    const byDecl = decodeFeed(latin1, "application/xml");
    expect(byDecl.encoding).toBe("utf-8");
    expect(byDecl.warnings).toEqual([expect.stringMatching(/1 undecodable byte sequence/)]);
    // A UTF-16 big-endian byte-order mark, with no declaration and no charset.
    const doc = "<rss><channel><item><title>Größe</title></item></channel></rss>";
    const be = new Uint8Array(2 + doc.length * 2);
    be.set([0xfe, 0xff]);
    for (let i = 0; i < doc.length; i++) be.set([doc.charCodeAt(i) >> 8, doc.charCodeAt(i) & 0xff], 2 + i * 2);
    expect(decodeFeed(be, null)).toMatchObject({ encoding: "utf-16be", text: doc });
    // A UTF-8 byte-order mark contradicting the header and the declaration: the bytes' own word wins.
    const bom8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(`<?xml version="1.0" encoding="ISO-8859-1"?>${doc}`)]);
    expect(decodeFeed(bom8, "text/xml; charset=iso-8859-1")).toMatchObject({ encoding: "utf-8", warnings: [] });
    expect(parseFeed(decodeFeed(bom8, null).text, "https://x/")[0]!.title).toBe("Größe");
    expect(decodeFeed(new TextEncoder().encode(doc), "text/xml; charset=x-unknown").warnings).toEqual([
      expect.stringMatching(/unknown encoding "x-unknown"/),
    ]);
    expect(charsetOf('application/xml; charset="windows-1252"')).toBe("windows-1252");
  });

  it("records undecodable bytes and unexpandable entities on the source's row, once per fetch", async () => {
    const bad = url("/feeds/conformance/invalid-utf8.xml");
    const laughs = url("/feeds/conformance/billion-laughs.xml");
    const deps = makeDeps({ ...env, FEED_URLS: [bad, laughs].join(","), FULL_TEXT_PER_RUN: "0" });
    for (const now of ["2026-11-23T07:00:00Z", "2026-11-23T08:00:00Z"]) {
      await ingestSources(deps, new Date(now));
      const rows = new Map((await getSources(env.DB, [bad, laughs])).map((r) => [r.url, r]));
      expect(rows.get(bad)!.lastWarnings.filter((w) => /undecodable/.test(w))).toHaveLength(1);
      expect(rows.get(laughs)!.lastWarnings.filter((w) => /&lol9;/.test(w))).toHaveLength(1);
    }
  });

  it("stores each item's author and shows it in the web edition's source list and the digest's JSON", async () => {
    const feed = url("/feeds/kinds/rss-2.0-edge.xml");
    const deps = makeDeps({ ...env, FEED_URLS: feed, FULL_TEXT_PER_RUN: "0" });
    const now = new Date("2026-11-21T07:00:00Z");
    await ingestSources(deps, now);
    const stored = await env.DB.prepare("SELECT author FROM items WHERE guid = 'edge-cycle-lanes'").first<{ author: string }>();
    expect(stored?.author).toBe("Cleo Council");
    const built = await buildEdition(deps, { slot: "2026-11-21T07:00Z", now });
    expect(built.status).toBe("built");
    const edition = await getEdition(env.DB, built.editionId!);
    const source = edition!.digest.stories.flatMap((s) => s.sources).find((s) => s.id === "edge-cycle-lanes");
    expect(source).toMatchObject({ author: "Cleo Council", publisher: "Edge & Co. News" });
    const page = await exports.default.fetch(`http://localhost/editions/${encodeURIComponent(built.editionId!)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("by Cleo Council");
    const sourcePage = await exports.default.fetch(
      `http://localhost/editions/${encodeURIComponent(built.editionId!)}/sources/edge-cycle-lanes`,
    );
    expect(sourcePage.status).toBe(200);
    expect(await sourcePage.text()).toContain("by Cleo Council");
  });

  it("refuses truncated, mismatched and over-deep documents with a FeedError, and never shows an unexpanded entity", () => {
    const bad = [
      "<rss><channel><item><title>cut",
      "<rss><channel><item><title>open</channel>",
      `<rss>${"<a>".repeat(MAX_DEPTH + 1)}${"</a>".repeat(MAX_DEPTH + 1)}</rss>`,
      '<rss><channel><item a="1></item></channel></rss>',
      "<feed xmlns='urn:not-atom'><entry/></feed>",
      "plain text",
    ];
    for (const doc of bad) expect(() => parseFeed(doc, "https://x/"), doc.slice(0, 40)).toThrow(FeedError);
    const undeclared = readFeed("<rss><channel><item><title>A &bogus; B</title><guid>&nope;</guid></item></channel></rss>", "https://x/");
    expect(undeclared.items[0]).toMatchObject({ title: "A B" });
    expect(undeclared.items[0]!.id).toBeUndefined();
    expect(undeclared.warnings[0]).toMatch(/2 entity reference/);
    // Unescaped HTML with an unclosed <p> and a stray end tag: repaired as HTML parsers do, and said.
    const sloppy = readFeed(
      "<rss><channel><item><title>T</title><description><p class=x>One<p>Two <br> three</b></description></item></channel></rss>",
      "https://x/",
    );
    expect(sloppy.items[0]).toMatchObject({ title: "T", content: { format: "html", value: '<p class="x">One<p>Two <br> three</p></p>' } });
    expect(sloppy.warnings).toEqual(["2 mismatched end tag(s) repaired"]);
  });
});
