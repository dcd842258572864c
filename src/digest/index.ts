// The pure digest pipeline: raw articles -> cleaned articles -> stories -> Digest.
import type { Article, Digest, DigestOptions, RawArticle, Story } from "./types";

export type * from "./types";

export interface DigestResult {
  digest: Digest;
  /** The cleaned articles, so an edition can show each source's full text. */
  articles: Article[];
}

/**
 * Builds a digest from raw articles. Deterministic: same input, same output.
 * @example buildDigest([{ id: "a.txt", body: "..." }], { date: "2026-11-23" }).digest.stories
 */
export function buildDigest(raw: RawArticle[], options: DigestOptions): DigestResult {
  const articles: Article[] = raw.map((r) => ({
    id: r.id,
    title: r.title,
    url: r.url,
    publisher: r.publisher,
    publishedAt: r.publishedAt,
    paragraphs: r.body.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => /[.!?"”]$/.test(p)),
  }));
  const stories: Story[] = articles.map((a) => ({
    id: a.id,
    headline: a.title ?? a.paragraphs[0]?.slice(0, 90) ?? a.id,
    summary: a.paragraphs.slice(0, options.maxSentences ?? 3),
    sources: [{ id: a.id, title: a.title, url: a.url, publisher: a.publisher }],
  }));
  return { digest: { title: options.title ?? "The Daily Digest", date: options.date, stories }, articles };
}
