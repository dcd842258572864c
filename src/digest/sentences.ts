// Sentence splitting for news prose: abbreviations, initials, decimals, quotations, ellipses,
// and the glued-caption shapes news sites leave inline (a caption run into the next sentence).

import {
  alternation,
  GLUED_CAPTION_OPENERS,
  MONTH_ABBREVIATIONS,
  MONTHS,
  NUMBER_ABBREVIATIONS,
  QUOTE_INTRO_VERBS,
  QUOTE_INTRO_WORDS,
  SENTENCE_OPENERS,
  SOFT_ABBREVIATIONS,
  TITLE_ABBREVIATIONS,
  WEEKDAYS,
} from "./lexicon";
import { singleSpaced } from "./text";

/** Abbreviations after which a period never ends a sentence (titles before names). */
const TITLES = new Set(TITLE_ABBREVIATIONS);
/** Abbreviations that do not end a sentence when a number follows ("No. 10", "Jan. 5", "p. 4"). */
const BEFORE_NUMBER = new Set([...NUMBER_ABBREVIATIONS, ...MONTH_ABBREVIATIONS]);
/** Abbreviations that usually continue the sentence unless a typical sentence opener follows. */
const SOFT = new Set([...SOFT_ABBREVIATIONS, ...MONTH_ABBREVIATIONS]);
/** A time of day's "a.m." or "p.m." before one of these continues its sentence ("at 2:47 a.m. July 18 is ..."). */
const AFTER_TIME = new Set([...WEEKDAYS, ...MONTHS]);
/** Words that typically open a sentence; after an acronym like "U.S." they signal a boundary. */
const OPENERS = new Set(SENTENCE_OPENERS);
/** Capitalised words that, right after a lower-case word with no punctuation, mark a glued caption. */
const GLUE_OPENERS = new Set(GLUED_CAPTION_OPENERS);
/** Words after which a quotation continues the sentence (speech verbs, prepositions, determiners). */
const SPEECH_VERBS = new RegExp(String.raw`\b(?:${alternation([...QUOTE_INTRO_VERBS, ...QUOTE_INTRO_WORDS])})$`, "i");

export interface Sentence {
  text: string;
  /** False when the sentence ends without terminal punctuation (a caption or fragment). */
  terminated: boolean;
}

/**
 * Splits a paragraph into sentences.
 * @example splitSentences("Mr. Smith went to the U.S. Senate. He spoke.").map(s => s.text)
 * // ["Mr. Smith went to the U.S. Senate.", "He spoke."]
 */
export function splitSentences(paragraph: string): Sentence[] {
  const text = singleSpaced(paragraph);
  if (!text) return [];
  const cuts: number[] = [];
  const n = text.length;
  // Candidate positions only: runs of terminal punctuation (with closing quotes/brackets) before a
  // space, and spaces before a quote or capital letter (possible glued captions).
  // The look-behind makes a run of punctuation match once, from its start (linear on "....").
  const scan = /(?<![.!?])([.!?]+)["')\]}»”’]*(?= )| (?=['"‘“\p{Lu}])/gu;
  const counts = new RunningCounts(text);
  let m: RegExpExecArray | null;
  while ((m = scan.exec(text))) {
    const last = cuts.length ? cuts[cuts.length - 1]! : 0;
    if (m[1] !== undefined) {
      const end = m.index + m[0].length; // the space after the punctuation run
      if (isBoundary(text, m.index, m[1], end + 1) && !insideQuote(text, m.index, last, counts)) cuts.push(end);
    } else if (m.index > 0 && glueBoundary(text, m.index, last, counts)) {
      cuts.push(m.index);
    }
  }
  const out: Sentence[] = [];
  let start = 0;
  for (const cut of [...cuts, n]) {
    const s = text.slice(start, cut).trim();
    start = cut;
    if (!s) continue;
    out.push({ text: s, terminated: /[.!?]["')\]}»”’]*$/.test(s) });
  }
  return out;
}

/** Convenience: sentence texts only. */
export function sentenceTexts(paragraph: string): string[] {
  return splitSentences(paragraph).map((s) => s.text);
}

function prevToken(text: string, punctAt: number): string {
  let k = punctAt - 1;
  while (k >= 0 && text[k] !== " ") k--;
  return text.slice(k + 1, punctAt).replace(/^["'(\[{«“‘]+/, "");
}

function nextToken(text: string, at: number): string {
  let k = at;
  while (k < text.length && text[k] !== " ") k++;
  return text.slice(at, k);
}

function isBoundary(text: string, punctAt: number, punct: string, nextStart: number): boolean {
  const next = nextToken(text, nextStart);
  const nextCore = next.replace(/^["'(\[{«“‘¿¡-]+/, "");
  const first = nextCore[0] ?? "";
  // Continuation in lower case: "... and then", '"Stop!" he said', "e.g. apples".
  if (/\p{Ll}/u.test(first)) return false;
  if (punct !== ".") return true; // "!", "?", "...", "?!" before a capital/digit/quote
  const prev = prevToken(text, punctAt);
  const lower = prev.toLowerCase();
  if (prev === "") return true;
  if (TITLES.has(lower)) return false;
  const isDigitNext = /\p{N}/u.test(first);
  if (BEFORE_NUMBER.has(lower) && isDigitNext) return false;
  const bareNext = nextCore.replace(/[^\p{L}\p{N}'-].*$/u, "");
  const opener = OPENERS.has(bareNext);
  if (SOFT.has(lower)) return opener;
  if ((lower === "a.m" || lower === "p.m") && AFTER_TIME.has(bareNext.toLowerCase())) return false;
  // Initials and dotted acronyms: "B.B. King", "J. Smith", "U.S. officials", "U.S. The".
  if (/^(?:\p{L}\.)*\p{Lu}$/u.test(prev)) {
    const dotted = prev.includes(".");
    if (!dotted) return false; // single initial: "John F. Kennedy"
    return opener;
  }
  return true;
}

/**
 * A caption glued to the next sentence with no punctuation between them, as scraped Daily Mail
 * text has: "... on Friday 'I'd be over the moon,' said Locke" or "... of the club He has ...".
 */
function glueBoundary(text: string, space: number, lastCut: number, counts: RunningCounts): boolean {
  // Cheap checks first: this runs at every space.
  const after = text[space + 1] ?? "";
  if (!(after === "'" || after === '"' || after === "‘" || after === "“" || (after >= "A" && after <= "Z"))) return false;
  const before = text[space - 1] ?? "";
  if (!/[\p{Ll}\p{N}]/u.test(before)) return false;
  if (space - lastCut < 20) return false;
  if (after >= "A" && after <= "Z") {
    const end = text.indexOf(" ", space + 1);
    if (end < 0 || !GLUE_OPENERS.has(text.slice(space + 1, end))) return false;
  }
  const rest = text.slice(space + 1, space + 200);
  const prevWord = prevToken(text, space);
  if (SPEECH_VERBS.test(prevWord)) return false;
  if (counts.since(lastCut, space).words < 5) return false;
  // Opening quote followed by a capital: a long quoted sentence that starts cold.
  if (/^['"‘“]\p{Lu}/u.test(rest)) {
    // Do not split inside an open quotation.
    if (openQuote(counts, lastCut, space)) return false;
    const close = /['’"”](?!\p{L})/u.exec(rest.slice(1));
    const inner = close ? rest.slice(1, 1 + close.index) : rest.slice(1);
    const nWords = (inner.match(/\S+/g) ?? []).length;
    return nWords >= 5 && /[.!?,]$/.test(inner.trim());
  }
  const w = /^(\p{Lu}\p{Ll}*) (\p{Ll})/u.exec(rest);
  if (w && GLUE_OPENERS.has(w[1]!)) {
    if (openQuote(counts, lastCut, space)) return false;
    return true;
  }
  return false;
}

/**
 * Running counts over a paragraph, advanced with the scan (whose positions only grow), so "how
 * many quotes / words between the last cut and here" costs amortised O(1) instead of a rescan from
 * the last cut, which made long unbroken text quadratic.
 */
class RunningCounts {
  private pos = 0;
  /** Double quotes (straight or curly), straight double quotes, opening and closing single quotes, words. */
  private now = { dq: 0, straight: 0, sqOpen: 0, sqClose: 0, words: 0 };
  private atCut = { ...this.now };
  private cutAt = 0;
  private nextStraight = -2;
  constructor(private readonly text: string) {}

  /** Counts over [0, to). */
  private advance(to: number): void {
    const t = this.text;
    const n = this.now;
    const end = Math.min(to, t.length);
    let prev = this.pos > 0 ? t.charCodeAt(this.pos - 1) : SPACE;
    for (; this.pos < end; this.pos++) {
      const c = t.charCodeAt(this.pos);
      if (c === QUOTE) n.straight++;
      if (c === QUOTE || c === LDQUO || c === RDQUO) n.dq++;
      if ((c === APOS || c === LSQUO) && (prev === SPACE || prev === LPAREN)) n.sqOpen++;
      if ((c === APOS || c === RSQUO) && closesAfter(this.pos + 1 < t.length ? t.charCodeAt(this.pos + 1) : SPACE)) n.sqClose++;
      if (c !== SPACE && (prev === SPACE || this.pos === 0)) n.words++;
      prev = c;
    }
  }

  /** Counts between the last cut and `to`; `cut` must not be before the previous cut. */
  since(cut: number, to: number): { dq: number; straight: number; sqOpen: number; sqClose: number; words: number } {
    if (cut !== this.cutAt) {
      if (cut < this.pos) {
        // Never happens with the scan's order; recount from the start rather than be wrong.
        this.pos = 0;
        this.now = { dq: 0, straight: 0, sqOpen: 0, sqClose: 0, words: 0 };
      }
      this.advance(cut);
      this.atCut = { ...this.now };
      this.cutAt = cut;
    }
    this.advance(to);
    const a = this.atCut;
    const n = this.now;
    return {
      dq: n.dq - a.dq,
      straight: n.straight - a.straight,
      sqOpen: n.sqOpen - a.sqOpen,
      sqClose: n.sqClose - a.sqClose,
      words: n.words - a.words,
    };
  }

  /** Index of the next straight double quote at or after `from` (remembered, so never rescanned). */
  nextQuote(from: number): number {
    if (this.nextStraight === -1) return -1;
    if (this.nextStraight < from) this.nextStraight = this.text.indexOf('"', from);
    return this.nextStraight;
  }
}

const [SPACE, QUOTE, LDQUO, RDQUO, APOS, LSQUO, RSQUO, LPAREN] = [..." \"“”'‘’("].map((c) => c.charCodeAt(0)) as [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];
/** After a closing single quote: a space, punctuation, ")" or the end. */
const closesAfter = (c: number): boolean => c === SPACE || c === 44 || c === 46 || c === 59 || c === 58 || c === 33 || c === 63 || c === 41;

/** Whether a quotation opened between the last cut and `to` is still open at `to`. */
function openQuote(k: RunningCounts, from: number, to: number): boolean {
  const c = k.since(from, to);
  if (c.dq % 2 === 1) return true;
  return c.sqOpen > c.sqClose;
}

/**
 * True when position `at` is inside a double-quoted passage that closes soon after: a quotation
 * of several sentences stays one unit ('"A. B," he said.'), so no fragment starts mid-quote.
 */
function insideQuote(text: string, at: number, from: number, k: RunningCounts): boolean {
  const opens = k.since(from, at + 1).straight;
  if (opens % 2 === 0) return false;
  // The quote mark right after the punctuation closes the quote: that is a real boundary.
  if (text[at + 1] === '"') return false;
  const close = k.nextQuote(at + 1);
  return close > 0 && close - at < 400;
}
