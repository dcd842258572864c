// `npm run digest`: the pure core from the command line. The document goes to stdout, logs to stderr.
//   npm run digest -- [--input seeds/|file.jsonl|feed.xml|feed.json|https://...] [--format html|json|text]
//                     [--max-sentences N] [--max-words N]
// A feed (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1) is read from a file or fetched once
// from its http(s) URL (capped at 2 MB, as the Worker's ingest is), so users can try a digest of
// their own feeds before they deploy.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { buildDigest } from "./digest";
import type { RawArticle } from "./digest/types";
import { renderEmail } from "./render/email";
import { FeedError, parseFeed } from "./sources/feed-parse";
import { fetchCapped, MAX_FEED_BYTES } from "./sources/fetch";
import { InputError, parseJsonl } from "./sources/jsonl";
import { MANIFEST_FILE, parseManifest, withManifest } from "./sources/manifest";

const FORMATS = { ".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html" } as const;

const FEED_FILES = new Set([".xml", ".rss", ".atom", ".rdf", ".json"]);

function feedArticles(body: string, where: string): RawArticle[] {
  try {
    const articles = parseFeed(body, where);
    if (articles.length === 0) throw new InputError(`no items in the feed ${where}`);
    return articles;
  } catch (e) {
    if (e instanceof FeedError) throw new InputError(e.message);
    throw e;
  }
}

async function readInput(path: string): Promise<RawArticle[]> {
  const warn = (w: string) => console.error(`digest: warning: ${w}`);
  if (/^https?:\/\//i.test(path)) {
    try {
      const got = await fetchCapped(path, { timeoutMs: 15_000, maxBytes: MAX_FEED_BYTES });
      if (got.status !== 200) throw new InputError(`${path}: no content`);
      return feedArticles(got.body, path);
    } catch (e) {
      throw e instanceof FeedError ? new InputError(e.message) : e;
    }
  }
  if (!existsSync(path)) throw new InputError(`input not found: ${path}`);
  if (statSync(path).isDirectory()) {
    const files = readdirSync(path)
      .filter((f) => Object.hasOwn(FORMATS, extname(f).toLowerCase()))
      .sort();
    if (files.length === 0) throw new InputError(`no .txt, .md or .html articles in ${path}`);
    const articles: RawArticle[] = files.map((f) => ({
      id: basename(f),
      body: readFileSync(join(path, f), "utf8"),
      format: FORMATS[extname(f).toLowerCase() as keyof typeof FORMATS],
    }));
    const manifestPath = join(path, MANIFEST_FILE);
    if (!existsSync(manifestPath)) return articles;
    try {
      return withManifest(articles, parseManifest(readFileSync(manifestPath, "utf8"), manifestPath));
    } catch (e) {
      throw new InputError(e instanceof Error ? e.message : String(e));
    }
  }
  if (FEED_FILES.has(extname(path).toLowerCase())) {
    if (statSync(path).size > MAX_FEED_BYTES) throw new InputError(`${path}: larger than ${MAX_FEED_BYTES / 1024} KB`);
    return feedArticles(readFileSync(path, "utf8"), pathToFileURL(resolve(path)).href);
  }
  if (extname(path).toLowerCase() !== ".jsonl")
    throw new InputError(`expected a folder, a .jsonl file, a feed (.xml, .rss, .atom, .rdf, .json) or an http(s) URL: ${path}`);
  const { articles, warnings } = parseJsonl(readFileSync(path, "utf8"), basename(path));
  warnings.forEach(warn);
  if (articles.length === 0) throw new InputError(`no usable articles in ${path}`);
  return articles;
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      input: { type: "string", default: "seeds" },
      format: { type: "string", default: "html" },
      "max-sentences": { type: "string" },
      "max-words": { type: "string" },
      date: { type: "string" },
      title: { type: "string" },
    },
    strict: true,
  });
  const format = values.format;
  if (format !== "html" && format !== "json" && format !== "text")
    throw new InputError(`--format must be html, json or text, got "${format}"`);
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new InputError(`--date must be YYYY-MM-DD, got "${date}"`);
  const raw = await readInput(values.input);
  const started = performance.now();
  const { digest, warnings } = buildDigest(raw, {
    date,
    title: values.title,
    maxSentences: positiveInt("max-sentences", values["max-sentences"]),
    maxWords: positiveInt("max-words", values["max-words"]),
  });
  for (const w of warnings) console.error(`digest: warning: ${w}`);
  console.error(`digest: ${raw.length} articles -> ${digest.stories.length} stories in ${(performance.now() - started).toFixed(1)} ms`);
  if (format === "json") {
    process.stdout.write(JSON.stringify(digest, null, 2) + "\n");
    return;
  }
  const rendered = renderEmail(digest, { webUrl: "https://example.com/preview" });
  process.stdout.write(format === "html" ? rendered.html : rendered.text + "\n");
}

main().catch((err: unknown) => {
  const message =
    err instanceof InputError || (err instanceof Error && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))
      ? err.message
      : String(err);
  console.error(`digest: ${message}`);
  process.exit(err instanceof InputError || (err instanceof Error && "code" in err) ? 2 : 1);
});
