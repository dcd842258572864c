// The names' history through the Worker: items stored as ingest stores them (the inserts, then the
// count of the stored items' names, in one D1 batch), then two daily editions. The second day's shooting in
// the same city shares the city, its trauma hospital and its police chief with the first day's
// story. While the history knows those names only from these two reports, the edition takes them
// for evidence and calls the new shooting an update; once the history has seen them in dozens of
// earlier reports (as a Worker that has run for months has), it is a new story, and the arrest in
// the first shooting (its victim, its street) is still an update.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { leadNames, prepareArticles } from "../../src/digest";
import type { RawArticle } from "../../src/digest/types";
import { makeDeps } from "../../src/deps";
import { buildEdition } from "../../src/editions/build";
import { getEdition } from "../../src/editions/store";
import { countNamesStatement, insertItemStatement } from "../../src/sources/store";

const article = (id: string, publishedAt: string, title: string, paragraphs: string[]): RawArticle => ({
  id,
  publishedAt,
  title,
  publisher: "Springfield Ledger",
  body: paragraphs.join("\n\n"),
  format: "text",
});
const first = (day: string) =>
  article(`elm-${day}`, `${day}T06:00:00Z`, "Man shot on Elm Street in Springfield", [
    "A man was shot on Elm Street in Springfield late Thursday and taken to Mercy General Hospital, police said.",
    "Springfield Police Chief Dana Ortiz said the victim, Marcus Leland, 34, was in stable condition at Mercy General Hospital.",
    "Chief Ortiz said officers were looking for a gray sedan seen leaving Elm Street.",
  ]);
const other = (day: string) =>
  article(`river-${day}`, `${day}T07:00:00Z`, "Woman shot near River Road in Springfield", [
    "A woman was shot near River Road in Springfield early Friday and taken to Mercy General Hospital, police said.",
    "Springfield Police Chief Dana Ortiz said the victim, Alma Price, 29, was in stable condition at Mercy General Hospital.",
    "Chief Ortiz said officers were looking for a man seen running toward River Road.",
  ]);
const arrest = (day: string) =>
  article(`arrest-${day}`, `${day}T06:00:00Z`, "Arrest made in Elm Street shooting of Marcus Leland", [
    "Springfield police arrested a man on Friday in the shooting of Marcus Leland on Elm Street, Chief Dana Ortiz said.",
    "Leland, 34, remained at Mercy General Hospital, and the gray sedan was found on Quarry Lane, Chief Ortiz said.",
  ]);

/** Stores items as ingest does: the inserts, then the count of the names of those they stored. */
async function store(feed: string, raws: RawArticle[], firstSeenAt: string): Promise<void> {
  const items = prepareArticles(raws).articles.map((a) => ({ sourceUrl: feed, article: a, fingerprint: `fp-${a.id}`, firstSeenAt }));
  const names = countNamesStatement(env.DB, {
    sourceUrl: feed,
    firstSeenAt,
    items: items.map((i) => ({ guid: i.article.id, names: leadNames(i.article) })),
  });
  await env.DB.batch([...items.map((i) => insertItemStatement(env.DB, i)), names]);
}

/** The city's, hospital's and chief's names as dozens of earlier reports would have counted them. */
async function commonNames(reports: number): Promise<void> {
  const names = ["springfield", "mercy", "general", "hospital", "dana", "ortiz", "chief", "police"];
  await env.DB.batch(
    names.map((n) =>
      env.DB.prepare(
        "INSERT INTO name_history (name, articles) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET articles = articles + excluded.articles",
      ).bind(n, reports),
    ),
  );
}

/** Day one's edition, then day two's with `next` stored: day two's stories. */
async function twoDays(feed: string, days: [string, string], next: RawArticle) {
  const deps = makeDeps({ ...env, FEED_URLS: feed, FULL_TEXT_PER_RUN: "0" });
  await store(feed, [first(days[0])], `${days[0]}T06:30:00Z`);
  const one = await buildEdition(deps, { slot: `${days[0]}T07:00Z`, now: new Date(`${days[0]}T07:00:00Z`) });
  await store(feed, [next], `${days[1]}T06:30:00Z`);
  const two = await buildEdition(deps, { slot: `${days[1]}T07:00Z`, now: new Date(`${days[1]}T07:00:00Z`) });
  expect([one.status, two.status]).toEqual(["built", "built"]);
  const [e1, e2] = [(await getEdition(env.DB, one.editionId))!, (await getEdition(env.DB, two.editionId))!];
  return { story: e1.digest.stories[0]!, stories: e2.digest.stories };
}

describe("an edition judges updates by the names' history", () => {
  it("with only the two reports in the history, another shooting in the city reads as an update", async () => {
    const { story, stories } = await twoDays("https://springfield-a.example/feed.xml", ["2026-10-01", "2026-10-02"], other("2026-10-02"));
    expect(stories).toHaveLength(1);
    expect(stories[0]).toMatchObject({ id: story.id, update: true });
  });

  it("once the history has seen the city, hospital and chief in dozens of reports, it is a new story", async () => {
    await commonNames(40);
    const { story, stories } = await twoDays("https://springfield-b.example/feed.xml", ["2026-10-11", "2026-10-12"], other("2026-10-12"));
    expect(stories).toHaveLength(1);
    expect(stories[0]!.id).not.toBe(story.id);
    expect(stories[0]!.update).toBe(false);
  });

  it("with the same history, the arrest in the first shooting is still an update", async () => {
    await commonNames(40);
    const { story, stories } = await twoDays("https://springfield-c.example/feed.xml", ["2026-10-21", "2026-10-22"], arrest("2026-10-22"));
    expect(stories).toHaveLength(1);
    expect(stories[0]).toMatchObject({ id: story.id, update: true });
    expect(stories[0]!.sources.map((s) => s.id)).toEqual(["arrest-2026-10-22"]);
  });
});
