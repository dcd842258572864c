// ROUGE-1, ROUGE-2 and ROUGE-L F1, for evaluating summaries against reference highlights.
// Tokenisation follows the reference implementation (rouge-score): lower-case, every run of
// characters other than a-z and 0-9 is a separator. No stemming: both sides are treated alike.
// Used by scripts/eval.ts and the eval test; not part of the digest pipeline.

import { stemmer as porter } from "stemmer";

export interface RougeScores {
  r1: number;
  r2: number;
  /** ROUGE-L over the whole text as one sequence. */
  rl: number;
  /** Summary-level ROUGE-L ("rougeLsum"): union LCS per reference sentence, as in published tables. */
  rlsum: number;
}

/** rouge-score's tokenizer: lower-case ASCII letters and digits. */
export function rougeTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
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

/** Indices into `a` of one longest common subsequence of `a` and `b`. */
function lcsIndices(a: readonly string[], b: readonly string[]): number[] {
  const n = a.length;
  const m = b.length;
  const t: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++) t[i]![j] = a[i - 1] === b[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
  const out: number[] = [];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    if (a[i - 1] === b[j - 1]) {
      out.push(i - 1);
      i--;
      j--;
    } else if (t[i - 1]![j]! >= t[i]![j - 1]!) i--;
    else j--;
  }
  return out;
}

/**
 * Summary-level LCS hits (rouge-score's rougeLsum): for each reference sentence, the union of its
 * LCS positions with every candidate sentence, each token counted at most as often as it occurs
 * in both texts.
 */
function summaryLcsHits(cand: readonly string[][], ref: readonly string[][]): number {
  const count = (sents: readonly string[][]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const s of sents) for (const t of s) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  };
  const cc = count(cand);
  const rc = count(ref);
  let hits = 0;
  for (const r of ref) {
    const union = new Set<number>();
    for (const c of cand) for (const i of lcsIndices(r, c)) union.add(i);
    for (const i of [...union].sort((x, y) => x - y)) {
      const tok = r[i]!;
      if ((cc.get(tok) ?? 0) > 0 && (rc.get(tok) ?? 0) > 0) {
        hits++;
        cc.set(tok, cc.get(tok)! - 1);
        rc.set(tok, rc.get(tok)! - 1);
      }
    }
  }
  return hits;
}

/**
 * ROUGE-1/2/L F1 of a candidate summary against a reference. The candidate may be given as
 * sentences; the reference's sentences are its lines (one highlight a line).
 * @example rouge("the cat sat", "the cat sat down").r1 // 0.857...
 */
export function rouge(candidate: string | readonly string[], reference: string): RougeScores {
  const candSents = (typeof candidate === "string" ? [candidate] : candidate).map(rougeTokens).filter((x) => x.length);
  const refSents = reference
    .split("\n")
    .map(rougeTokens)
    .filter((x) => x.length);
  const c = candSents.flat();
  const r = refSents.flat();
  return {
    r1: rougeN(c, r, 1),
    r2: rougeN(c, r, 2),
    rl: f1(lcsLength(c, r), c.length, r.length),
    rlsum: f1(summaryLcsHits(candSents, refSents), c.length, r.length),
  };
}

export interface RecallScores {
  r1: number;
  r2: number;
}

/** rouge-score's tokenizer with Porter stemming of tokens longer than three characters (ROUGE -m). */
export function stemmedRougeTokens(text: string): string[] {
  return rougeTokens(text).map((t) => (t.length > 3 ? porter(t) : t));
}

/**
 * ROUGE-1/2 recall against several references, as DUC scored multi-document summaries: clipped
 * n-gram hits summed over the references, divided by the references' n-grams summed (ROUGE-1.5.5's
 * default averaging), Porter-stemmed, stopwords kept. Truncate the candidate before calling.
 * @example rougeRecall("the storm hit", ["a storm hit the coast", "the storm"]).r1
 */
export function rougeRecall(candidate: string, references: readonly string[]): RecallScores {
  const c = stemmedRougeTokens(candidate);
  const out: RecallScores = { r1: 0, r2: 0 };
  for (const [key, n] of [
    ["r1", 1],
    ["r2", 2],
  ] as const) {
    const cg = ngrams(c, n);
    let hits = 0;
    let total = 0;
    for (const ref of references) {
      const r = stemmedRougeTokens(ref);
      const rg = ngrams(r, n);
      for (const [g, k] of rg) hits += Math.min(k, cg.get(g) ?? 0);
      total += Math.max(0, r.length - n + 1);
    }
    out[key] = total ? hits / total : 0;
  }
  return out;
}
