// `npm run digest`: the pure core from the command line. The document goes to stdout, logs to stderr.
//   npm run digest -- [--input seeds/|file.jsonl] [--format html|json|text] [--max-sentences N] [--max-words N]
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { parseArgs } from "node:util";
import { buildDigest } from "./digest";
import type { RawArticle } from "./digest/types";
import { renderEmail } from "./render/email";
import { InputError, parseJsonl } from "./sources/jsonl";
import { MANIFEST_FILE, parseManifest, withManifest } from "./sources/manifest";

const FORMATS = { ".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html" } as const;

function readInput(path: string): RawArticle[] {
  const warn = (w: string) => console.error(`digest: warning: ${w}`);
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
  if (extname(path).toLowerCase() !== ".jsonl") throw new InputError(`expected a folder or a .jsonl file: ${path}`);
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

function main(): void {
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
  const raw = readInput(values.input);
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

try {
  main();
} catch (err) {
  const message =
    err instanceof InputError || (err instanceof Error && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))
      ? err.message
      : String(err);
  console.error(`digest: ${message}`);
  process.exit(err instanceof InputError || (err instanceof Error && "code" in err) ? 2 : 1);
}
