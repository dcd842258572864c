// A folder of articles may carry `sources.json`: for each file name, what the operator knows of it
// (title, publisher, URL, publication date), so readers see "Kyodo News", never a file name.
// Shared by the seeds bundler (scripts/build.mjs) and `npm run digest -- --input FOLDER`.
import * as z from "zod/mini";
import type { RawArticle } from "../digest/types";

export const MANIFEST_FILE = "sources.json";

const Entry = z.object({
  title: z.optional(z.string()),
  publisher: z.optional(z.string()),
  url: z.optional(z.string()),
  publishedAt: z.optional(z.string()),
});
const Manifest = z.record(z.string(), Entry);

export type SourceManifest = z.infer<typeof Manifest>;

/**
 * Parses a manifest's JSON; a malformed one is an error naming the file, never silently ignored.
 * @example parseManifest('{"a.txt": {"publisher": "Kyodo News"}}', "seeds/sources.json")["a.txt"]?.publisher
 */
export function parseManifest(json: string, name: string): SourceManifest {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new Error(`${name}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = Manifest.safeParse(data);
  if (!parsed.success) throw new Error(`${name}: expected {"file name": {title?, publisher?, url?, publishedAt?}}`);
  return parsed.data;
}

/** Articles with their manifest entries filled in (the manifest wins over nothing, never over the article). */
export function withManifest(articles: readonly RawArticle[], manifest: SourceManifest): RawArticle[] {
  return articles.map((a) => {
    const m = Object.hasOwn(manifest, a.id) ? manifest[a.id]! : undefined;
    if (!m) return a;
    const out: RawArticle = { ...a };
    for (const k of ["title", "publisher", "url", "publishedAt"] as const) if (out[k] === undefined && m[k]) out[k] = m[k];
    return out;
  });
}
