// RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed documents -> RawArticle. Pure: no fetch, no clock.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { decodeEntities, normalizeDate } from "../digest/ingest";
import type { RawArticle } from "../digest/types";

export class FeedError extends Error {}

type Node = Record<string, unknown>;

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#text",
  removeNSPrefix: false,
  processEntities: true,
  htmlEntities: true,
  // Item bodies are HTML; keep them as text instead of parsing them as XML.
  // Titles too: an Atom title may hold XHTML, whose text must keep its order.
  stopNodes: ["*.description", "*.content:encoded", "*.content", "*.summary", "*.title"],
  isArray: (name) => ["item", "entry", "link"].includes(name),
});

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Text of an XML node that may be a string, a {#text} object, CDATA, or inline XHTML (all its text). */
function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string" || typeof v === "number") return String(v).trim() || undefined;
  if (Array.isArray(v)) return v.map(text).filter(Boolean).join(" ").trim() || undefined;
  if (typeof v === "object") {
    const parts: string[] = [];
    for (const [k, child] of Object.entries(v as Node)) {
      if (k.startsWith("@")) continue;
      const t = text(child);
      if (t) parts.push(t);
    }
    return parts.join(" ").trim() || undefined;
  }
  return undefined;
}

/** A link resolved against its xml:base (or the feed's URL); kept as is when it cannot be. */
function resolve(href: string | undefined, base: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

/** The base URL in effect inside a node: its xml:base resolved against the outer one. */
const baseOf = (node: Node | undefined, outer: string | undefined): string | undefined =>
  resolve(typeof node?.["@xml:base"] === "string" ? (node["@xml:base"] as string) : undefined, outer) ?? outer;

/**
 * The HTML inside a body element. Bodies are kept raw (stop nodes), so they are either CDATA
 * (HTML as is) or entity-escaped HTML, which is decoded once; escaped twice (`&amp;lt;p&amp;gt;`,
 * common in the wild) shows as markup-looking text with no tags, and is decoded once more.
 */
function bodyHtml(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const cdata = /^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/.exec(s);
  let html = cdata ? cdata[1]! : decodeEntities(s);
  if (!/<[a-z!/]/i.test(html) && /&lt;\/?[a-z][a-z0-9]*(?:\s[^&]*)?&gt;/i.test(html)) html = decodeEntities(html);
  return html.trim() || undefined;
}

/**
 * Titles are plain text, though feeds put HTML in them: Atom's type="html" (escaped, sometimes
 * twice) and type="xhtml" (inline markup), RSS titles with escaped tags, CDATA. Titles are kept raw
 * (stop nodes): CDATA is unwrapped, tags removed, entities decoded, and any tags they spelled removed.
 */
function plainTitle(v: unknown): string | undefined {
  const t = text(v);
  if (!t) return undefined;
  const cdata = /^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/.exec(t);
  const raw = cdata ? cdata[1]! : t;
  const noTags = (x: string) => x.replace(/<[^>]*>/g, "");
  const once = noTags(cdata ? raw : decodeEntities(noTags(raw)));
  return (
    decodeEntities(once)
      .replace(/<[^>]*>/g, "")
      .replace(/\s+/g, " ")
      .trim() || undefined
  );
}

/** ISO 8601 or undefined: feeds use RFC 822 (RSS) and RFC 3339 (Atom); we never invent a date. */
const isoDate = (v: unknown): string | undefined => normalizeDate(text(v));

function atomLink(links: unknown, base: string | undefined): string | undefined {
  const all = list(links as Node[]);
  const alt = all.find((l) => !l["@rel"] || l["@rel"] === "alternate") ?? all[0];
  return alt ? resolve(text(alt["@href"]), baseOf(alt, base)) : undefined;
}

function article(
  fields: { id?: string; url?: string; title?: string; body?: string; publisher?: string; publishedAt?: string },
  feedUrl: string,
  index: number,
): RawArticle | undefined {
  if (!fields.body && !fields.title) return undefined;
  // An item with only a title is its own one-sentence article (a headline rarely ends in a stop).
  const titleOnly = !fields.body && fields.title ? (/[.!?…]["”’)]?$/.test(fields.title) ? fields.title : `${fields.title}.`) : undefined;
  return {
    id: fields.id ?? fields.url ?? `${feedUrl}#${index}`,
    body: fields.body ?? titleOnly ?? "",
    format: titleOnly ? "text" : "html",
    title: fields.title,
    url: fields.url,
    publisher: fields.publisher,
    publishedAt: fields.publishedAt,
  };
}

function parseJsonFeed(doc: Node, feedUrl: string): RawArticle[] {
  const publisher = plainTitle(doc.title);
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  // Relative item URLs: against the site (home_page_url), else the feed's own URL.
  const base = resolve(str(doc.home_page_url) ?? str(doc.feed_url), feedUrl) ?? feedUrl;
  return list(doc.items as Node[]).flatMap((item, i) => {
    if (!item || typeof item !== "object") return [];
    const html = str(item.content_html);
    const plain = str(item.content_text);
    const a = article(
      {
        id: typeof item.id === "string" || typeof item.id === "number" ? String(item.id) : undefined,
        url: resolve(str(item.url) ?? str(item.external_url), base),
        title: plainTitle(item.title),
        body: html ?? plain ?? str(item.summary),
        publisher,
        publishedAt: isoDate(item.date_published ?? item.date_modified),
      },
      feedUrl,
      i,
    );
    if (a && !html && plain) a.format = "text";
    return a ? [a] : [];
  });
}

/**
 * Parses a feed document of any common kind into raw articles (HTML bodies).
 * @example parseFeed('<rss><channel><item><title>T</title><description>B</description></item></channel></rss>', "https://x")
 */
export function parseFeed(body: string, feedUrl: string): RawArticle[] {
  const trimmed = body.trimStart();
  if (trimmed.startsWith("{")) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      throw new FeedError(`${feedUrl}: not valid JSON`);
    }
    if (!doc || typeof doc !== "object" || !Array.isArray((doc as Node).items))
      throw new FeedError(`${feedUrl}: not a JSON Feed (no items)`);
    return parseJsonFeed(doc as Node, feedUrl);
  }
  // The parser is lenient by design; a truncated download must fail loudly, not yield half a feed.
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) throw new FeedError(`${feedUrl}: not valid XML (${valid.err.msg}, line ${valid.err.line})`);
  let doc: Node;
  try {
    doc = xml.parse(trimmed) as Node;
  } catch (err) {
    throw new FeedError(`${feedUrl}: not valid XML (${(err as Error).message})`);
  }
  const rss = doc.rss as Node | undefined;
  const rdf = doc["rdf:RDF"] as Node | undefined;
  const atom = doc.feed as Node | undefined;
  if (rss || rdf) {
    const channel = (rss?.channel ?? rdf?.channel ?? {}) as Node;
    const publisher = plainTitle(channel.title);
    const channelBase = baseOf(channel, baseOf(rss ?? rdf, feedUrl));
    const items = list((rss ? channel.item : rdf?.item) as Node[]);
    return items.flatMap((item, i) => {
      const base = baseOf(item, channelBase);
      const guid = item.guid as Node | string | undefined;
      const guidText = text(guid);
      // A guid is the item's link unless it says isPermaLink="false" (RSS 2.0).
      const guidLink =
        guidText && (typeof guid !== "object" || guid["@isPermaLink"] !== "false") && /^https?:\/\//.test(guidText) ? guidText : undefined;
      const a = article(
        {
          id: guidText ?? text(item["@rdf:about"]),
          url: resolve(text(list(item.link as unknown[])[0]), base) ?? guidLink,
          title: plainTitle(item.title),
          body: bodyHtml(text(item["content:encoded"])) ?? bodyHtml(text(item.description)),
          publisher,
          publishedAt: isoDate(item.pubDate ?? item["dc:date"]),
        },
        feedUrl,
        i,
      );
      return a ? [a] : [];
    });
  }
  if (atom) {
    const publisher = plainTitle(atom.title);
    const feedBase = baseOf(atom, feedUrl);
    return list(atom.entry as Node[]).flatMap((entry, i) => {
      const base = baseOf(entry, feedBase);
      const a = article(
        {
          id: text(entry.id),
          url: atomLink(entry.link, base),
          title: plainTitle(entry.title),
          body: bodyHtml(text(entry.content)) ?? bodyHtml(text(entry.summary)),
          publisher,
          // Atom 1.0 has published/updated; Atom 0.3 issued/modified/created.
          publishedAt: isoDate(entry.published ?? entry.issued ?? entry.created ?? entry.updated ?? entry.modified),
        },
        feedUrl,
        i,
      );
      return a ? [a] : [];
    });
  }
  throw new FeedError(`${feedUrl}: not an RSS, Atom or JSON feed`);
}
