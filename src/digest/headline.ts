// Headline: a short line (<= ~90 characters, ending on a whole word) naming who and what.
// From the sources' titles when they exist (the most representative one), else built from the
// story's most central lead sentence, trimmed of asides and cut on a clause boundary; a cut never
// leaves half a name, a number without its noun or a dangling function word, and a reported
// statement too long to fit is said headline-style ("Name: claim").

import {
  AGENCIES,
  alternation,
  CLAUSE_OPENERS,
  DAY_PARTS,
  PERIODS,
  DETERMINERS,
  FINITE_AUXILIARIES,
  FUNCTION_WORDS,
  HEADLINE_DANGLING_END,
  HEADLINE_TRAILING_FILLER,
  NUMBER_WORDS,
  PREPOSITIONS,
  SAYING_VERBS,
  SPEAKER_PRONOUNS,
  SUBJECT_PRONOUNS,
  AUXILIARIES,
  IRREGULAR_PAST,
  AFTER_PRESENT_VERB,
  PARTICLES,
  PRESENT_TENSE_CUES,
  PRESENT_VERBS,
  RELATIVES,
  THINKING_VERBS,
  RELATIVE_DAYS,
  REPORTING_VERBS,
  ROLE_TITLES,
  SCENE_OPENERS,
  SCOPE_ADJECTIVES,
  EST_WORDS,
  SUBORDINATORS,
  WEEKDAYS,
} from "./lexicon";
import { HEADING_RUN_IN } from "./clean";
import { contentTerms, singleSpaced } from "./text";

/**
 * A pure function of a string that remembers its answers while one story's headline is made.
 * Cutting a headline asks the same questions of the same text over and over: each candidate is cut
 * at three lengths in up to six variants, and each cut tests its boundaries' prefixes (on the
 * 1,000-article bench, half the calls of isWholeClause repeat a text asked about before). Only for
 * functions whose answer depends on the argument alone, so a remembered answer is the answer.
 * makeHeadline forgets everything when it starts (see `forgetCuts`): another story's sentences
 * are other text, and a cache kept across builds would make a repeated build (a benchmark's)
 * faster than a new one; it is also emptied when full, which bounds its memory.
 */
function remembered<R>(fn: (s: string) => R, size = 4096): (s: string) => R {
  const cache = new Map<string, R>();
  caches.push(cache);
  return (s) => {
    const hit = cache.get(s);
    if (hit !== undefined) return hit;
    if (cache.size >= size) cache.clear();
    const r = fn(s);
    cache.set(s, r);
    return r;
  };
}

const caches: Map<string, unknown>[] = [];
/** Empties every `remembered` cache. */
function forgetCuts(): void {
  for (const c of caches) c.clear();
}

/** A word as a pattern that matches its first letter in either case ("in" -> "[Ii]n"). */
const eitherCase = (w: string): string => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}`;

export const MAX_HEADLINE = 90;

/** A headline's closing attribution: ", police say", ", family says", ", officials said". */
const ATTRIBUTION_END = /, (?:[\p{L}.'’-]+ ){1,8}(?:say|says|said)$/iu;
const TRAILING_FILLER = new RegExp(String.raw`\s+(?:${alternation(HEADLINE_TRAILING_FILLER)})$`, "i");

/** What separates a page title's parts: "Headline - Station - City | Slogan". */
const TITLE_PARTS = /\s+(?:[-|:\u2013\u2014]|::)\s+|\s+\|\s*$/;
/** A label an outlet puts before its headline ("UPDATE:", "WATCH:"); the digest marks its own updates. */
const TITLE_LABEL = /^(?:update|updated|breaking(?: news)?|watch|video|photos|live|exclusive)\s*:\s+/i;

/**
 * A page title's headline: outlets append their name, city and slogan after separators ("Man shot
 * on Elm Street - WMC Action News 5 - Memphis, Tennessee"), and some put a label before it
 * ("UPDATE: ..."). The first part is the headline when it is long enough to be one, else the longest.
 * @example stripTitleSuffix("UPDATE: Toddler hurt in shooting - KWWL - Eastern Iowa News, Weather") // "Toddler hurt in shooting"
 */
export function stripTitleSuffix(title: string): string {
  const t = title.replace(/\s+/g, " ").trim();
  const parts = t
    .replace(TITLE_LABEL, "")
    .split(TITLE_PARTS)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const first = parts[0];
  if (first === undefined) return t;
  if (first.length >= 20) return first;
  return parts.reduce((a, b) => (b.length > a.length ? b : a));
}

/** Letters of a cut word below which it is dropped rather than completed ("charged with n"). */
const MIN_FRAGMENT = 3;

/**
 * A source title's headline (see `stripTitleSuffix`), mended where its outlet cut it inside a word
 * to fit a length before appending its name ("Trial for suspect in deadly gang shootout reschedul -
 * KSLA News 12"): a last word that is no word of the article's text but begins some was cut. It is
 * completed with the text's most frequent such word (the shortest of equals), or dropped when too
 * short to tell which, backing off the words it leaves hanging.
 * @example mendTitle("Police identify man shot on porch Tuesd - WXYZ", ["... on Tuesday."]) // "Police identify man shot on porch Tuesday"
 */
export function mendTitle(title: string, paragraphs: readonly string[]): string {
  const full = title.replace(/\s+/g, " ").trim();
  const t = stripTitleSuffix(full);
  // Only a title with something after its headline was cut to make room for it.
  if (!(full.startsWith(t) && full.length > t.length)) return t;
  const m = /(?<![\p{L}\p{N}'’-])\p{L}+$/u.exec(t);
  if (!m) return t;
  const fragment = m[0].toLowerCase();
  const longer = new Map<string, number>();
  const words = new RegExp(`(?<![\\p{L}\\p{N}])${fragment}\\p{L}*`, "giu");
  for (const p of paragraphs)
    for (const w of p.match(words) ?? []) {
      const word = w.toLowerCase();
      if (word === fragment) return t;
      longer.set(word, (longer.get(word) ?? 0) + 1);
    }
  const head = t.slice(0, m.index).trimEnd();
  if (longer.size === 0 || !head.includes(" ")) return t;
  if (fragment.length < MIN_FRAGMENT) return backOff(head, "");
  let best = "";
  for (const [w, k] of longer) {
    const b = longer.get(best) ?? 0;
    if (k > b || (k === b && (w.length < best.length || (w.length === best.length && w < best)))) best = w;
  }
  const word = /^\p{Lu}/u.test(m[0]) ? best[0]!.toUpperCase() + best.slice(1) : best;
  // A completed word may itself leave the headline hanging ("... shooting that").
  return backOff(`${head} ${word}`, "");
}

/** Words that leave a headline hanging when it ends on them (after a cut). */
const DANGLING_END = new RegExp(`^(?:${alternation(HEADLINE_DANGLING_END)})$`, "i");
// The text after the last space (as `t.split(" ").pop()`, without splitting the whole text).
const lastWord = (t: string): string => t.slice(t.lastIndexOf(" ") + 1).replace(/[,;:.!?"'’)]+$/, "");
/** An object pronoun after a preposition ends a phrase: "will have on them", "voted for it". */
const PREPOSITION_OBJECT = new RegExp(`\\b(?:${alternation(PREPOSITIONS)}) (?:them|him|it|us|me)[.!?]?$`, "i");
/** Whether text ends on a word that leaves it hanging (DANGLING_END), but for a preposition's object pronoun. */
const hangingEnd = (t: string): boolean => DANGLING_END.test(lastWord(t)) && !PREPOSITION_OBJECT.test(t);
const DETERMINER = new RegExp(`^(?:${alternation(DETERMINERS)})$`, "i");
const FUNCTION_WORD = new RegExp(`^(?:${alternation(FUNCTION_WORDS)})$`, "i");
/** A number, in figures ("8", "£3bn", "40%", "5th") or in words ("eight", "million"). */
const NUMBER = new RegExp([String.raw`^[£$€]?\d[\d,.]*(?:%|m|bn|k|th|st|nd|rd|s)?$`, `^(?:${alternation(NUMBER_WORDS)})$`].join("|"), "i");
/** Clause openers a headline may be cut before (the words stay out of the headline). */
const CLAUSE_BOUNDARY = new RegExp(String.raw` (?:${alternation(CLAUSE_OPENERS)}|that (?:${alternation(FINITE_AUXILIARIES)}))\b`, "g");
/**
 * "that" opening a clause with a subject of its own after a noun ("the strongest evidence to date |
 * that the disorder is ..."): a headline may end on the noun (see thatClauseCut).
 */
const THAT_CLAUSE = new RegExp(String.raw` that (?=(?:${alternation([...DETERMINERS, ...SUBJECT_PRONOUNS, "there"])}) |\p{Lu})`, "gu");

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

const PUNCT_BOUNDARY = /(?:[,;:](?= )| -| \()/g;
/** After a comma, the rest of a list ("intellectual, | medical and psychiatric fitness"): no boundary. */
const LIST_REST = /^, (?:[\p{L}'-]+ ){0,3}[\p{L}'-]+(?:, (?:[\p{L}'-]+ ){0,3}[\p{L}'-]+)*,? (?:and|or) /u;
/** Whether a cut at punctuation leaves a whole clause and does not split a list. */
/** After a comma, who said it, to the sentence's end ("..., the Ministry of Agriculture and Cooperatives has said"): no list. */
const ATTRIBUTION_REST = /^, [^,]{1,80} (?:has |had )?(?:said|says|say|reported|announced)[.!?]?$/;
const punctCut = (prefix: string, rest: string): boolean =>
  (!LIST_REST.test(rest) || ATTRIBUTION_REST.test(rest)) && completePrefix(prefix);
/** A preposition opening a phrase ("of" binds its noun phrase too tightly to be cut before). */
const PHRASE_BOUNDARY = new RegExp(
  ` (?:(?:${alternation(PREPOSITIONS.filter((p) => p !== "of" && p !== "to"))})(?= )|(?=\\p{Ll}{2,}ed (?:${alternation(PREPOSITIONS)}) ))`,
  "gu",
);
const PARTICLE = new RegExp(`^(?:${alternation(PARTICLES)})$`, "i");
/** A superlative or ordinal, which needs the phrase after it ("the highest-level talks since ..."). */
const SUPERLATIVE = new RegExp(`(?:^|-)(?:\\p{L}{2,}est|${alternation(SCOPE_ADJECTIVES)})(?:-|$)`, "iu");
const NOT_SUPERLATIVE: ReadonlySet<string> = new Set(EST_WORDS);

/**
 * Whether a cut before a preposition leaves a whole phrase: the text does not end hanging, on a
 * function word or a number, and none of its last words is a superlative that needs what follows.
 */
function wholePhraseBefore(prefix: string, rest = ""): boolean {
  if (!completePrefix(prefix)) return false;
  const ws = prefix.split(" ");
  const last = lastWord(prefix);
  const lower = last.toLowerCase();
  if (FUNCTION_WORD.test(last) || NUMBER.test(last) || PARTICLE.test(last)) return false;
  // A participle before the phrase takes it as its complement ("contributing | to"), as does a
  // comparison ("as bad | as") and an adverb before its verb ("has completely | failed").
  if (/ing$/.test(lower) || (/ly$/.test(lower) && /^ \p{Ll}+ed /u.test(rest)) || /^(?:as|so|too|more|less)$/i.test(ws[ws.length - 2] ?? ""))
    return false;
  // A participle after a whole clause describes the noun before it and takes the phrase ("has
  // been traced to beef produced | at a plant"); without one it is the verb ("Georges plowed | across").
  const before = (ws[ws.length - 2] ?? "").toLowerCase();
  if (/ed$/.test(lower) && !AUX_WORD.test(before) && !/ly$/.test(before) && isWholeClause(ws.slice(0, -1).join(" "))) return false;
  // Nor is it the verb when the preposition makes it describe the noun of a relative clause
  // ("a technique that aims to ... experienced | during").
  if (/ed$/.test(lower) && !isWholeClause(prefix + (/^ \S+/.exec(rest)?.[0] ?? ""))) return false;
  // A name going on past the preposition: "the Centers | for Disease Control".
  if (/^\p{Lu}/u.test(last) && /^ \S+ \p{Lu}/u.test(rest)) return false;
  return !endsOnScopedPhrase(prefix) && !verbAwaitsComplement(prefix, rest);
}

/** Prepositions a verb often needs after it ("called | on", "worked | as", "deal | with"). */
const COMPLEMENT_PREPOSITION = /^ (?:as|on|to|for|with|into|about|at|of|from|against|upon)\b/i;
/** A quantifier that opens a noun phrase rather than a phrase of its own ("killed | at least 62"). */
const QUANTIFIER_START = /^ (?:at (?:least|most)|up to|as (?:many|much|few|little))\b/i;

/**
 * Whether a cut before `rest` leaves a verb without what it needs: the text ends on its main verb
 * or on an infinitive and a preposition it takes follows ("The union called | on parliament", "pledged
 * to fight | against crime"), or a quantifier of its object follows ("have killed | at least 62 people").
 */
function verbAwaitsComplement(prefix: string, rest: string): boolean {
  if (QUANTIFIER_START.test(rest)) return true;
  if (!COMPLEMENT_PREPOSITION.test(rest)) return false;
  const ws = prefix.split(" ");
  const last = ws[ws.length - 1] ?? "";
  if (!/^\p{Ll}+$/u.test(last)) return false;
  if ((ws[ws.length - 2] ?? "").toLowerCase() === "to") return true;
  return !isWholeClause(ws.slice(0, -1).join(" "));
}

/**
 * Whether a cut before "and", "or" or "but" splits a phrase: what follows the conjunction opens
 * neither a clause (a determiner, pronoun, name or number) nor a predicate (a verb, when the text
 * does not end on a verb whose object would be left behind; a word before a determiner is one):
 * "a severe | and unnecessary burden",
 * "tied to feeling | and memory", "have killed | and injured hundreds".
 */
function coordinationSplits(prefix: string, rest: string): boolean {
  const m = /^ (?:and|or|but) ([^\s]+)(?: ([^\s]+))?/i.exec(rest);
  if (!m) return false;
  const next = m[1]!.replace(/[,;:.!?"']+$/, "");
  // A word before a determiner is a verb taking its object: "and reduce a dropout rate".
  if (/^\p{Ll}+$/u.test(next) && DETERMINER.test(m[2] ?? "") && !FUNCTION_WORD.test(next)) return false;
  if (/^\p{Lu}/u.test(next) || NUMBER.test(next) || DETERMINER.test(next) || SUBJECT_WORDS.has(next.toLowerCase())) return false;
  const w = next.toLowerCase();
  const nextVerb = VERB_WORD.test(w) || AUX_WORD.test(w) || PLAIN_PRESENT.has(w) || CLAUSE_VERBS.has(w) || PRESENT_VERB.test(w);
  if (!nextVerb) return true;
  const last = lastWord(prefix).toLowerCase();
  return VERB_WORD.test(last) || AUX_WORD.test(last) || PLAIN_PRESENT.has(last);
}
const PREPOSITION_WORDS: ReadonlySet<string> = new Set(PREPOSITIONS);
const SUBJECT_WORDS: ReadonlySet<string> = new Set([...SUBJECT_PRONOUNS, "there", "it"]);

/** A phrase that gives a superlative its scope: "the strongest evidence to date", "the best year ever". */
const SCOPE_PHRASE = /\b(?:to date|ever|yet|so far|on record|in history|of all time)$/i;

/**
 * Whether one of the last words is a superlative or the like, which needs the phrase after it
 * (unless the text ends on the phrase that scopes it).
 */
function endsOnScopedPhrase(prefix: string): boolean {
  if (SCOPE_PHRASE.test(prefix.replace(/[\s,;:]+$/, ""))) return false;
  return prefix
    .split(" ")
    .slice(-7)
    .some((w) => {
      const bare = w.replace(/[^\p{L}-]/gu, "").toLowerCase();
      return SUPERLATIVE.test(bare) && !NOT_SUPERLATIVE.has(bare);
    });
}

/**
 * Whether a cut before "that" (THAT_CLAUSE) leaves a whole clause ending on a noun: not on a verb
 * ("The report shows | that ..." would need its clause), which shows as the text being a whole
 * clause even without its last word, that word being no verb form, nor one after an auxiliary.
 */
function thatClauseCut(prefix: string): boolean {
  const ws = prefix.split(" ");
  const last = lastWord(prefix).toLowerCase();
  if (ws.length < 4 || VERB_WORD.test(last) || CLAUSE_VERBS.has(last) || PLAIN_PRESENT.has(last) || /(?:ing|ly)$/.test(last)) return false;
  if (AUX_WORD.test(ws[ws.length - 2] ?? "")) return false;
  return completePrefix(prefix) && !endsOnScopedPhrase(prefix) && isWholeClause(ws.slice(0, -1).join(" "));
}

/** Whether cutting `text` at `at` ends it on a boundary a headline may be cut on (see cutHeadline). */
function cutPointAt(text: string, at: number): boolean {
  const prefix = text.slice(0, at);
  const from = (re: RegExp): boolean => {
    re.lastIndex = at;
    const m = re.exec(text);
    return m !== null && m.index === at;
  };
  if (from(PUNCT_BOUNDARY)) return punctCut(prefix, text.slice(at));
  if (from(CLAUSE_BOUNDARY)) return clauseCut(prefix, text.slice(at));
  if (from(THAT_CLAUSE)) return thatClauseCut(prefix);
  return from(PHRASE_BOUNDARY) && wholePhraseBefore(prefix, text.slice(at));
}

/** Whether a cut before a clause opener leaves a whole clause, splitting no phrase and leaving no verb without its complement. */
function clauseCut(prefix: string, rest: string): boolean {
  return completePrefix(prefix) && !endsOnScopedPhrase(prefix) && !coordinationSplits(prefix, rest) && !verbAwaitsComplement(prefix, rest);
}

/** Whether `prefix` (text before a boundary) can stand as a headline: it does not end hanging, and is a whole clause. */
const completePrefix: (prefix: string) => boolean = remembered((prefix) => isCompletePrefix(prefix));

function isCompletePrefix(prefix: string): boolean {
  const t = prefix.replace(/[\s,;:\-–(]+$/, "");
  return (
    !hangingEnd(t) &&
    !OPEN_COMPARISON.test(t) &&
    !OPEN_PASSIVE.test(t) &&
    !OPEN_GERUND.test(t) &&
    !OPEN_TIMES.test(t) &&
    !OPEN_LIST.test(prefix) &&
    isWholeClause(prefix)
  );
}

/** A multiple waiting for its comparison: "were 2.4 times" (more likely ...). */
const OPEN_TIMES = /(?:^|\s)\S+ times$/i;
/** A gerund after a preposition, waiting for its object: "succeeded in investigating". */
const OPEN_GERUND = new RegExp(String.raw`\b(?:${alternation(PREPOSITIONS)}) \p{Ll}+ing$`, "iu");
/** A list not yet at its last item ("roads, bridges" before "and ports"): a comma among the last words. */
const OPEN_LIST = /,(?: [\p{L}'-]+){1,3}$/u;
/** A comparison or degree waiting for what completes it: "is as bad" (as ...), "is so light" (that ...). */
const OPEN_COMPARISON = /\b(?:as|so|too) [\p{L}-]+$/iu;
/**
 * A passive whose participle needs its complement: "has been caused" (by ...), "is named" (after ...),
 * "was described" (as ...).
 */
const OPEN_PASSIVE =
  /\b(?:is|are|was|were|be|been|being) (?:\p{Ll}+ly )?(?:caused|named|called|known|described|regarded|considered|seen|dubbed|made|led|followed|driven|prompted|triggered)$/u;

const FINITE_WORDS: ReadonlySet<string> = new Set([...AUXILIARIES, ...IRREGULAR_PAST]);
/** A verb form on its own: an auxiliary, an irregular past tense or a lower-case word in "-ed". */
const VERB_WORD = { test: (w: string): boolean => FINITE_WORDS.has(w) || /^\p{Ll}{2,}ed$/u.test(w) || /^\p{Ll}+n['’]t$/u.test(w) };
const PRESENT_VERB = /^\p{Ll}{2,}[^s]s$/u;
const AFTER_PRESENT_SET: ReadonlySet<string> = new Set(AFTER_PRESENT_VERB);
const AFTER_PRESENT = { test: (w: string): boolean => AFTER_PRESENT_SET.has(w.toLowerCase()) };
/** Words that open a clause inside a sentence (relative, subordinate). */
const CLAUSE_WORDS: ReadonlySet<string> = new Set([...RELATIVES, ...SUBORDINATORS.filter((w) => !w.includes(" ")), "where", "whether"]);
const PLAIN_PRESENT: ReadonlySet<string> = new Set(PRESENT_VERBS);
const RELATIVE_WORDS: ReadonlySet<string> = new Set(RELATIVES);
const AUX_SET: ReadonlySet<string> = new Set(AUXILIARIES);
const AUX_WORD = { test: (w: string): boolean => AUX_SET.has(w.toLowerCase()) };
/** Words after which a plain verb is a present tense ("they say", "now think"). */
const BEFORE_PLAIN_PRESENT: ReadonlySet<string> = new Set(PRESENT_TENSE_CUES);
const SUBORDINATE_WORDS: ReadonlySet<string> = new Set(SUBORDINATORS.filter((w) => !w.includes(" ")));
/** After a participle, words that make it describe a noun ("led by", "known as"), not be the verb. */
const PARTICIPLE_NEXT = /^(?:by|as)$/i;
/** Verbs of saying and thinking, whose clause ("said [that] the plan ...") needs a verb of its own. */
const CLAUSE_VERBS: ReadonlySet<string> = new Set([...SAYING_VERBS, ...REPORTING_VERBS, ...THINKING_VERBS, "say"]);

/**
 * A word without what is not a letter, apostrophe or hyphen, lower-cased. A word of ASCII letters,
 * apostrophes and hyphens (most words) has nothing to drop: it skips the Unicode regex, which ran
 * for every word of every text isWholeClause was asked about.
 */
function bareWord(raw: string): string {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 39 || c === 45)) return raw.replace(/[^\p{L}'-]/gu, "").toLowerCase();
  }
  return raw.toLowerCase();
}

/**
 * Whether text is a whole clause, as far as words alone tell: its main clause has a finite verb
 * (an auxiliary, a past tense in "-ed" or irregular, or a present tense in "-s" before its object)
 * outside any clause a relative or subordinating word opens, an aside after a comma or a participle
 * describing a noun ("A team led by ..."); and a clause it opens last has its verb too ("said
 * that civilians" is not whole).
 * @example isWholeClause("Canada's new territory of Nunavut, which is to come into being") // false
 */
export const isWholeClause: (text: string) => boolean = remembered((text) => wholeClause(text));

function wholeClause(text: string): boolean {
  const ws = text.split(" ");
  let main = false;
  // Clauses opened and not yet closed: whether each has its verb, and whether it needs one (a
  // relative clause or a clause of saying does; a subordinate one may be reduced, "while on a trip").
  const open: { verb: boolean; need: boolean }[] = [];
  // An aside set off by commas between the subject and its verb ("Bill Clinton, in a speech ...,
  // included"): the word after its closing comma is the main verb's place, not a participle's.
  let aside = false;
  let asideClosedAt = -1;
  let reducedAt = -1;
  const first = (ws[0] ?? "").toLowerCase();
  // A text opening on a preposition or an adverb sets a scene before its comma ("In 2010, was ...").
  const asideOpener = (FUNCTION_WORD.test(first) && !DETERMINER.test(first)) || !/^\p{Lu}/u.test(ws[0] ?? "") || /ly$/.test(first);
  for (let i = 0; i < ws.length; i++) {
    const raw = ws[i]!;
    const w = bareWord(raw);
    const prev = i > 0 ? ws[i - 1]!.toLowerCase() : "";
    const next = ws[i + 1] ?? "";
    const top = open[open.length - 1];
    if (w === "but" && prev.endsWith(",")) {
      // ", but" opens a clause of its own, which needs its verb: "..., but the profession" is not whole.
      open.push({ verb: false, need: true });
    } else if (
      i === 0
        ? SUBORDINATE_WORDS.has(w) || /^(?:rather than|instead of) /i.test(text)
        : CLAUSE_WORDS.has(w) && (w !== "as" || i === 1 || prev.endsWith(","))
    ) {
      // A "that" after a verb of saying opens the clause that verb already waits for; a relative
      // clause or "whether" needs its verb.
      const need = RELATIVE_WORDS.has(w) || w === "whether";
      const after = bareWord(next);
      // A subordinate clause reduced to a participle or a phrase ("while driving", "when on leave")
      // is whole at once, and its participle is no verb.
      if (!need && (/\p{L}{2,}(?:ing|ed)$/u.test(after) || PREPOSITION_WORDS.has(after))) {
        if (!PREPOSITION_WORDS.has(after)) reducedAt = i + 1;
      } else if (!(w === "that" && top && !top.verb && top.need)) open.push({ verb: false, need });
    } else if (i > 0) {
      const afterComma = /[,:;]$/.test(prev) && asideClosedAt !== i - 1;
      // After a relative clause has its verb, a word in "-ed" before a preposition describes the noun
      // before it ("a technique that aims to ... experienced during ..."), it is not the main verb.
      const describing = /ed$/.test(w) && !!top?.verb && top.need && PREPOSITION_WORDS.has(next.toLowerCase());
      const participle =
        describing ||
        i === reducedAt ||
        (/(?:ed|ing)$/.test(w) &&
          (afterComma || prev === "-" || DETERMINER.test(prev) || PREPOSITION_WORDS.has(prev) || PARTICIPLE_NEXT.test(next))) ||
        (afterComma && PARTICIPLE_NEXT.test(next)); // "the center, run by ..."
      // A capitalised word is a name ("United"), a word after "to" an infinitive ("to be").
      const verb =
        !participle &&
        !w.endsWith("ing") &&
        !/^\p{Lu}/u.test(raw) &&
        prev !== "to" &&
        !(/^(?:be|have|been)$/.test(prev) && (ws[i - 2] ?? "").toLowerCase() === "to") &&
        (VERB_WORD.test(w) ||
          (PRESENT_VERB.test(w) && (AFTER_PRESENT.test(next) || /ly$/.test(next))) ||
          (PLAIN_PRESENT.has(w) &&
            (/(?:[^'s]s|ly)$/.test(prev) ||
              /^\p{Lu}[^']*$/u.test(ws[i - 1]!) ||
              BEFORE_PLAIN_PRESENT.has(prev) ||
              RELATIVE_WORDS.has(prev))));
      const afterAux = AUX_WORD.test(prev) || (/ly$/.test(prev) && AUX_WORD.test(ws[i - 2] ?? ""));
      // A verb right after one comma that follows a subject with no verb: "The star of the film, can
      // be seen" is a subject cut from its verb by a comma, not a clause.
      if (verb && aside && !main && open.length === 0 && /,$/.test(prev) && !asideOpener) return false;
      if (verb && top?.verb && top.need && !afterAux) {
        // A second verb after a relative clause's own is the main clause's: "A man who won $500 shot
        // ..."; a subordinate clause runs to its comma ("after the board met and voted, ...").
        open.pop();
        const outer = open[open.length - 1];
        if (outer) outer.verb = true;
        else main = true;
      } else if (verb && top) top.verb = true;
      else if (verb) main = true;
      // A verb of saying or thinking takes a clause of its own: "said the boycott" is not whole.
      if (verb && CLAUSE_VERBS.has(w)) open.push({ verb: false, need: true });
    }
    if (raw.endsWith(",")) {
      const last = open[open.length - 1];
      if (last && (last.verb || !last.need))
        open.pop(); // an aside ends at its comma
      else if (!last && !main) {
        if (aside) asideClosedAt = i;
        aside = !aside;
      }
    }
  }
  return main && open.every((c) => c.verb || !c.need);
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
  let t = singleSpaced(text).replace(/[.!?]+["']?$/, "");
  if (t.length > max) {
    const head = t.slice(0, max + 1);
    const ahead = t.slice(0, max + 40);
    // Boundaries: punctuation first, else a word opening a clause, else a preposition opening a
    // phrase after a whole one; the latest of the first kind found whose text before it does not
    // end hanging.
    const lastBoundary = (re: RegExp, ok: (prefix: string) => boolean = completePrefix): number => {
      const at: number[] = [];
      let m: RegExpExecArray | null;
      re.lastIndex = 0;
      // Matched on a few words past the limit, so that a word the limit cuts ("so" of "some") is no opener.
      while ((m = re.exec(ahead)) && m.index <= max) if (m.index >= max * 0.45) at.push(m.index);
      // The latest that passes: tried from the end, so the checks stop at the first.
      for (let k = at.length - 1; k >= 0; k--) if (ok(t.slice(0, at[k]))) return at[k]!;
      return -1;
    };
    let cut = lastBoundary(PUNCT_BOUNDARY, (prefix) => punctCut(prefix, t.slice(prefix.length)));
    if (cut < 0) cut = lastBoundary(CLAUSE_BOUNDARY, (prefix) => clauseCut(prefix, t.slice(prefix.length)));
    if (cut < 0) cut = lastBoundary(THAT_CLAUSE, thatClauseCut);
    if (cut < 0) cut = lastBoundary(PHRASE_BOUNDARY, (prefix) => wholePhraseBefore(prefix, t.slice(prefix.length)));
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
    t = t.replace(/[\s,;:\-–(]+$/, "");
    // "..., family says" attributes the headline; without its verb it would hang ("..., family").
    if (!ATTRIBUTION_END.test(t)) t = t.replace(TRAILING_FILLER, "");
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
  String.raw`^(?:${alternation(SCENE_OPENERS, eitherCase)}|[Tt]o (?:me|us|many|some|most))\b[^,;:"]{0,50},\s+(?=(?:the|a|an|\p{Lu})[\p{L}'’-]*\s)`,
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
/** " last month", " in this year": when, which a headline leaves out as it leaves out the weekday (with its preposition). */
const PERIOD_PHRASE = new RegExp(String.raw`\s+(?:(?:in|during) )?(?:last|this|earlier this) (?:${alternation(PERIODS)})\b(?![-'’])`, "gi");
const DAY_WORD = new RegExp(String.raw`\s+(?:${DAY_OR_RELATIVE})\b(?=[ ,])`, "gi");

/** A caption's one-word label run into the sentence: "Wanted: Police in Maryland have ...". */
const CAPTION_LABEL_START = /^\p{Lu}[\p{L}'-]+: (?=\p{Lu}\p{Ll})/u;

/** Pieces of `s` split on single spaces (as `s.split(" ").length` counts them), without making the pieces. */
function wordsBySpaces(s: string): number {
  let n = 1;
  for (let i = s.indexOf(" "); i !== -1; i = s.indexOf(" ", i + 1)) n++;
  return n;
}

/** Drops asides that cost characters without naming who or what. */
export function compressSentence(s: string): string {
  let core = s.replace(CAPTION_LABEL_START, "").replace(LEADING_PHRASE, "");
  if (wordsBySpaces(core) < 6) core = s; // the opener was most of the sentence
  const out = singleSpaced(
    core
      .replace(ROLE_PREFIX, "")
      .replace(/\s*\([^)]*\)/g, "")
      .replace(/^(?:in what [^,]+,\s*)/i, "")
      .replace(DAY_OPENER, "")
      .replace(DAY_AFTER, "")
      .replace(DAY_WORD, "")
      .replace(PERIOD_PHRASE, ""),
  );
  // What was dropped from the front leaves the next word to open the line.
  return out.startsWith(s.charAt(0)) ? out : out.charAt(0).toUpperCase() + out.slice(1);
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

/** Added to the score of a headline that fits or ends on a whole phrase, so it beats any ragged one. */
const CLEAN_FIRST = 1000;
/** A headline may run to this length when that is the only way to end on a whole phrase. */
export const MAX_HEADLINE_STRETCH = 100;

/** A whole clause may run to this length when no shorter one says the story (rather than cut one inside a phrase). */
export const MAX_HEADLINE_LONG = 120;

/**
 * A compressed sentence cut to a headline: the sentence, then its variants (a reported statement
 * said headline-style; without the clause or phrase describing its subject, "An outbreak that
 * sickened six skiers has been traced to ..." -> "An outbreak has been traced to ..."; without an
 * aside between subject and verb; without a participle phrase describing a noun; without all of
 * these), each cut at MAX_HEADLINE, then MAX_HEADLINE_STRETCH, then MAX_HEADLINE_LONG characters.
 * The first that fits or is cut on a boundary and is a whole clause wins (`whole`); else the
 * first that fits or is cut on a boundary; else the plain cut (`clean` false).
 */
function headlineCut(c: string): { text: string; clean: boolean; whole: boolean } {
  const first = cutHeadline(c, MAX_HEADLINE);
  if (first.clean && isWholeClause(first.text)) return { ...first, whole: true };
  const reported = reportedHeadline(c);
  const lean = withoutSubjectClause(c);
  const aside = withoutAside(c);
  const inner = withoutInnerParticiple(c);
  const all = withoutInnerParticiple(withoutSubjectClause(withoutAside(withoutOpener(c))));
  const variants = [...new Set([c, reported, lean, aside, inner, all])];
  let fallback = first.clean ? first : null;
  for (const max of [MAX_HEADLINE, MAX_HEADLINE_STRETCH, MAX_HEADLINE_LONG]) {
    for (const t of variants) {
      if (max === MAX_HEADLINE && t === c) continue;
      const cut = cutHeadline(t, max);
      if (!cut.clean) continue;
      if (isWholeClause(cut.text)) return { ...cut, whole: true };
      // A fallback stays within the usual stretch.
      if (!fallback && max <= MAX_HEADLINE_STRETCH) fallback = cut;
    }
  }
  return { ...(fallback ?? (reported !== c ? cutHeadline(reported, MAX_HEADLINE) : first)), whole: false };
}

/**
 * The sentence without what opens it up to its first comma when that is no clause of its own and
 * a whole clause follows ("Two weeks after the board voted, teachers are trying ..." -> "Teachers
 * are trying ..."), or as it was.
 */
export function withoutOpener(s: string): string {
  const comma = s.indexOf(", ");
  if (comma < 0 || comma > 240) return s;
  const rest = s.slice(comma + 2);
  const opens = s.slice(0, s.indexOf(" ")).toLowerCase();
  const next = rest.slice(0, Math.max(0, rest.indexOf(" "))).toLowerCase();
  // It opens on a function word or a number ("After ...", "Two weeks after ..."), not a subject,
  // and what follows opens a clause's subject, not a verb, a relative or an aside.
  if (!((FUNCTION_WORD.test(opens) && !DETERMINER.test(opens)) || NUMBER.test(opens))) return s;
  if (!/^\p{L}/u.test(next) || (FUNCTION_WORD.test(next) && !DETERMINER.test(next)) || AUX_WORD.test(next) || CLAUSE_WORDS.has(next))
    return s;
  if (VERB_WORD.test(next) || PLAIN_PRESENT.has(next) || CLAUSE_VERBS.has(next)) return s;
  if (isWholeClause(s.slice(0, comma)) || !isWholeClause(rest.replace(/[.!?]+["']?$/, ""))) return s;
  // The subject and its verb come before any comma of the rest: in "In the pictures O'Toole, the
  // star of ..., can be seen" the subject was in the opener.
  const chunk = rest.indexOf(",");
  if (chunk >= 0 && !isWholeClause(rest.slice(0, chunk))) return s;
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/** Words that open an aside set off by commas after a subject: a preposition, a determiner, a subordinator. */
const ASIDE_OPENER = new RegExp(
  `^(?:${alternation([...PREPOSITIONS, ...DETERMINERS, ...SUBORDINATE_WORDS, "for example", "for instance", "however", "like", "unlike"])})\\b`,
  "i",
);

/**
 * The sentence without an aside set off by commas between its subject and its verb ("Bill
 * Clinton, in a speech to religious leaders, included ..." -> "Bill Clinton included ..."; "The
 * sense of smell, as Proust made clear, is tied to memory" -> "The sense of smell is tied to
 * memory"), or as it was: the subject is a few words with no verb that do not open on a function
 * word, the aside opens on a preposition, determiner or subordinator, and a verb-like word follows.
 */
export function withoutAside(s: string): string {
  const m = /^([^,;:"()]{3,80}), ([^,;:"()]{2,140}), (?=(\p{Ll}+)\b)/u.exec(s);
  if (!m) return s;
  const subject = m[1]!;
  const firstWord = subject.split(" ")[0]!.toLowerCase();
  if (subject.split(" ").length > 10 || (FUNCTION_WORD.test(firstWord) && !DETERMINER.test(firstWord))) return s;
  if (SUBORDINATE_WORDS.has(firstWord) || isWholeClause(subject)) return s;
  if (!ASIDE_OPENER.test(m[2]!) || (FUNCTION_WORD.test(m[3]!) && !AUX_WORD.test(m[3]!))) return s;
  return `${subject} ${s.slice(m[0].length)}`;
}

/**
 * A participle phrase describing a noun inside the sentence, up to the auxiliary that opens the
 * verb of that noun: "why the monstrous telescope | searching for these particles | is named".
 */
const INNER_PARTICIPLE = new RegExp(
  `( (?:${alternation(DETERMINERS)})(?: (?!(?:${alternation(FUNCTION_WORDS)}|${alternation(AUXILIARIES)})\\b)[\\p{L}'-]+){1,3}) \\p{Ll}{3,}ing` +
    `((?: (?!(?:${alternation([...AUXILIARIES, ...IRREGULAR_PAST, ...PRESENT_VERBS])})\\b|\\p{Ll}{2,}ed\\b|(?:${alternation(RELATIVES)})\\b)[^ ,;:"()]+){1,12}) (?=(?:${alternation(AUXILIARIES)}) )`,
  "iu",
);

/**
 * The sentence without a participle phrase describing a noun before that noun's auxiliary (see
 * INNER_PARTICIPLE), or as it was: "the telescope searching for neutrinos is named" -> "the
 * telescope is named".
 */
export const withoutInnerParticiple: (s: string) => string = remembered((s) => withoutInnerParticipleOnce(s));

function withoutInnerParticipleOnce(s: string): string {
  // The participle and the phrase after it need "ing " somewhere: the regex is slow to fail without.
  const m = /ing /iu.test(s) ? INNER_PARTICIPLE.exec(s) : null;
  if (!m) return s;
  const last = lastWord(m[2]!);
  if (FUNCTION_WORD.test(last) || DETERMINER.test(last)) return s;
  return `${s.slice(0, m.index)}${m[1]} ${s.slice(m.index + m[0].length)}`;
}

/** Words a clause describing a subject does not hold: an auxiliary (the main verb's), a pronoun, a verb of saying. */
const NOT_IN_SUBJECT_CLAUSE = alternation([
  ...AUXILIARIES,
  ...SUBJECT_PRONOUNS,
  ...SPEAKER_PRONOUNS,
  ...SAYING_VERBS,
  ...REPORTING_VERBS,
  ...THINKING_VERBS,
]);
/** Words a subject does not hold: the above, and any past tense. */
const NOT_IN_SUBJECT = `${NOT_IN_SUBJECT_CLAUSE}|${alternation(IRREGULAR_PAST)}|\\p{Ll}+ed`;
/**
 * A sentence's subject (a few words, no verb), a relative clause describing it, and the auxiliary
 * that opens the main verb: "A Massachusetts scientist | who helped dispel the belief ... | has won".
 */
const SUBJECT_CLAUSE = new RegExp(
  `^((?:(?!(?:${NOT_IN_SUBJECT})\\b)[\\p{L}\\p{N}.'-]+ ){0,5}(?!(?:${NOT_IN_SUBJECT})\\b)[\\p{L}\\p{N}.'-]+) (?:who|that|which)` +
    `((?: (?!(?:${NOT_IN_SUBJECT_CLAUSE})\\b)[^ ,;:"()]+){2,24}) (?=(?:${alternation(AUXILIARIES)}) )`,
  "u",
);

const RELATIVE_OPENER = / (?:who|that|which) /;

const AUXILIARY_START = new RegExp(`^(?:${alternation(AUXILIARIES)}) `);
/** A verb of saying or thinking, present or past, opening the rest of a sentence. */
const SAYING_START = new RegExp(`^(?:${alternation([...CLAUSE_VERBS, "say", "warn", "claim", "deny", "urge", "expect"])}) `);
/** Words that end a phrase describing a subject: the main verb's first word. */
const MAIN_VERB_START = `(?:${alternation([...AUXILIARIES, ...IRREGULAR_PAST, ...PRESENT_VERBS])}|\\p{Ll}{2,}ed) `;
/**
 * A subject and a phrase describing it that holds no verb, up to the main verb: a participle
 * ("Investigators | looking into the crash ... | have found") or a place or origin ("Disease
 * detectives | at the Centers for Disease Control | are aware").
 */
const SUBJECT_PHRASE = new RegExp(
  `^((?:(?!(?:${NOT_IN_SUBJECT})\\b)[\\p{L}\\p{N}.'-]+ ){0,5}(?!(?:${NOT_IN_SUBJECT})\\b)[\\p{L}\\p{N}.'-]+) (\\p{Ll}+ing|from|at|in|with)` +
    `((?: (?!${MAIN_VERB_START.slice(0, -1)}\\b|(?:${NOT_IN_SUBJECT_CLAUSE})\\b)[^ ,;:"()]+){1,20}) (?=${MAIN_VERB_START})`,
  "u",
);

/**
 * The sentence without a clause or phrase describing its subject (see SUBJECT_CLAUSE and
 * SUBJECT_PHRASE), or as it was.
 * @example withoutSubjectClause("A scientist who helped map the gene has won the prize") // "A scientist has won the prize"
 */
export const withoutSubjectClause: (s: string) => string = remembered((s) => withoutSubjectClauseOnce(s));

function withoutSubjectClauseOnce(s: string): string {
  // SUBJECT_CLAUSE needs " who ", " that " or " which ": most sentences have none, and its word-by-word
  // lookaheads are slow to fail.
  const clause = RELATIVE_OPENER.test(s) ? SUBJECT_CLAUSE.exec(s) : null;
  const m = clause ?? SUBJECT_PHRASE.exec(s);
  if (!m) return s;
  const head = lastWord(m[1]!);
  if (FUNCTION_WORD.test(head) || DETERMINER.test(head)) return s;
  // After a name, a word in "-s" is its verb ("StatusPeople.com reports that ..."), not a noun a clause describes.
  const words = m[1]!.split(" ");
  if (words.length === 2 && /^\p{Lu}/u.test(words[0]!) && PRESENT_VERB.test(head)) return s;
  // A participle describes a plural subject ("Investigators looking"), not a noun in "-ing" ("The
  // Beijing meeting"), and runs to an auxiliary: a past tense after it may be its own ("on set").
  // A verb of saying after a plural subject is its own too ("Scientists trying to ... say").
  const rest = s.slice(m[0].length);
  const before = lastWord(m[3] ?? "");
  // The phrase ends on a word of its own, not a determiner whose noun is taken for a verb ("in this | restored village").
  if (!clause && (FUNCTION_WORD.test(before) || DETERMINER.test(before))) return s;
  const saying = SAYING_START.test(rest);
  if (!clause && m[2]!.endsWith("ing") && (!/[^'s]s$/.test(head) || !(AUXILIARY_START.test(rest) || saying))) return s;
  return `${m[1]} ${s.slice(m[0].length)}`;
}
const SUBORDINATE = new RegExp(`^(?:${alternation([...SUBORDINATORS, "rather than", "instead of"])})\\b`, "i");

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
  forgetCuts();
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
  // The same sentence often comes twice (the summary's opening is also a source's lead): cut once.
  const cuts = new Map<string, { text: string; whole: boolean }>();
  leads.forEach((l, i) => {
    // Quotes and subordinate openers ("Although ...") do not say who did what; a web address
    // labelling a list's item ("www.example.com - A guide to ...") is the list's, not a headline.
    if (/^["']/.test(l.trim()) || SUBORDINATE.test(l.trim()) || ADDRESS_LABEL.test(l.trim())) return;
    let cut = cuts.get(l);
    if (!cut) {
      const c = headlineCut(compressSentence(l));
      cut = { text: c.text, whole: c.whole };
      cuts.set(l, cut);
    }
    const h = cut.text;
    if (h.length < 15 || !namesSomeone(h)) return;
    // Earlier candidates (the summary's first sentence) are preferred; one cut inside a phrase
    // only when no candidate ends on a whole one.
    const s =
      (coverage(h) / Math.sqrt(h.length)) * (1 - Math.min(0.5, i * 0.1)) +
      (cut.whole ? (h.length <= MAX_HEADLINE_STRETCH ? CLEAN_FIRST : CLEAN_FIRST / 2) : 0);
    if (s > bestScore) {
      bestScore = s;
      best = h;
    }
  });
  return best || trimHeadline(leads[0] ?? "Untitled story");
}

/** A preposition left before a comma when what it governed was cut out: "... 110,000 tons in, the Ministry". */
const STRANDED_PREPOSITION = /\b(?:in|on|at|of|to|for|with|by|from|during)[,;:]/i;

/** A web address opening a line as its label: "www.example.com - A guide to ...". */
const ADDRESS_LABEL = /^(?:https?:\/\/)?(?:[\w-]+\.)+[a-z]{2,}(?:\/\S*)?\s+[-_:\u2013\u2014]\s/i;

/** A wire service's rule or dash left in text: "___", "--", a lone "_". */
const WIRE_RULE = /_{2,}|--|(?:^|\s)_(?:\s|$)/;

/** A dateline: "WASHINGTON (AP)", "NEW YORK _", "MOSCOW, Oct. 5 -". */
const DATELINE_DEBRIS = new RegExp(
  String.raw`^\p{Lu}[\p{Lu}.' ]{2,}(?:,[^,]{1,30})?\s*(?:\((?:${alternation(AGENCIES)})\)|[-_–—]|$)|\((?:${alternation(AGENCIES)})\)`,
  "u",
);

/**
 * What makes a headline debris rather than a line a reader would write: a wire rule, an ALL-CAPS
 * run-in, a dateline, a web address labelling a list item, a trailing colon, an end on a word that needs what follows, unbalanced quotes
 * or brackets; with the sentences it may come from, a cut inside a phrase (see `cutsInsidePhrase`).
 * @example headlineDebris("SPORTS Pitching The starting pitching is thin") // ["run-in"]
 */
export function headlineDebris(headline: string, sentences: readonly string[] = []): string[] {
  const h = headline.trim();
  const out: string[] = [];
  if (WIRE_RULE.test(h)) out.push("wire rule");
  if (HEADING_RUN_IN.test(h)) out.push("run-in");
  if (DATELINE_DEBRIS.test(h)) out.push("dateline");
  if (ADDRESS_LABEL.test(h)) out.push("address label");
  if (/:["')\]]*$/.test(h)) out.push("trailing colon");
  if (hangingEnd(h)) out.push("hanging end");
  if (STRANDED_PREPOSITION.test(h)) out.push("stranded preposition");
  if ((h.match(/"/g) ?? []).length % 2 === 1 || (h.match(/\(/g) ?? []).length !== (h.match(/\)/g) ?? []).length) out.push("unbalanced");
  if (sentences.some((s) => cutsInsidePhrase(h, s))) out.push("cut inside a phrase");
  else if (sentences.length > 0 && !isWholeClause(h)) out.push("not a clause");
  return out;
}

/**
 * Whether `headline` is `sentence` (as `compressSentence` shows it) cut off inside a phrase: the
 * sentence goes on past the headline, and not after a clause boundary or a whole phrase.
 */
export function cutsInsidePhrase(headline: string, sentence: string): boolean {
  // Quotation marks a cut may have dropped (unbalanced) do not hide the cut.
  const h = headline.replace(/[.!?]+["']?$/, "").replace(/["“”]/g, "");
  const full = compressSentence(sentence).replace(/["“”]/g, "").replace(/ {2,}/g, " ");
  if (!full.startsWith(h) || full.length <= h.length) return false;
  const rest = full.slice(h.length);
  return !/^[.!?]*["')]*$/.test(rest) && !cutPointAt(full, h.length);
}
