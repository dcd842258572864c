// Small text helpers shared by the digest stages: normalisation, tokens, stopwords, stemming, hashing.
// Pure functions only: no I/O, no clock, no randomness.

import { STOP_WORDS } from "./lexicon";

/**
 * Normalises typography so later stages see one form: curly quotes to straight ones,
 * dash variants to "-" (spaced em/en dashes become " - "), odd spaces to " ", and runs
 * of spaces collapsed. Letters (any script) are kept as they are.
 * @example normalizeText("“Hi” — he said") // '"Hi" - he said'
 */
export function normalizeText(s: string): string {
  // Each replacement runs only when the text holds what it replaces: a dash pattern that opens on
  // optional spaces is tried at every space, and most articles have no such dash or double space.
  let t = s.normalize("NFC");
  if (DASHES.test(t)) t = t.replace(/\s*[\u2014\u2015]\s*| [\u2013\u2012] /g, " - ");
  t = t.replace(SINGLE_CHARS, (c) => SINGLE_MAP[c] ?? c);
  return t.includes("  ") ? t.replace(/ {2,}/g, " ") : t;
}
/** The dashes the first replacement of normalizeText needs (one of them is in every match). */
const DASHES = /[\u2012-\u2015]/;

const SINGLE_MAP: Record<string, string> = {};
for (const c of "\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB") SINGLE_MAP[c] = '"';
for (const c of "\u2018\u2019\u201A\u201B\u2032`") SINGLE_MAP[c] = "'";
for (const c of "\u2010\u2011\u2012\u2013\u2212") SINGLE_MAP[c] = "-";
for (const c of "\u00A0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000\t\f\v") SINGLE_MAP[c] = " ";
for (const c of "\u200B\u200C\u200D\u2060\uFEFF") SINGLE_MAP[c] = "";
SINGLE_MAP["\u2026"] = "...";
const SINGLE_CHARS = new RegExp("[" + Object.keys(SINGLE_MAP).join("") + "]", "g");

/** Whitespace that collapsing and trimming would change: at an end, doubled, or not a plain space. */
const UNEVEN_SPACING = /^\s|\s$|\s\s|[^\S ]/;

/**
 * `s` with each run of whitespace made one space, trimmed. Most text is so already (sentences from
 * the splitter are): testing for that is cheaper than the copy the replacement makes.
 * @example singleSpaced(" a \n b ") // "a b"
 */
export function singleSpaced(s: string): string {
  return UNEVEN_SPACING.test(s) ? s.replace(/\s+/g, " ").trim() : s;
}

/** Lower-cased word tokens (letters and digits of any script). */
export function words(s: string): string[] {
  const lower = s.toLowerCase();
  const out: string[] = [];
  scanWords(lower, (start, end) => out.push(lower.slice(start, end)));
  return out;
}

/**
 * Calls `onWord(start, end)` for each word of `s`, left to right: a run of letters and digits of
 * any script, with an apostrophe and the letters after it kept ("don't", "o'neil"). The same
 * matches as /[\p{L}\p{N}]+(?:['][\p{L}]+)?/gu, found by a scan of character codes: the Unicode
 * regex was the largest single cost of reading a sentence.
 */
export function scanWords(s: string, onWord: (start: number, end: number) => void): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    if (charKind(s, i) === NEITHER) {
      i += unitLength(s, i);
      continue;
    }
    const start = i;
    while (i < n && charKind(s, i) !== NEITHER) i += unitLength(s, i);
    if (i + 1 < n && s.charCodeAt(i) === APOSTROPHE && charKind(s, i + 1) === LETTER) {
      i++;
      while (i < n && charKind(s, i) === LETTER) i += unitLength(s, i);
    }
    onWord(start, i);
  }
}

const NEITHER = 0;
const LETTER = 1;
const DIGIT = 2;
const APOSTROPHE = 39;
/** Kinds of the Basic Multilingual Plane's characters, looked up once each: 0 not yet, else kind + 1. */
const bmpKinds = new Uint8Array(0x10000);
const IS_LETTER = /^\p{L}$/u;
const IS_DIGIT = /^\p{N}$/u;

/** Letter, digit or neither, for the code point at `i` (a surrogate pair counts as one). */
function charKind(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 128) {
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return LETTER;
    return c >= 48 && c <= 57 ? DIGIT : NEITHER;
  }
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return kindOf(String.fromCharCode(c, d));
  }
  const known = bmpKinds[c]!;
  if (known) return known - 1;
  const kind = kindOf(String.fromCharCode(c));
  bmpKinds[c] = kind + 1;
  return kind;
}

function kindOf(ch: string): number {
  return IS_LETTER.test(ch) ? LETTER : IS_DIGIT.test(ch) ? DIGIT : NEITHER;
}

/** Code units of the code point at `i`: 2 for a surrogate pair, else 1. */
function unitLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** Count of whitespace-separated words, as a reader would count them (stops early past `cap`). */
export function wordCount(s: string, cap = Infinity): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13;
    if (!space && !inWord && ++n > cap) return n;
    inWord = !space;
  }
  return n;
}

/** Words with no content of their own (see the lexicon), left out of content terms. */
export const STOPWORDS: ReadonlySet<string> = new Set(STOP_WORDS);

/**
 * A light suffix-stripping stemmer (a subset of Porter's step 1 plus common derivations),
 * applied the same way everywhere so "meeting"/"meetings"/"meet" share a key.
 * @example stem("meetings") // "meet"
 */
export function stem(w: string): string {
  // Every rule below strips an ending in s, d, g or y: other words are their own stem.
  const last = w.charCodeAt(w.length - 1);
  if (w.length <= 3 || (last !== S && last !== D && last !== G && last !== Y)) return w;
  const hit = stemCache.get(w);
  if (hit !== undefined) return hit;
  const s = stemUncached(w);
  // A bounded memo: same input, same output, so caching cannot change results.
  if (stemCache.size > 200_000) stemCache.clear();
  stemCache.set(w, s);
  return s;
}
const stemCache = new Map<string, string>();
const [S, D, G, Y] = [..."sdgy"].map((c) => c.charCodeAt(0)) as [number, number, number, number];

const STEM_SUFFIXES = ["ingly", "edly", "ing", "ed"] as const;

function stemUncached(w: string): string {
  if (w.length <= 3) return w;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 48 && c <= 57) return w;
  }
  let s = w;
  if (s.endsWith("'s")) s = s.slice(0, -2);
  if (s.endsWith("sses")) s = s.slice(0, -2);
  else if (s.endsWith("ies") && s.length > 4) s = s.slice(0, -3) + "y";
  else if (s.endsWith("s") && !s.endsWith("ss") && !s.endsWith("us") && !s.endsWith("is")) s = s.slice(0, -1);
  for (const suf of STEM_SUFFIXES) {
    if (s.endsWith(suf) && s.length - suf.length >= 3 && /[aeiouy]/.test(s.slice(0, -suf.length))) {
      s = s.slice(0, -suf.length);
      if (/([^aeiouslz])\1$/.test(s)) s = s.slice(0, -1);
      break;
    }
  }
  if (s.endsWith("ly") && s.length > 5) s = s.slice(0, -2);
  return s;
}

/**
 * The `k` highest-weighted entries, highest first; ties keep input order (deterministic).
 * Avoids sorting every entry when only a few are wanted.
 */
export function topK<T>(entries: readonly (readonly [T, number])[], k: number): [T, number][] {
  if (entries.length > k * 2) {
    const ws = Float64Array.from(entries, (e) => e[1]).sort();
    const cut = ws[ws.length - k]!;
    entries = entries.filter((e) => e[1] >= cut);
  }
  return entries
    .map((e) => [e[0], e[1]] as [T, number])
    .sort((a, b) => b[1] - a[1])
    .slice(0, k);
}

/** Content terms of a text: lower-cased, stopwords removed, stemmed. */
export function contentTerms(s: string): string[] {
  const out: string[] = [];
  const lower = s.toLowerCase();
  scanWords(lower, (start, end) => {
    const w = lower.slice(start, end);
    if (STOPWORDS.has(w) || (w.length < 2 && !(w >= "0" && w <= "9"))) return;
    out.push(stem(w));
  });
  return out;
}

/**
 * 32-bit FNV-1a hash of a string, as 8 hex digits; used for deterministic ids.
 * @example fnv1a("abc") // "1a47e90b"
 */
export function fnv1a(s: string): string {
  return (fnv1a32(s) >>> 0).toString(16).padStart(8, "0");
}

/** 32-bit FNV-1a hash as an unsigned number, with an optional seed mixed in. */
export function fnv1a32(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Jaccard overlap of two sets. */
export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let inter = 0;
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (big.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/**
 * Words of a URL's slug (its last path segment with at least three hyphen/underscore-separated
 * words), a stand-in for a title when the input has none.
 * @example slugWords("https://x.com/news/2023/blinken-meets-lavrov-in-delhi.html") // "blinken meets lavrov in delhi"
 */
export function slugWords(url: string | undefined): string {
  if (!url) return "";
  const segs = url
    .replace(/[?#].*$/, "")
    .split("/")
    .map((x) => x.replace(/\.[a-z0-9]{2,5}$/i, ""))
    .filter(Boolean);
  let seg = segs.pop() ?? "";
  if (/^(?:index|default|story|article)$/i.test(seg)) seg = segs.pop() ?? "";
  const parts = seg.split(/[-_]+/).filter((p) => /\p{L}/u.test(p));
  return parts.length >= 3 ? parts.join(" ") : "";
}

/** Tokens of one sentence, computed in a single pass and shared by summarizing and clustering. */
export interface Analysis {
  /** All word tokens, lower-cased (for shingles). */
  tokens: string[];
  /** Content terms: stopwords removed, stemmed. */
  terms: string[];
  /** Content terms written with a capital away from the start of a sentence (likely names). */
  names: string[];
}

/**
 * Tokenises a sentence once into tokens, content terms and likely names.
 * @example analyze("Officials met Blinken in Delhi.").names // ["blinken", "delhi"]
 */
export function analyze(s: string): Analysis {
  const tokens: string[] = [];
  const terms: string[] = [];
  const names: string[] = [];
  // Lower-case the sentence once (when that keeps every index in place, as it does outside a few
  // scripts) instead of once per token; a capital shows where the original differs.
  const lower = s.toLowerCase();
  const aligned = lower.length === s.length;
  const src = aligned ? lower : s;
  scanWords(src, (start, end) => {
    const raw = src.slice(start, end);
    const w = aligned ? raw : raw.toLowerCase();
    tokens.push(w);
    if (STOPWORDS.has(w) || (w.length < 2 && !(w >= "0" && w <= "9"))) return;
    const t = stem(w);
    terms.push(t);
    const capital = aligned ? s[start] !== lower[start] : raw[0] !== w[0];
    if (capital && !atSentenceStart(s, start)) names.push(t);
  });
  return { tokens, terms, names };
}

/** Whether the word at `at` starts a sentence or clause (so its capital says nothing about a name). */
export function atSentenceStart(text: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && text[k] === " ") k--;
  if (k < 0) return true;
  const c = text[k]!;
  return c === "." || c === "!" || c === "?" || c === ":" || c === '"' || c === "\n" || c === "'" || c === "(";
}
