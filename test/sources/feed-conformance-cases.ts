// What a reader should get from each fixture feed in test/fixtures/feeds/conformance/ (one construct
// each: escaped markup, text constructs, namespaces by URI, Dublin Core, bodies, encodings, hostile
// entities). Shared by the workerd test (test/sources/feeds.test.ts, the parser behind a real HTTP
// server) and the Node test (test/node/cli-feeds.test.ts, `npm run digest -- --format items`).
// Ids left null fall back to `${document URL}#${index}`, which differs between the two; they are
// compared as "any".

export interface ExpectedItem {
  id: string | null;
  title: string | null;
  url: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  author: string | null;
  text: string | null;
}

const item = (o: Partial<ExpectedItem>): ExpectedItem => ({
  id: null,
  title: null,
  url: null,
  publishedAt: null,
  updatedAt: null,
  author: null,
  text: null,
  ...o,
});

export const CONFORMANCE: Record<string, ExpectedItem[]> = {
  // Text stays text: escaped angle brackets are characters; real markup goes; entities once.
  "rss-escaped-text.xml": [
    item({ id: "vec", title: "Why Vec<T> is fast: 5 < 6 and 7 > 3", text: "Declare it as <int> and 5 < 6 holds." }),
    item({ id: "blink", title: "History of the <blink> tag", text: "Text with 5 < 6 and Vec<T> in it, no markup." }),
    item({ id: "bold", title: "Bold move by Tom & Jerry", text: "Escaped twice on its way into the feed." }),
    item({ id: "cafe", title: "Café opens on the quay — ‘at last’", text: "The café serves fika & more." }),
    // Numeric references to 0x80-0x9F are windows-1252 characters, as HTML reads them.
    item({ id: "cp1252", title: "It’s “typed on Windows”", text: "Don’t panic." }),
    // An opening tag alone does not make a title HTML.
    item({ id: "qa", title: "Q&A: the <div> element", text: "Use a <div> for layout." }),
  ],
  // Atom text, html and xhtml constructs; relative ids and links against xml:base; a link given as
  // text; the latest of two updated dates; two authors; the feed's author for entries with none.
  "atom-text-constructs.xml": [
    item({
      id: "https://atom.example/news/entries/1",
      title: "Plain <b>text</b> title: 5 < 6",
      url: "https://atom.example/news/text-link",
      publishedAt: "2026-11-19T09:00:00.000Z",
      updatedAt: "2026-11-21T10:00:00.000Z",
      author: "Ann Author, Bo Byline",
      text: "A <b> in plain text content stays.",
    }),
    item({
      id: "https://other.example/base/2",
      title: "Vec<T> in an HTML title",
      url: "https://other.example/base/page-2",
      updatedAt: "2026-11-20T11:00:00.000Z",
      author: "Feed Desk",
      text: "Use <int> here.",
    }),
    item({
      id: "tag:atom.example,2026:3",
      title: "An XHTML title with 5 < 6",
      url: "https://atom.example/three",
      updatedAt: "2026-11-20T12:00:00.000Z",
      author: "Feed Desk",
      // In XHTML the XML decoding is the only one: `&amp;lt;` is the text "&lt;".
      text: "Inline XHTML with &lt;int&gt; kept as written.",
    }),
    // rel="enclosure" and rel="self" are not the entry's page: no link rather than a wrong one.
    item({
      id: "tag:atom.example,2026:4",
      title: "Only an enclosure",
      updatedAt: "2026-11-20T13:00:00.000Z",
      author: "Feed Desk",
      text: "An entry whose links are not its page.",
    }),
  ],
  // Atom 0.3: mode="escaped" and mode="base64"; created/issued (earliest) and modified.
  "atom03-base64.xml": [
    item({
      id: "tag:old.example,2004:1",
      title: "Base64 & escaped",
      url: "https://old.example/1",
      publishedAt: "2004-01-01T00:00:00.000Z",
      updatedAt: "2004-01-03T00:00:00.000Z",
      author: "Old Timer",
      text: "Hello from base64",
    }),
  ],
  "rss-dublin-core.xml": [
    item({
      id: "dc-1",
      title: "Titled by Dublin Core",
      publishedAt: "2026-11-10T08:00:00.000Z",
      updatedAt: "2026-11-13T08:00:00.000Z",
      author: "Dee Creator",
      text: "Described by Dublin Core.",
    }),
    // pubDate (08:00 UTC on the 17th) and dc:date (the 16th): the earliest is the publication.
    item({
      id: "pod-1",
      title: "Podcast episode",
      // dc:date counts as a publication and as an update.
      publishedAt: "2026-11-16T07:00:00.000Z",
      updatedAt: "2026-11-16T07:00:00.000Z",
      author: "Pat Podcaster",
      text: "Summarised for podcast apps.",
    }),
    item({ id: "author-1", title: "Author with an address", author: "Example Editor", text: "Body." }),
    // A zone name Date.parse does not know (CET), and ISO 8601's basic format.
    item({
      id: "dates-1",
      title: "Dates as some feeds write them",
      publishedAt: "2003-12-31T21:00:00.000Z",
      updatedAt: "2004-01-05T08:30:00.000Z",
      text: "Body.",
    }),
    // <link href> and <author><name> in RSS, as some feeds write them.
    item({
      id: "https://rss.example/atom-style",
      title: "Written Atom-style",
      url: "https://rss.example/atom-style",
      author: "Ada Style",
      text: "Body.",
    }),
  ],
  "rss-bodies.xml": [
    item({ id: "encoded", title: "Encoded wins", text: "The full text, from content:encoded." }),
    item({ id: "xhtml", title: "XHTML body", text: "The full text, from xhtml:body & more." }),
    item({ id: "fullitem", title: "Full item", text: "The full text, from fullitem." }),
  ],
  // <r:rss> in Userland's RSS 2.0 namespace; an extension's <szf:description> is not the item's.
  "rss-prefixed.xml": [
    item({
      id: "https://prefixed.example/1",
      title: "Prefixed item",
      url: "https://prefixed.example/1",
      publishedAt: "2002-09-28T21:00:02.000Z",
      author: "Rex Prefix",
      text: "The right description.",
    }),
  ],
  "rss10-prefixed.rdf": [
    item({
      id: "https://rdf1.example/1",
      title: "Item under the rss prefix",
      url: "https://rdf1.example/1",
      publishedAt: "2002-09-28T20:01:19.000Z",
      updatedAt: "2002-09-28T20:01:19.000Z",
      author: "Ria Rdf",
      text: "Read by namespace, not by prefix.",
    }),
  ],
  "rss-no-channel.xml": [
    item({
      id: "https://nochannel.example/1",
      title: "Item straight under rss",
      url: "https://nochannel.example/1",
      text: "No channel element around it.",
    }),
  ],
  "jsonfeed-authors.json": [
    item({
      id: "j1",
      title: "Two authors & a date",
      publishedAt: "2026-11-18T08:00:00.000Z",
      updatedAt: "2026-11-19T08:00:00.000Z",
      author: "Jo One, Kai Two",
      text: "Written by two, updated later.",
    }),
    item({ id: "j2", title: "Feed-level author", author: "Feed Team", text: "Vec<T> in HTML." }),
  ],
  // Encodings: the XML declaration, a UTF-16 byte-order mark, and no declaration at all.
  "latin1.xml": [item({ id: "ISO-8859-1-1", title: "Café crème à Zürich", text: "Straße, señor, naïve." })],
  "windows-1252.xml": [item({ id: "windows-1252-1", title: "“Smart quotes” – and € signs", text: "Déjà vu… ‘again’." })],
  "utf16.xml": [item({ id: "UTF-16-1", title: "Ünïcödé in UTF-16", text: "Grüße aus Köln." })],
  "undeclared-1252.xml": [item({ id: "u1", title: "Résumé undeclared", text: "Body." })],
  // Declared UTF-8 with a byte that is not: U+FFFD, and a warning (checked by the tests).
  "invalid-utf8.xml": [item({ id: "utf-8-1", title: "Bad byte: \uFFFD here", text: "Body." })],
  // A billion-laughs DTD: nothing expanded, no `&lol9;` as text; a plain-text entity is.
  "billion-laughs.xml": [item({ text: "Body text © 2026." })],
};

/** Whitespace collapsed, so a dropped entity's gap does not matter. */
export const squeeze = (s: string | null) => (s === null ? null : s.replace(/\s+/g, " ").trim());
