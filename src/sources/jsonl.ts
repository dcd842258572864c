// JSONL articles (one JSON object a line) -> RawArticle. Pure, shared by the CLI, eval and bench.
import * as z from "zod/mini";
import "../validation";
import type { RawArticle } from "../digest/types";

const line = z
  .object({
    id: z.pipe(z.union([z.string().check(z.minLength(1)), z.number()]), z.transform(String)),
    text: z.optional(z.string()),
    article: z.optional(z.string()),
    title: z.optional(z.string()),
    url: z.optional(z.string()),
    publisher: z.optional(z.string()),
    publishedAt: z.optional(z.string()),
  })
  .check(z.refine((o) => typeof (o.text ?? o.article) === "string", { message: "needs a `text` or `article` string" }));

export class InputError extends Error {}

export interface JsonlResult {
  articles: RawArticle[];
  /** One line per skipped line, naming the source and line number. */
  warnings: string[];
}

/**
 * Parses JSONL text into raw articles. A line that is not JSON or lacks the fields is skipped
 * with a warning naming `source` and its line number: one bad line must not cost the digest.
 * @example parseJsonl('{"id":"a","text":"Hello."}', "in.jsonl").articles[0].body === "Hello."
 */
export function parseJsonl(text: string, source = "input"): JsonlResult {
  const articles: RawArticle[] = [];
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === "") return;
    const where = `${source}:${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      warnings.push(`${where}: not valid JSON, skipped`);
      return;
    }
    const parsed = line.safeParse(json);
    if (!parsed.success) {
      warnings.push(`${where}: ${parsed.error.issues.map((x) => `${x.path.join(".") || "article"} ${x.message}`).join("; ")}, skipped`);
      return;
    }
    const o = parsed.data;
    articles.push({
      id: o.id,
      body: (o.text ?? o.article)!,
      format: "text",
      title: o.title,
      url: o.url,
      publisher: o.publisher,
      publishedAt: o.publishedAt,
    });
  });
  return { articles, warnings };
}
