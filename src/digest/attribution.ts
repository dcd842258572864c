// Attribution: a sentence that opens on a quotation and names its speaker after it
// ("'It was tough,' said the champion." / '"We know," NASA's chief scientist said Tuesday.') is
// turned round so it opens on the speaker: "The champion said: 'It was tough.'" The words are the
// source's own; only their order and the quotation's closing comma change. A summary line then
// opens on who is speaking instead of on a quotation mark, and the quotation can still be used.
// Only the plain shapes are turned: one quotation, then a named or described speaker (never a
// bare pronoun, which would lean on a sentence the summary may not include) and a verb of saying.

import { alternation, SAYING_VERBS, SPEAKER_PRONOUNS, SUBJECT_PRONOUNS } from "./lexicon";

const VERB = `(?:${alternation(SAYING_VERBS)})`;
const PRONOUN = new RegExp(`^(?:${alternation([...SUBJECT_PRONOUNS, ...SPEAKER_PRONOUNS, "one", "this", "that"])})$`, "i");

/**
 * The quotation: an opening mark, text without that mark, and a closing comma, question or
 * exclamation mark inside the closing mark. The speaker part follows after one space.
 */
const QUOTED = /^(["'])([^"]{2,}?)([,?!])\1 (.+)$/;
/** "Speaker verb[ rest]." with the speaker first: "NASA chief scientist Ellen Stofan said Tuesday." */
const SPEAKER_FIRST = new RegExp(`^([^"]{1,120}?) (${VERB})((?: [^",;:]{1,60})?)\\.$`);
/** "verb speaker[, rest]." with the verb first: "said the 2014 Amateur champion, who played with ...". */
const VERB_FIRST = new RegExp(`^(${VERB}) ([^"]{1,160})\\.$`);

/**
 * The sentence turned to open on its speaker, or undefined when it is not a quotation followed by
 * a named or described speaker, or when `standsAlone` says the quotation itself leans on context.
 * @example frontAttribution("'It was tough,' said the champion.") // "The champion said: 'It was tough.'"
 */
export function frontAttribution(sentence: string, standsAlone: (quotation: string) => boolean = () => true): string | undefined {
  const m = QUOTED.exec(sentence);
  if (!m) return undefined;
  const [, mark, body, end, after] = m as unknown as [string, string, string, string, string];
  // A single-quoted body may hold apostrophes, but not a second quotation opening after a space.
  if (mark === "'" && / '/.test(body)) return undefined;
  // "Brown said: 'But if ...'" would lean on what the speaker said before, as the quotation did.
  if (!standsAlone(body)) return undefined;
  const quote = `${mark}${body}${end === "," ? "." : end}${mark}`;
  let speaker: string;
  let rest: string;
  let verb: string;
  const first = SPEAKER_FIRST.exec(after);
  const second = first ? null : VERB_FIRST.exec(after);
  if (first) {
    [, speaker, verb, rest] = first as unknown as [string, string, string, string];
  } else if (second) {
    [, verb, speaker] = second as unknown as [string, string, string];
    rest = "";
  } else {
    return undefined;
  }
  if (!namesSpeaker(speaker)) return undefined;
  // "told reporters" keeps its object with the verb; a relative clause stays with its speaker.
  const subject = speaker.charAt(0).toUpperCase() + speaker.slice(1);
  const tail = second && speaker.includes(",") ? "," : "";
  return `${subject}${tail} ${verb}${rest}: ${quote}`;
}

/**
 * A speaker is named or described ("Julia", "the relieved father", "goalkeeping coach Tony Parks"),
 * not a pronoun.
 */
function namesSpeaker(speaker: string): boolean {
  if (PRONOUN.test(speaker.split(" ", 1)[0]!)) return false;
  return /^(?:[\p{Lu}\p{N}]|(?:the|a|an) [\p{L}\p{N}])/u.test(speaker) || / \p{Lu}/u.test(speaker);
}
