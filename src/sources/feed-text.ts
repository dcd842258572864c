// Text constructs of a feed (titles, summaries, bodies) read in the right order for what they are,
// so that text stays text and markup goes. One function for titles and bodies:
//   text   (Atom type="text", JSON content_text): the characters are the text, `5 < 6` and all.
//   html   (Atom type="html", content:encoded, JSON content_html): the XML-decoded string is HTML;
//          its tags are removed and only then its entities decoded, so `&lt;int&gt;` shows as `<int>`.
//   xhtml  (Atom type="xhtml", xhtml:body): inline markup, written back as HTML with its text escaped.
//   base64 (Atom 0.3 mode="base64", Atom 1.0 non-text types): decoded, then read by its MIME type.
//   sniff  (RSS title and description, which say nothing): HTML when it closes a known HTML
//          element, has a <br> or <img>, or a character reference; text otherwise: `Vec<T>`,
//          `the <blink> tag` and `Q&A: the <div> element` stay as written, `<b>Council</b>` loses
//          its tags.
// In any HTML, a "<" that does not open a known (or custom, `a-b`) element is text, as a reader
// would take `Vec<T>`; named references are made numeric so the digest's HTML reader decodes all 252.

import { htmlToText } from "../digest/ingest";
import { NAMED, numericRef } from "./entities";
import { hasElements, innerHtml, textContent, type XmlElement } from "./xml";

export type TextKind = "text" | "html" | "xhtml" | "base64" | "sniff";

/** A construct's content as the digest takes it: plain text, or HTML to be read as such. */
export interface Content {
  format: "text" | "html";
  value: string;
}

const HTML_ELEMENTS = new Set(
  (
    "a abbr acronym address area article aside audio b base bdi bdo big blockquote body br button canvas caption center " +
    "cite code col colgroup data dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer " +
    "form frame h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li link main map " +
    "mark menu meta nav nobr noscript object ol optgroup option p param picture pre q rp rt ruby s samp script section " +
    "select small source span strike strong style sub summary sup svg math table tbody td template textarea tfoot th " +
    "thead time title tr track tt u ul var video wbr"
  ).split(" "),
);

/** Whether a tag name is markup: a known HTML element, or a custom (`my-el`) or prefixed (`o:p`) one. */
const isTagName = (name: string) => HTML_ELEMENTS.has(name.toLowerCase()) || /^[a-z][\w.]*[-:][\w.:-]*$/i.test(name);

/** A known element's end tag, a void element's tag (never closed), or a character reference. */
const HTML_SIGN = /<\/([a-z][\w:.-]*)\s*>|<(?:br|img|hr|wbr)(?=[\s/>])[^<>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/gi;

/**
 * Whether a string without a declared type reads as HTML: it closes a known element (`</b>`), has
 * a `<br>` or `<img>`, or a character reference. An opening tag alone is not enough, so
 * `Q&A: the <div> element` and `Vec<T>` stay text, as a reader means them.
 * @example looksLikeHtml("<b>Council</b> approves") // true
 */
export function looksLikeHtml(s: string): boolean {
  HTML_SIGN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HTML_SIGN.exec(s))) {
    if (m[1] === undefined || isTagName(m[1])) return true;
  }
  return false;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Characters of a tag name: letters, digits, "_", ":", ".", "-". */
const isNameChar = (c: number) => isAlnum(c) || c === 95 || c === 58 || c === 46 || c === 45;

/**
 * HTML as the digest's HTML reader should see it: a "<" that opens no known or custom element
 * becomes `&lt;` (text), and named references become numeric. Linear: one scan per "<" and "&".
 * @example normalizeHtml("Vec<T> &eacute; <b>x</b>") // "Vec&lt;T> &#233; <b>x</b>"
 */
export function normalizeHtml(html: string): string {
  const out: string[] = [];
  let from = 0;
  const n = html.length;
  for (let i = 0; i < n; i++) {
    const c = html.charCodeAt(i);
    if (c === 60 /* < */) {
      const next = html.charCodeAt(i + 1);
      if (next === 33 /* ! */ || next === 63 /* ? */) continue; // comments, doctype: the reader skips them
      let k = next === 47 /* / */ ? i + 2 : i + 1;
      const start = k;
      while (k < n && isNameChar(html.charCodeAt(k))) k++;
      const name = html.slice(start, k);
      const after = html.charCodeAt(k);
      const tagEnd = k >= n || after === 62 || after === 47 || after === 32 || after === 10 || after === 9 || after === 13;
      if (name && /^[a-z]/i.test(name) && tagEnd && isTagName(name)) {
        i = k - 1;
        continue;
      }
      out.push(html.slice(from, i), "&lt;");
      from = i + 1;
    } else if (c === 38 /* & */) {
      let k = i + 1;
      while (k < n && k - i < 12 && isAlnum(html.charCodeAt(k))) k++;
      if (html.charCodeAt(i + 1) === 35 /* # */) {
        // A numeric reference to 0x80-0x9F means the windows-1252 character, as in a browser.
        let e = i + 2;
        const hex = html.charCodeAt(e) === 120 || html.charCodeAt(e) === 88;
        if (hex) e++;
        const start = e;
        while (e < n && e - start < 8 && (hex ? isAlnum(html.charCodeAt(e)) : isDigit(html.charCodeAt(e)))) e++;
        if (html.charCodeAt(e) !== 59 || e === start) continue;
        const code = parseInt(html.slice(start, e), hex ? 16 : 10);
        if (code < 0x80 || code > 0x9f) continue;
        const ch = numericRef(`#${code}`);
        if (ch === undefined) continue;
        out.push(html.slice(from, i), `&#${ch.codePointAt(0)};`);
        from = e + 1;
        i = e;
        continue;
      }
      if (html.charCodeAt(k) !== 59 /* ; */ || k === i + 1) continue;
      const name = html.slice(i + 1, k);
      if (name === "amp" || name === "lt" || name === "gt" || name === "quot") continue;
      const ch = NAMED.get(name);
      if (ch === undefined) continue;
      out.push(html.slice(from, i), `&#${ch.codePointAt(0)};`);
      from = k + 1;
      i = k;
    }
  }
  out.push(html.slice(from));
  return out.join("");
}

/**
 * Escaped markup that was escaped once more on its way into the feed (`&amp;lt;p&amp;gt;` in the
 * XML): the decoded string has no tag, yet opens with an escaped known element and ends with one.
 * Then, and only then, it is unescaped once more; `Use &lt;int&gt;` in running text stays text.
 */
function unescapeWhollyEscaped(s: string): string {
  const m = /^\s*&lt;([a-z][a-z0-9]*)[\s\S]*&gt;\s*$/i.exec(s);
  if (!m || !HTML_ELEMENTS.has(m[1]!.toLowerCase()) || /<[a-z/]/i.test(s)) return s;
  return s.replace(/&(lt|gt|amp|quot|#39|apos);/g, (_, e: string) =>
    e === "lt" ? "<" : e === "gt" ? ">" : e === "amp" ? "&" : e === "quot" ? '"' : "'",
  );
}

function base64Text(s: string): string | undefined {
  const clean = s.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
  try {
    const bin = atob(clean);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Kind of a MIME type given in an Atom `type`: html, xhtml (inline XML), text, or base64 (other). */
export function mimeKind(type: string): TextKind {
  const t = type.toLowerCase().split(";")[0]!.trim();
  if (t === "text" || t === "text/plain") return "text";
  if (t === "html" || t === "text/html") return "html";
  if (t === "xhtml" || t === "application/xhtml+xml") return "xhtml";
  if (t.endsWith("+xml") || t.endsWith("/xml")) return "xhtml";
  if (t.startsWith("text/")) return "text";
  return "base64";
}

/**
 * The content of a text construct, read according to its kind (see the top of this file).
 * @example readContent(titleElement, "sniff") // { format: "text", value: "Why Vec<T> is fast" }
 */
export function readContent(el: XmlElement, kind: TextKind, base64Type = "text/html"): Content | undefined {
  let format: Content["format"];
  let value: string;
  if (kind === "xhtml") {
    // The construct's one child is a wrapping <div>; it is not part of the content.
    const elements = el.children.filter((c): c is XmlElement => typeof c !== "string");
    const onlyDiv = elements.length === 1 && elements[0]!.name === "div" && !el.children.some((c) => typeof c === "string" && c.trim());
    format = "html";
    value = innerHtml(onlyDiv ? elements[0]! : el);
  } else if (hasElements(el)) {
    // Markup written inline where escaped HTML was expected: read it as the HTML it is.
    format = kind === "text" ? "text" : "html";
    value = kind === "text" ? textContent(el) : innerHtml(el);
  } else if (kind === "base64") {
    const decoded = base64Text(textContent(el));
    if (decoded === undefined) return undefined;
    const inner = mimeKind(base64Type);
    if (inner === "base64") return undefined;
    format = inner === "text" ? "text" : "html";
    value = decoded;
  } else {
    value = textContent(el);
    format = kind === "text" ? "text" : kind === "html" || looksLikeHtml(value) ? "html" : "text";
    if (format === "html") value = unescapeWhollyEscaped(value);
  }
  if (format === "html") value = normalizeHtml(value);
  value = value.trim();
  return value ? { format, value } : undefined;
}

/**
 * A construct as one line of plain text (titles, authors): HTML read by the digest's HTML reader
 * (tags removed first, then entities decoded), whitespace collapsed.
 * @example plainText({ format: "html", value: "Tom &amp;amp; <b>Jerry</b>" }) // "Tom &amp; Jerry"
 */
export function plainText(c: Content | undefined): string | undefined {
  if (!c) return undefined;
  const s = c.format === "html" ? htmlToText(c.value).text : c.value;
  return s.replace(/\s+/g, " ").trim() || undefined;
}

/** Plain text of a string that may carry HTML (JSON Feed titles): sniffed as RSS titles are. */
export function plainFromString(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const html = looksLikeHtml(s);
  return plainText({ format: html ? "html" : "text", value: html ? normalizeHtml(unescapeWhollyEscaped(s)) : s });
}
