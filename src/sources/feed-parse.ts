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
  stopNodes: ["*.description", "*.content:encoded", "*.content", "*.summary"],
  isArray: (name) => ["item", "entry", "link"].includes(name),
});

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Text of an XML node that may be a string, a {#text} object, or CDATA. */
function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string" || typeof v === "number") return String(v).trim() || undefined;
  if (typeof v === "object" && "#text" in (v as Node)) return text((v as Node)["#text"]);
  return undefined;
}

/**
 * The HTML inside a body element. Bodies are kept raw (stop nodes), so they are either CDATA
 * (HTML as is) or entity-escaped HTML, which is decoded once.
 */
function bodyHtml(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const cdata = /^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/.exec(s);
  return (cdata ? cdata[1]! : decodeEntities(s)).trim() || undefined;
}

/** Titles are plain text, though Atom allows type="html". */
function plainTitle(v: unknown): string | undefined {
  const t = text(v);
  return t
    ? t
        .replace(/<[^>]*>/g, "")
        .replace(/\s+/g, " ")
        .trim() || undefined
    : undefined;
}

/** ISO 8601 or undefined: feeds use RFC 822 (RSS) and RFC 3339 (Atom); we never invent a date. */
const isoDate = (v: unknown): string | undefined => normalizeDate(text(v));

function atomLink(links: unknown): string | undefined {
  const all = list(links as Node[]);
  const alt = all.find((l) => !l["@rel"] || l["@rel"] === "alternate") ?? all[0];
  return alt ? text(alt["@href"]) : undefined;
}

function article(
  fields: { id?: string; url?: string; title?: string; body?: string; publisher?: string; publishedAt?: string },
  feedUrl: string,
  index: number,
): RawArticle | undefined {
  if (!fields.body && !fields.title) return undefined;
  return {
    id: fields.id ?? fields.url ?? `${feedUrl}#${index}`,
    body: fields.body ?? fields.title ?? "",
    format: "html",
    title: fields.title,
    url: fields.url,
    publisher: fields.publisher,
    publishedAt: fields.publishedAt,
  };
}

function parseJsonFeed(doc: Node, feedUrl: string): RawArticle[] {
  const publisher = typeof doc.title === "string" ? doc.title : undefined;
  return list(doc.items as Node[]).flatMap((item, i) => {
    const html = typeof item.content_html === "string" ? item.content_html : undefined;
    const plain = typeof item.content_text === "string" ? item.content_text : undefined;
    const a = article(
      {
        id: typeof item.id === "string" || typeof item.id === "number" ? String(item.id) : undefined,
        url: typeof item.url === "string" ? item.url : undefined,
        title: typeof item.title === "string" ? item.title : undefined,
        body: html ?? plain ?? (typeof item.summary === "string" ? item.summary : undefined),
        publisher,
        publishedAt: isoDate(item.date_published),
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
    const publisher = text(channel.title);
    const items = list((rss ? channel.item : rdf?.item) as Node[]);
    return items.flatMap((item, i) => {
      const a = article(
        {
          id: text(item.guid) ?? text(item["@rdf:about"]),
          url: text(list(item.link as unknown[])[0]),
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
    const publisher = text(atom.title);
    return list(atom.entry as Node[]).flatMap((entry, i) => {
      const a = article(
        {
          id: text(entry.id),
          url: atomLink(entry.link),
          title: plainTitle(entry.title),
          body: bodyHtml(text(entry.content)) ?? bodyHtml(text(entry.summary)),
          publisher,
          publishedAt: isoDate(entry.published ?? entry.updated),
        },
        feedUrl,
        i,
      );
      return a ? [a] : [];
    });
  }
  throw new FeedError(`${feedUrl}: not an RSS, Atom or JSON feed`);
}
