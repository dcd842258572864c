// ROUGE-1, ROUGE-2 and ROUGE-L F1, for evaluating summaries against reference highlights.
// Tokenisation follows the reference implementation (rouge-score): lower-case, every run of
// characters other than a-z and 0-9 is a separator. No stemming: both sides are treated alike.
// Used by scripts/eval.ts and the eval test; not part of the digest pipeline.

export interface RougeScores {
  r1: number;
  r2: number;
  rl: number;
}

/** rouge-score's tokenizer: lower-case ASCII letters and digits. */
export function rougeTokens(text: string): string[] {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim().split(" ").filter(Boolean);
}

function ngrams(tokens: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const g = tokens.slice(i, i + n).join(" ");
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

function f1(overlap: number, candTotal: number, refTotal: number): number {
  if (overlap === 0 || candTotal === 0 || refTotal === 0) return 0;
  const p = overlap / candTotal;
  const r = overlap / refTotal;
  return (2 * p * r) / (p + r);
}

/** ROUGE-N F1 with clipped counts. */
export function rougeN(cand: readonly string[], ref: readonly string[], n: number): number {
  const c = ngrams(cand, n);
  const r = ngrams(ref, n);
  let overlap = 0;
  for (const [g, k] of c) overlap += Math.min(k, r.get(g) ?? 0);
  return f1(overlap, Math.max(0, cand.length - n + 1), Math.max(0, ref.length - n + 1));
}

/** Length of the longest common subsequence (O(n*m) time, O(m) memory). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/**
 * ROUGE-1/2/L F1 of a candidate summary against a reference (both plain text).
 * @example rouge("the cat sat", "the cat sat down").r1 // 0.857...
 */
export function rouge(candidate: string, reference: string): RougeScores {
  const c = rougeTokens(candidate);
  const r = rougeTokens(reference);
  return { r1: rougeN(c, r, 1), r2: rougeN(c, r, 2), rl: f1(lcsLength(c, r), c.length, r.length) };
}
