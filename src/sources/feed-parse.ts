// RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1 documents -> feed items -> RawArticle.
// Pure: no fetch, no clock. Elements are matched by namespace URI (src/sources/xml.ts), so a feed's
// choice of prefixes (`r:rss`, `rss:item`, `dc:title`) does not matter and an extension's
// `szf:description` is never taken for the RSS one. Titles and bodies are read by one function
// for their content type (src/sources/feed-text.ts). Where several elements give the same field:
//   body    content:encoded > xhtml:body > fullitem > description > dc:description > itunes:summary
//           (Atom: content > summary)
//   title   title > dc:title
//   link    link (text, or Atom href) > the guid when it is a permalink
//   date    publishedAt is the earliest of pubDate, dc:date, dcterms:issued/created, Atom
//           published/issued/created; updatedAt the latest of dc:date, dcterms:modified, Atom
//           updated/modified
//   author  author, dc:creator, dc:author, itunes:author, Atom author/name (the feed's authors when
//           an Atom or JSON Feed entry has none, as both specs say), JSON Feed authors
import type { RawArticle } from "../digest/types";
import { ingest, normalizeDate } from "../digest/ingest";
import { type Content, mimeKind, normalizeHtml, plainFromString, plainText, readContent, type TextKind } from "./feed-text";
import { attr, child, children, NS, parseXml, textContent, XmlError, type XmlElement } from "./xml";

export class FeedError extends Error {}

/** Items taken from one feed per fetch (newest first when dated), by ingest and the CLI. */
export const MAX_ITEMS_PER_FEED = 100;

/** One item as the feed gives it: every field the parser reads, none invented. */
export interface FeedItem {
  /** The feed's own id (guid, Atom id, JSON Feed id); undefined when it gives none. */
  id?: string;
  title?: string;
  url?: string;
  publishedAt?: string;
  updatedAt?: string;
  author?: string;
  content?: Content;
}

export interface ParsedFeed {
  kind: "rss" | "atom" | "json";
  title?: string;
  items: FeedItem[];
  /** What was dropped on the way (entity references that could not be expanded). */
  warnings: string[];
}

const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));
const RSS = lower([
  "",
  "http://backend.userland.com/rss2",
  "http://backend.userland.com/rss",
  "http://blogs.law.harvard.edu/tech/rss",
  "http://purl.org/rss/1.0/",
  "http://purl.org/rss/2.0/",
  "http://my.netscape.com/rdf/simple/0.9/",
  "http://channel.netscape.com/rdf/simple/0.9/",
  "http://purl.org/net/rss1.1#",
]);
const ATOM10 = "http://www.w3.org/2005/atom";
const ATOM03 = lower(["http://purl.org/atom/ns#", "http://purl.org/echo/", "http://purl.org/pie/", "http://example.com/newformat#"]);
const ATOM = new Set([ATOM10, ...ATOM03]);
const RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const DC = lower(["http://purl.org/dc/elements/1.1/", "http://purl.org/dc/elements/1.0/"]);
const DCTERMS = "http://purl.org/dc/terms/";
const CONTENT = "http://purl.org/rss/1.0/modules/content/";
const XHTML = "http://www.w3.org/1999/xhtml";
const ITUNES = lower(["http://www.itunes.com/dtds/podcast-1.0.dtd", "http://example.com/dtds/podcast-1.0.dtd"]);

/** A URL resolved against a base; kept as written when it cannot be. */
function resolve(href: string | undefined, base: string | undefined): string | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  try {
    return new URL(h, base).href;
  } catch {
    return h;
  }
}

/** The base URL in effect inside an element: its xml:base resolved against the outer one. */
const baseOf = (el: XmlElement | undefined, outer: string | undefined): string | undefined =>
  (el && resolve(attr(el, "base", NS.xml), outer)) ?? outer;

const trimmed = (el: XmlElement | undefined): string | undefined => (el ? textContent(el).trim() || undefined : undefined);

/** The text of every child element named so (dates: a feed may give several). */
function all(el: XmlElement, ns: string | ReadonlySet<string>, ...names: string[]): string[] {
  const out: string[] = [];
  for (const c of el.children) {
    if (typeof c !== "string" && names.includes(c.name) && (typeof ns === "string" ? c.ns === ns : ns.has(c.ns))) out.push(textContent(c));
  }
  return out;
}

/** Zone names feeds write that Date.parse does not know (US zones and UT/GMT/Z it does). */
const ZONES: Record<string, string> = {
  CET: "+0100",
  CEST: "+0200",
  EET: "+0200",
  EEST: "+0300",
  WET: "+0000",
  WEST: "+0100",
  ET: "-0500",
  CT: "-0600",
  MT: "-0700",
  PT: "-0800",
  JST: "+0900",
  IST: "+0530",
  AEST: "+1000",
};

/**
 * A feed's date written as Date.parse reads it: ISO 8601 basic format (`20031231T101455Z`) made
 * extended, and zone names it does not know made offsets.
 * @example feedDate("Wed, 31 Dec 2003 22:00:00 CET") // "2003-12-31T21:00:00.000Z"
 */
export function feedDate(s: string | undefined): string | undefined {
  if (!s) return undefined;
  let t = s.trim();
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})?$/.exec(t);
  if (basic) t = `${basic[1]}-${basic[2]}-${basic[3]}T${basic[4]}:${basic[5]}:${basic[6] ?? "00"}${basic[7] ?? "Z"}`;
  t = t.replace(/\s([A-Z]{2,4})$/, (m, z: string) => (ZONES[z] ? ` ${ZONES[z]}` : m));
  return normalizeDate(t);
}

/** The earliest or latest of several dates (ISO 8601), ignoring those that do not parse. */
function pickDate(values: (string | undefined)[], which: "earliest" | "latest"): string | undefined {
  let best: string | undefined;
  let bestMs = 0;
  for (const v of values) {
    const iso = feedDate(v);
    if (!iso) continue;
    const ms = Date.parse(iso);
    if (best === undefined || (which === "earliest" ? ms < bestMs : ms > bestMs)) {
      best = iso;
      bestMs = ms;
    }
  }
  return best;
}

/**
 * A person as feeds write them: `Name`, `email (Name)`, `Name (email)`, `Name <email>`. The name
 * when there is one, else the address.
 * @example personName("me@example.com (Example editor)") // "Example editor"
 */
export function personName(s: string | undefined): string | undefined {
  const t = s
    ?.replace(/\s+/g, " ")
    .trim()
    .replace(/^mailto:/i, "");
  if (!t) return undefined;
  const isEmail = (x: string) => /^[^\s@]+@[^\s@]+$/.test(x.trim());
  const paren = /^(.*?)\s*\(([^()]*)\)$/.exec(t);
  if (paren) {
    const [a, b] = [paren[1]!.trim(), paren[2]!.trim()];
    if (a && b) return isEmail(a) && !isEmail(b) ? b : a;
    return a || b || undefined;
  }
  const angle = /^(.*?)\s*<([^<>]*)>$/.exec(t);
  if (angle) return angle[1]!.trim().replace(/^"(.*)"$/, "$1") || angle[2]!.trim() || undefined;
  return t;
}

const joinNames = (names: (string | undefined)[]): string | undefined => {
  const uniq = [...new Set(names.filter((x): x is string => !!x))];
  return uniq.length ? uniq.join(", ") : undefined;
};

/** Atom persons (author elements): each one's name, else its email. */
function atomPeople(el: XmlElement, ns: ReadonlySet<string>): string | undefined {
  return joinNames(
    children(el, ns, "author").map(
      (p) => plainText(readOf(child(p, ns, "name"), "text")) ?? trimmed(child(p, ns, "email")) ?? personName(textContent(p)),
    ),
  );
}

const readOf = (el: XmlElement | undefined, kind: TextKind): Content | undefined => (el ? readContent(el, kind) : undefined);

/** How an Atom text construct is to be read: its `type` (and Atom 0.3's `mode`). */
function atomContent(el: XmlElement | undefined): Content | undefined {
  if (!el) return undefined;
  if (attr(el, "src")) return undefined; // out-of-line content: nothing to read here
  const type = attr(el, "type") ?? (ATOM03.has(el.ns) ? "text/plain" : "text");
  const mode = attr(el, "mode")?.toLowerCase();
  let kind = mimeKind(type);
  if (mode === "base64") kind = "base64";
  else if (mode === "escaped" && kind === "xhtml") kind = "html";
  return readContent(el, kind, type);
}

/** Fields feeds add from other vocabularies, read the same way in RSS and Atom items. */
function common(el: XmlElement) {
  return {
    // dc:date names "a date in the resource's life": publication in most feeds, the last change in
    // others (RSS 1.0 uses it for both). It counts as both, so neither reading is lost.
    published: [...all(el, DC, "date"), ...all(el, DCTERMS, "issued", "created")],
    updated: [...all(el, DC, "date"), ...all(el, DCTERMS, "modified")],
    author: joinNames(
      [...children(el, DC, "creator"), ...children(el, DC, "author"), ...children(el, ITUNES, "author")].map((p) =>
        personName(textContent(p)),
      ),
    ),
  };
}

/** An RSS author: `mail (Name)` as text, or, written Atom-style, its <name> (else <email>). */
function rssAuthor(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  const named = el.children.find((c): c is XmlElement => typeof c !== "string" && c.name === "name");
  const email = el.children.find((c): c is XmlElement => typeof c !== "string" && c.name === "email");
  if (named || email) return personName(trimmed(named)) ?? personName(trimmed(email));
  return personName(textContent(el));
}

function rssItem(item: XmlElement, base: string | undefined): FeedItem {
  const b = baseOf(item, base);
  const extra = common(item);
  const guidEl = child(item, RSS, "guid");
  const guid = trimmed(guidEl);
  // A guid is the item's link unless it says isPermaLink="false" (RSS 2.0).
  const guidLink =
    guid && guidEl && attr(guidEl, "isPermaLink")?.toLowerCase() !== "false" && /^https?:\/\//i.test(guid) ? guid : undefined;
  const linkEl = child(item, RSS, "link");
  const atomLinkUrl = atomLink(item, b);
  const atomTitle = child(item, ATOM, "title");
  return {
    id: guid ?? attr(item, "about", RDF)?.trim() ?? trimmed(child(item, ATOM, "id")),
    title:
      plainText(readOf(child(item, RSS, "title"), "sniff")) ??
      plainText(readOf(child(item, DC, "title"), "sniff")) ??
      plainText(atomContent(atomTitle)),
    // The link's text; some feeds write it as <link href="..."/>, Atom-style.
    url: (linkEl && resolve(trimmed(linkEl) ?? attr(linkEl, "href"), baseOf(linkEl, b))) ?? atomLinkUrl ?? guidLink,
    content:
      readOf(child(item, CONTENT, "encoded"), "html") ??
      readOf(child(item, XHTML, "body"), "xhtml") ??
      readOf(child(item, RSS, "body"), "xhtml") ??
      readOf(child(item, RSS, "fullitem"), "html") ??
      readOf(child(item, RSS, "description"), "sniff") ??
      readOf(child(item, DC, "description"), "sniff") ??
      atomContent(child(item, ATOM, "content")) ??
      atomContent(child(item, ATOM, "summary")) ??
      readOf(child(item, ITUNES, "summary"), "sniff"),
    publishedAt: pickDate([...all(item, RSS, "pubDate"), ...extra.published, ...all(item, ATOM, "published")], "earliest"),
    updatedAt: pickDate([...extra.updated, ...all(item, ATOM, "updated")], "latest"),
    author: rssAuthor(child(item, RSS, "author")) ?? extra.author ?? atomPeople(item, ATOM),
  };
}

/** An Atom entry's link: rel="alternate" (or no rel), HTML first; its href, or its text. */
function atomLink(el: XmlElement, base: string | undefined): string | undefined {
  const alternate = children(el, ATOM, "link").filter((l) => (attr(l, "rel") ?? "alternate").toLowerCase() === "alternate");
  // Only an alternate is the entry's page: rel="self", "enclosure" or "related" name other things.
  const pick = alternate.find((l) => /html/i.test(attr(l, "type") ?? "text/html")) ?? alternate[0];
  if (!pick) return undefined;
  return resolve(attr(pick, "href") ?? trimmed(pick), baseOf(pick, base));
}

function atomEntry(entry: XmlElement, base: string | undefined, feedAuthor: string | undefined): FeedItem {
  const b = baseOf(entry, base);
  const extra = common(entry);
  const idEl = child(entry, ATOM, "id");
  const id = trimmed(idEl);
  // A relative id (IRI reference) is resolved like any other reference: against xml:base.
  const absoluteId = id && !/^[a-z][a-z0-9+.-]*:/i.test(id) ? resolve(id, baseOf(idEl, b)) : id;
  const source = child(entry, ATOM, "source");
  return {
    id: absoluteId,
    title: plainText(atomContent(child(entry, ATOM, "title"))) ?? plainText(readOf(child(entry, DC, "title"), "sniff")),
    url: atomLink(entry, b),
    content:
      atomContent(child(entry, ATOM, "content")) ??
      atomContent(child(entry, ATOM, "summary")) ??
      readOf(child(entry, XHTML, "body"), "xhtml") ??
      readOf(child(entry, DC, "description"), "sniff"),
    publishedAt: pickDate([...all(entry, ATOM, "published", "issued", "created"), ...extra.published], "earliest"),
    updatedAt: pickDate([...all(entry, ATOM, "updated", "modified"), ...extra.updated], "latest"),
    author: atomPeople(entry, ATOM) ?? extra.author ?? (source && atomPeople(source, ATOM)) ?? feedAuthor,
  };
}

function jsonFeed(doc: Record<string, unknown>, feedUrl: string): ParsedFeed {
  const str = (v: unknown) => (typeof v === "string" && v.trim() ? v : undefined);
  const people = (o: Record<string, unknown>) => {
    const list = Array.isArray(o.authors) ? o.authors : o.author ? [o.author] : [];
    return joinNames(list.map((a) => (a && typeof a === "object" ? personName(str((a as Record<string, unknown>).name)) : undefined)));
  };
  const feedAuthor = people(doc);
  // Relative item URLs: against the site (home_page_url), else the feed's own URL.
  const base = resolve(str(doc.home_page_url) ?? str(doc.feed_url), feedUrl) ?? feedUrl;
  const items = (doc.items as unknown[]).flatMap((raw): FeedItem[] => {
    if (!raw || typeof raw !== "object") return [];
    const item = raw as Record<string, unknown>;
    const html = str(item.content_html);
    const text = str(item.content_text) ?? str(item.summary);
    return [
      {
        id: typeof item.id === "number" ? String(item.id) : str(item.id)?.trim(),
        title: plainFromString(str(item.title)),
        url: resolve(str(item.url) ?? str(item.external_url), base),
        content: html ? { format: "html", value: normalizeHtml(html).trim() } : text ? { format: "text", value: text.trim() } : undefined,
        publishedAt: pickDate([str(item.date_published)], "earliest"),
        updatedAt: pickDate([str(item.date_modified)], "latest"),
        author: people(item) ?? feedAuthor,
      },
    ];
  });
  return { kind: "json", title: plainFromString(str(doc.title)), items, warnings: [] };
}

/** The item without its undefined fields, so items print and compare cleanly. */
function compact(item: FeedItem): FeedItem {
  const out: FeedItem = {};
  for (const k of ["id", "title", "url", "publishedAt", "updatedAt", "author"] as const) if (item[k] !== undefined) out[k] = item[k];
  if (item.content) out.content = item.content;
  return out;
}

/**
 * Reads a feed document of any common kind into its items, every field as the feed gives it.
 * Throws FeedError for a document that is not a feed, or not XML (a truncated download).
 * @example readFeed('<rss><channel><item><title>T</title></item></channel></rss>', "https://x").items[0].title // "T"
 */
export function readFeed(body: string, feedUrl: string): ParsedFeed {
  const start = body.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("{")) {
    let doc: unknown;
    try {
      doc = JSON.parse(start);
    } catch {
      throw new FeedError(`${feedUrl}: not valid JSON`);
    }
    if (!doc || typeof doc !== "object" || !Array.isArray((doc as Record<string, unknown>).items))
      throw new FeedError(`${feedUrl}: not a JSON Feed (no items)`);
    const feed = jsonFeed(doc as Record<string, unknown>, feedUrl);
    return { ...feed, items: feed.items.map(compact) };
  }
  let root: XmlElement;
  let warnings: string[];
  try {
    ({ root, warnings } = parseXml(start));
  } catch (e) {
    if (e instanceof XmlError) throw new FeedError(`${feedUrl}: not valid XML (${e.message})`);
    throw e;
  }
  const docBase = baseOf(root, feedUrl);
  let feed: ParsedFeed;
  if (
    (root.name === "rss" && RSS.has(root.ns)) ||
    (root.name === "RDF" && root.ns === RDF) ||
    (root.name === "channel" && RSS.has(root.ns))
  ) {
    const channel = root.name === "channel" ? root : (child(root, RSS, "channel") ?? root);
    const channelBase = baseOf(channel, docBase);
    // RSS 1.0 items are the channel's siblings; some RSS 0.9x feeds put them straight under <rss>.
    feed = {
      kind: "rss",
      title: plainText(readOf(child(channel, RSS, "title"), "sniff")) ?? plainText(readOf(child(channel, DC, "title"), "sniff")),
      items: [
        ...children(channel, RSS, "item").map((item) => rssItem(item, channelBase)),
        ...(channel === root ? [] : children(root, RSS, "item").map((item) => rssItem(item, docBase))),
      ],
      warnings,
    };
  } else if (root.name === "feed" && ATOM.has(root.ns)) {
    const feedAuthor = atomPeople(root, ATOM);
    feed = {
      kind: "atom",
      title: plainText(atomContent(child(root, ATOM, "title"))),
      items: children(root, ATOM, "entry").map((e) => atomEntry(e, docBase, feedAuthor)),
      warnings,
    };
  } else throw new FeedError(`${feedUrl}: not an RSS, Atom or JSON feed (root element <${root.name}>)`);
  return { ...feed, items: feed.items.map(compact) };
}

/**
 * The digest's articles from a parsed feed: items with neither title nor body are left out; an
 * item with only a title is its own one-sentence article; the date is the publication date, else
 * the last update.
 * @example toRawArticles(readFeed(xml, url), url)
 */
export function toRawArticles(feed: ParsedFeed, feedUrl: string): RawArticle[] {
  return feed.items.flatMap((item, index): RawArticle[] => {
    const { title, content } = item;
    if (!content && !title) return [];
    // A headline rarely ends in a stop; as its item's only text it becomes one sentence.
    const titleOnly = !content && title ? (/[.!?…]["”’)]?$/.test(title) ? title : `${title}.`) : undefined;
    const a: RawArticle = {
      id: item.id ?? item.url ?? `${feedUrl}#${index}`,
      body: content?.value ?? titleOnly ?? "",
      format: content?.format ?? "text",
    };
    if (title) a.title = title;
    if (item.url) a.url = item.url;
    if (feed.title) a.publisher = feed.title;
    const date = item.publishedAt ?? item.updatedAt;
    if (date) a.publishedAt = date;
    if (item.author) a.author = item.author;
    return [a];
  });
}

/** One item as `npm run digest -- --format items` prints it: every field, null when absent. */
export interface ItemLine {
  id: string | null;
  title: string | null;
  url: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  author: string | null;
  /** The text the digest reads from the item's body. */
  text: string | null;
}

/**
 * What the parser read of an item, as one flat record (the id falls back as the digest's does).
 * @example itemLine(readFeed(xml, url).items[0], `${url}#0`).author
 */
export function itemLine(item: FeedItem, fallbackId: string): ItemLine {
  const c = item.content;
  return {
    id: item.id ?? item.url ?? fallbackId,
    title: item.title ?? null,
    url: item.url ?? null,
    publishedAt: item.publishedAt ?? null,
    updatedAt: item.updatedAt ?? null,
    author: item.author ?? null,
    text: c ? (ingest({ id: "item", body: c.value, format: c.format }).article?.text ?? null) : null,
  };
}

/**
 * Parses a feed document of any common kind into raw articles for the digest.
 * @example parseFeed('<rss><channel><item><title>T</title><description>B</description></item></channel></rss>', "https://x")
 */
export function parseFeed(body: string, feedUrl: string): RawArticle[] {
  return toRawArticles(readFeed(body, feedUrl), feedUrl);
}
