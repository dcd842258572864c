// HTML to text in one pass: tags are found with indexOf from a moving cursor (the position of the
// next ">" is remembered, so a page of unclosed "<" or "<meta " costs one scan, not one per tag),
// skipped elements jump to their closing tag, block tags become paragraph breaks, and the metadata
// the digest uses (title, og:*, canonical link, published time) is read from the tags on the way.
// Regexes over the whole page backtracked quadratically on such input; this never rescans.

/** What a page says about itself (never invented). */
export interface HtmlMeta {
  title?: string;
  url?: string;
  publisher?: string;
  publishedAt?: string;
}

const SKIP = new Set(
  "script style noscript template svg iframe head nav footer aside form figure figcaption button select object canvas".split(" "),
);
const BLOCK = new Set("p div br h1 h2 h3 h4 h5 h6 li ul ol section article header blockquote tr table dd dt dl pre main hr".split(" "));

/** Attributes of a tag's inside (`a href="x" b='y' c=z`), names lower-cased. Linear in its length. */
function attributes(inside: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(inside))) out.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? m[4] ?? "");
  return out;
}

/**
 * Reduces an HTML page to text paragraphs (blank-line separated) plus its metadata. Prefers the
 * page's <article> (else <main>) when it has one.
 * @example htmlText("<title>T</title><p>A &amp; B</p>").text // "A & B"
 */
export function htmlText(html: string, decode: (s: string) => string): { text: string; meta: HtmlMeta } {
  const lower = html.toLowerCase();
  const n = html.length;
  const all: string[] = [];
  const inArticle: string[] = [];
  const inMain: string[] = [];
  let articleDepth = 0;
  let mainDepth = 0;
  const metaValues = new Map<string, string>();
  let title: string | undefined;
  let canonical: string | undefined;
  let nextGt = -2; // -2: not searched yet; -1: no ">" after the last search point
  const findGt = (from: number): number => {
    if (nextGt === -1) return -1;
    if (nextGt < from) nextGt = html.indexOf(">", from);
    return nextGt;
  };
  const emit = (s: string): void => {
    if (!s) return;
    all.push(s);
    if (articleDepth > 0) inArticle.push(s);
    if (mainDepth > 0) inMain.push(s);
  };
  let i = 0;
  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      emit(html.slice(i));
      break;
    }
    emit(html.slice(i, lt));
    const c = html[lt + 1] ?? "";
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      if (end < 0) break;
      i = end + 3;
      continue;
    }
    const closing = c === "/";
    const nameStart = closing ? lt + 2 : lt + 1;
    const first = html[nameStart] ?? "";
    if (!/[A-Za-z!?]/.test(first)) {
      emit("<"); // a literal "<" in text
      i = lt + 1;
      continue;
    }
    const gt = findGt(nameStart);
    if (gt < 0) break; // an unclosed tag runs to the end of the page: nothing after it is text
    let k = nameStart;
    while (k < gt && /[A-Za-z0-9]/.test(html[k]!)) k++;
    const name = lower.slice(nameStart, k);
    i = gt + 1;
    if (!closing && SKIP.has(name)) {
      // The <head> is skipped as text but read for metadata below, through its own tags.
      if (name !== "head") {
        const end = lower.indexOf(`</${name}`, i);
        if (end < 0) break;
        const endGt = html.indexOf(">", end);
        i = endGt < 0 ? n : endGt + 1;
      }
      continue;
    }
    if (name === "title" && !closing) {
      const end = lower.indexOf("</title", i);
      const raw = html.slice(i, end < 0 ? n : end);
      title ??=
        decode(raw.replace(/<[^<>]*>/g, ""))
          .replace(/\s+/g, " ")
          .trim() || undefined;
      i = end < 0 ? n : end;
      continue;
    }
    if (name === "meta" || name === "link") {
      const attrs = attributes(html.slice(k, gt));
      if (name === "meta") {
        const key = (attrs.get("property") ?? attrs.get("name") ?? attrs.get("itemprop") ?? "").toLowerCase();
        const content = decode(attrs.get("content") ?? "").trim();
        if (key && content && !metaValues.has(key)) metaValues.set(key, content);
      } else if ((attrs.get("rel") ?? "").toLowerCase() === "canonical" && attrs.get("href")) {
        canonical ??= decode(attrs.get("href")!);
      }
      continue;
    }
    if (name === "article") articleDepth += closing ? (articleDepth > 0 ? -1 : 0) : 1;
    if (name === "main") mainDepth += closing ? (mainDepth > 0 ? -1 : 0) : 1;
    if (BLOCK.has(name)) emit("\n\n");
  }
  const chosen = inArticle.length ? inArticle : inMain.length ? inMain : all;
  const text = decode(chosen.join(""))
    .split("\n")
    .map((l) => l.replace(/[ \t\u00A0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  const pick = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = metaValues.get(k);
      if (v) return v;
    }
    return undefined;
  };
  const meta: HtmlMeta = {};
  const t = pick("og:title", "twitter:title") ?? title;
  if (t) meta.title = t;
  const url = pick("og:url") ?? canonical;
  if (url) meta.url = url;
  const publisher = pick("og:site_name");
  if (publisher) meta.publisher = publisher;
  const published = pick("article:published_time", "datepublished", "pubdate", "date");
  if (published) meta.publishedAt = published;
  return { text, meta };
}
