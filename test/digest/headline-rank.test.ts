// Headlines (length, whole words, titles preferred) and story ranking (sources, recency).
import { describe, expect, it } from "vitest";
import { compressSentence, makeHeadline, mendTitle, stripTitleSuffix, trimHeadline } from "../../src/digest/headline";
import { rankStories } from "../../src/digest/rank";
import { summarize, candidatesOf, standalonePenalty } from "../../src/digest/summarize";

describe("headlines", () => {
  const long =
    "The city council of Northbridge approved a record budget for schools and roads on Monday night, " +
    "after a debate that lasted more than nine hours";

  it("cut long text to at most 90 characters on a whole word, preferring a clause boundary", () => {
    const h = trimHeadline(long);
    expect(h.length).toBeLessThanOrEqual(90);
    expect(long.startsWith(h)).toBe(true);
    expect(long[h.length]).toMatch(/[ ,]/); // the cut falls between words
    expect(h).not.toMatch(/\b(?:and|the|of|on|after)$/);
  });

  it("does not cut inside a number", () => {
    const h = trimHeadline(
      "Another survey by the Northbridge Institute found that 320,000 of the city's residents had moved away since 2020",
    );
    expect(h).not.toMatch(/\d,$|320$/);
  });

  it("drop role titles and weekdays to name who and what briefly", () => {
    expect(compressSentence("US Secretary of State Antony Blinken met Russian Foreign Minister Sergei Lavrov on Thursday.")).toBe(
      "Antony Blinken met Sergei Lavrov.",
    );
  });

  it("prefer a source title, without the site suffix", () => {
    expect(stripTitleSuffix("Council passes record budget | Northbridge News")).toBe("Council passes record budget");
    expect(makeHeadline(["Council passes record budget - Northbridge News"], [long], ["budget"])).toBe("Council passes record budget");
  });

  it("take a title's headline from a station's name, city and slogan, and its label", () => {
    // Separators run several parts deep, and the slogan is too long to be taken for a site name.
    expect(stripTitleSuffix("Teen hurt in Elm Street shooting - WXYZ Action News 7 - Springfield, Ohio News, Weather & Sports")).toBe(
      "Teen hurt in Elm Street shooting",
    );
    expect(stripTitleSuffix("Sheriff: boy, 11, hurt in Wake County shooting :: WXYZ.com")).toBe(
      "Sheriff: boy, 11, hurt in Wake County shooting",
    );
    // The digest marks its own updates: an outlet's "UPDATE:" is not the headline's.
    expect(stripTitleSuffix("UPDATE: Victim of Elm Street shooting identified - WXYZ")).toBe("Victim of Elm Street shooting identified");
    // A first part too short to be a headline is a name or a label: the longest part is.
    expect(stripTitleSuffix("Springfield - Council passes a record budget for the library")).toBe(
      "Council passes a record budget for the library",
    );
  });

  it("mend a title its outlet cut inside a word to append its name", () => {
    const text = ["The trial of a man charged in the Elm Street shooting was rescheduled on Tuesday.", "It was rescheduled once before."];
    // The cut word begins a word of the text and is none itself: completed from the text.
    expect(mendTitle("Trial for suspect in Elm Street shooting reschedul - WXYZ News 7 Springfield", text)).toBe(
      "Trial for suspect in Elm Street shooting rescheduled",
    );
    // Too short to tell which word it was: dropped, with the words it leaves hanging.
    expect(mendTitle("Trial for suspect in Elm Street shooting moved to a later date after t - WXYZ", text)).toBe(
      "Trial for suspect in Elm Street shooting moved to a later date",
    );
    // A whole word of the text, or a title with nothing after it, is left as it is.
    expect(mendTitle("Trial for suspect in Elm Street shooting rescheduled - WXYZ", text)).toBe(
      "Trial for suspect in Elm Street shooting rescheduled",
    );
    expect(mendTitle("Trial for suspect in Elm Street shooting reschedul", text)).toBe(
      "Trial for suspect in Elm Street shooting reschedul",
    );
  });

  it("build from the text when no title exists, skipping quotes", () => {
    const h = makeHeadline([], ['"We are thrilled," the mayor said.', long], ["council", "budget"]);
    expect(h.startsWith("The city council of Northbridge approved")).toBe(true);
  });
});

describe("ranking", () => {
  it("puts stories with more sources first and breaks ties by recency, then input order", () => {
    const order = rankStories([
      { sources: 1, publishers: 1, sentences: 20, order: 0, newest: Date.parse("2026-01-01") },
      { sources: 3, publishers: 3, sentences: 20, order: 1, newest: Date.parse("2026-01-01") },
      { sources: 1, publishers: 1, sentences: 20, order: 2, newest: Date.parse("2026-01-03") },
      { sources: 1, publishers: 1, sentences: 20, order: 3, newest: Date.parse("2026-01-01") },
    ]);
    expect(order).toEqual([1, 2, 0, 3]);
  });
});

describe("summary sentence choice", () => {
  it("penalises sentences that lean on context", () => {
    expect(standalonePenalty("He said the plan would work.").dangling).toBeGreaterThan(0);
    expect(standalonePenalty("But officials disagreed.").dangling).toBeGreaterThan(0);
    expect(standalonePenalty("Officials disagreed with the plan.").dangling).toBe(0);
    expect(standalonePenalty("Will the plan work?").quote).toBeGreaterThan(0);
  });

  it("prefers a stand-alone sentence over a dangling one when both are early", () => {
    const paras = [
      "The Northbridge council approved a record budget on Monday after a long debate.",
      "It was the third attempt this year. He said so.",
      "The budget adds money for schools, roads and the city library in Northbridge.",
    ];
    const picked = summarize(candidatesOf(paras, 0), { maxSentences: 2, maxWords: 100 }).map((c) => c.text);
    expect(picked[0]).toBe(paras[0]);
    expect(picked).not.toContain("He said so.");
  });

  it("never exceeds the word limit, cutting the first sentence only when nothing fits", () => {
    const paras = ["The Northbridge council approved a record budget on Monday after a long and difficult debate."];
    const picked = summarize(candidatesOf(paras, 0), { maxSentences: 3, maxWords: 5 });
    expect(picked).toHaveLength(1);
    expect(picked[0]!.text.replace(/…$/, "").split(/\s+/).length).toBeLessThanOrEqual(5);
  });
});
