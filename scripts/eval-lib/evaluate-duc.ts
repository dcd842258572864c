// Evaluation on DUC-2003 style clusters (pure; file reading stays in the callers): grouping by
// B-cubed on clusters mixed with unrelated articles, and multi-document summaries by ROUGE-1/2
// recall against several human references, first 100 words, beside Lead and Centroid baselines
// scored by the same scorer in the same run. Used by scripts/eval.ts, scripts/tune.ts and tests.

import { prepareArticles, summarizeStory, type PreparedArticle } from "../../src/digest/index";
import { groupArticles, type GroupOptions, DEFAULT_GROUPING } from "../../src/digest/group";
import { jsonObjectLines } from "./evaluate";
import { rougeRecall, type RecallScores } from "./rouge";
import { fnv1a32 } from "../../src/digest/text";
import type { RawArticle } from "../../src/digest/types";

export interface DucDoc {
  id: string;
  publisher?: string;
  publishedAt?: string;
  text: string;
}

export interface DucCluster {
  id: string;
  kind: "event" | "topic";
  docs: DucDoc[];
  references: string[];
}

/** Parses duc2003.jsonl, skipping lines that are not clusters with docs and references. */
export function parseDucJsonl(text: string): DucCluster[] {
  const out: DucCluster[] = [];
  for (const o of jsonObjectLines<DucCluster>(text)) {
    if (typeof o.id === "string" && Array.isArray(o.docs) && Array.isArray(o.references)) {
      out.push({ id: o.id, kind: o.kind === "event" ? "event" : "topic", docs: o.docs, references: o.references });
    }
  }
  return out;
}

/** A cluster's documents as the digest receives them from a feed: publisher and date, no title. */
export function ducRaw(c: DucCluster): RawArticle[] {
  return c.docs.map((d) => ({
    id: `${c.id}/${d.id}`,
    body: d.text,
    format: "text" as const,
    ...(d.publisher ? { publisher: d.publisher } : {}),
    ...(d.publishedAt ? { publishedAt: d.publishedAt } : {}),
  }));
}

/** Deterministic half of the data, by a hash of a cluster or article id (for tuning on one half). */
export function clusterHalf(id: string): 0 | 1 {
  return (fnv1a32(id, 0xd0c) & 1) as 0 | 1;
}

// ---------- Grouping ----------

export interface GroupingScores {
  articles: number;
  stories: number;
  /** B-cubed precision over every article. */
  precision: number;
  /** B-cubed recall over the articles of `event` clusters. */
  recallEvent: number;
  /** B-cubed recall over the articles of `topic` clusters (may fairly be lower). */
  recallTopic: number;
}

/** One labelled article for the grouping check: its gold cluster and kind. */
export interface LabelledArticle {
  raw: RawArticle;
  gold: string;
  kind: "event" | "topic" | "single";
}

/**
 * Mixes clusters with single articles (each its own story) into one input in time order
 * (undated articles last, in their order), as an edition's builder would see them.
 */
export function mixForGrouping(clusters: readonly DucCluster[], singles: readonly RawArticle[]): LabelledArticle[] {
  const out: LabelledArticle[] = [];
  for (const c of clusters) for (const raw of ducRaw(c)) out.push({ raw, gold: c.id, kind: c.kind });
  for (const raw of singles) out.push({ raw, gold: `single/${raw.id}`, kind: "single" });
  const t = (a: LabelledArticle): number => (a.raw.publishedAt ? Date.parse(a.raw.publishedAt) : Number.POSITIVE_INFINITY);
  return out
    .map((a, i) => ({ a, i }))
    .sort((x, y) => t(x.a) - t(y.a) || x.i - y.i)
    .map((x) => x.a);
}

/** B-cubed scores of a grouping (groups of indices into `labelled`). */
export function bcubed(labelled: readonly LabelledArticle[], groups: readonly (readonly number[])[]): GroupingScores {
  const pred = new Array<number>(labelled.length).fill(-1);
  groups.forEach((g, k) => g.forEach((i) => (pred[i] = k)));
  const goldSize = new Map<string, number>();
  for (const a of labelled) goldSize.set(a.gold, (goldSize.get(a.gold) ?? 0) + 1);
  let p = 0;
  let rEvent = 0;
  let nEvent = 0;
  let rTopic = 0;
  let nTopic = 0;
  for (const g of groups) {
    const byGold = new Map<string, number>();
    for (const i of g) byGold.set(labelled[i]!.gold, (byGold.get(labelled[i]!.gold) ?? 0) + 1);
    for (const i of g) {
      const a = labelled[i]!;
      const same = byGold.get(a.gold)!;
      p += same / g.length;
      const r = same / goldSize.get(a.gold)!;
      if (a.kind === "event") {
        rEvent += r;
        nEvent++;
      } else if (a.kind === "topic") {
        rTopic += r;
        nTopic++;
      }
    }
  }
  return {
    articles: labelled.length,
    stories: groups.length,
    precision: p / Math.max(1, labelled.length),
    recallEvent: rEvent / Math.max(1, nEvent),
    recallTopic: rTopic / Math.max(1, nTopic),
  };
}

/** Groups a labelled mix with the digest's own preparation and grouping, and scores it. */
export function groupingEval(
  labelled: readonly LabelledArticle[],
  opts: GroupOptions = DEFAULT_GROUPING,
  prepared?: readonly PreparedArticle[],
): { scores: GroupingScores; groups: number[][]; prepared: readonly PreparedArticle[] } {
  const prep = prepared ?? prepareArticles(labelled.map((a) => a.raw)).articles;
  if (prep.length === labelled.length) {
    const { groups } = groupArticles(prep, opts);
    return { scores: bcubed(labelled, groups), groups, prepared: prep };
  }
  // An article with no prose left after cleaning is in no story: it is scored as one of its own.
  const at = new Map(labelled.map((a, i) => [a.raw.id, i]));
  const index = prep.map((a) => at.get(a.id)!);
  const kept = new Set(index);
  const groups = groupArticles(prep, opts).groups.map((g) => g.map((k) => index[k]!));
  labelled.forEach((_, i) => kept.has(i) || groups.push([i]));
  return { scores: bcubed(labelled, groups), groups, prepared: prep };
}

// ---------- Multi-document summaries ----------

/** Words scored per summary, as DUC did. */
export const DUC_WORDS = 100;

/** The first `n` words of a summary (DUC truncation). */
export function firstWords(sentences: readonly string[], n = DUC_WORDS): string {
  return (sentences.join(" ").match(/\S+/g) ?? []).slice(0, n).join(" ");
}

export interface MultiDocRow {
  id: string;
  kind: "event" | "topic";
  system: RecallScores;
  lead: RecallScores;
  centroid: RecallScores;
}

/** Lead: the opening of the earliest article, cleaned as the system cleans it. */
export function leadSummary(articles: readonly PreparedArticle[]): string[] {
  const dated = articles
    .map((a, i) => ({ a, i, t: a.publishedAt ? Date.parse(a.publishedAt) : Number.POSITIVE_INFINITY }))
    .sort((x, y) => x.t - y.t || x.i - y.i);
  const first = dated[0]?.a;
  return first ? first.candidates.map((c) => c.text) : [];
}

/**
 * Centroid baseline (after MEAD, Radev et al. 2004): the cluster's tf-idf centroid with idf from a
 * background collection; each sentence scores the centroid weight of its terms plus a first-sentence
 * bonus; picked greedily, skipping near-repeats of a sentence already picked, to the word budget.
 */
export function centroidSummary(articles: readonly PreparedArticle[], idf: ReadonlyMap<string, number>, words = DUC_WORDS): string[] {
  const centroid = new Map<string, number>();
  for (const a of articles) {
    const tf = new Map<string, number>();
    for (const c of a.candidates) for (const t of c.terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, f] of tf) centroid.set(t, (centroid.get(t) ?? 0) + (f * (idf.get(t) ?? 0)) / articles.length);
  }
  const cands = articles.flatMap((a) => a.candidates);
  const scored = cands
    .map((c, i) => {
      let s = 0;
      for (const t of new Set(c.terms)) s += centroid.get(t) ?? 0;
      return { c, i, s: s + (c.position === 0 ? s * 0.5 : 0) };
    })
    .filter((x) => x.c.words >= 6)
    .sort((a, b) => b.s - a.s || a.i - b.i);
  const out: string[] = [];
  const picked: Set<string>[] = [];
  let total = 0;
  for (const x of scored) {
    if (total >= words) break;
    const ts = new Set(x.c.terms);
    const redundant = picked.some((p) => {
      let inter = 0;
      for (const t of ts) if (p.has(t)) inter++;
      return inter / Math.max(1, Math.min(ts.size, p.size)) > 0.6;
    });
    if (redundant) continue;
    picked.push(ts);
    out.push(x.c.text);
    total += x.c.words;
  }
  return out;
}

/** Background idf over a collection of prepared articles (for the Centroid baseline). */
export function backgroundIdf(articles: readonly PreparedArticle[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const a of articles) {
    const seen = new Set<string>();
    for (const c of a.candidates) for (const t of c.terms) seen.add(t);
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const n = articles.length;
  const idf = new Map<string, number>();
  for (const [t, d] of df) idf.set(t, Math.log((n + 1) / (d + 0.5)));
  return idf;
}

/** Summarizes each cluster alone as one story (system), beside Lead and Centroid, first 100 words each. */
export function multiDocEval(clusters: readonly DucCluster[], idf: ReadonlyMap<string, number>): MultiDocRow[] {
  return clusters.map((c) => {
    const { articles } = prepareArticles(ducRaw(c));
    const system = summarizeStory(articles, { maxSentences: 12, maxWords: DUC_WORDS, overflowLast: true }).summary;
    return {
      id: c.id,
      kind: c.kind,
      system: rougeRecall(firstWords(system), c.references),
      lead: rougeRecall(firstWords(leadSummary(articles)), c.references),
      centroid: rougeRecall(firstWords(centroidSummary(articles, idf)), c.references),
    };
  });
}

/** Mean of recall rows, x100. */
export function meanRecall(xs: readonly RecallScores[]): RecallScores {
  const n = Math.max(1, xs.length);
  return { r1: (xs.reduce((s, x) => s + x.r1, 0) / n) * 100, r2: (xs.reduce((s, x) => s + x.r2, 0) / n) * 100 };
}
