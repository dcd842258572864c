// One-source summaries: Lead-3 is the floor, and each departure rule passes over only a lead
// sentence of its own kind (made-up articles, no ../shared).
import { describe, expect, it } from "vitest";
import { cannotStandAlone, candidatesOf, DEFAULT_LEAD_RULES, LEAD_RULES, summarizeLead } from "../../src/digest/summarize";

const article = [
  "The Northbridge council approved a record budget on Monday after a long debate.",
  "The plan adds money for schools, roads and the city library.",
  "Council members voted seven to two in favour of the budget plan.",
  "The Northbridge budget plan adds money for schools and roads, council members said on Monday.",
];
const opts = { maxSentences: 3, maxWords: 200 };
const texts = (paras: string[], rules = DEFAULT_LEAD_RULES) => summarizeLead(candidatesOf(paras, 0), opts, rules).map((c) => c.text);

describe("Lead-3 floor", () => {
  it("is the first three sentences in order, even when a later one is more central", () => {
    expect(texts(article)).toEqual(article.slice(0, 3));
  });

  it("stops at the first sentence that would pass the word limit instead of skipping it", () => {
    const picked = summarizeLead(candidatesOf(article, 0), { maxSentences: 3, maxWords: 25 });
    expect(picked.map((c) => c.position)).toEqual([0, 1]);
  });

  it("uses only the rules chosen on half A by default", () => {
    expect(DEFAULT_LEAD_RULES).toEqual(["unattributed", "turn"]);
    for (const rule of DEFAULT_LEAD_RULES) expect(LEAD_RULES).toContain(rule);
  });
});

describe("departure rules", () => {
  const one = (text: string) => candidatesOf([text], 0)[0]!;

  it("unattributed: a quotation that never says who speaks is passed over", () => {
    const paras = [
      "Four Swedish police officers stopped an assault on a Manhattan subway train on Friday.",
      "'We came here for vacation.",
      "The officers held the suspect until city police arrived, a transit spokesman said.",
      "The suspect was charged with assault.",
    ];
    expect(cannotStandAlone(one(paras[1]!))).toBe("unattributed");
    expect(texts(paras)).toEqual([paras[0], paras[2], paras[3]]);
    // With no rules, the summary is the lead as written.
    expect(texts(paras, [])).toEqual(paras.slice(0, 3));
    // A quotation whose speaker is named stands.
    expect(cannotStandAlone(one(`"We will rebuild," Mayor Dana Whitfield said.`))).toBeUndefined();
  });

  it("fragment: a line not ended as a sentence, or with no content word", () => {
    expect(cannotStandAlone(one("Pictured at the opening of the new library"), ["fragment"])).toBe("fragment");
    expect(cannotStandAlone(one("..."), ["fragment"])).toBe("fragment");
    expect(cannotStandAlone(one("He was 88."), ["fragment"])).toBeUndefined();
  });

  it("caption: a position mark in brackets", () => {
    expect(cannotStandAlone(one("Sterling (right) was seen with a team-mate earlier this season."), ["caption"])).toBe("caption");
    expect(cannotStandAlone(one("The guards were pictured with the candidate at a rally."), ["caption"])).toBeUndefined();
  });

  it("label: a caption's label run into the text, but not a speaker", () => {
    expect(cannotStandAlone(one("Wanted: Police in Maryland have issued a warrant for a karate instructor."), ["label"])).toBe("label");
    expect(cannotStandAlone(one("Vaughan said: 'I had a good chat with Tom.'"), ["label"])).toBeUndefined();
  });

  it("byline: a byline or a time stamp", () => {
    expect(cannotStandAlone(one("By Jane Smith for the Daily Courier."), ["byline"])).toBe("byline");
    expect(cannotStandAlone(one("Published: 10:01 GMT, 3 April 2015."), ["byline"])).toBe("byline");
    expect(cannotStandAlone(one("By noon the river had risen two metres."), ["byline"])).toBeUndefined();
  });

  it("pronoun-speaker: a quotation whose speaker is only a pronoun (measured, not used)", () => {
    expect(cannotStandAlone(one(`"We know where to look," she said.`), ["pronoun-speaker"])).toBe("pronoun-speaker");
    expect(cannotStandAlone(one(`"We know where to look," NASA's chief scientist said.`), ["pronoun-speaker"])).toBeUndefined();
    expect(DEFAULT_LEAD_RULES).not.toContain("pronoun-speaker");
  });

  it("turn: shows a quotation with a named speaker after it speaker first, only when used", () => {
    const paras = [`"We will rebuild the bridge by spring," Mayor Dana Whitfield said on Friday.`, "Engineers began work on Saturday."];
    expect(texts(paras, ["turn"])[0]).toBe(`Mayor Dana Whitfield said on Friday: "We will rebuild the bridge by spring."`);
    expect(texts(paras, [])[0]).toBe(paras[0]);
  });
});
