// Sentence splitting around abbreviations, initials, decimals, quotations, ellipses and glued captions.
import { describe, expect, it } from "vitest";
import { sentenceTexts, splitSentences } from "../../src/digest/sentences";

describe("splitSentences", () => {
  it("does not split after titles and dotted acronyms inside a sentence", () => {
    expect(sentenceTexts("Mr. Smith met U.S. officials in Washington. They talked.")).toEqual([
      "Mr. Smith met U.S. officials in Washington.",
      "They talked.",
    ]);
    expect(sentenceTexts("Dr. Jones and Mrs. Patel spoke to Sen. Warren on Tuesday. Nothing was agreed.")).toHaveLength(2);
  });

  it("splits after an acronym that ends a sentence when a new sentence follows", () => {
    expect(sentenceTexts("He moved to the U.S. The next day he started work.")).toEqual([
      "He moved to the U.S.",
      "The next day he started work.",
    ]);
  });

  it("keeps initials, months and numbered abbreviations with what follows", () => {
    expect(sentenceTexts("B.B. King played on Jan. 5 at No. 10 Downing St. in London. It rained.")).toEqual([
      "B.B. King played on Jan. 5 at No. 10 Downing St. in London.",
      "It rained.",
    ]);
    expect(sentenceTexts("John F. Kennedy was born in 1917. He became president.")).toHaveLength(2);
  });

  it("keeps a time of day with the day or date after it, and splits before a new sentence", () => {
    expect(sentenceTexts("The shooting at 2:47 a.m. July 18 left one man hurt. It happened at 3 a.m. Police said little.")).toEqual([
      "The shooting at 2:47 a.m. July 18 left one man hurt.",
      "It happened at 3 a.m.",
      "Police said little.",
    ]);
    expect(sentenceTexts("He left at 7 p.m. Friday and came back.")).toHaveLength(1);
  });

  it("does not split decimals or amounts", () => {
    expect(sentenceTexts("Growth was 3.5 percent, up from 2.1 percent. Costs hit $4.2 billion.")).toEqual([
      "Growth was 3.5 percent, up from 2.1 percent.",
      "Costs hit $4.2 billion.",
    ]);
  });

  it("handles quotations: attribution after a quote stays, a quote that ends a sentence splits", () => {
    expect(sentenceTexts('"We will win!" she said. "It is time." Then she left.')).toEqual([
      '"We will win!" she said.',
      '"It is time."',
      "Then she left.",
    ]);
    // A multi-sentence quotation with its attribution is one unit.
    expect(sentenceTexts('"The talks failed. We will try again," the minister said. Others disagreed.')).toEqual([
      '"The talks failed. We will try again," the minister said.',
      "Others disagreed.",
    ]);
  });

  it("handles ellipses: continuation in lower case stays, a capital starts a new sentence", () => {
    expect(sentenceTexts("He paused... and then went on. It was late... Nobody moved.")).toEqual([
      "He paused... and then went on.",
      "It was late...",
      "Nobody moved.",
    ]);
  });

  it("splits question and exclamation marks", () => {
    expect(sentenceTexts("Is it over? Nobody knows! Officials are silent.")).toHaveLength(3);
  });

  it("separates a caption glued to a quotation and marks it unterminated", () => {
    const s = splitSentences(
      "Kilmarnock will confirm Gary Locke as the club's new permanent manager on Friday " +
        "'I'd be over the moon to get it as it's something I've worked hard towards,' said Locke.",
    );
    expect(s).toHaveLength(2);
    expect(s[0]!.terminated).toBe(false);
    expect(s[1]!.text.startsWith("'I'd be over the moon")).toBe(true);
  });

  it("separates a caption glued to the next sentence by a capitalised pronoun", () => {
    const s = splitSentences("The team went unbeaten in his first six games in charge of the club He has impressed the chairman.");
    expect(s.map((x) => x.terminated)).toEqual([false, true]);
    expect(s[1]!.text).toBe("He has impressed the chairman.");
  });

  it("keeps non-English text and returns nothing for empty input", () => {
    expect(sentenceTexts("Der Präsident sprach am Montag. Die Gespräche dauerten lange.")).toHaveLength(2);
    expect(sentenceTexts("   ")).toEqual([]);
  });
});
