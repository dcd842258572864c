// An item's analysis round-trips through D1: its sentences, and the line it opened on to introduce
// a list (the headline when the list's items make none). Rows stored before lead-ins were kept (a
// bare array of sentences) still read. Made-up text only.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildDigest, prepareArticles } from "../../src/digest";
import { insertItemStatement, itemsByGuid } from "../../src/sources/store";

const LIST = [
  "Here are some Web sites for gardeners planning a rooftop vegetable plot:",
  "www.rooftopgrow.example - The Rooftop Growers Guild, run by Brooklyn horticulturist Ada Moreno.",
  "www.soilweight.example - A calculator of wet soil loads, from the Civic Engineering Society.",
  "www.seedswap.example - Devoted to heirloom tomato seeds traded among Queens growers.",
].join("\n\n");

describe("stored analysis", () => {
  it("keeps an article's opening lead-in, which heads a story of list items", async () => {
    const [article] = prepareArticles([{ id: "list-1", body: LIST }]).articles;
    expect(article!.leadIn).toBe("Here are some Web sites for gardeners planning a rooftop vegetable plot");
    // The list's first item is not a clause; the lead-in is.
    expect(buildDigest([{ id: "list-1", body: LIST }], { date: "2026-12-04" }).digest.stories[0]!.headline).toBe(article!.leadIn);
    await insertItemStatement(env.DB, {
      sourceUrl: "https://example.test/list.xml",
      article: article!,
      fingerprint: "fp-list-1",
      firstSeenAt: "2026-12-04T07:00:00Z",
    }).run();
    const [stored] = await itemsByGuid(env.DB, ["list-1"]);
    expect(stored!.article.leadIn).toBe(article!.leadIn);
    expect(stored!.article.candidates).toEqual(article!.candidates);
  });

  it("reads a row stored as a bare array of sentences, and one without a lead-in", async () => {
    const [article] = prepareArticles([
      { id: "plain-1", body: "The Riverton council approved a rooftop garden grant on Monday." },
    ]).articles;
    expect(article!.leadIn).toBeUndefined();
    await insertItemStatement(env.DB, {
      sourceUrl: "https://example.test/plain.xml",
      article: article!,
      fingerprint: "fp-plain-1",
      firstSeenAt: "2026-12-04T07:00:00Z",
    }).run();
    const row = await env.DB.prepare("SELECT analysis FROM items WHERE guid = 'plain-1'").first<{ analysis: string }>();
    expect(Array.isArray(JSON.parse(row!.analysis))).toBe(true);
    const [stored] = await itemsByGuid(env.DB, ["plain-1"]);
    expect(stored!.article.candidates).toEqual(article!.candidates);
    expect(stored!.article.leadIn).toBeUndefined();
  });
});
