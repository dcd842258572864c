// JSONL articles (one JSON object a line) -> RawArticle. Pure, shared by the CLI, eval and bench.
import * as z from "zod/mini";
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

/**
 * Parses JSONL text into raw articles; a bad line fails with its line number.
 * @example parseJsonl('{"id":"a","text":"Hello."}')[0].body === "Hello."
 */
export function parseJsonl(text: string): RawArticle[] {
  const out: RawArticle[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new InputError(`line ${i + 1}: not valid JSON`);
    }
    const parsed = line.safeParse(json);
    if (!parsed.success) throw new InputError(`line ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join(".") || "article"} ${x.message}`).join("; ")}`);
    const o = parsed.data;
    out.push({ id: o.id, body: (o.text ?? o.article)!, format: "text", title: o.title, url: o.url, publisher: o.publisher, publishedAt: o.publishedAt });
  });
  return out;
}
