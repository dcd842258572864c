// Rank: orders stories by importance: how many sources carry them (distinct publishers count
// more), how much material they have, and recency when the sources give dates. Ties keep input
// order, so the ranking is deterministic.

export interface RankInput {
  /** Number of distinct (non-duplicate) source articles. */
  sources: number;
  /** Number of distinct publishers among the sources (0 when unknown). */
  publishers: number;
  /** Number of candidate sentences across the sources (coverage). */
  sentences: number;
  /** Newest publishedAt of the sources, as epoch ms, when known. */
  newest?: number;
  /** Position of the story's first article in the input. */
  order: number;
}

/** Importance score: sources dominate, coverage and recency break near-ties. */
export function importance(s: RankInput, newestOverall?: number, oldestOverall?: number): number {
  let score = Math.log2(1 + s.sources) * 2 + Math.log2(1 + s.publishers) + Math.log10(1 + s.sentences) * 0.3;
  if (s.newest !== undefined && newestOverall !== undefined && oldestOverall !== undefined && newestOverall > oldestOverall) {
    score += (0.6 * (s.newest - oldestOverall)) / (newestOverall - oldestOverall);
  }
  return score;
}

/**
 * Returns story indices from most to least important.
 * @example rankStories([{ sources: 1, publishers: 1, sentences: 5, order: 0 },
 *   { sources: 3, publishers: 2, sentences: 9, order: 1 }]) // [1, 0]
 */
export function rankStories(items: readonly RankInput[]): number[] {
  const dates = items.map((s) => s.newest).filter((d): d is number => d !== undefined);
  const newest = dates.length ? Math.max(...dates) : undefined;
  const oldest = dates.length ? Math.min(...dates) : undefined;
  const scores = items.map((s) => importance(s, newest, oldest));
  return items.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || items[a]!.order - items[b]!.order);
}
