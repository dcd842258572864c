// The ingest stage: fetch each source (conditionally), parse, cap, keep only items not stored
// before, fetch the page of items that carry only a short excerpt (under the page policy of
// fetch-policy.ts), clean and analyse each new item once, and store it. Run by the cron before each build and by POST /admin/editions before it
// builds. A source that is down, slow, malformed or oversized is recorded on its row and skipped:
// it never stops the edition.
import type { Config } from "../config";
import { htmlToText, ingest as readArticle } from "../digest/ingest";
import { leadNames, prepareArticles } from "../digest";
import type { RawArticle } from "../digest/types";
import { log } from "../log";
import { MAX_ITEMS_PER_FEED, readFeed, toRawArticles } from "./feed-parse";
import { fetchFeedText } from "./feed-fetch";
import { isLoopback } from "../deploy-guard";
import { dohResolver, fetchPage, MAX_FEED_BYTES, PageRefused } from "./fetch";
import type { PagePolicy, Resolver } from "./fetch-policy";
import { fingerprint } from "./fingerprint";
import { seedArticles } from "./seeds";
import {
  countNamesStatement,
  getSources,
  insertItemStatement,
  knownItems,
  pruneItems,
  recordFetchStatement,
  upsertSources,
  type FetchRecord,
  type NewItem,
} from "./store";
import { SEEDS_SOURCE, type IngestReport } from "./types";

/** An item's body beyond this is cut, with a warning naming the source. */
export const MAX_ITEM_CHARS = 100_000;
export { MAX_ITEMS_PER_FEED };
/** Fewer words than this and an item is an excerpt: its page is fetched for the full text. */
export const EXCERPT_WORDS = 80;
/** Article pages are read up to this size. */
const MAX_PAGE_BYTES = 1024 * 1024;
const DAY = 86_400_000;

export interface IngestOptions {
  /** Per-feed time limit for the whole answer. */
  timeoutMs?: number;
  /** Per-page time limit for full-text fetches. */
  pageTimeoutMs?: number;
  /** The fetch for feeds and pages (tests give a recording stand-in); the global one by default. */
  fetcher?: typeof fetch;
  /** How page hosts are resolved before the policy lets them be fetched; DNS-over-HTTPS by default. */
  resolve?: Resolver;
}

/** The sources a configuration names: its feeds, and the seeds when they are on. */
export function configuredSources(config: Pick<Config, "feeds" | "seeds">): { url: string; name?: string }[] {
  return [...config.feeds, ...(config.seeds ? [{ url: SEEDS_SOURCE }] : [])];
}

const words = (s: string): number => (s.match(/\S+/g) ?? []).length;

/**
 * Ingests every configured source as of `now` and prunes items past retention.
 * @example const report = await ingestSources({ db: env.DB, config }, new Date());
 */
export async function ingestSources(deps: { db: D1Database; config: Config }, now: Date, opts: IngestOptions = {}): Promise<IngestReport> {
  const { db, config } = deps;
  const sources = configuredSources(config);
  await upsertSources(db, sources);
  const states = new Map(
    (
      await getSources(
        db,
        sources.map((s) => s.url),
      )
    ).map((s) => [s.url, s]),
  );
  const at = now.toISOString();
  const cutoff = now.getTime() - config.retentionDays * DAY;
  const budget = { pages: config.fullTextPerRun, fetched: 0 };
  const pages: PageContext = {
    timeoutMs: opts.pageTimeoutMs ?? 5000,
    fetcher: opts.fetcher,
    resolve: memo(opts.resolve ?? dohResolver(opts.fetcher)),
    // Loopback pages only while the site itself is on loopback (wrangler dev with local fixtures).
    allowLoopback: isLoopback(config.baseUrl),
    extraHosts: config.fullTextHosts,
  };
  const results = await Promise.all(
    sources.map(async (source) => {
      const warnings: string[] = [];
      const record: FetchRecord = { url: source.url, at, status: "failed", warnings };
      let newItems = 0;
      try {
        let raw: RawArticle[];
        if (source.url === SEEDS_SOURCE) {
          raw = seedArticles();
          record.status = "fetched";
        } else {
          const state = states.get(source.url);
          const got = await fetchFeedText(source.url, {
            etag: state?.etag,
            lastModified: state?.lastModified,
            timeoutMs: opts.timeoutMs ?? 8000,
            maxBytes: MAX_FEED_BYTES,
            fetcher: opts.fetcher,
          });
          if (got.status === 304) {
            record.status = "not-modified";
            raw = [];
          } else {
            // Undecodable bytes and unexpandable entities: reported on the source's row, once per fetch.
            const feed = readFeed(got.body, source.url);
            for (const w of [...got.warnings, ...feed.warnings]) warnings.push(`${source.url}: ${w}`);
            raw = toRawArticles(feed, source.url);
            record.status = "fetched";
            record.etag = got.etag;
            record.lastModified = got.lastModified;
          }
        }
        // The bundled seeds are a demo: their dates are what they are, and they are kept.
        const fresh = await newArticles(db, source, raw, source.url === SEEDS_SOURCE ? Number.NEGATIVE_INFINITY : cutoff, warnings);
        if (source.url !== SEEDS_SOURCE && !config.fullTextSkip.includes(source.url)) {
          await fillFullText(fresh, source.url, budget, pages, warnings);
        }
        const prepared = prepareArticles(fresh);
        for (const w of prepared.warnings) warnings.push(`${source.url}: ${w}`);
        const items: NewItem[] = prepared.articles.map((article) => ({
          sourceUrl: source.url,
          article,
          fingerprint: fingerprint(article.paragraphs),
          firstSeenAt: at,
        }));
        // The inserts, then one count of the names of the items they stored (in the same transaction).
        const names = countNamesStatement(db, {
          sourceUrl: source.url,
          firstSeenAt: at,
          items: items.map((i) => ({ guid: i.article.id, names: leadNames(i.article) })),
        });
        const done = await db.batch([...items.map((i) => insertItemStatement(db, i)), names, recordFetchStatement(db, record)]);
        newItems = done.slice(0, items.length).filter((r) => r.meta.changes > 0).length;
      } catch (e) {
        record.status = "failed";
        record.error = e instanceof Error ? e.message : String(e);
        await recordFetchStatement(db, record)
          .run()
          .catch(() => {});
      }
      for (const w of warnings) log.warn("ingest_warning", { source: source.url, warning: w });
      if (record.error) log.warn("source_failed", { source: source.url, error: record.error });
      return { url: source.url, status: record.status, newItems, ...(record.error ? { error: record.error } : {}), warnings };
    }),
  );
  const pruned = await pruneItems(db, new Date(cutoff).toISOString());
  const report: IngestReport = { at, sources: results, pagesFetched: budget.fetched, pruned };
  log.info("ingest", {
    at,
    sources: results.length,
    failed: results.filter((r) => r.status === "failed").length,
    notModified: results.filter((r) => r.status === "not-modified").length,
    newItems: results.reduce((n, r) => n + r.newItems, 0),
    pagesFetched: budget.fetched,
    pruned,
  });
  return report;
}

/** The items of one fetch not stored before: capped in size and number, past retention dropped. */
async function newArticles(
  db: D1Database,
  source: { url: string; name?: string },
  raw: RawArticle[],
  cutoff: number,
  warnings: string[],
): Promise<RawArticle[]> {
  const seen = new Set<string>();
  const recent = raw
    .filter((a) => !(a.publishedAt && Date.parse(a.publishedAt) < cutoff))
    .filter((a) => !seen.has(a.id) && seen.add(a.id))
    .sort((a, b) => (b.publishedAt ?? "").localeCompare(a.publishedAt ?? ""))
    .slice(0, MAX_ITEMS_PER_FEED);
  if (recent.length === 0) return [];
  const known = await knownItems(
    db,
    recent.map((a) => a.id),
    recent.map((a) => a.url).filter((u): u is string => !!u),
  );
  return recent
    .filter((a) => !known.has(a.id) && !(a.url && known.has(a.url)))
    .map((a) => {
      const out: RawArticle = source.name ? { ...a, publisher: source.name } : { ...a };
      if (out.body.length > MAX_ITEM_CHARS) {
        out.body = out.body.slice(0, MAX_ITEM_CHARS);
        warnings.push(`${source.url}: item ${a.id} is larger than ${MAX_ITEM_CHARS / 1000} KB, cut to that`);
      }
      return out;
    });
}

interface PageContext {
  timeoutMs: number;
  fetcher: typeof fetch | undefined;
  resolve: Resolver;
  allowLoopback: boolean;
  extraHosts: readonly string[];
}

/** A resolver that asks once per host per run. */
function memo(resolve: Resolver): Resolver {
  const seen = new Map<string, Promise<string[]>>();
  return (host) => {
    let answer = seen.get(host);
    if (!answer) {
      answer = resolve(host);
      seen.set(host, answer);
    }
    return answer;
  };
}

/**
 * Replaces short excerpts by the text of the item's page, within the run's budget of page
 * fetches. A page the policy refuses is not requested: the item keeps its excerpt, and the
 * refusal is a warning on the source's row.
 */
async function fillFullText(
  items: RawArticle[],
  feedUrl: string,
  budget: { pages: number; fetched: number },
  ctx: PageContext,
  warnings: string[],
) {
  const policy: PagePolicy = { feedUrl, allowLoopback: ctx.allowLoopback, extraHosts: ctx.extraHosts };
  const short = items.filter((a) => {
    if (!a.url || !/^https?:\/\//.test(a.url)) return false;
    const text = readArticle(a).article?.text ?? "";
    return words(text) < EXCERPT_WORDS;
  });
  await Promise.all(
    short.map(async (a) => {
      if (budget.pages <= 0) return;
      budget.pages--;
      budget.fetched++;
      try {
        const body = await fetchPage(a.url!, {
          timeoutMs: ctx.timeoutMs,
          maxBytes: MAX_PAGE_BYTES,
          policy,
          resolve: ctx.resolve,
          fetcher: ctx.fetcher,
        });
        const text = htmlToText(body.slice(0, MAX_ITEM_CHARS * 5)).text.slice(0, MAX_ITEM_CHARS);
        if (words(text) > words(readArticle(a).article?.text ?? "")) {
          a.body = text;
          a.format = "text";
        }
      } catch (e) {
        if (e instanceof PageRefused) log.warn("full_text_refused", { source: feedUrl, reason: e.message });
        warnings.push(`${a.url}: full text not fetched (${e instanceof Error ? e.message : String(e)})`);
      }
    }),
  );
}
