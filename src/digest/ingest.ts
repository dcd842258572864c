// Ingest: turns a RawArticle's body (plain text, Markdown or HTML) into plain text with blank-line
// paragraphs, and fills title/url/publisher/date from front matter or HTML meta when the input has
// them (never invented). Also screens out input that cannot be an article (empty, binary).

import { htmlText } from "./html";
import type { RawArticle } from "./types";

/** A RawArticle reduced to plain text, with the metadata the input carried. */
export interface IngestedArticle {
  id: string;
  text: string;
  title?: string;
  url?: string;
  publisher?: string;
  publishedAt?: string;
  author?: string;
}

export interface IngestResult {
  article?: IngestedArticle;
  /** Set when the input was skipped or altered; names the input. */
  warning?: string;
}

/** Bodies longer than this are cut (at a paragraph boundary) before cleaning. */
export const MAX_BODY_CHARS = 200_000;

/**
 * Reads one raw article into plain text plus metadata.
 * @example ingest({ id: "a.md", body: "---\ntitle: Hi\n---\nText." }).article?.title // "Hi"
 */
export function ingest(raw: RawArticle): IngestResult {
  const id = String(raw.id ?? "");
  let body = typeof raw.body === "string" ? raw.body : "";
  let warning: string | undefined;
  if (!body.trim()) return { warning: `${id}: empty article, skipped` };
  if (looksBinary(body)) return { warning: `${id}: not text (binary content), skipped` };
  if (body.length > MAX_BODY_CHARS * 5) {
    // Cut very large inputs early so HTML parsing stays cheap; the text cut below is the real limit.
    body = body.slice(0, MAX_BODY_CHARS * 5);
  }
  const format = raw.format ?? sniffFormat(body);
  const meta: Omit<IngestedArticle, "id" | "text"> = {};
  let text: string;
  if (format === "html") {
    const h = htmlToText(body);
    text = h.text;
    Object.assign(meta, h.meta);
  } else if (format === "markdown") {
    const m = markdownToText(body);
    text = m.text;
    Object.assign(meta, m.meta);
  } else {
    text = body.replace(/\r\n?/g, "\n");
  }
  if (text.length > MAX_BODY_CHARS) {
    const cut = text.lastIndexOf("\n\n", MAX_BODY_CHARS);
    text = text.slice(0, cut > MAX_BODY_CHARS / 2 ? cut : MAX_BODY_CHARS);
    warning = `${id}: article longer than ${MAX_BODY_CHARS} characters, truncated`;
  }
  if (!text.trim()) return { warning: `${id}: no article text after reading it as ${format}, skipped` };
  const article: IngestedArticle = {
    id,
    text,
    title: clean1(raw.title) ?? meta.title,
    url: clean1(raw.url) ?? meta.url,
    publisher: clean1(raw.publisher) ?? meta.publisher,
    publishedAt: normalizeDate(clean1(raw.publishedAt)) ?? normalizeDate(meta.publishedAt),
    author: clean1(raw.author),
  };
  for (const k of ["title", "url", "publisher", "publishedAt", "author"] as const) if (article[k] === undefined) delete article[k];
  return { article, warning };
}

function clean1(s: string | undefined): string | undefined {
  if (typeof s !== "string") return undefined;
  const t = s.replace(/\s+/g, " ").trim();
  return t || undefined;
}

/** Binary content: NUL bytes, many control characters or many U+FFFD replacement characters. */
export function looksBinary(s: string): boolean {
  const sample = s.slice(0, 8192);
  if (sample.includes("\u0000")) return true;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) bad++;
  }
  return bad / Math.max(1, sample.length) > 0.02;
}

/** Guesses the format of a body that did not say. */
export function sniffFormat(body: string): "text" | "markdown" | "html" {
  const head = body.slice(0, 2000);
  if (/<(?:html|body|article|p|div|head|!doctype)\b/i.test(head)) return "html";
  if (/^---\r?\n[\s\S]*?\r?\n---/.test(head) || /^#{1,6} \S/m.test(head)) return "markdown";
  return "text";
}

/** Dates given by the input, as ISO 8601 when they parse; dropped (never guessed) when they do not. */
export function normalizeDate(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const t = s.trim().replace(/^["']|["']$/g, "");
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  // Read zone-less dates as UTC so the result does not depend on the machine's time zone.
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2}|\b(?:UTC|GMT|[ECMP][SD]T))$/i.test(t);
  const ms = hasZone ? Date.parse(t) : /^\d{4}-\d{2}-\d{2}T/.test(t) ? Date.parse(t + "Z") : Date.parse(t + " UTC");
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString();
}

// ---------- Markdown ----------

/** Reads front matter (title/url/publisher/date) and reduces Markdown to text paragraphs. */
export function markdownToText(md: string): { text: string; meta: Omit<IngestedArticle, "id" | "text"> } {
  let src = md.replace(/\r\n?/g, "\n");
  const meta: Omit<IngestedArticle, "id" | "text"> = {};
  const fm = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(src);
  if (fm) {
    src = src.slice(fm[0].length);
    for (const line of fm[1]!.split("\n")) {
      const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
      if (!m) continue;
      const key = m[1]!.toLowerCase();
      const val = m[2]!
        .trim()
        .replace(/^(["'])(.*)\1$/, "$2")
        .trim();
      if (!val) continue;
      if (key === "title" || key === "headline") meta.title ??= val;
      else if (key === "url" || key === "link" || key === "canonical") meta.url ??= val;
      else if (key === "publisher" || key === "source" || key === "site" || key === "outlet") meta.publisher ??= val;
      else if (/^(date|published|publishedat|published_at|pubdate)$/.test(key)) meta.publishedAt ??= val;
    }
  }
  const out: string[] = [];
  let inFence = false;
  for (let line of src.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      // The first top-level heading is the article's own title when front matter gave none.
      if (!meta.title && /^# /.test(line) && out.every((l) => !l.trim())) meta.title = inlineMarkdown(h[1]!);
      else out.push("", inlineMarkdown(h[1]!), "");
      continue;
    }
    if (/^\s*([-*_])\s*(\1\s*){2,}$/.test(line)) {
      out.push("");
      continue;
    }
    if (/^\s*!\[[^\]]*\]\([^)]*\)\s*$/.test(line)) continue; // a standalone image (and its alt caption)
    line = line.replace(/^\s*>\s?/, "").replace(/^\s*(?:[-*+]|\d+[.)])\s+/, "");
    out.push(inlineMarkdown(line));
  }
  return { text: out.join("\n"), meta };
}

function inlineMarkdown(s: string): string {
  return s
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, "$1$2")
    .replace(/`([^`]*)`/g, "$1");
}

// ---------- HTML ----------

/** Reduces HTML to text paragraphs, dropping scripts, styles, navigation and figure captions (linear time). */
export function htmlToText(html: string): { text: string; meta: Omit<IngestedArticle, "id" | "text"> } {
  return htmlText(html, decodeEntities);
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  laquo: "«",
  raquo: "»",
  copy: "©",
  reg: "®",
  eacute: "é",
  egrave: "è",
  aacute: "á",
  agrave: "à",
  iacute: "í",
  oacute: "ó",
  uacute: "ú",
  ntilde: "ñ",
  ouml: "ö",
  uuml: "ü",
  auml: "ä",
  ccedil: "ç",
  szlig: "ß",
  euro: "€",
  pound: "£",
  shy: "",
};

/** Decodes named and numeric HTML entities. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}
