// Headline: a short line (<= ~90 characters, ending on a whole word) naming who and what.
// From the sources' titles when they exist (the most representative one), else built from the
// story's most central lead sentence, trimmed of asides and cut on a clause boundary; a cut never
// leaves half a name, a number without its noun or a dangling function word, and a reported
// statement too long to fit is said headline-style ("Name: claim").

import {
  alternation,
  CLAUSE_OPENERS,
  DAY_PARTS,
  DETERMINERS,
  FINITE_AUXILIARIES,
  FUNCTION_WORDS,
  HEADLINE_DANGLING_END,
  HEADLINE_TRAILING_FILLER,
  NUMBER_WORDS,
  RELATIVE_DAYS,
  REPORTING_VERBS,
  ROLE_TITLES,
  SCENE_OPENERS,
  SUBORDINATORS,
  WEEKDAYS,
} from "./lexicon";
import { contentTerms } from "./text";

/** A word as a pattern that matches its first letter in either case ("in" -> "[Ii]n"). */
const eitherCase = (w: string): string => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}`;

export const MAX_HEADLINE = 90;

const TRAILING_FILLER = new RegExp(String.raw`\s+(?:${alternation(HEADLINE_TRAILING_FILLER)})$`, "i");

/** Removes a trailing " - Publisher" / " | Site" from a page title. */
export function stripTitleSuffix(title: string): string {
  const t = title.replace(/\s+/g, " ").trim();
  const m = /^(.{20,}?)\s+[|\-–—:]\s+[^|\-–—:]{2,40}$/.exec(t);
  return m ? m[1]!.trim() : t;
}

/** Words that leave a headline hanging when it ends on them (after a cut). */
const DANGLING_END = new RegExp(`^(?:${alternation(HEADLINE_DANGLING_END)})$`, "i");
const lastWord = (t: string): string => (t.split(" ").pop() ?? "").replace(/[,;:.!?"'’)]+$/, "");
const DETERMINER = new RegExp(`^(?:${alternation(DETERMINERS)})$`, "i");
const FUNCTION_WORD = new RegExp(`^(?:${alternation(FUNCTION_WORDS)})$`, "i");
/** A number, in figures ("8", "£3bn", "40%", "5th") or in words ("eight", "million"). */
const NUMBER = new RegExp([String.raw`^[£$€]?\d[\d,.]*(?:%|m|bn|k|th|st|nd|rd|s)?$`, `^(?:${alternation(NUMBER_WORDS)})$`].join("|"), "i");
/** Clause openers a headline may be cut before (the words stay out of the headline). */
const CLAUSE_BOUNDARY = new RegExp(String.raw` (?:${alternation(CLAUSE_OPENERS)}|that (?:${alternation(FINITE_AUXILIARIES)}))\b`, "g");

/**
 * Backs a cut-off headline off words that leave it hanging: a function word, a number, a
 * reporting verb without its complement, half of a name ("at the Cleveland" before "Metroparks
 * Zoo") or a modifier cut from its noun ("an early-morning" before "argument").
 */
function backOff(kept: string, rest: string): string {
  let t = kept;
  const next = /^\s*([^\s]+)/.exec(rest)?.[1] ?? "";
  // Half of a name: the kept text ends on a capitalised word and the next word is capitalised too.
  if (/^\p{Lu}/u.test(next) && /\p{Lu}[^\s]*$/u.test(t)) {
    // "against Leeds" before "United" reads whole; "at the Cleveland" before "Metroparks Zoo" does not.
    const run = /(?:\s+\p{Lu}[\p{L}\p{N}.'’&-]*(?:\s+(?:of|the|de|van|von|al)(?=\s+\p{Lu}))*)+$/u.exec(t);
    const before = run ? lastWord(t.slice(0, run.index)) : "";
    if (run && (!FUNCTION_WORD.test(before) || DETERMINER.test(before))) t = t.slice(0, run.index);
  } else if (next && /^[\p{Ll}\p{N}]/u.test(next) && !FUNCTION_WORD.test(next.replace(/[,;:.!?]+$/, ""))) {
    // A number cut from what it counts ("faces eight" before "counts").
    if (NUMBER.test(lastWord(t))) t = t.slice(0, Math.max(0, t.lastIndexOf(" ")));
    else {
      // A prepositional object cut before its head noun ("during an early-morning" before "argument"):
      // a determiner within the last three words, right after a preposition, no function word between.
      const ws = t.split(" ");
      for (let k = ws.length - 2; k >= Math.max(2, ws.length - 4); k--) {
        if (DETERMINER.test(ws[k]!)) {
          if (FUNCTION_WORD.test(ws[k - 1]!) && !DETERMINER.test(ws[k - 1]!)) t = ws.slice(0, k - 1).join(" ");
          break;
        }
        if (FUNCTION_WORD.test(ws[k]!)) break;
      }
    }
  }
  // Title Case text reads as one long name: keep the plain cut rather than lose most of it.
  if (t.length < kept.length * 0.5) t = kept;
  let prev = "";
  while (prev !== t) {
    prev = t;
    t = t.replace(/[\s,;:\-–(]+$/, "");
    if (t.includes(" ") && DANGLING_END.test(lastWord(t))) t = t.slice(0, t.lastIndexOf(" "));
  }
  return t;
}

/** Whether `prefix` (text before a clause boundary) can stand as a headline: it does not end hanging. */
function completePrefix(prefix: string): boolean {
  return !DANGLING_END.test(lastWord(prefix.replace(/[\s,;:\-–(]+$/, "")));
}

/**
 * Cuts text to at most `max` characters on a whole word, preferring a clause boundary,
 * and drops trailing function words and punctuation.
 * @example trimHeadline("A very long sentence, with a clause", 20) // "A very long sentence"
 */
export function trimHeadline(text: string, max = MAX_HEADLINE): string {
  return cutHeadline(text, max).text;
}

/** trimHeadline, also telling whether the text fit or was cut on a clause boundary (`clean`). */
function cutHeadline(text: string, max: number): { text: string; clean: boolean } {
  let clean = true;
  let t = text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[.!?]+["']?$/, "");
  if (t.length > max) {
    const head = t.slice(0, max + 1);
    // Clause boundaries: punctuation first, else a conjunction/relative word starting a clause;
    // the latest one whose text before it does not end hanging.
    const lastBoundary = (re: RegExp): number => {
      let cut = -1;
      let m: RegExpExecArray | null;
      while ((m = re.exec(head))) if (m.index >= max * 0.45 && m.index <= max && completePrefix(t.slice(0, m.index))) cut = m.index;
      return cut;
    };
    let cut = lastBoundary(/(?:[,;:](?= )| -| \()/g);
    if (cut < 0) cut = lastBoundary(CLAUSE_BOUNDARY);
    if (cut > 0) t = t.slice(0, cut);
    else {
      clean = false;
      const sp = head.lastIndexOf(" ");
      const at = sp > 0 ? sp : max;
      t = backOff(t.slice(0, at), t.slice(at));
    }
  }
  let prev = "";
  while (prev !== t) {
    prev = t;
    t = t.replace(/[\s,;:\-–(]+$/, "").replace(TRAILING_FILLER, "");
  }
  // Unbalanced quotes or brackets left by the cut.
  if ((t.match(/"/g) ?? []).length % 2 === 1) t = t.replace(/"/g, "");
  if ((t.match(/\(/g) ?? []).length !== (t.match(/\)/g) ?? []).length) t = t.replace(/[()]/g, "");
  return { text: t.trim(), clean };
}

const ROLE = `(?:${alternation(ROLE_TITLES)})`;
/** A role title in front of a two-word name: "US Secretary of State Antony Blinken" -> "Antony Blinken". */
const ROLE_PREFIX = new RegExp(
  `(?:\\b(?:the\\s+)?(?:[\\p{Lu}][\\p{L}.'-]*\\s+){0,3})${ROLE}` +
    `(?:\\s+(?:of|for)\\s+(?:the\\s+)?\\p{Lu}[\\p{L}]*)?\\s+(?=\\p{Lu}[\\p{L}'-]+\\s+\\p{Lu}[\\p{L}'-]+)`,
  "gu",
);

/**
 * A short scene-setting opener before the clause ("In many ways, ", "With the plan at a critical
 * point, ", "Earlier this week, "): a headline starts on who or what instead.
 */
const LEADING_PHRASE = new RegExp(
  String.raw`^(?:${alternation(SCENE_OPENERS, eitherCase)})\b[^,;:"]{0,50},\s+(?=(?:the|a|an|\p{Lu})[\p{L}'’-]*\s)`,
  "u",
);

/** A weekday phrase inside a sentence: " on Tuesday", " late on Friday night", " this Monday's". */
const DAY = alternation(WEEKDAYS);
const DAY_AFTER = new RegExp(
  String.raw`\s+(?:on|late on|early on|earlier on|by|this|last) (?:${DAY})(?:'s)?(?: (?:${alternation(DAY_PARTS)}))?\b`,
  "gi",
);
const DAY_OR_RELATIVE = alternation([...WEEKDAYS, ...RELATIVE_DAYS]);
const DAY_OPENER = new RegExp(String.raw`^(?:(?:on|late on|early on|earlier on) )?(?:${DAY_OR_RELATIVE}),?\s+`, "i");
const DAY_WORD = new RegExp(String.raw`\s+(?:${DAY_OR_RELATIVE})\b(?=[ ,])`, "gi");

/** Drops asides that cost characters without naming who or what. */
export function compressSentence(s: string): string {
  let core = s.replace(LEADING_PHRASE, "");
  if (core.split(" ").length < 6) core = s; // the opener was most of the sentence
  return (core === s ? s : core.charAt(0).toUpperCase() + core.slice(1))
    .replace(ROLE_PREFIX, "")
    .replace(/\s*\([^)]*\)/g, "")
    .replace(/^(?:in what [^,]+,\s*)/i, "")
    .replace(DAY_OPENER, "")
    .replace(DAY_AFTER, "")
    .replace(DAY_WORD, "")
    .replace(/\s+/g, " ")
    .trim();
}

const REPORTED = new RegExp(
  String.raw`^(.{3,70}?)\s+(?:has |have |had )?(?:${alternation(REPORTING_VERBS)}` +
    String.raw`|told (?:\p{Lu}[\p{L}'’-]*(?: \p{Lu}[\p{L}'’-]*)*|reporters|the \p{L}+))\s+(?:that\s+)?(.+)$`,
  "u",
);

/**
 * A reported statement too long for a headline ("X has revealed that Y") said headline-style:
 * "Name: Y" when the speaker ends on a name, else Y alone when it is a full clause of its own.
 * @example reportedHeadline("Gordon Brown has warned that the SNP want a vote in the General Election " +
 *   "to force a second referendum on independence")
 * // "Gordon Brown: The SNP want a vote in the General Election to force a second referendum on independence"
 */
export function reportedHeadline(s: string, max = MAX_HEADLINE): string {
  if (s.length <= max) return s;
  const m = REPORTED.exec(s);
  if (!m) return s;
  const who = m[1]!.trim();
  const what = m[2]!.trim();
  // The claim must start a clause of its own (a name, a determiner or a pronoun), not a noun phrase object.
  if (!/^(?:\p{Lu}|(?:the|a|an|his|her|their|its|he|she|they|it|there|more|some|no)\s)/u.test(what) || what.split(" ").length < 4) return s;
  if (/^(?:he|she|they|it|i|we)$/i.test(who)) return s;
  const name = /(?:^|\s)((?:\p{Lu}[\p{L}'’.-]*\s+){1,3}\p{Lu}[\p{L}'’-]*)$/u.exec(who)?.[1];
  const claim = what.charAt(0).toUpperCase() + what.slice(1);
  if (name && /^\p{Lu}/u.test(who) && !/^(?:The|A|An)\s/.test(name)) return `${name}: ${claim}`;
  return /^\p{Lu}/u.test(what) || /^(?:the|a|an)\s/.test(what) ? claim : s;
}

/** A headline cut mid-clause scores this much of one that fits or is cut on a clause boundary. */
const RAGGED_WEIGHT = 0.85;
const SUBORDINATE = new RegExp(`^(?:${alternation(SUBORDINATORS)})\\b`, "i");

/** Whether a headline names someone or something (a capitalised word beyond the first). */
function namesSomeone(h: string): boolean {
  return /\s\p{Lu}/u.test(h) || /^\p{Lu}[\p{L}.'-]*\s/u.test(h);
}

/**
 * Picks a headline for a story.
 * @param titles titles of the story's sources (may be empty)
 * @param leads candidate sentences in preference order (summary sentences, then lead sentences)
 * @param storyTerms salient terms of the story, most salient first
 */
export function makeHeadline(titles: readonly string[], leads: readonly string[], storyTerms: readonly string[]): string {
  const weight = new Map<string, number>();
  storyTerms.forEach((t, i) => weight.set(t, 1 / (1 + i * 0.15)));
  const coverage = (s: string): number => {
    let sum = 0;
    for (const t of new Set(contentTerms(s))) sum += weight.get(t) ?? 0;
    return sum;
  };
  const cleanTitles = titles.map(stripTitleSuffix).filter((t) => t.length >= 10);
  if (cleanTitles.length > 0) {
    let best = cleanTitles[0]!;
    let bestScore = -Infinity;
    for (const t of cleanTitles) {
      const s = coverage(t) - (t.length > MAX_HEADLINE ? 0.5 : 0);
      if (s > bestScore) {
        bestScore = s;
        best = t;
      }
    }
    return trimHeadline(best);
  }
  let best = "";
  let bestScore = -Infinity;
  leads.forEach((l, i) => {
    // Quotes and subordinate openers ("Although ...") do not say who did what.
    if (/^["']/.test(l.trim()) || SUBORDINATE.test(l.trim())) return;
    const c = compressSentence(l);
    let cut = cutHeadline(c, MAX_HEADLINE);
    // A reported statement cut mid-thought: say it headline-style when that fits or cuts cleanly.
    if (!cut.clean) {
      const r = reportedHeadline(c);
      if (r !== c) {
        cut = cutHeadline(r, MAX_HEADLINE);
      }
    }
    const h = cut.text;
    if (h.length < 15 || !namesSomeone(h)) return;
    // Earlier candidates (the summary's first sentence) are preferred.
    const s = (coverage(h) / Math.sqrt(h.length)) * (1 - Math.min(0.5, i * 0.1)) * (cut.clean ? 1 : RAGGED_WEIGHT);
    if (s > bestScore) {
      bestScore = s;
      best = h;
    }
  });
  return best || trimHeadline(leads[0] ?? "Untitled story");
}
