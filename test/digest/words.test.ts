// The word scanner finds exactly the words the Unicode regex it replaced finds, on text built
// from the characters where the two could part: apostrophes, digits after one, accents and
// combining marks, other scripts, astral letters and digits, emoji and lone surrogates.
import { describe, expect, it } from "vitest";
import { scanWords, words } from "../../src/digest/text";

const WORD = /[\p{L}\p{N}]+(?:['][\p{L}]+)?/gu;

const PIECES = [
  "a",
  "Z",
  "q",
  "7",
  "0",
  "'",
  "'",
  "’",
  " ",
  " ",
  ".",
  ",",
  "-",
  "_",
  "é",
  "Ö",
  "ß",
  "e\u0301",
  "\u0301",
  "٣",
  "Ⅻ",
  "ж",
  "Ж",
  "中",
  "ㄅ",
  "𝐀",
  "𝟘",
  "😀",
  "\ud800",
  "\udc00",
  "\u00a0",
  "\u200b",
  "İ",
  "ǅ",
] as const;

/** A deterministic stream of pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function spans(s: string): [number, number][] {
  const out: [number, number][] = [];
  scanWords(s, (start, end) => out.push([start, end]));
  return out;
}

describe("scanWords", () => {
  it("matches the regex on 2,000 strings of tricky characters", () => {
    const next = random(20261201);
    for (let k = 0; k < 2000; k++) {
      const length = 1 + Math.floor(next() * 24);
      let s = "";
      for (let i = 0; i < length; i++) s += PIECES[Math.floor(next() * PIECES.length)];
      const expected = [...s.matchAll(WORD)].map((m) => [m.index, m.index + m[0].length]);
      expect(spans(s), JSON.stringify(s)).toEqual(expected);
    }
  });

  it("keeps an apostrophe only before a letter", () => {
    expect(words("Don't rock'n9 O'Neil's 'quoted' 90's")).toEqual(["don't", "rock'n", "9", "o'neil", "s", "quoted", "90's"]);
  });
});
