// Quotations that name their speaker after them are shown speaker first, so a summary line can
// open on who is speaking; anything less plain is left as written.
import { describe, expect, it } from "vitest";
import { frontAttribution } from "../../src/digest/attribution";
import { candidatesOf, leansOnContext, opensOnWord, summarize } from "../../src/digest/summarize";

describe("frontAttribution", () => {
  it("moves a named speaker after the quotation to the front, with the verb and its adverbials", () => {
    expect(frontAttribution(`"We will rebuild the bridge by spring," Mayor Dana Whitfield said on Friday.`)).toBe(
      `Mayor Dana Whitfield said on Friday: "We will rebuild the bridge by spring."`,
    );
  });

  it("turns a verb-first attribution round and keeps a relative clause with its speaker", () => {
    expect(frontAttribution(`'It was a long night,' said the fire chief, who led the crews.`)).toBe(
      `The fire chief, who led the crews, said: 'It was a long night.'`,
    );
  });

  it("keeps a question or exclamation mark that closes the quotation", () => {
    expect(frontAttribution(`"Why not now?" Governor Omar Castell asked reporters.`)).toBe(
      `Governor Omar Castell asked reporters: "Why not now?"`,
    );
  });

  it("leaves a pronoun speaker alone: the line would lean on a sentence the summary may not hold", () => {
    expect(frontAttribution(`"We know where to look," she said.`)).toBeUndefined();
    expect(frontAttribution(`"We know where to look," they told reporters.`)).toBeUndefined();
  });

  it("leaves a quotation that leans on what was said before it as written", () => {
    const standsAlone = (q: string) => !leansOnContext(q);
    expect(frontAttribution(`"But we tried," Mayor Dana Whitfield said.`, standsAlone)).toBeUndefined();
    expect(frontAttribution(`"We tried," Mayor Dana Whitfield said.`, standsAlone)).toBe(`Mayor Dana Whitfield said: "We tried."`);
  });

  it("leaves shapes it cannot turn faithfully as written", () => {
    // No verb of saying, a clause after the verb, a quotation that does not close, nested quoting.
    expect(frontAttribution(`"Going Clear," but Scientologist John Travolta is not a fan.`)).toBeUndefined();
    expect(frontAttribution(`"No," Castell said, adding that the plan would fail.`)).toBeUndefined();
    expect(frontAttribution(`'We came here for vacation.`)).toBeUndefined();
    expect(frontAttribution(`'He told me 'never again',' Whitfield said.`)).toBeUndefined();
    expect(frontAttribution(`Whitfield said the bridge would reopen.`)).toBeUndefined();
  });
});

describe("quotations in summaries", () => {
  it("a lead quotation with a named speaker can open a summary line once turned", () => {
    const cands = candidatesOf(
      [
        "Floodwater closed the Riverton bridge on Friday, cutting the town in two.",
        `"We will rebuild the bridge by spring," Mayor Dana Whitfield said on Friday.`,
        "Engineers began inspecting the piers on Saturday morning.",
      ],
      0,
    );
    const lines = summarize(cands, { maxSentences: 3, maxWords: 200 }).map((c) => c.text);
    expect(lines).toContain(`Mayor Dana Whitfield said on Friday: "We will rebuild the bridge by spring."`);
    for (const line of lines) expect(opensOnWord(line)).toBe(true);
  });
});
