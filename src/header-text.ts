// Text that goes into a mail header (subject, display names): no control characters (a CR or LF
// would let text add headers, and the MIME builder rightly refuses them) and no invisible format
// characters (bidi overrides, zero-width spaces, soft hyphens) that disguise what a reader sees.
// Applied when an edition is built and when the configuration is read, never per recipient.

/** Longest header text kept, in code points; subjects longer than this are cut with an ellipsis. */
export const MAX_HEADER_TEXT = 200;

/**
 * The text with control characters turned into spaces, format characters removed, whitespace
 * collapsed and the ends trimmed, at most `max` code points.
 * @example headerText("Daily\u0007 Digest\u202e: news\r\n") // "Daily Digest: news"
 */
export function headerText(s: string, max = MAX_HEADER_TEXT): string {
  const clean = s
    .replace(/\p{Cc}/gu, " ")
    .replace(/\p{Cf}/gu, "")
    // Line and paragraph separators end a header line for some readers, too.
    .replace(/[\u2028\u2029]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const points = [...clean];
  return points.length <= max
    ? clean
    : `${points
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}
