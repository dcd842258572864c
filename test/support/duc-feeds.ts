// RSS feeds built from ../shared/eval (read in place, never copied), for replay tests of several
// days: /duc/NS/ap.xml (or nyt, xinhua) lists that publisher's duc2003 articles published between
// NS's `from` and `at`, each with its own date and publisher, newest first; POST /duc/NS/clock
// ?at=ISO&from=ISO moves NS's clock; GET /duc/NS/log lists the requests NS's feeds had (with
// their validators and answers). Answers carry an ETag and Last-Modified, and a matching
// If-None-Match gets a 304. /eval/K.xml?count=N&at=ISO lists the first N (at most 100) eval
// articles (duc2003, then cnndm_dev) of the K-th block of 100 (from `offset` in it), dated just
// before `at`. /news/K.xml takes the same parameters and lists generated articles instead
// (synthetic-news.ts), for tests that need many distinct articles but not real news.
// before `at`. /gva/NS/a.xml and b.xml serve gva_dev's local news reports the same way (see gvaAnswer).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { evalPath } from "./eval-data";
import { syntheticArticle } from "./synthetic-news";

interface Doc {
  guid: string;
  publisher: string;
  publishedAt: string;
  text: string;
}

const PUBLISHERS: Record<string, string> = { ap: "Associated Press", nyt: "New York Times", xinhua: "Xinhua" };

let docs: Doc[] | undefined;
let pool: Doc[] | undefined;

function ducDocs(): Doc[] {
  docs ??= readFileSync(evalPath("duc2003.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .flatMap((l) => {
      const c = JSON.parse(l) as { id: string; docs: { id: string; publisher?: string; publishedAt?: string; text: string }[] };
      return c.docs
        .filter((d) => d.publisher && d.publishedAt)
        .map((d) => ({ guid: `${c.id}/${d.id}`, publisher: d.publisher!, publishedAt: d.publishedAt!, text: d.text }));
    });
  return docs;
}

function evalPool(): Doc[] {
  if (pool) return pool;
  const cnn = readFileSync(evalPath("cnndm_dev.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => {
      const o = JSON.parse(l) as { id: string; article: string };
      return { guid: o.id, publisher: "CNN/Daily Mail", publishedAt: "", text: o.article };
    });
  pool = [...ducDocs(), ...cnn];
  return pool;
}

const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function rss(title: string, items: Doc[]): string {
  const body = items
    .map((d) => {
      const html = d.text
        .split(/\n\s*\n/)
        .map((p) => `<p>${esc(p.trim())}</p>`)
        .join("");
      // No <title>: duc2003 articles have none (the digest must cope).
      return `<item><guid isPermaLink="false">${esc(d.guid)}</guid><link>https://eval.example/${encodeURIComponent(d.guid)}</link>
<pubDate>${new Date(d.publishedAt).toUTCString()}</pubDate><description>${esc(html)}</description></item>`;
    })
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(title)}</title>\n${body}\n</channel></rss>`;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const clocks = new Map<string, { at: string; from: string }>();
const logs = new Map<string, { path: string; status: number; ifNoneMatch: string | null; ifModifiedSince: string | null }[]>();

function conditional(body: string, lastModified: string, headers: IncomingHttpHeaders): Answer {
  const etag = `"${createHash("sha1").update(body).digest("hex").slice(0, 16)}"`;
  const common = { etag, "last-modified": lastModified, "content-type": "application/rss+xml; charset=utf-8" };
  if (headers["if-none-match"] === etag) return { status: 304, headers: common, body: "" };
  return { status: 200, headers: common, body };
}

interface GvaDoc extends Doc {
  event: string;
  title: string;
  url: string;
  source: string;
}

let gva: GvaDoc[] | undefined;

/** gva_dev.jsonl's reports (each labelled with its incident), or none when the file is missing. */
function gvaDocs(): GvaDoc[] {
  if (gva) return gva;
  if (!existsSync(evalPath("gva_dev.jsonl"))) return (gva = []);
  gva = readFileSync(evalPath("gva_dev.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => {
      const o = JSON.parse(l) as {
        id: string;
        event: string;
        publishedAt: string;
        title: string;
        text: string;
        source: string;
        url: string;
      };
      return {
        guid: o.id,
        event: o.event,
        publisher: o.source,
        publishedAt: o.publishedAt,
        text: o.text,
        title: o.title,
        url: o.url,
        source: o.source,
      };
    });
  return gva;
}

/** Which of the two gva feeds an outlet is in (a hash of its host name: no outlet in both). */
const gvaFeedOf = (source: string): "a" | "b" => (createHash("sha1").update(source).digest()[0]! & 1 ? "b" : "a");

function gvaRss(title: string, items: GvaDoc[]): string {
  const body = items
    .map((d) => {
      const html = d.text
        .split(/\n+/)
        .filter((p) => p.trim())
        .map((p) => `<p>${esc(p.trim())}</p>`)
        .join("");
      return `<item><guid isPermaLink="false">${esc(d.guid)}</guid><title>${esc(d.title)}</title><link>${esc(d.url)}</link>
<pubDate>${new Date(d.publishedAt).toUTCString()}</pubDate><description>${esc(html)}</description></item>`;
    })
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(title)}</title>\n${body}\n</channel></rss>`;
}

/**
 * /gva/NS/a.xml and b.xml: gva_dev's reports published between NS's clock `from` and `at` (the
 * outlets split between the two feeds), newest first; /gva/NS/labels: the incident of every report
 * in that window; /gva/window?days=N: the first day of the N days with the most reports; 404 when
 * the file is missing.
 */
function gvaAnswer(path: string, query: URLSearchParams, headers: IncomingHttpHeaders): Answer {
  const docs = gvaDocs();
  const json = (body: unknown): Answer => ({ status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (docs.length === 0) return { status: 404, headers: { "content-type": "text/plain" }, body: "gva_dev.jsonl is missing" };
  if (path === "/gva/window") {
    const days = Number(query.get("days") ?? "7");
    const perDay = new Map<string, number>();
    for (const d of docs) perDay.set(d.publishedAt.slice(0, 10), (perDay.get(d.publishedAt.slice(0, 10)) ?? 0) + 1);
    let best = { from: "", count: -1 };
    for (const day of [...perDay.keys()].sort()) {
      const start = Date.parse(`${day}T00:00:00Z`);
      let count = 0;
      for (let k = 0; k < days; k++) count += perDay.get(new Date(start + k * 86_400_000).toISOString().slice(0, 10)) ?? 0;
      if (count > best.count) best = { from: day, count };
    }
    return json(best);
  }
  const m = /^\/gva\/([\w-]+)\/(labels|[ab]\.xml)$/.exec(path);
  const clock = m ? clocks.get(m[1]!) : undefined;
  if (!m || !clock) return { status: 404, headers: { "content-type": "text/plain" }, body: "no such feed or no clock set" };
  const inWindow = docs.filter((d) => d.publishedAt >= clock.from && d.publishedAt <= clock.at);
  if (m[2] === "labels") return json(Object.fromEntries(inWindow.map((d) => [d.guid, d.event])));
  const feed = m[2]!.slice(0, 1) as "a" | "b";
  const items = inWindow
    .filter((d) => gvaFeedOf(d.source) === feed)
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.guid.localeCompare(b.guid))
    .slice(0, 100);
  const newest = items[0]?.publishedAt ?? clock.from;
  return conditional(gvaRss(`Local news ${feed.toUpperCase()}`, items), new Date(newest).toUTCString(), headers);
}

export const ducFeeds = {
  /** Answers one request; a missing evaluation file is a 404 naming it, never a thrown error. */
  answer(method: string, path: string, query: URLSearchParams, headers: IncomingHttpHeaders): Answer {
    try {
      return answer(method, path, query, headers);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { status: 404, headers: { "content-type": "text/plain" }, body: `unavailable: ${message}` };
    }
  },
};

function answer(method: string, path: string, query: URLSearchParams, headers: IncomingHttpHeaders): Answer {
  if (path.startsWith("/gva/")) {
    const clock = /^\/gva\/([\w-]+)\/clock$/.exec(path);
    if (clock && method === "POST") {
      clocks.set(clock[1]!, { at: query.get("at") ?? "", from: query.get("from") ?? "" });
      return { status: 204, headers: {}, body: "" };
    }
    return gvaAnswer(path, query, headers);
  }
  const news = /^\/news\/(\d+)\.xml$/.exec(path);
  if (news) {
    const count = Math.min(100, Number(query.get("count") ?? "100"));
    const at = Date.parse(query.get("at") ?? "2026-11-23T06:00:00Z");
    const start = Number(news[1]) * 100 + Number(query.get("offset") ?? "0");
    const items = Array.from({ length: count }, (_, k) => {
      const a = syntheticArticle(start + k);
      return { guid: a.id, publisher: `News Wire ${news[1]}`, publishedAt: new Date(at - (k + 1) * 60_000).toISOString(), text: a.text };
    });
    return conditional(rss(`News Wire ${news[1]}`, items), new Date(at).toUTCString(), headers);
  }
  const evalFeed = /^\/eval\/(\d+)\.xml$/.exec(path);
  if (evalFeed) {
    const count = Math.min(100, Number(query.get("count") ?? "100"));
    const at = Date.parse(query.get("at") ?? "2026-11-23T06:00:00Z");
    const start = Number(evalFeed[1]) * 100 + Number(query.get("offset") ?? "0");
    const all = evalPool();
    // Past the end of the pool (benches of many feeds), articles come round again under new guids.
    const items = Array.from({ length: count }, (_, k) => {
      const i = start + k;
      const d = all[i % all.length]!;
      const guid = i < all.length ? d.guid : `${d.guid}~${Math.floor(i / all.length)}`;
      return { ...d, guid, publisher: `Eval Wire ${evalFeed[1]}`, publishedAt: new Date(at - (k + 1) * 60_000).toISOString() };
    });
    return conditional(rss(`Eval Wire ${evalFeed[1]}`, items), new Date(at).toUTCString(), headers);
  }
  const m = /^\/duc\/([\w-]+)\/(clock|log|\w+\.xml)$/.exec(path);
  if (!m) return { status: 404, headers: { "content-type": "text/plain" }, body: "not found" };
  const [, ns, what] = m as unknown as [string, string, string];
  if (what === "clock" && method === "POST") {
    clocks.set(ns, { at: query.get("at") ?? "", from: query.get("from") ?? "" });
    return { status: 204, headers: {}, body: "" };
  }
  if (what === "log") return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(logs.get(ns) ?? []) };
  const publisher = PUBLISHERS[what.replace(/\.xml$/, "")];
  const clock = clocks.get(ns);
  if (!publisher || !clock) return { status: 404, headers: { "content-type": "text/plain" }, body: "no such feed or no clock set" };
  const items = ducDocs()
    .filter((d) => d.publisher === publisher && d.publishedAt >= clock.from && d.publishedAt <= clock.at)
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.guid.localeCompare(b.guid))
    .slice(0, 50);
  const newest = items[0]?.publishedAt ?? clock.from;
  const reply = conditional(rss(publisher, items), new Date(newest).toUTCString(), headers);
  const list = logs.get(ns) ?? [];
  list.push({
    path,
    status: reply.status,
    ifNoneMatch: (headers["if-none-match"] as string | undefined) ?? null,
    ifModifiedSince: (headers["if-modified-since"] as string | undefined) ?? null,
  });
  logs.set(ns, list);
  return reply;
}
