// The pure digest pipeline: raw articles -> ingest -> clean -> group into stories -> summarize +
// headline -> ranked Digest. No Cloudflare, Node built-ins, network, clock or randomness: the same
// input always gives the same output, in Node and in workerd.
import type { Article, Digest, DigestOptions, RawArticle, Source, Story, StoryMemory } from "./types";
import { ingest } from "./ingest";
import { type CleanResult, cleanParagraphs, rawParagraphs, repeatedParagraphs } from "./clean";
import { DEFAULT_GROUPING, groupArticles } from "./group";
export { leadNames } from "./group";
import {
  candidatesOfSentences,
  summarizeLead,
  summarizeMulti,
  leansOnContext,
  DEFAULT_MULTI,
  type Candidate,
  type MultiWeights,
  type SummaryOptions,
} from "./summarize";
import { makeHeadline, mendTitle } from "./headline";
import { rankStories, type RankInput } from "./rank";
import { fnv1a, topK } from "./text";

export type * from "./types";

export const DEFAULT_MAX_SENTENCES = 3;
export const DEFAULT_MAX_WORDS = 90;
/** Sentences tried as a headline: enough to find a clean one, bounded for stories of many sources. */
const MAX_HEADLINE_CANDIDATES = 12;

export interface DigestResult {
  digest: Digest;
  /** The cleaned articles, so an edition can show each source's full text. */
  articles: Article[];
  /** Inputs that were skipped or altered, each naming the input (never fatal). */
  warnings: string[];
  /** What the next build must remember of each story here (its id, all its articles, all sentences sent). */
  memory?: StoryMemory[];
}

/** An article cleaned and analysed once, for grouping and for summaries. */
export interface PreparedArticle extends Article {
  /** Its sentences in order, analysed once for grouping and summaries (the first MAX_CANDIDATES). */
  candidates: Candidate[];
  /**
   * The line the article opened on to introduce what follows ("Here are some Web sites dealing with
   * the Y2k problem:"), without its colon: not prose to summarise (cleaning drops it), but what the
   * article is about when its sentences are items of a list that make no headline.
   */
  leadIn?: string;
}

/**
 * Ingests and cleans raw articles: each input on its own, so one bad article never sinks the
 * digest; short lines that recur across articles are treated as boilerplate.
 * @example prepareArticles([{ id: "a.txt", body: "Text." }]).articles[0].paragraphs
 */
export function prepareArticles(raw: readonly RawArticle[]): { articles: PreparedArticle[]; warnings: string[] } {
  const warnings: string[] = [];
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
  const split = ingested.map((a) => rawParagraphs(a.text));
  const repeated = repeatedParagraphs(split);
  const articles: PreparedArticle[] = [];
  for (const [k, a] of ingested.entries()) {
    const cleaned = cleanParagraphs(split[k]!, { repeatedAcrossArticles: repeated });
    for (const w of cleaned.warnings) warnings.push(`${a.id}: ${w}`);
    if (cleaned.paragraphs.length === 0) {
      warnings.push(`${a.id}: no article prose left after cleaning, skipped`);
      continue;
    }
    const { text: _text, ...meta } = a;
    const candidates = candidatesOfSentences(cleaned.sentences, 0);
    const prepared: PreparedArticle = { ...meta, paragraphs: cleaned.paragraphs, candidates };
    const leadIn = openingLeadIn(split[k]!, cleaned.dropped);
    if (leadIn) prepared.leadIn = leadIn;
    articles.push(prepared);
  }
  return { articles, warnings };
}

/** The article's first paragraph, without its colon, when it ends on one and cleaning dropped it (a lead-in, or a line too long for one). */
function openingLeadIn(paragraphs: readonly string[], dropped: CleanResult["dropped"]): string | undefined {
  const first = dropped[0]?.text.trim();
  if (!first?.endsWith(":") || first !== paragraphs[0]?.trim()) return undefined;
  return first.replace(/\s*:$/, "");
}

export type StoryOptions = SummaryOptions;

/** Time of an article for ordering (undated articles sort after dated ones, in input order). */
const timeOf = (a: Article): number => (a.publishedAt ? Date.parse(a.publishedAt) : Number.POSITIVE_INFINITY);

/**
 * One story from its member articles: sources in time order, an extractive summary (by position for
 * one source; by coverage of what the sources say in common for several), and a headline.
 * @param duplicate per member, whether it copies another member (a copy adds no new sentences)
 * @example summarizeStory(prepareArticles(raw).articles, { maxSentences: 3, maxWords: 90 }).headline
 */
export function summarizeStory(
  members: readonly PreparedArticle[],
  opts: StoryOptions,
  duplicate: readonly boolean[] = [],
  multiWeights: MultiWeights = DEFAULT_MULTI,
): { headline: string; summary: string[]; sources: Source[]; sentences: number } {
  const order = members.map((_, i) => i).sort((a, b) => timeOf(members[a]!) - timeOf(members[b]!) || a - b);
  const sorted = order.map((i) => members[i]!);
  const cands: Candidate[] = [];
  order.forEach((i, k) => {
    if (duplicate[i]) return;
    for (const c of members[i]!.candidates) cands.push(k === 0 ? c : { ...c, source: k });
  });
  const distinct = new Set(cands.map((c) => c.source)).size;
  const picked = distinct > 1 ? summarizeMulti(cands, opts, multiWeights) : summarizeLead(cands, opts);
  // Headline candidates: the summary's opening, then each source's lead, then the rest.
  const leads = [
    ...picked.slice(0, 1).map((c) => c.text),
    ...cands.filter((c) => c.position === 0).map((c) => c.text),
    ...picked.slice(1).map((c) => c.text),
    ...cands.filter((c) => c.position === 1).map((c) => c.text),
    // Further opening sentences, for when none of those makes a whole headline.
    ...cands.filter((c) => c.position >= 2 && c.position < 5).map((c) => c.text),
  ]
    .filter((t) => !leansOnContext(t) && !/^\p{Lu}\p{Ll}+,/u.test(t))
    .slice(0, MAX_HEADLINE_CANDIDATES);
  // Last, the lines introducing a list, for when the list's items make no headline.
  for (const m of sorted) if (m.leadIn) leads.push(m.leadIn);
  const headline = makeHeadline(
    sorted.flatMap((m) => (m.title ? [mendTitle(m.title, m.paragraphs)] : [])),
    leads,
    storyTerms(cands),
  );
  const sources: Source[] = sorted.map((m) => {
    const s: Source = { id: m.id };
    if (m.title) s.title = m.title;
    if (m.url) s.url = m.url;
    if (m.publisher) s.publisher = m.publisher;
    if (m.publishedAt) s.publishedAt = m.publishedAt;
    if (m.author) s.author = m.author;
    return s;
  });
  return { headline, summary: picked.map((c) => c.text), sources, sentences: cands.length };
}

/**
 * Builds a digest from raw articles. Deterministic: same input, same output. With `memory`, the
 * inputs that belong to a remembered story are context only: a story of nothing but remembered
 * articles is left out, and one that new articles joined comes back as an update (its id kept,
 * only sentences not sent before, only the new sources).
 * @example buildDigest([{ id: "a.txt", body: "..." }], { date: "2026-11-23" }).digest.stories
 */
export function buildDigest(raw: RawArticle[], options: DigestOptions): DigestResult {
  const { articles: prepared, warnings } = prepareArticles(raw);
  const result = digestPrepared(prepared, options);
  return { ...result, warnings: [...warnings, ...result.warnings] };
}

/** Sentences compared as sent or not: case and spacing do not make a sentence new. */
const sentenceKey = (s: string): string => s.toLowerCase().replace(/\s+/g, " ").trim();

/**
 * The digest of articles already prepared (analysed once, e.g. when they were ingested and stored).
 * @example digestPrepared(prepareArticles(raw).articles, { date: "2026-11-23", memory }).memory
 */
export function digestPrepared(prepared: readonly PreparedArticle[], options: DigestOptions): DigestResult {
  const maxSentences = limit(options.maxSentences, DEFAULT_MAX_SENTENCES);
  const maxWords = limit(options.maxWords, DEFAULT_MAX_WORDS);
  // Each remembered article belongs to the first story that lists it.
  const remembered = new Map<string, StoryMemory>();
  for (const m of options.memory ?? []) for (const id of m.articleIds) if (!remembered.has(id)) remembered.set(id, m);
  // A remembered article keeps its story: a new article joins it only as it would join any story,
  // and two remembered stories are never merged into one.
  const { groups, duplicateOf } = groupArticles(
    remembered.size === 0 ? prepared : prepared.map((a) => (remembered.has(a.id) ? { ...a, story: remembered.get(a.id)!.id } : a)),
    DEFAULT_GROUPING,
    options.nameHistory ? { nameHistory: options.nameHistory } : {},
  );
  const byTime = (a: number, b: number) => timeOf(prepared[a]!) - timeOf(prepared[b]!) || a - b;
  const usedIds = new Set<string>();

  const built: { story: Story; rank: RankInput; memory: StoryMemory }[] = [];
  for (const group of groups) {
    const fresh = group.filter((i) => !remembered.has(prepared[i]!.id));
    if (fresh.length === 0) continue; // sent before, and nothing joined it
    const old = group.filter((i) => remembered.has(prepared[i]!.id)).sort(byTime);
    const earlier = old.length > 0 ? remembered.get(prepared[old[0]!]!.id) : undefined;
    const sent = new Set((earlier?.sentences ?? []).map(sentenceKey));
    const members = fresh.map((i) => {
      const a = prepared[i]!;
      return earlier ? { ...a, candidates: a.candidates.filter((c) => !sent.has(sentenceKey(c.text))) } : a;
    });
    // A copy of any member (remembered ones included) adds no sentences.
    const duplicate = fresh.map((i) => duplicateOf[i]! >= 0 && group.includes(duplicateOf[i]!));
    if (earlier && members.every((m, k) => duplicate[k] || m.candidates.length === 0)) continue; // nothing new to say
    const s = summarizeStory(members, { maxSentences, maxWords }, duplicate);
    if (earlier && s.summary.length === 0) continue;
    const first = prepared[[...fresh].sort(byTime)[0]!]!;
    const id = earlier && !usedIds.has(earlier.id) ? earlier.id : "s-" + fnv1a(first.id);
    usedIds.add(id);
    const dates = members.map((m) => (m.publishedAt ? Date.parse(m.publishedAt) : NaN)).filter((d) => !Number.isNaN(d));
    const story: Story = { id, update: earlier !== undefined, headline: s.headline, summary: s.summary, sources: s.sources };
    if (earlier?.firstEdition) story.firstEdition = earlier.firstEdition;
    const rank: RankInput = {
      sources: duplicate.filter((d) => !d).length,
      publishers: new Set(members.map((m) => m.publisher).filter(Boolean)).size,
      sentences: s.sentences,
      order: group[0]!,
    };
    if (dates.length) rank.newest = Math.max(...dates);
    const memory: StoryMemory = {
      id,
      articleIds: [...(earlier && earlier.id === id ? earlier.articleIds : []), ...fresh.map((i) => prepared[i]!.id)],
      sentences: [...(earlier && earlier.id === id ? earlier.sentences : []), ...s.summary],
    };
    if (earlier && earlier.id === id && earlier.firstEdition) memory.firstEdition = earlier.firstEdition;
    built.push({ story, rank, memory });
  }
  const order = rankStories(built.map((b) => b.rank));
  const stories = order.map((i) => built[i]!.story);
  const articles: Article[] = prepared.filter((a) => !remembered.has(a.id)).map(({ candidates: _c, ...a }) => a);
  return {
    digest: { title: options.title ?? "The Daily Digest", date: options.date, stories },
    articles,
    warnings: [],
    memory: order.map((i) => built[i]!.memory),
  };
}

function limit(v: number | undefined, dflt: number): number {
  if (v === undefined || !Number.isFinite(v)) return dflt;
  return Math.max(1, Math.floor(v));
}

/** The story's salient terms, most frequent first (ties in first-seen order, for determinism). */
function storyTerms(cands: readonly Candidate[]): string[] {
  // Sentences using each term (each sentence once), in first-seen order: one map lookup per term
  // and a mark of the last sentence counted, not a set per sentence (every story of a build runs this).
  const slot = new Map<string, number>();
  const entries: [string, number][] = [];
  const countedIn: number[] = [];
  cands.forEach((c, k) => {
    if (c.position >= 8) return;
    for (const t of c.terms) {
      let s = slot.get(t);
      if (s === undefined) {
        slot.set(t, (s = entries.length));
        entries.push([t, 0]);
        countedIn.push(-1);
      }
      if (countedIn[s] !== k) {
        countedIn[s] = k;
        entries[s]![1]++;
      }
    }
  });
  return topK(entries, 20).map(([t]) => t);
}
