// The web side in workerd against local D1: landing page, preview (formats, cache validators,
// CSP), archive, web editions with their sources, the Atom feed, 404s, and hostile article text.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertEdition } from "../../src/editions/store";
import type { Article, Digest } from "../../src/digest/types";

const get = (path: string, headers: Record<string, string> = {}) =>
  exports.default.fetch(new Request(`http://localhost${path}`, { headers }));

/** Counts elements matching a selector, parsing with workerd's HTMLRewriter (not regexes). */
async function count(html: string, selector: string): Promise<number> {
  let n = 0;
  await new HTMLRewriter()
    .on(selector, {
      element() {
        n++;
      },
    })
    .transform(new Response(html))
    .text();
  return n;
}

async function texts(html: string, selector: string): Promise<string[]> {
  const out: string[] = [];
  let cur: string | null = null;
  await new HTMLRewriter()
    .on(selector, {
      element(el) {
        cur = "";
        out.push("");
        el.onEndTag(() => {
          cur = null;
        });
      },
      text(t) {
        if (cur !== null) out[out.length - 1] += t.text;
      },
    })
    .transform(new Response(html))
    .text();
  return out.map((t) =>
    t
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&"),
  );
}

const HOSTILE_SCRIPT = "<script>alert('x')</script>";
const HOSTILE_ATTR = '"><img src=x onerror=alert(1)>';
const HOSTILE_TPL = "{{title}} {{{webUrl}}}";

let seq = 0;
/** Stores an edition with a unique slot; returns its id. */
async function storeEdition(digest: Digest, articles: Article[]): Promise<string> {
  seq++;
  const rnd = crypto.randomUUID().slice(0, 8);
  const date = `2099-0${1 + (seq % 9)}-${String(10 + (Number.parseInt(rnd.slice(0, 2), 16) % 18))}`;
  const id = `${date}-w${rnd}`;
  const stored = await insertEdition(env.DB, id, {
    sendId: `web-${id}`,
    asOf: `${date}T07:00:00.000Z`,
    slot: `${date}T07:00Z-${rnd}`,
    title: digest.title,
    subject: digest.title,
    date,
    contentHash: rnd,
    storyIds: digest.stories.map((s) => s.id),
    digest: { ...digest, date },
    articles,
    html: "<p>stored</p>",
    text: "stored",
    createdAt: new Date(Date.UTC(2099, 0, 1) + seq * 1000).toISOString(),
  });
  expect(stored?.record.id).toBe(id);
  return id;
}

const hostileDigest: Digest = {
  title: "The Daily Digest",
  date: "2099-01-01",
  stories: [
    {
      id: "s-hostile",
      update: false,
      headline: `Headline ${HOSTILE_SCRIPT}`,
      summary: [`Attr ${HOSTILE_ATTR} end.`, `Template ${HOSTILE_TPL} end.`],
      sources: [{ id: "evil.txt", title: `Title ${HOSTILE_ATTR}`, url: "javascript:alert(1)" }],
    },
  ],
};
const hostileArticles: Article[] = [
  { id: "evil.txt", title: `Title ${HOSTILE_ATTR}`, paragraphs: [`Body ${HOSTILE_SCRIPT}`, `More ${HOSTILE_TPL}`] },
];

describe("GET /", () => {
  it("is the landing page with the subscribe form the subscriptions module expects", async () => {
    const res = await get("/", { accept: "text/html" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html; charset=utf-8/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    const html = await res.text();
    expect(await count(html, "script")).toBe(0);
    expect(await count(html, 'form[method="post"][action="/subscribe"]')).toBe(1);
    expect(await count(html, 'input[type="email"][name="email"][required]')).toBe(1);
    expect(await count(html, '.hp[aria-hidden="true"] input[name="website"][tabindex="-1"][autocomplete="off"]')).toBe(1);
    expect(await count(html, 'input[type="hidden"][name="source"][value="landing"]')).toBe(1);
    expect(await count(html, 'a[href="/editions"]')).toBeGreaterThan(0);
  });
});

describe("GET /preview", () => {
  it("serves the email HTML with an email CSP, a validator, and 304 on If-None-Match", async () => {
    const res = await get("/preview");
    expect(res.status).toBe(200);
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"p-/);
    expect(res.headers.get("content-security-policy")).toMatch(/style-src 'unsafe-inline'/);
    expect(res.headers.get("content-security-policy")).not.toMatch(/script-src/);
    const html = await res.text();
    expect(html).not.toContain("%%UNSUBSCRIBE_URL%%");
    expect(await count(html, "script")).toBe(0);
    const again = await get("/preview", { "if-none-match": etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("serves the plain-text part and the Digest as JSON", async () => {
    const text = await get("/preview?format=text");
    expect(text.headers.get("content-type")).toMatch(/^text\/plain; charset=utf-8/);
    const body = await text.text();
    expect(body).toMatch(/View in browser:\nhttp:\/\/localhost:8787\/preview/);
    expect(body.split("\n").every((l) => l.length <= 72 || /^\S+$/.test(l.trim()))).toBe(true);
    const json = await get("/preview?format=json");
    expect(json.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await json.json()) as Digest).stories.length).toBeGreaterThan(0);
  });

  it("answers an unknown format with a 400 in the caller's format", async () => {
    for (const format of ["pdf", "constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const res = await get(`/preview?format=${format}`, { accept: "application/json" });
      expect(res.status, format).toBe(400);
      expect(await res.json()).toMatchObject({ error: "Unknown format" });
    }
  });
});

describe("editions", () => {
  it("lists editions newest first and serves each one with its sources' full text", async () => {
    const older = await storeEdition({ ...hostileDigest, title: "Older" }, hostileArticles);
    const newer = await storeEdition({ ...hostileDigest, title: "Newer" }, hostileArticles);
    const list = await get("/editions", { accept: "text/html" });
    expect(list.status).toBe(200);
    const links = (await texts(await list.text(), ".archive li > a")).map((t) => t.trim());
    const iNewer = links.findIndex((t) => t.startsWith("Newer"));
    const iOlder = links.findIndex((t) => t.startsWith("Older"));
    expect(iNewer).toBeGreaterThanOrEqual(0);
    expect(iOlder).toBeGreaterThan(iNewer);

    const page = await get(`/editions/${newer}`, { accept: "text/html" });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const etag = page.headers.get("etag");
    expect(etag).toBeTruthy();
    const html = await page.text();
    // The story's anchor and a link from it to the source's full text.
    expect(await count(html, "article#s-hostile")).toBe(1);
    expect(await count(html, `article#s-hostile a[href="/editions/${newer}/sources/evil.txt"]`)).toBe(1);
    const source = await get(`/editions/${newer}/sources/evil.txt`, { accept: "text/html" });
    expect(source.status).toBe(200);
    expect(await texts(await source.text(), ".article p")).toEqual([`Body ${HOSTILE_SCRIPT}`, `More ${HOSTILE_TPL}`]);

    const cached = await get(`/editions/${newer}`, { "if-none-match": etag! });
    expect(cached.status).toBe(304);
    expect(cached.headers.get("cache-control")).toMatch(/max-age/);
    expect(older).not.toBe(newer);
  });

  it("names the site once in an edition's <title>", async () => {
    const id = await storeEdition({ ...hostileDigest, title: env.NEWSLETTER_TITLE }, hostileArticles);
    const [title] = await texts(await (await get(`/editions/${id}`, { accept: "text/html" })).text(), "title");
    expect(title!.split(env.NEWSLETTER_TITLE).length - 1).toBe(1);
    expect(title).toMatch(/\d{4}/);
  });

  it("shows hostile article text as text on the edition and source pages", async () => {
    const id = await storeEdition(hostileDigest, hostileArticles);
    for (const path of [`/editions/${id}`, `/editions/${id}/sources/evil.txt`]) {
      const html = await (await get(path, { accept: "text/html" })).text();
      expect(await count(html, "script")).toBe(0);
      expect(await count(html, "img")).toBe(0);
      expect(await count(html, "[onerror]")).toBe(0);
      expect(await count(html, 'a[href^="javascript:"]')).toBe(0);
      const visible = (await texts(html, "main")).join(" ");
      expect(visible).toContain(HOSTILE_SCRIPT);
      expect(visible).toContain(HOSTILE_TPL);
    }
  });

  it("answers unknown editions and sources with 404 pages, HTML or JSON", async () => {
    const html = await get("/editions/1999-01-01", { accept: "text/html" });
    expect(html.status).toBe(404);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    const json = await get("/editions/..%2F..%2Fetc", { accept: "application/json" });
    expect(json.status).toBe(404);
    expect(await json.json()).toMatchObject({ error: "Edition not found" });
    const id = await storeEdition(hostileDigest, hostileArticles);
    expect((await get(`/editions/${id}/sources/nope.txt`, { accept: "text/html" })).status).toBe(404);
    expect((await get("/editions?before=not-a-cursor", { accept: "application/json" })).status).toBe(400);
  });
});

describe("GET /feed.xml", () => {
  it("is an Atom feed with full, escaped content and no live markup from articles", async () => {
    const id = await storeEdition(hostileDigest, hostileArticles);
    const res = await get("/feed.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(res.headers.get("etag")).toBeTruthy();
    const xml = await res.text();
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(true);
    expect(xml).toContain(`<id>http://localhost:8787/editions/${id}</id>`);
    // Article markup is escaped twice (HTML in XML): a feed reader shows it as text.
    expect(xml).not.toMatch(/<script|<img/);
    // <summary> is a text construct (escaped once); <content type="html"> holds escaped HTML, in
    // which article markup must be escaped again so a feed reader shows it as text.
    const content = [...xml.matchAll(/<content type="html">([^<]*)<\/content>/g)].map((m) => m[1]!).join("\n");
    expect(content).toContain("&amp;lt;script&amp;gt;");
    expect(content).not.toMatch(/&lt;script|&lt;img/);
    expect(xml).toContain("{{title}}");
    // Full content: the story's summary and a link to the source's text.
    expect(xml).toContain(`http://localhost:8787/editions/${id}/sources/evil.txt`);
    expect(xml).not.toContain("javascript:");
  });
});
