// Small pure helpers shared by the email, the plain-text part, the pages and the feed:
// date labels, URL vetting and the escaping rules for article text.

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/**
 * A YYYY-MM-DD date as words, in UTC. Done by hand rather than with Intl because it runs once per
 * render on the hot path and must read the same in Node and workerd.
 * @example dateLabel("2026-11-23") // "Monday 23 November 2026"
 */
export function dateLabel(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(d.getTime())) return date;
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/**
 * The URL if it is an absolute http(s) URL, else undefined. Article metadata comes from feeds we do
 * not control; a `javascript:` or `data:` link must never become an href.
 * @example safeHttpUrl("javascript:alert(1)") // undefined
 */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
  // Not needed by HTML, but they keep article text from ever forming `{{` (template syntax) or
  // the %%UNSUBSCRIBE_URL%% sentinel in the output, so neither can be re-interpreted later.
  "{": "&#123;",
  "}": "&#125;",
  "%": "&#37;",
};

/**
 * Escapes text for HTML element content and quoted attribute values.
 * @example escapeHtml('"><img onerror=x>') // "&quot;&gt;&lt;img onerror=x&gt;"
 */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`{}%]/g, (ch) => HTML_ESCAPES[ch]!);
}

/**
 * Article text for the plain-text part: breaks up `%%` so article text can never contain the
 * unsubscribe sentinel that `personalise` replaces.
 * @example plainText("100%% sure") // "100%\u200b% sure"
 */
export function plainText(value: string): string {
  return value.includes("%%") ? value.replaceAll("%%", "%\u200b%") : value;
}

/**
 * The UTF-8 size of a string in bytes, which is what Gmail's clipping counts.
 * @example utf8Bytes("é") // 2
 */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * A story's headline as readers see it: an update of a story sent before says so.
 * @example shownHeadline({ headline: "Talks resume", update: true }) // "Update: Talks resume"
 */
export function shownHeadline(story: { headline: string; update?: boolean }): string {
  return story.update ? `Update: ${story.headline}` : story.headline;
}
