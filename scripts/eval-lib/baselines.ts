// Grouping baselines for the quality report, scored with the same B-cubed in the same run:
// - every article alone (a story each);
// - a plain online tf-idf grouping, as ../shared/eval/README.md describes it: each article's title and
//   first 800 characters as a tf-idf vector (every lower-cased word, raw counts, idf log(n / df) over
//   the input, no stemming, no stop list), and in time order each article joins
//   the most similar cluster (cosine with its centroid) active in the last 7 days, when that cosine
//   is at least 0.2; otherwise it starts a cluster.

import { words } from "../../src/digest/text";
import type { Digest, RawArticle } from "../../src/digest/types";

/** Every article its own story. */
export function aloneGrouping(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => [i]);
}

const DAY = 86_400_000;

export interface TfidfBaselineOptions {
  /** Characters of the body read after the title. */
  chars: number;
  /** Cosine with a cluster's centroid at or above which an article joins it. */
  join: number;
  /** Days since a cluster's latest article during which it is still active. */
  activeDays: number;
}

export const TFIDF_BASELINE: TfidfBaselineOptions = { chars: 800, join: 0.2, activeDays: 7 };

/**
 * The plain online tf-idf grouping (articles in the given order, which is time order here).
 * @example tfidfGrouping(raw).length // number of clusters
 */
export function tfidfGrouping(raw: readonly RawArticle[], opts: TfidfBaselineOptions = TFIDF_BASELINE): number[][] {
  const docs = raw.map((r) => words(`${r.title ?? ""} ${r.body.slice(0, opts.chars)}`));
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = docs.length;
  const vecs = docs.map((d) => {
    const tf = new Map<string, number>();
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, f] of tf) {
      const w = f * Math.log(n / df.get(t)!);
      if (w <= 0) continue;
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });
  const times = raw.map((r) => (r.publishedAt ? Date.parse(r.publishedAt) : Number.NaN));
  const clusters: { members: number[]; sum: Map<string, number>; latest: number }[] = [];
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestSim = opts.join;
    for (let c = 0; c < clusters.length; c++) {
      const cl = clusters[c]!;
      if (!Number.isNaN(times[i]!) && !Number.isNaN(cl.latest) && times[i]! - cl.latest > opts.activeDays * DAY) continue;
      let dot = 0;
      let norm = 0;
      for (const w of cl.sum.values()) norm += w * w;
      for (const [t, w] of vecs[i]!) dot += w * (cl.sum.get(t) ?? 0);
      const sim = norm > 0 ? dot / Math.sqrt(norm) : 0;
      if (sim >= bestSim) {
        if (sim === bestSim && best >= 0) continue;
        bestSim = sim;
        best = c;
      }
    }
    if (best < 0) {
      best = clusters.length;
      clusters.push({ members: [], sum: new Map(), latest: Number.NaN });
    }
    const cl = clusters[best]!;
    cl.members.push(i);
    for (const [t, w] of vecs[i]!) cl.sum.set(t, (cl.sum.get(t) ?? 0) + w);
    if (!Number.isNaN(times[i]!)) cl.latest = Number.isNaN(cl.latest) ? times[i]! : Math.max(cl.latest, times[i]!);
  }
  return clusters.map((c) => c.members);
}

/**
 * The stories of one digest run over the labelled articles (as `npm run digest` builds it), as groups
 * of their indices; an article in no story (no prose left after cleaning) is a story of its own.
 */
export function digestGroups(labelled: readonly { raw: RawArticle }[], build: (raw: RawArticle[]) => Digest): number[][] {
  const at = new Map(labelled.map((a, i) => [a.raw.id, i]));
  const placed = new Set<number>();
  const groups = build(labelled.map((a) => a.raw)).stories.map((s) =>
    s.sources.map((src) => {
      const i = at.get(src.id)!;
      placed.add(i);
      return i;
    }),
  );
  labelled.forEach((_, i) => placed.has(i) || groups.push([i]));
  return groups;
}
