// A small XML reader for feeds: elements with their names resolved to namespace URIs (so `r:rss`,
// `rss:item` and `dc:title` are read by what they mean, not by the prefix a feed chose), attributes,
// and text with references and CDATA already decoded. One pass with indexOf from a moving cursor:
// linear in the document, whatever it holds. Nesting is limited; DTD entities are expanded only
// when they are plain text (a billion-laughs document expands nothing), and a reference that cannot
// be expanded is dropped, never kept as text. Undeclared HTML entities (`&eacute;`, common in feeds)
// are read as HTML would read them. Not a validating parser: it refuses a document that ends with
// elements still open (a truncated download must never yield half a feed), repairs mismatched end
// tags as HTML parsers do (with a warning), and is lenient with the rest.

import { NAMED, numericRef } from "./entities";

export class XmlError extends Error {}

/** An element: `ns` is its namespace URI, lower-cased ("" for none); `name` its local name. */
export interface XmlElement {
  ns: string;
  name: string;
  attrs: XmlAttr[];
  children: XmlNode[];
}
export interface XmlAttr {
  /** Namespace URI, lower-cased; "" for an unprefixed attribute. */
  ns: string;
  name: string;
  value: string;
}
export type XmlNode = XmlElement | string;

/** Elements deeper than this are refused (a feed needs about ten). */
export const MAX_DEPTH = 64;
/** Characters DTD entities may add to a document in all, beyond which they are dropped. */
const MAX_ENTITY_CHARS = 1_000_000;

export const NS = {
  xml: "http://www.w3.org/xml/1998/namespace",
  xmlns: "http://www.w3.org/2000/xmlns/",
} as const;

/** Prefixes feeds use without declaring them, read as the namespace they conventionally name. */
const USUAL_PREFIXES: Record<string, string> = {
  dc: "http://purl.org/dc/elements/1.1/",
  dcterms: "http://purl.org/dc/terms/",
  content: "http://purl.org/rss/1.0/modules/content/",
  atom: "http://www.w3.org/2005/atom",
  itunes: "http://www.itunes.com/dtds/podcast-1.0.dtd",
  media: "http://search.yahoo.com/mrss/",
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  xhtml: "http://www.w3.org/1999/xhtml",
};

interface Scope {
  prefixes: Map<string, string> | undefined;
  parent: Scope | undefined;
}

function lookup(scope: Scope | undefined, prefix: string): string | undefined {
  for (let s = scope; s; s = s.parent) {
    const uri = s.prefixes?.get(prefix);
    if (uri !== undefined) return uri;
  }
  if (prefix === "xml") return NS.xml;
  return undefined;
}

export interface XmlResult {
  root: XmlElement;
  /** What was dropped or repaired on the way (entity references that could not be expanded). */
  warnings: string[];
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
/** Characters that end a name: space, "/", ">", "=", quotes, "<". */
const endsName = (c: number) => isSpace(c) || c === 47 || c === 62 || c === 61 || c === 34 || c === 39 || c === 60;
const REF_NAME = /^[A-Za-z_][\w.-]*$/;
const NO_ATTRS: XmlAttr[] = [];

/** What reference decoding needs and counts across one document. */
interface RefState {
  entities: Map<string, string | null>; // null: declared, but not plain text
  budget: number;
  dropped: number;
  dropNames: Set<string>;
}

/** Decodes the references in a run of text or an attribute value. */
function decodeRefs(s: string, st: RefState): string {
  let amp = s.indexOf("&");
  if (amp < 0) return s;
  let out = "";
  let from = 0;
  while (amp >= 0) {
    // The five XML references, by their characters: no slice, no lookup (entity-dense text).
    const c1 = s.charCodeAt(amp + 1);
    const c2 = s.charCodeAt(amp + 2);
    const c3 = s.charCodeAt(amp + 3);
    let quick: string | undefined;
    let len = 4;
    if (c1 === 108 /* l */ && c2 === 116 /* t */ && c3 === 59) quick = "<";
    else if (c1 === 103 /* g */ && c2 === 116 /* t */ && c3 === 59) quick = ">";
    else if (c1 === 97 /* a */ && c2 === 109 /* m */ && c3 === 112 /* p */ && s.charCodeAt(amp + 4) === 59) {
      quick = "&";
      len = 5;
    }
    if (quick !== undefined) {
      out += s.slice(from, amp) + quick;
      from = amp + len;
      amp = s.indexOf("&", from);
      continue;
    }
    const semi = s.indexOf(";", amp + 1);
    // A reference is short; a lone "&" (malformed, common) stays a character.
    if (semi < 0 || semi - amp > 40) {
      amp = s.indexOf("&", amp + 1);
      continue;
    }
    const ref = s.slice(amp + 1, semi);
    let value: string | undefined;
    if (ref.charCodeAt(0) === 35 /* # */) value = numericRef(ref) ?? "";
    else if (ref === "amp") value = "&";
    else if (ref === "lt") value = "<";
    else if (ref === "gt") value = ">";
    else if (ref === "quot") value = '"';
    else if (ref === "apos") value = "'";
    else if (!REF_NAME.test(ref)) {
      amp = s.indexOf("&", amp + 1); // "AT&T; ..." is text
      continue;
    } else if (st.entities.has(ref)) {
      const v = st.entities.get(ref);
      if (typeof v === "string" && st.budget >= v.length) {
        st.budget -= v.length;
        value = v;
      } else value = "";
    } else value = NAMED.get(ref) ?? "";
    if (value === "") {
      st.dropped++;
      if (st.dropNames.size < 5) st.dropNames.add(ref);
    }
    out += s.slice(from, amp) + value;
    from = semi + 1;
    amp = s.indexOf("&", from);
  }
  return out + s.slice(from);
}

/** A qualified name resolved in a scope: [namespace URI, local name]. Unprefixed attributes have none. */
function resolveName(scope: Scope | undefined, q: string, isAttr: boolean): [string, string] {
  const colon = q.indexOf(":");
  if (colon < 0) return [isAttr ? "" : (lookup(scope, "") ?? ""), q];
  const prefix = q.slice(0, colon);
  return [lookup(scope, prefix) ?? USUAL_PREFIXES[prefix.toLowerCase()] ?? `${prefix}:`, q.slice(colon + 1)];
}

/** Whether every declaration binds a prefix to the URI it has in scope already. */
function sameAsScope(scope: Scope | undefined, prefixes: Map<string, string>): boolean {
  for (const [prefix, uri] of prefixes) if ((lookup(scope, prefix) ?? "") !== uri) return false;
  return true;
}

/** Appends text to an element, joined to the text before it. */
function appendText(el: XmlElement, s: string): void {
  const last = el.children.length - 1;
  if (last >= 0 && typeof el.children[last] === "string") el.children[last] += s;
  else el.children.push(s);
}

/**
 * Parses an XML document into its root element.
 * @example parseXml('<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>A &amp; B</dc:title></rss>').root.children
 */
export function parseXml(src: string): XmlResult {
  const n = src.length;
  const st: RefState = { entities: new Map(), budget: MAX_ENTITY_CHARS, dropped: 0, dropNames: new Set() };
  const stack: XmlElement[] = [];
  const qnames: string[] = []; // the open elements' names as written, for matching end tags
  const scopes: (Scope | undefined)[] = [];
  let scope: Scope | undefined;
  let root: XmlElement | undefined;
  let top: XmlElement | undefined;
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Attribute names and values of the tag being read (reused: no allocation per tag).
  const anames: string[] = [];
  const avalues: string[] = [];
  let repaired = 0;

  while (i < n) {
    const lt = src.indexOf("<", i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      if (top) appendText(top, decodeRefs(src.slice(i, textEnd), st));
      else if (src.slice(i, textEnd).trim() && !root) throw new XmlError("text before the root element");
      // trailing junk after the document is ignored
    }
    if (lt < 0) break;
    const c1 = src.charCodeAt(lt + 1);
    if (c1 === 63 /* ? */) {
      const end = src.indexOf("?>", lt + 2);
      if (end < 0) throw new XmlError("unterminated processing instruction");
      i = end + 2;
      continue;
    }
    if (c1 === 33 /* ! */) {
      if (src.startsWith("<!--", lt)) {
        const end = src.indexOf("-->", lt + 4);
        if (end < 0) throw new XmlError("unterminated comment");
        i = end + 3;
      } else if (src.startsWith("<![CDATA[", lt)) {
        const end = src.indexOf("]]>", lt + 9);
        if (end < 0) throw new XmlError("unterminated CDATA section");
        if (!top) throw new XmlError("CDATA outside the root element");
        appendText(top, src.slice(lt + 9, end));
        i = end + 3;
      } else if (src.startsWith("<!DOCTYPE", lt) && !root) {
        i = doctype(src, lt + 9, st.entities);
      } else throw new XmlError(`unexpected markup at offset ${lt}`);
      continue;
    }
    if (c1 === 47 /* / */) {
      const gt = src.indexOf(">", lt + 2);
      if (gt < 0) throw new XmlError("unterminated end tag");
      const qname = src.slice(lt + 2, gt).trimEnd();
      // Mismatched end tags are repaired as HTML parsers do (unescaped HTML in a description:
      // `<p>` never closed): an end tag closes the open element of its name and those inside it;
      // one that matches no open element is ignored. The stack is at most MAX_DEPTH deep.
      const at = qnames.lastIndexOf(qname);
      if (at < 0) {
        if (!qnames.length) throw new XmlError(`end tag </${qname}> without a start tag`);
        repaired++;
        i = gt + 1;
        continue;
      }
      if (at !== qnames.length - 1) repaired++;
      while (qnames.length > at) {
        qnames.pop();
        stack.pop();
        scope = scopes.pop();
      }
      top = stack[stack.length - 1];
      i = gt + 1;
      continue;
    }
    // A start tag. "<" before a space or digit is text (malformed, but a reader would show it).
    let k = lt + 1;
    while (k < n && !endsName(src.charCodeAt(k))) k++;
    const qname = src.slice(lt + 1, k);
    if (!qname) {
      if (top) appendText(top, "<");
      i = lt + 1;
      continue;
    }
    if (root && !top) throw new XmlError("more than one root element");
    if (stack.length >= MAX_DEPTH) throw new XmlError(`elements nested deeper than ${MAX_DEPTH}`);
    // Attributes: name = "value" | 'value', up to ">" or "/>".
    anames.length = 0;
    avalues.length = 0;
    let selfClosing = false;
    let prefixes: Map<string, string> | undefined;
    for (;;) {
      while (k < n && isSpace(src.charCodeAt(k))) k++;
      if (k >= n) throw new XmlError(`unterminated start tag <${qname}>`);
      const c = src.charCodeAt(k);
      if (c === 62 /* > */) {
        k++;
        break;
      }
      if (c === 47 /* / */ && src.charCodeAt(k + 1) === 62) {
        selfClosing = true;
        k += 2;
        break;
      }
      const nameStart = k;
      while (k < n && !endsName(src.charCodeAt(k))) k++;
      if (k === nameStart) throw new XmlError(`malformed attribute in <${qname}>`);
      const aname = src.slice(nameStart, k);
      while (k < n && isSpace(src.charCodeAt(k))) k++;
      // HTML written inline is lenient too: `checked` has the value "", `href=x` is unquoted.
      let value = "";
      if (src.charCodeAt(k) === 61 /* = */) {
        k++;
        while (k < n && isSpace(src.charCodeAt(k))) k++;
        const q = src.charCodeAt(k);
        if (q === 34 || q === 39) {
          const close = src.indexOf(q === 34 ? '"' : "'", k + 1);
          if (close < 0) throw new XmlError(`unterminated attribute ${aname} of <${qname}>`);
          value = decodeRefs(src.slice(k + 1, close), st);
          k = close + 1;
        } else {
          const start = k;
          while (k < n && !isSpace(src.charCodeAt(k)) && src.charCodeAt(k) !== 62) k++;
          value = decodeRefs(src.slice(start, k), st);
        }
      }
      // Namespace declarations apply to the element's own name and attributes.
      if (aname === "xmlns") (prefixes ??= new Map()).set("", value.trim().toLowerCase());
      else if (aname.startsWith("xmlns:")) (prefixes ??= new Map()).set(aname.slice(6), value.trim().toLowerCase());
      else {
        anames.push(aname);
        avalues.push(value);
      }
    }
    // A declaration that repeats what is in scope adds no scope (nothing to walk past later).
    const inner: Scope | undefined = prefixes && !sameAsScope(scope, prefixes) ? { prefixes, parent: scope } : scope;
    const [ns, name] = resolveName(inner, qname, false);
    let attrs = NO_ATTRS;
    if (anames.length) {
      attrs = [];
      for (let a = 0; a < anames.length; a++) {
        const [ans, local] = resolveName(inner, anames[a]!, true);
        attrs.push({ ns: ans, name: local, value: avalues[a]!.replace(/[\t\n\r]/g, " ") });
      }
    }
    const el: XmlElement = { ns, name, attrs, children: [] };
    if (top) top.children.push(el);
    else root = el;
    i = k;
    if (!selfClosing) {
      qnames.push(qname);
      stack.push(el);
      scopes.push(scope);
      scope = inner;
      top = el;
    }
  }
  if (stack.length) throw new XmlError(`the document ends inside <${qnames[qnames.length - 1]}> (truncated?)`);
  if (!root) throw new XmlError("no root element");
  const warnings: string[] = [];
  if (st.dropped > 0)
    warnings.push(
      `${st.dropped} entity reference(s) could not be expanded and were dropped (${[...st.dropNames].map((x) => `&${x};`).join(" ")})`,
    );
  if (repaired > 0) warnings.push(`${repaired} mismatched end tag(s) repaired`);
  return { root, warnings };
}

/**
 * Skips a DOCTYPE (from after "<!DOCTYPE") and records the general entities its internal subset
 * declares: plain-text values are kept, others (references to entities, markup) marked null.
 */
function doctype(src: string, from: number, entities: Map<string, string | null>): number {
  let k = from;
  const n = src.length;
  let quote = 0;
  let subsetStart = -1;
  let subsetEnd = -1;
  for (; k < n; k++) {
    const c = src.charCodeAt(k);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 91 /* [ */ && subsetStart < 0) subsetStart = k + 1;
    else if (c === 93 /* ] */ && subsetStart >= 0 && subsetEnd < 0) subsetEnd = k;
    else if (c === 62 /* > */ && (subsetStart < 0 || subsetEnd >= 0)) break;
  }
  if (k >= n) throw new XmlError("unterminated DOCTYPE");
  if (subsetStart >= 0) {
    const subset = src.slice(subsetStart, subsetEnd);
    const re = /<!ENTITY\s+([^\s%"'<>]+)\s+(?:"([^"]*)"|'([^']*)'|(SYSTEM|PUBLIC)\b)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(subset))) {
      const name = m[1]!;
      if (entities.has(name)) continue; // the first declaration binds
      const value = m[2] ?? m[3];
      if (value === undefined) {
        entities.set(name, null); // external: never fetched
        continue;
      }
      const plain = value.replace(/&#(x[0-9a-f]+|\d+);/gi, (ref, d: string) => numericRef(`#${d}`) ?? ref);
      entities.set(name, /[&<]/.test(plain) ? null : plain);
    }
  }
  return k + 1;
}

// ---------- reading the tree ----------

/** Child elements of `el` in namespace `ns` (one URI or a set) named `name`. */
export function children(el: XmlElement, ns: string | ReadonlySet<string>, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (typeof c !== "string" && c.name === name && (typeof ns === "string" ? c.ns === ns : ns.has(c.ns))) out.push(c);
  }
  return out;
}

/** The first child element of `el` in `ns` named `name`. */
export function child(el: XmlElement, ns: string | ReadonlySet<string>, name: string): XmlElement | undefined {
  for (const c of el.children) {
    if (typeof c !== "string" && c.name === name && (typeof ns === "string" ? c.ns === ns : ns.has(c.ns))) return c;
  }
  return undefined;
}

/** An attribute's value (unprefixed unless `ns` is given). */
export function attr(el: XmlElement, name: string, ns = ""): string | undefined {
  for (const a of el.attrs) if (a.name === name && a.ns === ns) return a.value;
  return undefined;
}

/** All the text inside an element, in document order (markup dropped, references already decoded). */
export function textContent(el: XmlElement): string {
  const only = el.children.length === 1 ? el.children[0] : undefined;
  if (typeof only === "string") return only; // the common case: one run of text
  const parts: string[] = [];
  collectText(el, parts);
  return parts.join("");
}

function collectText(el: XmlElement, parts: string[]): void {
  for (const c of el.children) {
    if (typeof c === "string") parts.push(c);
    else collectText(c, parts);
  }
}

const escText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escAttr = (s: string) => escText(s).replace(/"/g, "&quot;");

const VOID = new Set("area base br col embed hr img input link meta param source track wbr".split(" "));

/** The children of an element written back as HTML (local names, text escaped): inline XHTML. */
export function innerHtml(el: XmlElement): string {
  const parts: string[] = [];
  writeHtml(el, parts);
  return parts.join("");
}

function writeHtml(el: XmlElement, parts: string[]): void {
  for (const c of el.children) {
    if (typeof c === "string") {
      parts.push(escText(c));
      continue;
    }
    parts.push(`<${c.name}`);
    for (const a of c.attrs) if (!a.ns) parts.push(` ${a.name}="${escAttr(a.value)}"`);
    parts.push(">");
    writeHtml(c, parts); // a void element left open in sloppy inline HTML holds what followed it
    if (!VOID.has(c.name)) parts.push(`</${c.name}>`);
  }
}

/** Whether an element holds child elements (markup written inline rather than escaped). */
export const hasElements = (el: XmlElement): boolean => el.children.some((c) => typeof c !== "string");
