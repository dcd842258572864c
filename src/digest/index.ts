// The pure digest pipeline: raw articles -> ingest -> clean -> cluster -> summarize + headline
// -> ranked Digest. No Cloudflare, Node built-ins, network, clock or randomness: the same input
// always gives the same output, in Node and in workerd.
import type { Article, Digest, DigestOptions, RawArticle, Source, Story } from "./types";
import { ingest } from "./ingest";
import { cleanParagraphs, rawParagraphs, repeatedParagraphs } from "./clean";
import { clusterArticles } from "./cluster";
import { candidatesOfSentences, summarize, DEFAULT_WEIGHTS, type Candidate } from "./summarize";
import { makeHeadline } from "./headline";
import { rankStories, type RankInput } from "./rank";
import { contentTerms, fnv1a, slugWords, topK } from "./text";

export type * from "./types";

export const DEFAULT_MAX_SENTENCES = 3;
export const DEFAULT_MAX_WORDS = 90;

export interface DigestResult {
  digest: Digest;
  /** The cleaned articles, so an edition can show each source's full text. */
  articles: Article[];
  /** Inputs that were skipped or altered, each naming the input (never fatal). */
  warnings: string[];
}

/**
 * Builds a digest from raw articles. Deterministic: same input, same output.
 * @example buildDigest([{ id: "a.txt", body: "..." }], { date: "2026-11-23" }).digest.stories
 */
export function buildDigest(raw: RawArticle[], options: DigestOptions): DigestResult {
  const warnings: string[] = [];
  const maxSentences = limit(options.maxSentences, DEFAULT_MAX_SENTENCES);
  const maxWords = limit(options.maxWords, DEFAULT_MAX_WORDS);

  // 1. Ingest: each input on its own, so one bad article never sinks the digest.
  const ingested = [];
  for (const r of raw) {
    try {
      const res = ingest(r);
      if (res.warning) warnings.push(res.warning);
      if (res.article) ingested.push(res.article);
    } catch (e) {
      warnings.push(`${String(r?.id)}: could not be read (${e instanceof Error ? e.message : String(e)}), skipped`);
    }
  }

  // 2. Clean, with short lines that recur across articles treated as boilerplate.
  const split = ingested.map((a) => rawParagraphs(a.text));
  const repeated = repeatedParagraphs(split);
  const articles: Article[] = [];
  const sentencesOf: string[][][] = [];
  for (const [k, a] of ingested.entries()) {
    const { paragraphs, sentences } = cleanParagraphs(split[k]!, { repeatedAcrossArticles: repeated });
    if (paragraphs.length === 0) {
      warnings.push(`${a.id}: no article prose left after cleaning, skipped`);
      continue;
    }
    const { text: _text, ...meta } = a;
    articles.push({ ...meta, paragraphs });
    sentencesOf.push(sentences);
  }

  // 3. Group into stories (sentences are analysed once, for grouping and for summaries).
  const candsOf = sentencesOf.map((sents) => candidatesOfSentences(sents, 0));
  const { groups, duplicateOf } = clusterArticles(articles.map((a, i) => ({ ...a, sentences: candsOf[i]! })));

  // 4. Summarize, headline and rank each story.
  const built: { story: Story; rank: RankInput }[] = groups.map((group) => {
    const members = group.map((i) => articles[i]!);
    const cands: Candidate[] = [];
    group.forEach((i, k) => {
      if (duplicateOf[i]! >= 0 && group.includes(duplicateOf[i]!)) return; // a copy adds no new sentences
      for (const c of candsOf[i]!) cands.push(k === 0 ? c : { ...c, source: k });
    });
    const titleText = members.map((m) => m.title ?? slugWords(m.url)).join(" ");
    const picked = summarize(cands, { maxSentences, maxWords }, DEFAULT_WEIGHTS, new Set(contentTerms(titleText)));
    const leads = [...picked.map((c) => c.text), ...cands.filter((c) => c.position < 2).map((c) => c.text)];
    const headline = makeHeadline(
      members.map((m) => m.title).filter((t): t is string => !!t),
      leads,
      storyTerms(cands),
    );
    const sources: Source[] = members.map((m) => {
      const s: Source = { id: m.id };
      if (m.title) s.title = m.title;
      if (m.url) s.url = m.url;
      if (m.publisher) s.publisher = m.publisher;
      if (m.publishedAt) s.publishedAt = m.publishedAt;
      return s;
    });
    const dates = members.map((m) => (m.publishedAt ? Date.parse(m.publishedAt) : NaN)).filter((d) => !Number.isNaN(d));
    const distinct = group.filter((i) => duplicateOf[i]! < 0 || !group.includes(duplicateOf[i]!)).length;
    const story: Story = {
      id: "s-" + fnv1a(members.map((m) => m.id).sort().join("\u0000")),
      headline,
      summary: picked.map((c) => c.text),
      sources,
    };
    const rank: RankInput = {
      sources: distinct,
      publishers: new Set(members.map((m) => m.publisher).filter(Boolean)).size,
      sentences: cands.length,
      order: group[0]!,
    };
    if (dates.length) rank.newest = Math.max(...dates);
    return { story, rank };
  });
  const order = rankStories(built.map((b) => b.rank));
  const stories = order.map((i) => built[i]!.story);
  return { digest: { title: options.title ?? "The Daily Digest", date: options.date, stories }, articles, warnings };
}

function limit(v: number | undefined, dflt: number): number {
  if (v === undefined || !Number.isFinite(v)) return dflt;
  return Math.max(1, Math.floor(v));
}

/** The story's salient terms, most frequent first (ties in first-seen order, for determinism). */
function storyTerms(cands: readonly Candidate[]): string[] {
  const tf = new Map<string, number>();
  for (const c of cands) if (c.position < 8) for (const t of new Set(c.terms)) tf.set(t, (tf.get(t) ?? 0) + 1);
  return topK([...tf.entries()], 20).map(([t]) => t);
}
