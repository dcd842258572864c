// Grouping: a wire service's later versions of a report, which keep its lead sentence and rewrite
// the rest, stay one story even when the rest pulls them apart; a shared boilerplate opening line
// does not join unrelated items.
import { describe, expect, it } from "vitest";
import { groupArticles, type GroupInput } from "../../src/digest/group";

const LEAD = "Voters in Northbridge re-elected Mayor Dana Whitfield by a wide margin in Sunday's election, officials said.";
const BOILERPLATE = "This is a developing story and it will be updated as more information becomes available to our reporters.";

/** An article whose profile is made of `terms` (and `names`), opening on `lead`. */
function article(id: string, lead: string, terms: string[], names: string[], publishedAt: string): GroupInput {
  return {
    id,
    publishedAt,
    paragraphs: [`${lead} More follows.`],
    candidates: [{ tokens: terms, terms, names }],
  };
}

describe("versions of one report", () => {
  // The second version shares half its terms with the first but none of its names, so it cannot
  // join the first's story by content alone (an event's articles share at least two names).
  const shared = ["vote", "margin", "ballot", "count", "turnout", "result", "elect", "mayor"];
  const first = article(
    "v1",
    LEAD,
    [...shared, "harbour", "jobs", "budget", "school", "dana", "whitfield"],
    ["dana", "whitfield"],
    "2026-11-23T06:00:00Z",
  );
  const second = article(
    "v2",
    LEAD,
    [...shared, "eastgate", "power", "hall", "delay", "deposit", "refund"],
    ["eastgate"],
    "2026-11-23T07:00:00Z",
  );

  it("are one story when they open on the same lead sentence", () => {
    expect(groupArticles([first, second]).groups).toEqual([[0, 1]]);
  });

  it("stay apart when their openings differ", () => {
    const other = { ...second, paragraphs: ["Counting in Eastgate was delayed by a power cut at the sports hall, officials said."] };
    expect(groupArticles([first, other]).groups).toEqual([[0], [1]]);
  });

  it("stay apart when only a boilerplate opening line is shared", () => {
    const a = article("a", BOILERPLATE, ["harbour", "jobs", "budget", "school"], ["dana", "whitfield"], "2026-11-23T06:00:00Z");
    const b = article("b", BOILERPLATE, ["storm", "flood", "river", "bridge"], ["eastgate", "castell"], "2026-11-23T07:00:00Z");
    expect(groupArticles([a, b]).groups).toEqual([[0], [1]]);
  });
});
