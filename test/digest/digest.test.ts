// The pipeline end to end in workerd: the seeds as one story, grouping, dedupe, limits, bad input.
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest/index";
import type { RawArticle } from "../../src/digest/types";
import { SEED_ARTICLES } from "../../src/generated/seeds";
import { leansOnContext } from "../../src/digest/summarize";
import { seedArticles } from "../../src/sources/seeds";
import { sourceLabel } from "../../src/render/view";

const BOILERPLATE = /read more:|story continues below the ad|click to play the video|\(kyodo\)|\(l\)/i;

describe("seeds", () => {
  const run = () => buildDigest(SEED_ARTICLES, { date: "2026-11-23" });

  it("become exactly one story with both seeds as sources", () => {
    const { digest } = run();
    expect(digest.stories).toHaveLength(1);
    expect(digest.stories[0]!.sources.map((s) => s.id).sort()).toEqual(SEED_ARTICLES.map((a) => a.id).sort());
  });

  it("get a short headline naming Blinken and Lavrov, ending on a whole word", () => {
    const h = run().digest.stories[0]!.headline;
    expect(h).toMatch(/Blinken/);
    expect(h).toMatch(/Lavrov/);
    expect(h.length).toBeLessThanOrEqual(90);
    expect(h).toMatch(/[\p{L}\p{N}]$/u);
  });

  it("get a summary with no boilerplate or caption, within the default limits", () => {
    const { summary } = run().digest.stories[0]!;
    expect(summary.length).toBeGreaterThan(0);
    expect(summary.length).toBeLessThanOrEqual(3);
    for (const s of summary) expect(s).not.toMatch(BOILERPLATE);
    expect(summary.join(" ").split(/\s+/).length).toBeLessThanOrEqual(90);
  });

  it("get a summary drawn from both seeds that states the highest-level-talks claim once", () => {
    const { summary } = run().digest.stories[0]!;
    // Both outlets call the meeting the highest-level contact since the invasion; say it once.
    expect(summary.filter((s) => /highest-level/i.test(s))).toHaveLength(1);
    const from = (s: string) => SEED_ARTICLES.findIndex((a) => a.body.replace(/\s+/g, " ").includes(s.slice(0, 40)));
    expect(new Set(summary.map(from))).toEqual(new Set([0, 1]));
  });

  it("give cleaned articles with no boilerplate paragraphs", () => {
    const { articles } = run();
    expect(articles).toHaveLength(2);
    for (const a of articles) for (const p of a.paragraphs) expect(p).not.toMatch(BOILERPLATE);
  });

  it("give identical output on every run", () => {
    expect(JSON.stringify(run())).toBe(JSON.stringify(run()));
  });

  it("as bundled (with seeds/sources.json), are labelled by publisher, never by file name", () => {
    const { digest } = buildDigest(seedArticles(), { date: "2026-11-23" });
    const sources = digest.stories[0]!.sources;
    expect(sources.map((s) => s.publisher).sort()).toEqual(["Global News (The Associated Press)", "Kyodo News"]);
    const labels = sources.map((s, i) => sourceLabel(s, i));
    for (const l of labels) expect(l).not.toMatch(/\.txt$/);
  });

  it("get no summary sentence that opens on a connective or pronoun it leans on", () => {
    for (const s of run().digest.stories[0]!.summary) expect(leansOnContext(s), s).toBe(false);
  });
});

// Made-up articles: two outlets on one event, a wire copy of one of them, and an unrelated story.
const quakeA: RawArticle = {
  id: "quake-a.txt",
  body: [
    "A magnitude 6.1 earthquake struck near the Chilean city of Valparaiso on Tuesday, " +
      "damaging homes and cutting power to thousands of residents.",
    "Chile's disaster agency Senapred said two people were injured in Valparaiso and that crews were checking bridges along the coast.",
    "President Gabriel Boric said the government would send emergency teams to the Valparaiso region overnight.",
    "The quake was felt in Santiago, where tall buildings swayed for several seconds.",
  ].join("\n\n"),
};
const quakeB: RawArticle = {
  id: "quake-b.txt",
  body: [
    "Thousands of people in Valparaiso spent the night without electricity after a strong earthquake shook central Chile on Tuesday.",
    "Gabriel Boric, Chile's president, promised emergency teams and said Senapred " +
      "was assessing damage to roads and bridges near Valparaiso.",
    "The earthquake, measured at magnitude 6.1, was also felt in the capital Santiago, witnesses said.",
    "Two people were treated for minor injuries, according to Senapred.",
  ].join("\n\n"),
};
const quakeCopy: RawArticle = { id: "quake-a-copy.txt", body: quakeA.body.replace("on Tuesday", "late on Tuesday") };
const football: RawArticle = {
  id: "football.txt",
  body: [
    "Northbridge Rovers beat Eastport United 3-1 on Saturday to move top of the league for the first time this season.",
    "Striker Tom Avery scored twice before half-time, and captain Luis Moreno added a third with a free kick.",
    "Rovers manager Karen Holt said her players had earned the win after a difficult week of injuries.",
  ].join("\n\n"),
};

describe("grouping", () => {
  it("puts the same event from two outlets in one story and keeps an unrelated story apart", () => {
    const { digest } = buildDigest([quakeA, football, quakeB], { date: "2026-11-23" });
    expect(digest.stories).toHaveLength(2);
    const quake = digest.stories.find((s) => s.sources.some((x) => x.id === "quake-a.txt"))!;
    expect(quake.sources.map((s) => s.id).sort()).toEqual(["quake-a.txt", "quake-b.txt"]);
    // Two sources outrank one.
    expect(digest.stories[0]).toBe(quake);
  });

  it("collapses a near-identical copy into the story without repeating its sentences", () => {
    const { digest } = buildDigest([quakeA, quakeCopy, football], { date: "2026-11-23", maxSentences: 4, maxWords: 200 });
    expect(digest.stories).toHaveLength(2);
    const quake = digest.stories.find((s) => s.sources.length > 1)!;
    expect(quake.sources.map((s) => s.id).sort()).toEqual(["quake-a-copy.txt", "quake-a.txt"]);
    const keys = quake.summary.map((s) => s.replace(/late on/, "on"));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("draws a multi-source summary from more than one source without repeating a fact", () => {
    const { digest } = buildDigest([quakeA, quakeB], { date: "2026-11-23", maxSentences: 3, maxWords: 200 });
    const s = digest.stories[0]!;
    // Each pair of summary sentences shares less than half of its content words.
    const terms = s.summary.map((x) => new Set(x.toLowerCase().match(/[a-z]{4,}/g)));
    for (let i = 0; i < terms.length; i++)
      for (let j = i + 1; j < terms.length; j++) {
        const inter = [...terms[i]!].filter((t) => terms[j]!.has(t)).length;
        expect(inter / Math.min(terms[i]!.size, terms[j]!.size)).toBeLessThan(0.6);
      }
  });
});

describe("limits and bad input", () => {
  it("respects maxSentences and maxWords", () => {
    for (const [maxSentences, maxWords] of [
      [1, 100],
      [2, 40],
      [5, 30],
      [3, 10],
    ] as const) {
      const { digest } = buildDigest(SEED_ARTICLES, { date: "2026-11-23", maxSentences, maxWords });
      const { summary } = digest.stories[0]!;
      expect(summary.length).toBeGreaterThan(0);
      expect(summary.length).toBeLessThanOrEqual(maxSentences);
      expect(summary.join(" ").split(/\s+/).length).toBeLessThanOrEqual(maxWords + 1);
    }
  });

  it("skips empty, binary and unusable input with warnings naming it, and keeps the rest", () => {
    const bad: RawArticle[] = [
      { id: "empty.txt", body: "" },
      { id: "blob.bin", body: "\u0000\u0001\u0002binary\u0000data\u0003" },
      { id: "script.html", format: "html", body: "<html><body><script>while(true){}</script></body></html>" },
      { id: "null-body", body: undefined as unknown as string },
    ];
    const { digest, warnings } = buildDigest([...bad, football], { date: "2026-11-23" });
    expect(digest.stories).toHaveLength(1);
    for (const id of ["empty.txt", "blob.bin", "script.html", "null-body"]) {
      expect(warnings.some((w) => w.includes(id))).toBe(true);
    }
  });

  it("digests a very large article and non-English text without failing", () => {
    const huge: RawArticle = { id: "huge.txt", body: (football.body + "\n\n").repeat(20_000) };
    const german: RawArticle = {
      id: "de.txt",
      body:
        "Die Regierung in Berlin hat am Montag ein neues Klimagesetz beschlossen. " +
        "Umweltverbände kritisierten die Pläne als unzureichend. Der Bundestag soll im Herbst abstimmen.",
    };
    const { digest, warnings } = buildDigest([huge, german], { date: "2026-11-23" });
    expect(digest.stories).toHaveLength(2);
    expect(warnings.some((w) => w.includes("huge.txt") && /truncated/.test(w))).toBe(true);
    const de = digest.stories.find((s) => s.sources[0]!.id === "de.txt")!;
    expect(de.summary[0]).toMatch(/Klimagesetz/);
  });

  it("uses titles from the input for headlines when present", () => {
    const { digest } = buildDigest([{ ...football, title: "Rovers go top after beating Eastport - Sports Daily" }], { date: "2026-11-23" });
    expect(digest.stories[0]!.headline).toBe("Rovers go top after beating Eastport");
  });
});
