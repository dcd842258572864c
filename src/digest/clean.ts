// Clean: keeps article prose and drops what is not the article. Works on general signals first
// (short lines without sentence punctuation, caption and credit shapes, lines repeated within or
// across articles, glued caption fragments) and a few well-known call-to-action shapes second.

import { AGENCIES, alternation, CAPTION_POSITIONS, CREDIT_PHRASES, KNOWN_ENTITIES, MEDIA_LABELS, SENTENCE_OPENERS } from "./lexicon";
import { splitSentences } from "./sentences";
import { normalizeText, wordCount } from "./text";

export interface CleanContext {
  /** Keys (see `lineKey`) of short lines that appear in several different articles. */
  repeatedAcrossArticles?: ReadonlySet<string>;
}

/** Short lines repeated in at least this many different articles are treated as boilerplate. */
export const CROSS_ARTICLE_MIN = 3;
/** Paragraphs longer than this are cut (single-line articles are one paragraph, so it is generous). */
export const MAX_PARAGRAPH_CHARS = 20_000;
/** Lines of at most this many words can be dropped as repeated boilerplate. */
const SHORT_LINE_WORDS = 15;

/** A comparison key for a line: lower-case letters and digits only. */
export function lineKey(line: string): string {
  return line
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Splits ingested text into candidate paragraphs (one per line, or re-joined hard-wrapped blocks). */
export function rawParagraphs(text: string): string[] {
  const out: string[] = [];
  for (const block of normalizeText(stripWireCodes(text.replace(/\r\n?/g, "\n"))).split(/\n[ \t]*\n/)) {
    const lines = block
      .split("\n")
      .map((l) => l.replace(LEADING_DASH, "").trim())
      .filter(Boolean);
    // A heading line ("SPORTS", "WE WISH HIM WELL") stands alone: joined into a hard-wrapped
    // paragraph it would run into the sentence after it.
    let start = 0;
    for (let i = 0; i <= lines.length; i++) {
      if (i < lines.length && !isHeading(lines[i]!)) continue;
      const run = lines.slice(start, i);
      if (run.length > 1 && isHardWrapped(run)) out.push(run.join(" "));
      else out.push(...run);
      if (i < lines.length) out.push(lines[i]!);
      start = i + 1;
    }
  }
  return out;
}

/** A heading: a short line without a lower-case letter or an end of sentence. */
function isHeading(line: string): boolean {
  return line.length <= 60 && !/\p{Ll}/u.test(line) && /\p{Lu}/u.test(line) && !isTerminated(line);
}

/** A wire's dash or bullet left at the start of a line ("_ The computer industry..."). */
const LEADING_DASH = /^[ \t]*(?:_|-|--|\u2014|\*)[ \t]+/;

/**
 * Wire-service typesetting codes ("&UR;", "&QL;", "&LR;") are dropped; the entities among them that
 * stand for characters ("&AMP;" in "AT&AMP;T") are decoded. Underscore dashes (" _ ") become " - ".
 * @example stripWireCodes("&UR; AT&AMP;T said _ again") // " AT&T said - again"
 */
export function stripWireCodes(text: string): string {
  // Each replacement runs only when the text holds a character its every match needs: the rule
  // and dash patterns open on optional spaces and are tried at every space of every article.
  let t = text;
  if (RULE_CHARS.test(t)) t = t.replace(WIRE_RULE_LINE, "\n\n");
  if (t.includes("--")) t = t.replace(DOUBLE_DASH, " - ");
  if (t.includes("&"))
    t = t.replace(
      /&([A-Za-z]{2,6});/g,
      (m, name: string) => WIRE_ENTITIES[name.toLowerCase()] ?? (KNOWN_NAMES.has(name.toLowerCase()) ? m : ""),
    );
  return t.includes(" _ ") ? t.replace(/ _(?= )/g, " -") : t;
}
/** Three of a rule's characters in a row, which every match of WIRE_RULE_LINE holds. */
const RULE_CHARS = /___|---|===|\*\*\*/;
/** A rule of underscores, dashes, equals signs or stars (a wire's section break): a paragraph break. */
const WIRE_RULE_LINE = /[ \t]*(?:_{3,}|-{3,}|={3,}|\*{3,})[ \t]*/g;
/** Two hyphens standing for a dash ("ATLANTA -- The", "Xinhua--"). */
const DOUBLE_DASH = / ?--+ ?/g;
const WIRE_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
/** Named entities a text article may legitimately carry; left for the HTML reader. */
const KNOWN_NAMES: ReadonlySet<string> = new Set(KNOWN_ENTITIES);

function isHardWrapped(lines: string[]): boolean {
  const body = lines.slice(0, -1);
  const wrapped = body.filter((l) => l.length >= 30 && !isTerminated(l) && /[\p{Ll},;]$/u.test(l)).length;
  return wrapped / body.length >= 0.6;
}

/** Ends like a sentence: ".", "!", "?" or "..." (possibly followed by closing quotes/brackets). */
export function isTerminated(line: string): boolean {
  return /[.!?…]["'”’)\]]*$/.test(line.trim()) && !/\([^()]*\)$/.test(line.trim());
}

/** Keys of short lines that occur in at least `CROSS_ARTICLE_MIN` different articles. */
export function repeatedLines(texts: readonly string[]): Set<string> {
  return repeatedParagraphs(texts.map(rawParagraphs));
}

/** As `repeatedLines`, for articles already split by `rawParagraphs`. */
export function repeatedParagraphs(articles: readonly (readonly string[])[]): Set<string> {
  const count = new Map<string, number>();
  for (const paras of articles) {
    const seen = new Set<string>();
    for (const p of paras) {
      if (wordCount(p, SHORT_LINE_WORDS) > SHORT_LINE_WORDS) continue;
      const k = lineKey(p);
      if (k && !seen.has(k)) {
        seen.add(k);
        count.set(k, (count.get(k) ?? 0) + 1);
      }
    }
  }
  const out = new Set<string>();
  for (const [k, c] of count) if (c >= CROSS_ARTICLE_MIN) out.add(k);
  return out;
}

const CREDIT_WORDS = new RegExp(String.raw`\b(?:${alternation(CREDIT_PHRASES)})\b`, "i");
const CAPTION_MARK = new RegExp(String.raw`\((?:${alternation(CAPTION_POSITIONS)})\)`, "i");
const LABEL_PREFIX = new RegExp(String.raw`^(?:${alternation(MEDIA_LABELS)})\s*[:|]`, "i");
const CALL_TO_ACTION = new RegExp(
  [
    String.raw`^(?:share(?: this| on)?|follow (?:us|@|\w+ on)|sign up|subscribe|click (?:here|to)|tap (?:here|to)|download`,
    String.raw`like us|join us|read (?:more|next|also)|see also|related(?: articles?| stories| coverage)?\s*:|advertisement`,
    String.raw`recommended|more (?:from|on)|watch:|listen:|scroll down)\b`,
  ].join("|"),
  "i",
);
const BYLINE = /^(?:by|written by|words by|reporting by|from)\s+\p{Lu}/iu;
const WIRE_CREDIT = /^\(?(?:additional )?(?:reporting|writing|editing|compiled|research) by\b/i;
const COPYRIGHT = /(?:©|\bcopyright\b|all rights reserved)/i;
/** The longest line a drop rule looks at (a legal notice); a paragraph's words are counted up to one more. */
const RULE_WORDS = 80;
/** A longer legal notice: a copyright and what it forbids or allows ("... may not be published, broadcast ..."). */
const LEGAL_NOTICE = /\b(?:all rights reserved|may not be (?:published|reproduced|redistributed)|used under license)\b/i;
/** A post embedded from a social network, as its text ends on the page: "... — Denver Police (@DenverPolice) April 24, 2016". */
const EMBEDDED_POST = /[—–-] [^()]{1,60} \(@\w{1,15}\) \p{Lu}\p{L}+ \d{1,2}, \d{4}$/u;
/** A wire desk's sign-off closing a paragraph: "... passed out from alcohol. (ms-aet)". */
const DESK_CODE = /\s*\((?:[a-z]{1,4}-){1,3}[a-z]{1,4}\)$/;
/** Inline call-to-action phrases news sites glue into text. */
const INLINE_CTA = /\b(?:scroll down for (?:video|more)|click here (?:to|for) [^.!?]*?(?=[.!?]|$))\s*/gi;
/** Dateline at the start of wire copy: "NEW DELHI (AP) - ", "(CNN)", "LONDON, March 2 (Reuters) - ". */
const DATELINE = new RegExp(
  [
    // "NEW DELHI (AP) -", "SAN JUAN, Puerto Rico (AP) -", "TIANJIN, August 7 (Xinhua) --", "(CNN)"
    String.raw`^(?:\p{Lu}[\p{Lu}.' -]{1,30}(?: \([^()]{1,30}\))?(?:,\s*[\p{L}.]+(?: [\p{L}.]+){0,2}(?: \d{1,2})?)?\s*)?` +
      String.raw`\((?:${alternation(AGENCIES)})(?:\)|(?=\s*[-–—]))\s*(?:[-–—:]+\s*)?`,
    // "Nairobi, February 9 (Xinhua) --": a place in title case, when a date and a wire's name follow it
    String.raw`^\p{Lu}[\p{L}.' -]{1,30},\s*\p{Lu}\p{L}+\.? \d{1,2}\s*\((?:${alternation(AGENCIES)})\)\s*(?:[-–—:]+\s*)?`,
    // "SAN JUAN, Puerto Rico - ", "ATLANTA -- " (all-caps place, optional region, then a dash), and a
    // local station's call sign before the dash: "LOUISVILLE, KY (WAVE) - "
    String.raw`^\p{Lu}[\p{Lu}. '-]{2,30}(?:,\s*\p{Lu}[\p{L}.]*(?: \p{Lu}[\p{L}.]*){0,2})?(?:\s*\(\p{Lu}[\p{Lu}\d&/ -]{1,20}\))?\s+[-–—]+\s+`,
    // "(The Associated Press) - Text"
    String.raw`^\((?:The |the )?\p{Lu}[\p{L}.&']*(?: \p{Lu}[\p{L}.&']*){0,4}\)\s*(?:[-–—:]+\s*)?(?=\p{Lu})`,
  ].join("|"),
  "u",
);

export type DropReason =
  | "lead-in"
  | "teaser"
  | "unterminated"
  | "caption"
  | "byline"
  | "call-to-action"
  | "repeated"
  | "copyright"
  | "embed"
  | "heading";

/**
 * Why a paragraph is not article prose, or undefined when it is.
 * @example dropReason("The story continues below the ad") // "unterminated"
 */
export function dropReason(p: string, ctx: { repeated?: boolean; words?: number } = {}): DropReason | undefined {
  const line = p.trim();
  const n = ctx.words ?? wordCount(line, RULE_WORDS + 1); // every rule below looks at lines of at most RULE_WORDS words
  const terminated = isTerminated(line);
  if (n <= 10 && /:$/.test(line)) return "lead-in";
  // An editor's note in brackets ("(The following article from SLATE is available...)").
  if (n <= 40 && line.startsWith("(") && /\)[.]?$/.test(line) && !line.slice(1, -2).includes("(")) return "caption";
  if (n <= 40 && (CAPTION_MARK.test(line) || LABEL_PREFIX.test(line))) return "caption";
  if (n <= 40 && CREDIT_WORDS.test(line)) return "caption";
  if (n <= 40 && /\((?:\p{Lu}[\p{L}.&]*(?:[ /-]\p{Lu}?[\p{L}.&]*){0,4})\)\s*$/u.test(line) && !/^\(/.test(line)) return "caption";
  if (n <= 12 && BYLINE.test(line) && !/[.!?]$/.test(line.replace(/\b\p{Lu}\.$/u, ""))) return "byline";
  if (n <= 40 && WIRE_CREDIT.test(line)) return "byline";
  if (n <= 25 && COPYRIGHT.test(line)) return "copyright";
  if (n <= RULE_WORDS && COPYRIGHT.test(line) && LEGAL_NOTICE.test(line)) return "copyright";
  if (n <= RULE_WORDS && EMBEDDED_POST.test(line)) return "embed";
  if (CALL_TO_ACTION.test(line) && (n <= 14 || (!terminated && n <= 25))) return "call-to-action";
  if (ctx.repeated && n <= SHORT_LINE_WORDS) return "repeated";
  if (!terminated && n <= 25) return "unterminated";
  return undefined;
}

export interface CleanResult {
  paragraphs: string[];
  /** The sentences of each kept paragraph (paragraphs[i] is sentences[i] joined by spaces). */
  sentences: string[][];
  /** What was dropped and why, for tests and debugging. */
  dropped: { text: string; reason: DropReason }[];
  /** What was cut to size, for the caller to report with the input's name. */
  warnings: string[];
}

/**
 * Cleans an article's text into paragraphs of prose.
 * @example cleanText("Read more:\n\nTeaser headline\n\nReal text here.").paragraphs // ["Real text here."]
 */
export function cleanText(text: string, ctx: CleanContext = {}): CleanResult {
  return cleanParagraphs(rawParagraphs(text), ctx);
}

/** As `cleanText`, for text already split by `rawParagraphs`. */
export function cleanParagraphs(paras: readonly string[], ctx: CleanContext = {}): CleanResult {
  const counts = paras.map((p) => wordCount(p, RULE_WORDS + 1));
  const keys = paras.map((p, i) => (counts[i]! <= SHORT_LINE_WORDS ? lineKey(p) : ""));
  const within = new Map<string, number>();
  for (const k of keys) if (k) within.set(k, (within.get(k) ?? 0) + 1);
  const out: string[] = [];
  const sentences: string[][] = [];
  const dropped: CleanResult["dropped"] = [];
  const warnings: string[] = [];
  for (let i = 0; i < paras.length; i++) {
    let p = paras[i]!;
    if (p.length > MAX_PARAGRAPH_CHARS) {
      // No news paragraph is this long: keep its opening, cut on a word, and say so.
      const cut = p.lastIndexOf(" ", MAX_PARAGRAPH_CHARS);
      p = p.slice(0, cut > MAX_PARAGRAPH_CHARS / 2 ? cut : MAX_PARAGRAPH_CHARS);
      warnings.push(`paragraph ${i + 1} longer than ${MAX_PARAGRAPH_CHARS} characters, truncated`);
    }
    const key = keys[i]!;
    const repeated = key !== "" && ((within.get(key) ?? 0) >= 2 || (ctx.repeatedAcrossArticles?.has(key) ?? false));
    const reason = dropReason(p, { repeated, words: counts[i]! });
    if (reason) {
      dropped.push({ text: p, reason });
      // A lead-in ("Read more:", "Click to play the video:") takes its teaser line with it.
      if (reason === "lead-in" && i + 1 < paras.length) {
        const next = paras[i + 1]!;
        if (!isTerminated(next) || wordCount(next) <= 20) {
          dropped.push({ text: next, reason: "teaser" });
          i++;
        }
      }
      continue;
    }
    if (out.length === 0) p = p.replace(DATELINE, "");
    const kept = cleanInline(p, dropped);
    if (kept.length) {
      out.push(kept.join(" "));
      sentences.push(kept);
    }
  }
  return { paragraphs: out, sentences, dropped, warnings };
}

/** A station's reporter introducing a video: "News4's Jane Roe reports.", "NBC10's Jane Roe has the latest details." */
const HANDOFF =
  /^[\p{Lu}\p{N}][\p{L}\p{N}]*['’]s \p{Lu}[\p{L}'-]+(?: \p{Lu}[\p{L}'-]+){1,2} (?:reports\b|has (?:the latest|the details|more|new details|the story)\b)/u;

/** Sentence-level cleaning inside a paragraph: glued caption fragments and inline calls to action. */
function cleanInline(p: string, dropped: CleanResult["dropped"]): string[] {
  const text = p.replace(INLINE_CTA, "").trim();
  const sents = splitSentences(text);
  const kept: string[] = [];
  sents.forEach((s, i) => {
    const last = i === sents.length - 1;
    // An unterminated fragment before the end of a paragraph is a caption glued into the text.
    if (!s.terminated && (!last || wordCount(s.text) <= 25) && sents.length > 1) {
      dropped.push({ text: s.text, reason: "caption" });
      return;
    }
    // A broadcaster's handoff to its video ("NBC10's Jane Roe has the latest."): no news of its own.
    if (HANDOFF.test(s.text) && wordCount(s.text, 21) <= 20) {
      dropped.push({ text: s.text, reason: "call-to-action" });
      return;
    }
    const runIn = HEADING_RUN_IN.exec(s.text);
    if (runIn) dropped.push({ text: runIn[0].trim(), reason: "heading" });
    const sentence = runIn ? s.text.slice(runIn[0].length) : s.text;
    // A desk's sign-off is no part of the sentence it closes (the sentence was judged with it, as always).
    kept.push(last ? sentence.replace(DESK_CODE, "") : sentence);
  });
  return kept;
}

/**
 * An ALL-CAPS heading, and up to three capitalised words of a subhead, run into the sentence
 * after it: "SPORTS Pitching The starting pitching ..." (the sentence opens on a typical opener
 * followed by a lower-case word, so "FBI Director Louis Freeh was ..." is left alone).
 */
export const HEADING_RUN_IN = new RegExp(
  String.raw`^\p{Lu}{3,}(?:[ &/-]+\p{Lu}{2,})*\s+(?:\p{Lu}[\p{Ll}'-]+\s+){0,3}(?=(?:${alternation(SENTENCE_OPENERS)})\s+\p{Ll})`,
  "u",
);
