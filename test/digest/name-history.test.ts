// The names' history in the pure core: a remembered story is continued (an "Update:") only on names
// that are rare in the history of stored articles, not merely in the edition's batch. Two shootings
// in one city a day apart share the city, its trauma hospital and its police chief; the batch alone
// sees those names in no other report, the history sees them in dozens.
import { describe, expect, it } from "vitest";
import { buildDigest, leadNames } from "../../src/digest";
import type { RawArticle } from "../../src/digest/types";

const first: RawArticle = {
  id: "shooting-elm",
  publisher: "Springfield Ledger",
  publishedAt: "2026-11-20T06:00:00Z",
  title: "Man shot on Elm Street in Springfield",
  body:
    "A man was shot on Elm Street in Springfield late Thursday and taken to Mercy General Hospital, police said.\n\n" +
    "Springfield Police Chief Dana Ortiz said the victim, Marcus Leland, 34, was in stable condition at Mercy General Hospital.\n\n" +
    "Chief Ortiz said officers were looking for a gray sedan seen leaving Elm Street.",
  format: "text",
};
const sameIncident: RawArticle = {
  id: "shooting-elm-arrest",
  publisher: "Springfield Courier",
  publishedAt: "2026-11-21T06:00:00Z",
  title: "Arrest made in Elm Street shooting of Marcus Leland",
  body:
    "Springfield police arrested a man on Friday in the shooting of Marcus Leland on Elm Street, Chief Dana Ortiz said.\n\n" +
    "Leland, 34, remained at Mercy General Hospital, and the gray sedan was found on Quarry Lane, Chief Ortiz said.",
  format: "text",
};
const otherIncident: RawArticle = {
  id: "shooting-river",
  publisher: "Springfield Courier",
  publishedAt: "2026-11-21T07:00:00Z",
  title: "Woman shot near River Road in Springfield",
  body:
    "A woman was shot near River Road in Springfield early Friday and taken to Mercy General Hospital, police said.\n\n" +
    "Springfield Police Chief Dana Ortiz said the victim, Alma Price, 29, was in stable condition at Mercy General Hospital.\n\n" +
    "Chief Ortiz said officers were looking for a man seen running toward River Road.",
  format: "text",
};

/** A history in which the city, the hospital and the chief are named by `common` earlier reports each. */
function historyWith(common: number): Map<string, number> {
  const history = new Map<string, number>();
  for (const a of [first, sameIncident, otherIncident])
    for (const name of leadNames({ id: a.id, title: a.title, paragraphs: a.body.split("\n\n") }))
      history.set(name, (history.get(name) ?? 0) + 1);
  for (const name of ["springfield", "mercy", "general", "hospital", "dana", "ortiz", "police", "chief"])
    history.set(name, (history.get(name) ?? 0) + common);
  return history;
}

function dayTwo(article: RawArticle, nameHistory?: Map<string, number>) {
  const day1 = buildDigest([first], { date: "2026-11-20" });
  const day2 = buildDigest([first, article], { date: "2026-11-21", memory: day1.memory!, ...(nameHistory ? { nameHistory } : {}) });
  return { story: day1.digest.stories[0]!, next: day2.digest.stories };
}

describe("the names' history", () => {
  it("gives the names of an article's title and lead, each once", () => {
    const names = leadNames({ id: first.id, title: first.title, paragraphs: first.body.split("\n\n") });
    expect(names).toEqual(expect.arrayContaining(["springfield", "mercy", "ortiz", "leland"]));
    expect(new Set(names).size).toBe(names.length);
  });

  it("without it, the batch alone takes the city's hospital and chief for evidence: another shooting reads as an update", () => {
    const { story, next } = dayTwo(otherIncident);
    expect(next).toHaveLength(1);
    expect(next[0]).toMatchObject({ id: story.id, update: true });
  });

  it("with a history naming the city, hospital and chief in dozens of reports, the other shooting is a new story", () => {
    const { story, next } = dayTwo(otherIncident, historyWith(40));
    expect(next).toHaveLength(1);
    expect(next[0]!.id).not.toBe(story.id);
    expect(next[0]!.update).toBe(false);
    expect(next[0]!.sources.map((s) => s.id)).toEqual(["shooting-river"]);
  });

  it("with the same history, the arrest in the first shooting (its victim's name, its street) is still an update", () => {
    const { story, next } = dayTwo(sameIncident, historyWith(40));
    expect(next).toHaveLength(1);
    expect(next[0]).toMatchObject({ id: story.id, update: true });
    expect(next[0]!.sources.map((s) => s.id)).toEqual(["shooting-elm-arrest"]);
  });
});
