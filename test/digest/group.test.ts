// Grouping: one story per event. Reports of one incident join; same-kind events of one day stay
// apart; a story is joined on the support of its own articles, so it cannot chain through its
// newest member; late articles need specific evidence; earlier stories are kept apart; and a wire
// service's later versions of a report, which keep its lead sentence and rewrite the rest, stay
// one story. Small synthetic articles: nothing here reads ../shared.
import { describe, expect, it } from "vitest";
import { groupArticles, headlinePart, type GroupInput } from "../../src/digest/group";

/** An article from its title, paragraphs and date (grouping analyses the text itself). */
function report(id: string, publishedAt: string | undefined, title: string, ...paragraphs: string[]): GroupInput {
  return { id, title, paragraphs, ...(publishedAt ? { publishedAt } : {}) };
}

/** Other news of the same days, so that words every shooting report uses are common in the batch. */
const OTHER_NEWS = [
  report(
    "n1",
    "2026-03-02T08:00:00Z",
    "Council approves harbour budget",
    "The city council approved a budget for the harbour on Monday, with money for dredging and a new ferry pier.",
  ),
  report(
    "n2",
    "2026-03-02T09:00:00Z",
    "Storm closes mountain pass",
    "Heavy snow closed the mountain pass on Monday and drivers were told to wait for the ploughs.",
  ),
  report(
    "n3",
    "2026-03-03T09:00:00Z",
    "Library extends weekend hours",
    "The public library will open on Sundays from April, the trustees said, after a petition by students.",
  ),
  report(
    "n4",
    "2026-03-03T10:00:00Z",
    "Orchestra names new conductor",
    "The symphony orchestra named a new principal conductor, who will lead the autumn season of concerts.",
  ),
];

const riverside = report(
  "riverside-1",
  "2026-03-02T22:00:00Z",
  "Man shot outside Riverside market",
  "A 24-year-old man was shot outside a market on Alder Street in Riverside on Monday night, police said.",
  "He was taken to a hospital in stable condition. No arrests have been made. Police said the shooting followed an argument in the parking lot.",
);
const riversideAgain = report(
  "riverside-2",
  "2026-03-02T23:30:00Z",
  "Police investigate Alder Street shooting in Riverside - WXYZ News 7 - Riverside",
  "Riverside police are investigating a shooting on Alder Street that left a 24-year-old man wounded outside a market Monday night.",
  "Sergeant Lena Okafor said the man was shot after an argument in the market's parking lot. He was taken to a hospital.",
);
const millbrook = report(
  "millbrook-1",
  "2026-03-02T22:30:00Z",
  "Woman wounded in Millbrook shooting",
  "A 31-year-old woman was shot on Quarry Road in Millbrook on Monday night, police said.",
  "She was taken to a hospital in critical condition. No arrests have been made. Police said the shots were fired from a passing car.",
);

const ids = (items: readonly GroupInput[], groups: number[][]) => groups.map((g) => g.map((i) => items[i]!.id)).filter((g) => g.length > 1);

describe("same-kind events of one day", () => {
  it("keep two shootings in different towns apart, and join two reports of one of them", () => {
    const items = [...OTHER_NEWS, riverside, millbrook, riversideAgain];
    expect(ids(items, groupArticles(items).groups)).toEqual([["riverside-1", "riverside-2"]]);
  });

  it("keep them apart in any input order", () => {
    const items = [riversideAgain, millbrook, ...OTHER_NEWS, riverside];
    expect(ids(items, groupArticles(items).groups)).toEqual([["riverside-2", "riverside-1"]]);
  });
});

describe("a story's own articles support a join", () => {
  // Three reports of a Riverside shooting, then a report that shares the third one's words about a
  // school lockdown, but nothing of the shooting's specifics (street, victim, market).
  const third = report(
    "riverside-3",
    "2026-03-03T08:00:00Z",
    "Riverside shooting prompts lockdown at Alder Street school",
    "A school near the Alder Street market in Riverside held students inside on Tuesday morning after Monday's shooting of a 24-year-old man.",
    "The principal, Dana Whitcombe, said classes resumed at noon and counsellors were on hand for pupils.",
  );
  const drill = report(
    "drill",
    "2026-03-03T09:00:00Z",
    "Lockdown drill at Eastgate school",
    "Eastgate Primary held students inside on Tuesday morning for a lockdown drill, the principal, Dana Whitcombe, said.",
    "Classes resumed at noon and counsellors were on hand for pupils who were upset, the school said.",
  );

  it("does not chain a story through its newest member", () => {
    const items = [...OTHER_NEWS, riverside, riversideAgain, third, drill];
    const groups = ids(items, groupArticles(items).groups);
    expect(groups).toContainEqual(expect.arrayContaining(["riverside-1", "riverside-2"]));
    expect(groups.flat()).not.toContain("drill");
  });
});

describe("time", () => {
  const later = (id: string, date: string, title: string, ...p: string[]) => report(id, date, title, ...p);

  it("joins an incident continued days later on specific evidence (names, street)", () => {
    const arrest = later(
      "riverside-arrest",
      "2026-03-09T12:00:00Z",
      "Arrest in Alder Street market shooting",
      "Riverside police arrested a man on Sunday in the shooting of a 24-year-old outside the Alder Street market last week.",
      "Sergeant Lena Okafor said the arrest followed tips about the argument in the market's parking lot.",
    );
    const items = [...OTHER_NEWS, riverside, riversideAgain, millbrook, arrest];
    expect(ids(items, groupArticles(items).groups)).toEqual([["riverside-1", "riverside-2", "riverside-arrest"]]);
  });

  it("keeps a later same-kind event of the same town apart when nothing specific is shared", () => {
    const another = later(
      "riverside-other",
      "2026-03-09T22:00:00Z",
      "Man shot in Riverside",
      "A man was shot in Riverside on Sunday night, police said. He was taken to a hospital in stable condition.",
      "No arrests have been made, police said.",
    );
    const items = [...OTHER_NEWS, riverside, riversideAgain, another];
    expect(ids(items, groupArticles(items).groups)).toEqual([["riverside-1", "riverside-2"]]);
  });
});

describe("stories an earlier grouping made", () => {
  it("are never joined to one another, and a new report joins the one it continues", () => {
    const items = [
      ...OTHER_NEWS,
      { ...riverside, story: "s-a" },
      { ...millbrook, story: "s-b" },
      { ...riversideAgain, story: "s-b" }, // a past grouping put it with Millbrook: that stands
      report(
        "riverside-4",
        "2026-03-03T12:00:00Z",
        "Riverside market shooting victim named",
        "Police named the 24-year-old man shot outside the Alder Street market in Riverside as Tomas Reyes.",
        "Sergeant Lena Okafor said the argument in the parking lot began inside the market.",
      ),
    ];
    const groups = ids(items, groupArticles(items).groups);
    expect(groups).toContainEqual(["millbrook-1", "riverside-2"]);
    expect(groups).toContainEqual(["riverside-1", "riverside-4"]);
  });
});

describe("titles", () => {
  it("are read without the outlet's name, city and slogan", () => {
    expect(headlinePart("Man shot outside market - WXYZ News 7 - Riverside, OH")).toBe("Man shot outside market");
    expect(headlinePart("KATV | Teen shoots relative in Little Rock home")).toBe("Teen shoots relative in Little Rock home");
    expect(headlinePart("Man shot outside market")).toBe("Man shot outside market");
  });
});

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
  // The second version shares under half its terms with the first and none of its names, so it
  // cannot join the first's story by content alone.
  const shared = ["vote", "margin", "ballot", "count", "turnout", "result"];
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
