// Headline: a short line (<= ~90 characters, ending on a whole word) naming who and what.
// From the sources' titles when they exist (the most representative one), else built from the
// story's most central lead sentence, trimmed of asides and cut on a clause boundary.

import { contentTerms } from "./text";

export const MAX_HEADLINE = 90;

const TRAILING_FILLER =
  /\s+(?:a|an|the|and|or|but|of|to|in|on|at|for|with|by|from|as|that|which|who|whose|than|its|their|his|her|is|are|was|were|be|has|have|had|will|would|after|before|amid|over|since|while|when|into|about|said|says|then)$/i;

/** Removes a trailing " - Publisher" / " | Site" from a page title. */
export function stripTitleSuffix(title: string): string {
  const t = title.replace(/\s+/g, " ").trim();
  const m = /^(.{20,}?)\s+[|\-–—:]\s+[^|\-–—:]{2,40}$/.exec(t);
  return m ? m[1]!.trim() : t;
}

/**
 * Cuts text to at most `max` characters on a whole word, preferring a clause boundary,
 * and drops trailing function words and punctuation.
 * @example trimHeadline("A very long sentence, with a clause", 20) // "A very long sentence"
 */
export function trimHeadline(text: string, max = MAX_HEADLINE): string {
  let t = text.replace(/\s+/g, " ").trim().replace(/[.!?]+["']?$/, "");
  if (t.length > max) {
    const head = t.slice(0, max + 1);
    // Clause boundaries: punctuation first, else a conjunction/relative word starting a clause.
    const lastBoundary = (re: RegExp): number => {
      let cut = -1;
      let m: RegExpExecArray | null;
      while ((m = re.exec(head))) if (m.index >= max * 0.45 && m.index <= max) cut = m.index;
      return cut;
    };
    let cut = lastBoundary(/(?:[,;:](?= )| -| \()/g);
    if (cut < 0)
      cut = lastBoundary(/ (?:who|which|after|as|when|while|amid|because|but|and|telling|saying|according|in what|since|following|with)\b/g);
    if (cut > 0) t = t.slice(0, cut);
    else {
      const sp = head.lastIndexOf(" ");
      t = t.slice(0, sp > 0 ? sp : max);
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
  return t.trim();
}

const ROLE =
  "(?:Secretary|Minister|President|Premier|Chancellor|Governor|Senator|Spokes(?:man|woman|person)|Chief|Director|Ambassador|Leader|Mayor|Chairman|Chairwoman|Chair|CEO|Commissioner|Coach|Manager|Captain|Judge|Representative|Congressman|Congresswoman)";
/** A role title in front of a two-word name: "US Secretary of State Antony Blinken" -> "Antony Blinken". */
const ROLE_PREFIX = new RegExp(
  `(?:\\b(?:the\\s+)?(?:[\\p{Lu}][\\p{L}.'-]*\\s+){0,3})${ROLE}(?:\\s+(?:of|for)\\s+(?:the\\s+)?\\p{Lu}[\\p{L}]*)?\\s+(?=\\p{Lu}[\\p{L}'-]+\\s+\\p{Lu}[\\p{L}'-]+)`,
  "gu",
);

/** Drops asides that cost characters without naming who or what. */
export function compressSentence(s: string): string {
  return s
    .replace(ROLE_PREFIX, "")
    .replace(/\s*\([^)]*\)/g, "")
    .replace(/^(?:in what [^,]+,\s*)/i, "")
    .replace(/^(?:(?:on|late on|early on|earlier on) )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today),?\s+/i, "")
    .replace(/\s+(?:on|late on|early on|earlier on|by|this|last) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/gi, "")
    .replace(/\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today)\b(?=[ ,])/gi, "")
    .replace(/\s+/g, " ")
    .trim();
}

const SUBORDINATE = /^(?:according to|although|though|while|when|whenever|if|unless|because|since|as|after|before|despite|even though|once|until)\b/i;

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
    const h = trimHeadline(compressSentence(l));
    if (h.length < 15 || !namesSomeone(h)) return;
    // Earlier candidates (the summary's first sentence) are preferred.
    const s = (coverage(h) / Math.sqrt(h.length)) * (1 - Math.min(0.5, i * 0.1));
    if (s > bestScore) {
      bestScore = s;
      best = h;
    }
  });
  return best || trimHeadline(leads[0] ?? "Untitled story");
}
