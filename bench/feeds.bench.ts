// Feed figures (issue 13).
// 1. Ingest CPU per feed and per item, in Node with the same code (workerd's clock does not
//    advance during CPU work): parse + clean + analyse + fingerprint + the stored JSON, for a feed
//    of 50 new items, one with 5 new items among 50 known, and a 304.
// 2. Ingest of 20 feeds of 50 items from a local HTTP server in local workerd with local D1 (the
//    real stage: fetch, parse, analyse, store): wall time, and the edition build after it.
// 0. Parse CPU per MB (Node, median of 5 after 2 warm-up runs): an ordinary feed beside worst-case
//    constructions of about 2 MB each (bench/feed-cases.ts), XML reading alone and the whole
//    readFeed (text constructs, dates, authors); and a billion-laughs document.
// 3. Edition build CPU from stored items (JSON analyses read back, grouping, summaries, headlines,
//    render, the rows' JSON) at 100 and 500 items, in Node; and the next edition's build, with
//    memory of the first edition's stories.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_startWorker } from "wrangler";
import { digestPrepared, prepareArticles, type PreparedArticle } from "../src/digest";
import type { RawArticle, StoryMemory } from "../src/digest/types";
import { renderEmail } from "../src/render/email";
import { parseFeed, readFeed } from "../src/sources/feed-parse";
import { parseXml } from "../src/sources/xml";
import { BILLION_LAUGHS, feedCases } from "./feed-cases";
import { fingerprint } from "../src/sources/fingerprint";
import { startFixtureServer } from "../test/support/fixture-server";
import { fmt, median } from "./stats";
import { evalFile } from "../scripts/eval-lib/data";
import { syntheticArticle } from "../test/support/synthetic-news";

const root = fileURLToPath(new URL("..", import.meta.url));
const FEEDS = 20;
const ITEMS = 50;
const AT = "2026-11-23T06:00:00Z";

function cpu<T>(fn: () => T): { ms: number; value: T } {
  const t = process.cpuUsage();
  const value = fn();
  const d = process.cpuUsage(t);
  return { ms: (d.user + d.system) / 1000, value };
}

/** What ingest computes for a fetched feed body, `known` of its items being stored already. */
function ingestWork(body: string, url: string, known: number): number {
  const items = parseFeed(body, url).slice(known);
  const { articles } = prepareArticles(items);
  for (const a of articles) {
    fingerprint(a.paragraphs);
    JSON.stringify(a.candidates);
    a.paragraphs.join("\n\n");
  }
  return articles.length;
}

async function ingestCpu(base: string): Promise<void> {
  const bodies = await Promise.all(
    Array.from({ length: FEEDS }, (_, k) => fetch(`${base}/${FEED_KIND}/${k}.xml?count=${ITEMS}&at=${AT}`).then((r) => r.text())),
  );
  const kb = bodies.reduce((n, b) => n + b.length, 0) / FEEDS / 1024;
  for (const [label, known] of [
    [`${ITEMS} new items`, 0],
    [`5 new items among ${ITEMS} known`, ITEMS - 5],
  ] as const) {
    for (let w = 0; w < 2; w++) bodies.forEach((b, k) => ingestWork(b, `feed-${k}`, known)); // warm up
    const per: number[] = [];
    let items = 0;
    for (let r = 0; r < 3; r++) {
      bodies.forEach((b, k) => {
        const { ms, value } = cpu(() => ingestWork(b, `feed-${k}`, known));
        per.push(ms);
        items += r === 0 ? value : 0;
      });
    }
    const m = median(per);
    console.log(
      `ingest CPU per feed, ${label} (${kb.toFixed(0)} KB feed, ${FEEDS} feeds x 3 runs, Node, median): ${fmt(m)}` +
        ` -> ${fmt(m / Math.max(1, items / FEEDS))} per new item (parse ${fmt(median(bodies.map((b, k) => cpu(() => parseFeed(b, `f${k}`)).ms)))} of it)`,
    );
  }
  console.log("ingest CPU for an unchanged feed: a 304, no body read, nothing parsed (one D1 write for the source's state)");
}

/** Parse cost per MB for each constructed feed: the XML reader alone, then the whole feed reader. */
export function parseCost(): void {
  const medianCpu = (fn: () => unknown) => {
    fn();
    fn();
    return median(Array.from({ length: 5 }, () => cpu(fn).ms));
  };
  for (const [name, body] of Object.entries(feedCases())) {
    const mb = body.length / (1024 * 1024);
    const xmlMs = medianCpu(() => parseXml(body));
    let items = 0;
    const feedMs = medianCpu(() => (items = readFeed(body, "https://bench.example/feed").items.length));
    console.log(
      `parse ${name} (${mb.toFixed(2)} MB, ${items} items; Node, median of 5): ${(feedMs / mb).toFixed(0)} ms/MB, ` +
        `${feedMs.toFixed(0)} ms for the feed (XML reading alone ${(xmlMs / mb).toFixed(0)} ms/MB)`,
    );
  }
  const laughs = readFeed(BILLION_LAUGHS, "https://bench.example/laughs");
  const { ms } = cpu(() => readFeed(BILLION_LAUGHS, "https://bench.example/laughs"));
  console.log(
    `parse billion laughs: ${fmt(ms)}, nothing expanded: title ${JSON.stringify(laughs.items[0]?.title ?? null)}, ` +
      `id ${JSON.stringify(laughs.items[0]?.id ?? null)}; warning "${laughs.warnings[0]}"`,
  );
}

/** Whether the shared evaluation data is here; without it the feeds are of generated articles. */
const HAVE_EVAL = existsSync(evalFile("duc2003.jsonl")) && existsSync(evalFile("cnndm_dev.jsonl"));
if (!HAVE_EVAL) console.log("(../shared/eval is not here: the feeds below carry generated articles, not comparable with the README's)");
const FEED_KIND = HAVE_EVAL ? "eval" : "news";

function evalArticles(n: number): RawArticle[] {
  const lines = !HAVE_EVAL
    ? Array.from({ length: 200 }, (_, k) => ({ ...syntheticArticle(k), publisher: "News Wire" }))
    : [
        ...readFileSync(evalFile("duc2003.jsonl"), "utf8")
          .split("\n")
          .filter(Boolean)
          .flatMap((l) => (JSON.parse(l) as { id: string; docs: { id: string; text: string; publisher?: string }[] }).docs),
        ...readFileSync(evalFile("cnndm_dev.jsonl"), "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => {
            const o = JSON.parse(l) as { id: string; article: string };
            return { id: o.id, text: o.article, publisher: "CNN/Daily Mail" };
          }),
      ];
  return Array.from({ length: n }, (_, i) => {
    const d = lines[i % lines.length]!;
    return {
      id: `${d.id}~${i}`,
      body: d.text,
      format: "text" as const,
      publisher: d.publisher ?? "Wire",
      publishedAt: new Date(Date.parse(AT) - i * 60_000).toISOString(),
    };
  });
}

/** Stored rows as the build reads them back: text and the analysis JSON. */
function storedRows(prepared: PreparedArticle[]): { row: string; analysis: string; a: PreparedArticle }[] {
  return prepared.map((a) => ({ row: a.paragraphs.join("\n\n"), analysis: JSON.stringify(a.candidates), a }));
}

function buildFromRows(rows: ReturnType<typeof storedRows>, memory?: StoryMemory[]) {
  const prepared: PreparedArticle[] = rows.map(({ row, analysis, a }) => {
    const candidates = JSON.parse(analysis) as PreparedArticle["candidates"];
    return { ...a, paragraphs: row.split("\n\n"), candidates };
  });
  const result = digestPrepared(prepared, { date: "2026-11-23", ...(memory ? { memory } : {}) });
  const rendered = renderEmail(result.digest, { webUrl: "https://example.com/editions/x" });
  JSON.stringify(result.digest);
  for (const a of result.articles) JSON.stringify(a);
  return { result, html: rendered.html.length };
}

function buildCpu(): void {
  for (const n of [100, 500]) {
    const raw = evalArticles(n * 2);
    const first = storedRows(prepareArticles(raw.slice(0, n)).articles);
    const second = storedRows(prepareArticles(raw.slice(n, 2 * n)).articles);
    const times: number[] = [];
    let out = buildFromRows(first);
    for (let r = 0; r < 5; r++) times.push(cpu(() => (out = buildFromRows(first))).ms);
    console.log(
      `edition build CPU from ${n} stored items (read analyses, group, summarise, render; Node, median of 5): ` +
        `${fmt(median(times))}, ${out.result.digest.stories.length} stories, ${(out.html / 1024).toFixed(0)} KB HTML`,
    );
    // The next edition: n new items, grouped with the first edition's n articles as memory.
    const memory = out.result.memory!;
    const withMemory: number[] = [];
    let next = buildFromRows([...first, ...second], memory);
    for (let r = 0; r < 5; r++) withMemory.push(cpu(() => (next = buildFromRows([...first, ...second], memory))).ms);
    console.log(
      `next edition build CPU, ${n} new items + ${n} remembered (${memory.length} stories in memory; Node, median of 5): ` +
        `${fmt(median(withMemory))}, ${next.result.digest.stories.length} stories ` +
        `(${next.result.digest.stories.filter((s) => s.update).length} updates)`,
    );
  }
}

export default async function bench(): Promise<void> {
  parseCost();
  const fixtures = await startFixtureServer();
  try {
    await ingestCpu(fixtures.url);
    buildCpu();

    const migrations = readdirSync(join(root, "migrations"))
      .filter((f) => f.endsWith(".sql"))
      .sort()
      .map((f) => readFileSync(join(root, "migrations", f), "utf8"));
    const worker = await unstable_startWorker({
      config: join(root, "test", "feeds-bench.wrangler.toml"),
      dev: { server: { port: 0 }, inspector: false, persist: false, logLevel: "error" },
    } as Parameters<typeof unstable_startWorker>[0]);
    try {
      await worker.ready;
      const call = async <T>(path: string, body: unknown): Promise<{ ms: number; value: T }> => {
        const t = performance.now();
        const res = await worker.fetch(`http://bench${path}`, { method: "POST", body: JSON.stringify(body) });
        if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        const value = (await res.json()) as T;
        return { ms: performance.now() - t, value };
      };
      await call("/setup", { migrations });
      const feeds = Array.from({ length: FEEDS }, (_, k) => `${fixtures.url}/${FEED_KIND}/${k}.xml?count=${ITEMS}&at=${AT}`);
      type Report = { sources: { status: string; newItems: number }[] };
      const first = await call<Report>("/ingest", { feeds, now: "2026-11-23T07:00:00Z" });
      const stored = first.value.sources.reduce((n, s) => n + s.newItems, 0);
      console.log(
        `ingest of ${FEEDS} feeds x ${ITEMS} items in local workerd + local D1, first fetch (all new): ` +
          `${(first.ms / 1000).toFixed(2)} s wall, ${stored} items stored (repeats across feeds stored once)`,
      );
      const again = await call<Report>("/ingest", { feeds, now: "2026-11-23T08:00:00Z" });
      console.log(
        `ingest again, feeds unchanged: ${fmt(again.ms)} wall, ` +
          `${again.value.sources.filter((s) => s.status === "not-modified").length} of ${FEEDS} answered 304`,
      );
      const build = await call<{ result: { status: string; stories?: number }; row: { bytes: number; articles: number } }>("/build", {
        feeds,
        slot: "2026-11-23T07:00Z",
        now: "2026-11-23T08:00:00Z",
      });
      console.log(
        `edition build from the ${stored} stored items in local workerd (D1 reads + build + render + store): ` +
          `${(build.ms / 1000).toFixed(2)} s wall, ${build.value.result.stories} stories; edition row ` +
          `${(build.value.row.bytes / 1024).toFixed(0)} KB (D1 limit 2 MB) + ${build.value.row.articles} source rows`,
      );
    } finally {
      await worker.dispose();
    }
  } finally {
    fixtures.server.close();
  }
}
