// `npm run digest`: the pure core from the command line. The document goes to stdout, logs to stderr.
// Every --input (a folder, a .jsonl file, a feed file or a feed's http(s) URL; several allowed) is
// read, and all of them are digested together, as one edition would be. A feed (RSS 0.9x/1.0/2.0,
// Atom 0.3/1.0, JSON Feed 1.0/1.1) is read from a file or fetched once from its URL (capped at
// 2 MB, decoded in the charset it declares, newest 100 items, as the Worker's ingest does), so
// users can try a digest of their own feeds before they deploy. `--format items` prints what the
// feed parser read, one JSON object per item, to see why a feed digests as it does.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { buildDigest } from "./digest";
import { ingest } from "./digest/ingest";
import type { Digest, RawArticle } from "./digest/types";
import { dateLabel, plainText, safeHttpUrl, shownHeadline } from "./render/format";
import { EditionDocument } from "./render/pages/edition";
import { TEXT_WIDTH, wrap } from "./render/text";
import { sourceLabel } from "./render/view";
import { decodeFeed } from "./sources/decode";
import { FeedError, type ItemLine, itemLine, MAX_ITEMS_PER_FEED, readFeed, toRawArticles } from "./sources/feed-parse";
import { fetchFeedText } from "./sources/feed-fetch";
import { MAX_FEED_BYTES } from "./sources/fetch";
import { InputError, parseJsonl } from "./sources/jsonl";
import { MANIFEST_FILE, parseManifest, withManifest } from "./sources/manifest";

const USAGE = `Usage: npm run digest -- [options]

Digests articles and feeds offline, as one edition would, and prints the result on stdout.

Options:
  --input PATH|URL     what to read; repeat it to digest several together (default: seeds/)
                         a folder of .txt, .md or .html articles (with an optional sources.json)
                           and/or feed files (.xml, .rss, .atom, .rdf, .json)
                         a .jsonl file, one JSON object a line ({"id", "text", "title", "url", ...})
                         a feed file, or a feed's http(s) URL (fetched once, at most 2 MB)
  --format FORMAT      html (default), text, json (the Digest), or items (what the feed parser
                         read: one JSON object per item with id, title, url, publishedAt,
                         updatedAt, author and text)
  --date YYYY-MM-DD    the edition's date (default: today, UTC)
  --title TEXT         the digest's title
  --max-sentences N    summary sentences per story
  --max-words N        summary words per story
  -h, --help           this text

Examples:
  npm run digest -- --input seeds/ --format text
  npm run digest -- --input https://example.org/feed.xml --input my-feeds/ --format json
  npm run digest -- --input feed.xml --format items
`;

const ARTICLE_FORMATS = { ".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html" } as const;
const FEED_FILES = new Set([".xml", ".rss", ".atom", ".rdf", ".json"]);

interface Input {
  articles: RawArticle[];
  items: ItemLine[];
}

const warn = (w: string) => console.error(`digest: warning: ${w}`);
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A feed's items: all of them for `--format items`; the newest 100 for the digest, as ingest takes. */
function feedInput(body: string, where: string): Input {
  let feed: ReturnType<typeof readFeed>;
  try {
    feed = readFeed(body, where);
  } catch (e) {
    throw e instanceof FeedError ? new InputError(e.message) : e;
  }
  for (const w of feed.warnings) warn(`${where}: ${w}`);
  const items = feed.items.map((item, k) => itemLine(item, `${where}#${k}`));
  let articles = toRawArticles(feed, where);
  if (articles.length > MAX_ITEMS_PER_FEED) {
    warn(`${where}: ${articles.length} items; the newest ${MAX_ITEMS_PER_FEED} are digested, as the Worker's ingest takes`);
    articles = articles.sort((a, b) => (b.publishedAt ?? "").localeCompare(a.publishedAt ?? "")).slice(0, MAX_ITEMS_PER_FEED);
  }
  return { articles, items };
}

/** A feed file, decoded as its XML declaration or byte-order mark says (UTF-8 otherwise). */
function feedFile(path: string): Input {
  if (statSync(path).size > MAX_FEED_BYTES) throw new InputError(`${path}: larger than ${MAX_FEED_BYTES / 1024} KB`);
  const decoded = decodeFeed(new Uint8Array(readFileSync(path)));
  for (const w of decoded.warnings) warn(`${path}: ${w}`);
  return feedInput(decoded.text, pathToFileURL(resolve(path)).href);
}

/** Articles as `--format items` shows them: what the digest reads of each. */
function articleItems(articles: RawArticle[]): ItemLine[] {
  return articles.map((a) => {
    const read = ingest(a).article;
    return {
      id: a.id,
      title: read?.title ?? null,
      url: read?.url ?? null,
      publishedAt: read?.publishedAt ?? null,
      updatedAt: null,
      author: read?.author ?? null,
      text: read?.text ?? null,
    };
  });
}

function folderInput(path: string): Input {
  const files = readdirSync(path).sort();
  const articleFiles = files.filter((f) => Object.hasOwn(ARTICLE_FORMATS, extname(f).toLowerCase()));
  const feedFiles = files.filter((f) => FEED_FILES.has(extname(f).toLowerCase()) && f !== MANIFEST_FILE);
  if (articleFiles.length === 0 && feedFiles.length === 0)
    throw new InputError(`no articles (.txt, .md, .html) or feeds (.xml, .rss, .atom, .rdf, .json) in ${path}`);
  let articles: RawArticle[] = articleFiles.map((f) => ({
    id: basename(f),
    body: readFileSync(join(path, f), "utf8"),
    format: ARTICLE_FORMATS[extname(f).toLowerCase() as keyof typeof ARTICLE_FORMATS],
  }));
  const manifestPath = join(path, MANIFEST_FILE);
  if (existsSync(manifestPath)) {
    try {
      articles = withManifest(articles, parseManifest(readFileSync(manifestPath, "utf8"), manifestPath));
    } catch (e) {
      throw new InputError(e instanceof Error ? e.message : String(e));
    }
  }
  const out: Input = { articles, items: articleItems(articles) };
  // One feed file that cannot be read is skipped with a warning: the rest still make the edition.
  for (const f of feedFiles) {
    try {
      const feed = feedFile(join(path, f));
      out.articles.push(...feed.articles);
      out.items.push(...feed.items);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      warn(`${e.message}, skipped`);
    }
  }
  if (out.articles.length === 0) throw new InputError(`nothing to digest in ${path}`);
  return out;
}

async function readInput(path: string): Promise<Input> {
  if (/^https?:\/\//i.test(path)) {
    let got: Awaited<ReturnType<typeof fetchFeedText>>;
    try {
      got = await fetchFeedText(path, { timeoutMs: 15_000, maxBytes: MAX_FEED_BYTES });
    } catch (e) {
      throw e instanceof FeedError ? new InputError(e.message) : e;
    }
    if (got.status !== 200) throw new InputError(`${path}: no content`);
    for (const w of got.warnings) warn(`${path}: ${w}`);
    const input = feedInput(got.body, path);
    if (input.items.length === 0) throw new InputError(`no items in the feed ${path}`);
    return input;
  }
  if (!existsSync(path)) throw new InputError(`input not found: ${path}`);
  if (statSync(path).isDirectory()) return folderInput(path);
  if (FEED_FILES.has(extname(path).toLowerCase())) {
    const input = feedFile(path);
    if (input.items.length === 0) throw new InputError(`no items in the feed ${path}`);
    return input;
  }
  if (extname(path).toLowerCase() !== ".jsonl")
    throw new InputError(`expected a folder, a .jsonl file, a feed (.xml, .rss, .atom, .rdf, .json) or an http(s) URL: ${path}`);
  const { articles, warnings } = parseJsonl(readFileSync(path, "utf8"), basename(path));
  warnings.forEach(warn);
  if (articles.length === 0) throw new InputError(`no usable articles in ${path}`);
  return { articles, items: articleItems(articles) };
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

/**
 * The digest as plain text for a terminal: stories, summaries and sources with their links. No
 * email parts: there is no web version to view and no subscription to leave.
 */
function digestText(d: Digest): string {
  const out: string[] = [...wrap(plainText(d.title)), dateLabel(d.date), ""];
  if (d.stories.length === 0) out.push("No stories.");
  for (const [i, s] of d.stories.entries()) {
    out.push("-".repeat(TEXT_WIDTH), "", ...wrap(plainText(shownHeadline(s)), TEXT_WIDTH, "    ", `${String(i + 1).padStart(2)}. `), "");
    for (const sentence of s.summary) out.push(...wrap(plainText(sentence)), "");
    out.push("Sources:");
    for (const [k, src] of s.sources.entries()) {
      const by = src.author && src.author !== sourceLabel(src, k) ? ` (${src.author})` : "";
      out.push(...wrap(plainText(sourceLabel(src, k) + by), TEXT_WIDTH, "    ", "  - "));
      const url = safeHttpUrl(src.url);
      if (url) out.push(`    ${url}`);
    }
    out.push("");
  }
  return out.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      input: { type: "string", multiple: true },
      format: { type: "string", default: "html" },
      "max-sentences": { type: "string" },
      "max-words": { type: "string" },
      date: { type: "string" },
      title: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const format = values.format;
  if (format !== "html" && format !== "json" && format !== "text" && format !== "items")
    throw new InputError(`--format must be html, text, json or items, got "${format}"`);
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new InputError(`--date must be YYYY-MM-DD, got "${date}"`);
  const options = {
    date,
    title: values.title,
    maxSentences: positiveInt("max-sentences", values["max-sentences"]),
    maxWords: positiveInt("max-words", values["max-words"]),
  };
  const inputs = await Promise.all((values.input ?? ["seeds"]).map(readInput));
  if (format === "items") {
    for (const line of inputs.flatMap((i) => i.items)) process.stdout.write(`${JSON.stringify(line)}\n`);
    return;
  }
  // The same item read twice (two inputs carrying one feed) is digested once, as ingest stores it once.
  const seen = new Set<string>();
  const raw = inputs
    .flatMap((i) => i.articles)
    .filter((a) => {
      if (seen.has(a.id)) {
        warn(`${a.id}: given by more than one input, read once`);
        return false;
      }
      seen.add(a.id);
      return true;
    });
  const started = performance.now();
  const { digest, warnings } = buildDigest(raw, options);
  for (const w of warnings) warn(w);
  console.error(
    `digest: ${count(raw.length, "article", "articles")} -> ${count(digest.stories.length, "story", "stories")} ` +
      `in ${(performance.now() - started).toFixed(1)} ms`,
  );
  if (format === "json") process.stdout.write(`${JSON.stringify(digest, null, 2)}\n`);
  else if (format === "text") process.stdout.write(`${digestText(digest)}\n`);
  else process.stdout.write(`<!doctype html>\n${(await EditionDocument({ digest })).toString()}\n`);
}

main().catch((err: unknown) => {
  const message =
    err instanceof InputError || (err instanceof Error && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))
      ? err.message
      : String(err);
  const badArgs = err instanceof Error && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS");
  console.error(`digest: ${message}${badArgs ? " (see --help)" : ""}`);
  process.exit(err instanceof InputError || (err instanceof Error && "code" in err) ? 2 : 1);
});
