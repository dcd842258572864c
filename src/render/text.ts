// The plain-text part, written from the same view as the HTML (not converted from it):
// wrapped at 72 columns, every link written out in full on its own line.
import { plainText } from "./format";
import type { EmailView } from "./view";

export const TEXT_WIDTH = 72;

/**
 * Word-wraps one paragraph. Words longer than the width (URLs) get a line of their own and are
 * never broken, so they stay clickable.
 * @example wrap("a long sentence ...", 72, "   ")
 */
export function wrap(text: string, width = TEXT_WIDTH, indent = "", firstIndent = indent): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const w of words) {
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += (empty ? "" : " ") + w;
    empty = false;
  }
  if (!empty || lines.length === 0) lines.push(line);
  return lines;
}

const RULE = "-".repeat(TEXT_WIDTH);

/**
 * Renders the whole digest as text: every story in full (plain text has no clipping limit),
 * then the footer with the unsubscribe placeholder.
 * @example renderText(buildView(digest, ctx, digest.stories.length), UNSUBSCRIBE_PLACEHOLDER)
 */
export function renderText(v: EmailView, unsubscribe: string): string {
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);
  push(...wrap(plainText(v.title)), v.dateLabel, "", "View in browser:", v.webUrl, "", "IN THIS ISSUE", "");
  const stories = [...v.stories, ...v.more];
  stories.forEach((s, i) => push(...wrap(plainText(s.headline), TEXT_WIDTH, "    ", `${String(i + 1).padStart(2)}. `)));
  for (const [i, s] of stories.entries()) {
    push("", RULE, "", ...wrap(plainText(s.headline), TEXT_WIDTH, "    ", `${String(i + 1).padStart(2)}. `), "");
    if (s.earlier) push("Continues a story first reported in an earlier edition:", plainText(s.earlier), "");
    for (const sentence of s.summary) push(...wrap(plainText(sentence)), "");
    push("Sources:");
    for (const src of s.sources) {
      push(...wrap(plainText(src.label), TEXT_WIDTH, "    ", "  - "));
      if (src.href) push(`    ${plainText(src.href)}`);
    }
  }
  push("", RULE, "", ...wrap(plainText(v.reason)), "", ...wrap(plainText(v.senderName)));
  if (v.postalAddress) push(...wrap(plainText(v.postalAddress)));
  push("", "Unsubscribe:", unsubscribe, "");
  return out.join("\n");
}
