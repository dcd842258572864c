// The Atom feed (RFC 4287) of recent editions, each entry carrying the edition's full content
// as escaped HTML. Pure: the route hands in the editions read from D1.
import type { Digest } from "../digest/types";
import { dateLabel, shownHeadline } from "./format";
import { EditionContent } from "./pages/edition";

export interface FeedEdition {
  id: string;
  title: string;
  date: string;
  createdAt: string;
  digest: Digest;
}

export interface FeedInput {
  title: string;
  /** Absolute site URL without a trailing slash; feed readers need absolute links. */
  baseUrl: string;
  author: string;
  editions: FeedEdition[];
}

// Characters XML 1.0 forbids outright; article text from the wild can carry them.
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/**
 * Escapes text for XML content and attributes, dropping characters XML cannot carry.
 * @example xmlEscape("a < b") // "a &lt; b"
 */
export function xmlEscape(s: string): string {
  return s.replace(XML_INVALID, "").replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch]!);
}

function isoDate(s: string, fallback: string): string {
  const t = Date.parse(s);
  return Number.isNaN(t) ? fallback : new Date(t).toISOString();
}

/**
 * Renders the feed document.
 * @example await renderAtomFeed({ title: "Digest", baseUrl: "https://x.example", author: "Digest", editions })
 */
export async function renderAtomFeed(input: FeedInput): Promise<string> {
  const { baseUrl } = input;
  const epoch = "1970-01-01T00:00:00.000Z";
  const updated = input.editions.length ? isoDate(input.editions[0]!.createdAt, epoch) : epoch;
  const entries: string[] = [];
  for (const e of input.editions) {
    const url = `${baseUrl}/editions/${encodeURIComponent(e.id)}`;
    const content = (
      await EditionContent({ digest: e.digest, sourceTextHref: (s) => `${url}/sources/${encodeURIComponent(s.id)}` })
    ).toString();
    const when = isoDate(e.createdAt, epoch);
    entries.push(
      [
        "<entry>",
        `<title>${xmlEscape(`${e.title} · ${dateLabel(e.date)}`)}</title>`,
        `<id>${xmlEscape(url)}</id>`,
        `<link rel="alternate" type="text/html" href="${xmlEscape(url)}"/>`,
        `<published>${when}</published>`,
        `<updated>${when}</updated>`,
        `<summary>${xmlEscape(e.digest.stories.map((s) => shownHeadline(s)).join(" · "))}</summary>`,
        `<content type="html">${xmlEscape(content)}</content>`,
        "</entry>",
      ].join("\n"),
    );
  }
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<title>${xmlEscape(input.title)}</title>`,
    `<id>${xmlEscape(baseUrl + "/")}</id>`,
    `<link rel="self" type="application/atom+xml" href="${xmlEscape(baseUrl + "/feed.xml")}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlEscape(baseUrl + "/editions")}"/>`,
    `<updated>${updated}</updated>`,
    `<author><name>${xmlEscape(input.author)}</name></author>`,
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}
