// Cluster: groups articles into stories. Two kinds of link, both found through candidate pairs only
// (never all pairs): near-duplicates via MinHash over word shingles with LSH banding, and same-event
// articles via an inverted index over each article's salient terms (tf-idf, proper names weighted up),
// confirmed by cosine similarity and shared names. Links are joined with union-find, in input order.

import { analyze, fnv1a32, topK, type Analysis } from "./text";

export interface ClusterInput {
  id: string;
  title?: string;
  paragraphs: readonly string[];
  /** The article's sentences, already analysed (saves tokenising the lead twice). */
  sentences?: readonly Analysis[];
}

export interface ClusterOptions {
  /** Cosine similarity of salient-term vectors above which two articles cover the same event. */
  sameEvent: number;
  /** Shared proper-name terms needed as well. */
  minSharedNames: number;
  /** Estimated shingle Jaccard above which two articles are copies of one another. */
  duplicate: number;
}

export const DEFAULT_CLUSTER: ClusterOptions = { sameEvent: 0.42, minSharedNames: 4, duplicate: 0.5 };

export interface Clustering {
  /** Groups of article indices, each in input order; groups ordered by their first article. */
  groups: number[][];
  /** duplicateOf[i] = index of the earlier article i copies, or -1. */
  duplicateOf: number[];
}

const LEAD_WORDS = 250;
/** Copies are recognised from their first words; wire edits rarely touch the lead. */
const MINHASH_WORDS = 150;
const VECTOR_TERMS = 40;
const INDEX_TERMS = 15;
const HASHES = 48;
const BANDS = 12;
const ROWS = HASHES / BANDS;
const SHINGLE = 4; // minhash() joins exactly four tokens
const EMPTY = 0xffffffff;

interface Profile {
  vec: Map<string, number>;
  names: Set<string>;
  sig: Uint32Array;
}

/** Terms of an article's title and lead, with proper names (capitalised mid-sentence) flagged. */
function leadTerms(a: ClusterInput): { terms: string[]; names: Set<string>; tokens: string[] } {
  const terms: string[] = [];
  const names = new Set<string>();
  const tokens: string[] = [];
  const add = (x: Analysis): void => {
    for (const t of x.tokens) tokens.push(t);
    for (const t of x.terms) terms.push(t);
    for (const t of x.names) names.add(t);
  };
  if (a.title) add(analyze(a.title));
  if (a.sentences) {
    for (const x of a.sentences) {
      if (tokens.length >= LEAD_WORDS) break;
      add(x);
    }
  } else {
    for (const p of a.paragraphs) {
      if (tokens.length >= LEAD_WORDS) break;
      add(analyze(p));
    }
  }
  return { terms, names, tokens: tokens.slice(0, LEAD_WORDS) };
}

/**
 * One-permutation MinHash: each shingle is hashed once, a first mix picks its bin and a second
 * gives the value kept as the bin's minimum. Linear in the number of shingles.
 */
function minhash(tokens: readonly string[]): Uint32Array {
  const sig = new Uint32Array(HASHES).fill(EMPTY);
  const th = tokens.map((t) => fnv1a32(t));
  for (let i = 0; i + SHINGLE <= tokens.length; i++) {
    // Combine the four token hashes (order-sensitive) instead of hashing a joined string.
    let h = Math.imul(th[i]!, 0x01000193) ^ th[i + 1]!;
    h = Math.imul(h, 0x01000193) ^ th[i + 2]!;
    h = (Math.imul(h, 0x01000193) ^ th[i + 3]!) >>> 0;
    let x = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35) >>> 0;
    x ^= x >>> 16;
    const bin = x % HASHES;
    const v = Math.imul(h ^ 0x9e3779b9, 0x27d4eb2d) >>> 0;
    if (v < sig[bin]!) sig[bin] = v;
  }
  return sig;
}

/** Estimated Jaccard: the share of bins, filled in either signature, whose minimums agree. */
function sigJaccard(a: Uint32Array, b: Uint32Array): number {
  let eq = 0;
  let filled = 0;
  for (let k = 0; k < HASHES; k++) {
    if (a[k] === EMPTY && b[k] === EMPTY) continue;
    filled++;
    if (a[k] === b[k]) eq++;
  }
  return filled ? eq / filled : 0;
}

/** Cosine of two L2-normalised sparse vectors. */
function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) {
    const v = big.get(t);
    if (v !== undefined) dot += w * v;
  }
  return dot;
}

class UnionFind {
  private p: number[];
  constructor(n: number) {
    this.p = Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    while (this.p[x] !== x) {
      this.p[x] = this.p[this.p[x]!]!;
      x = this.p[x]!;
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // Keep the smaller index as root so results do not depend on link order.
    if (ra < rb) this.p[rb] = ra;
    else if (rb < ra) this.p[ra] = rb;
  }
}

/**
 * Groups articles into stories.
 * @example clusterArticles([{ id: "a", paragraphs: ["..."] }, { id: "b", paragraphs: ["..."] }]).groups
 */
export function clusterArticles(items: readonly ClusterInput[], opts: ClusterOptions = DEFAULT_CLUSTER): Clustering {
  const n = items.length;
  const profiles = profilesOf(items);

  const uf = new UnionFind(n);
  const duplicateOf = new Array<number>(n).fill(-1);

  // 1. Near-duplicates: LSH buckets over MinHash bands.
  const buckets = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const sig = profiles[i]!.sig;
    if (sig.every((x) => x === EMPTY)) continue; // too short to shingle
    for (let b = 0; b < BANDS; b++) {
      const key = b + ":" + Array.from(sig.subarray(b * ROWS, (b + 1) * ROWS)).join(",");
      const list = buckets.get(key);
      if (list) {
        for (const j of list) {
          if (duplicateOf[i] === -1 && sigJaccard(sig, profiles[j]!.sig) >= opts.duplicate) {
            duplicateOf[i] = duplicateOf[j] === -1 ? j : duplicateOf[j]!;
            uf.union(i, j);
          }
        }
        if (list.length < 64) list.push(i);
      } else buckets.set(key, [i]);
    }
  }

  // 2. Same event: candidates share at least two of their top salient terms.
  const postings = new Map<string, number[]>();
  const maxPosting = Math.max(32, Math.ceil(n * 0.05));
  for (let i = 0; i < n; i++) {
    const top = [...profiles[i]!.vec.entries()].slice(0, INDEX_TERMS).map(([t]) => t);
    const shared = new Map<number, number>();
    for (const t of top) {
      const list = postings.get(t);
      if (!list) {
        postings.set(t, [i]);
        continue;
      }
      // Terms common to many articles carry no event signal; stop indexing them.
      if (list.length <= maxPosting) for (const j of list) shared.set(j, (shared.get(j) ?? 0) + 1);
      list.push(i);
    }
    for (const [j, count] of shared) {
      if (count < 2 || uf.find(i) === uf.find(j)) continue;
      const a = profiles[i]!;
      const b = profiles[j]!;
      let names = 0;
      for (const t of a.names) if (b.names.has(t)) names++;
      if (names >= opts.minSharedNames && cosine(a.vec, b.vec) >= opts.sameEvent) uf.union(i, j);
    }
  }

  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    let g = byRoot.get(r);
    if (!g) byRoot.set(r, (g = []));
    g.push(i);
  }
  const groups = [...byRoot.values()].sort((a, b) => a[0]! - b[0]!);
  return { groups, duplicateOf };
}

/** Salient-term vectors, proper names and MinHash signatures of a batch of articles. */
function profilesOf(items: readonly ClusterInput[]): Profile[] {
  const n = items.length;
  const raw = items.map(leadTerms);
  const df = new Map<string, number>();
  for (const r of raw) for (const t of new Set(r.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  return raw.map((r) => {
    const tf = new Map<string, number>();
    for (const t of r.terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    const weighted: [string, number][] = [];
    for (const [t, f] of tf) {
      const idf = 1 + Math.log((n + 1) / ((df.get(t) ?? 1) + 1));
      weighted.push([t, (1 + Math.log(f)) * idf * (r.names.has(t) ? 2 : 1)]);
    }
    // Ties keep first-occurrence order, so the result is deterministic.
    const top = topK(weighted, VECTOR_TERMS);
    const norm = Math.sqrt(top.reduce((sum, [, w]) => sum + w * w, 0)) || 1;
    return {
      vec: new Map(top.map(([t, w]) => [t, w / norm])),
      names: new Set(top.filter(([t]) => r.names.has(t)).map(([t]) => t)),
      sig: minhash(r.tokens.length > MINHASH_WORDS ? r.tokens.slice(0, MINHASH_WORDS) : r.tokens),
    };
  });
}

/** Similarity figures for a pair of articles, as the clusterer sees them (for tests and tuning). */
export function pairSimilarity(a: ClusterInput, b: ClusterInput): { cosine: number; sharedNames: number; jaccard: number } {
  const [pa, pb] = profilesOf([a, b]) as [Profile, Profile];
  let shared = 0;
  for (const t of pa.names) if (pb.names.has(t)) shared++;
  return { cosine: cosine(pa.vec, pb.vec), sharedNames: shared, jaccard: sigJaccard(pa.sig, pb.sig) };
}
