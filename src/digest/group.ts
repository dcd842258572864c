// Group: articles into stories, one story per news event. Three kinds of link, all found through
// candidate pairs only (never all pairs on full text):
// - wire copies: MinHash over word shingles with LSH banding (a copy adds no new sentences);
// - same event: an article joins the story whose centroid (the sum of its members' tf-idf profiles,
//   names weighted up) it is closest to, in time order, when that similarity, discounted by the
//   time since the story's latest article, clears a threshold. Linking to a story as a whole, not to
//   one member over a high bar, is what lets the third outlet's retelling join the first two;
// - versions of one report: stories whose articles open on the same lead sentence are merged (a
//   wire service rewrites a report under its lead; the lead is looked up by its text, not compared).
// Candidate stories come from an inverted index over each article's most salient terms, so the cost
// per article is bounded by the index's posting caps, not by the number of articles.

import { splitSentences } from "./sentences";
import { analyze, fnv1a32, wordCount, type Analysis } from "./text";

export interface GroupInput {
  id: string;
  title?: string;
  /** ISO 8601; articles without a date are placed by input order and get no time discount. */
  publishedAt?: string;
  paragraphs: readonly string[];
  /** The article's sentences, already analysed (saves tokenising the lead twice), with their text when known. */
  candidates?: readonly (Analysis & { text?: string })[];
}

export interface GroupOptions {
  /** Cosine of an article's profile with a story's centroid at or above which it joins the story. */
  join: number;
  /** Days between an article and a story's latest article before the similarity is discounted. */
  graceDays: number;
  /** Past the grace period, the similarity is multiplied by exp(-(days - grace) / decayDays). */
  decayDays: number;
  /** Estimated shingle Jaccard above which two articles are copies of one another. */
  duplicate: number;
  /** Similarity factor when the article or the story has no date. */
  undated: number;
  /** Proper names an article must share with a story's names to join it (an event has actors). */
  minSharedNames: number;
}

/** Chosen on half A of the duc2003 clusters mixed with half of cnndm_dev (`npm run tune -- group`). */
export const DEFAULT_GROUPING: GroupOptions = {
  join: 0.16,
  graceDays: 3,
  decayDays: 365,
  duplicate: 0.5,
  minSharedNames: 2,
  undated: 0.7,
};

export interface Grouping {
  /** Groups of article indices, each in input order; groups ordered by their first article. */
  groups: number[][];
  /** duplicateOf[i] = index of the earlier article i copies, or -1. */
  duplicateOf: number[];
}

/** Words of title and lead that make an article's profile: the lead carries the event. */
const LEAD_WORDS = 600;
/** Copies are recognised from their first words; wire edits rarely touch the lead. */
const MINHASH_WORDS = 150;
const VECTOR_TERMS = 50;
const INDEX_TERMS = 12;
/**
 * Stories kept per index term, most recently active first: a fixed number, so the candidates an
 * article is scored against do not grow with the edition (linear time), and old stories of a
 * common term rarely take new articles anyway.
 */
const MAX_POSTING = 32;
/** Index terms an article must share with a story before their similarity is computed. */
const MIN_SHARED_INDEX_TERMS = 1;
const HASHES = 48;
const BANDS = 12;
const ROWS = HASHES / BANDS;
const SHINGLE = 4;
const EMPTY = 0xffffffff;
const DAY = 86_400_000;

export interface Profile {
  /** L2-normalised tf-idf weights of the article's salient terms, highest first. */
  vec: Map<string, number>;
  /** The salient terms that are proper names. */
  names: string[];
  sig: Uint32Array;
}

/**
 * Terms of an article's title and lead, counted under batch-wide term ids (one table for the whole
 * batch instead of a map per article: the profile is the grouping's largest cost at scale).
 */
interface LeadTerms {
  /** Term ids in first-occurrence order. */
  ids: number[];
  /** Occurrences of each of `ids`, the title's counting twice. */
  counts: number[];
  /** Term ids capitalised mid-sentence (likely proper names). */
  names: Set<number>;
  /** The first words, for copy detection. */
  tokens: string[];
}

/** Batch-wide term ids, with per-article counting that needs no per-article map. */
class TermTable {
  readonly terms: string[] = [];
  readonly df: number[] = [];
  private readonly ids = new Map<string, number>();
  /** Position of the term in the current article's `ids`, valid while `seenIn[id] === article`. */
  private readonly slot: number[] = [];
  private readonly seenIn: number[] = [];

  id(t: string): number {
    let id = this.ids.get(t);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(t, id);
      this.terms.push(t);
      this.df.push(0);
      this.slot.push(0);
      this.seenIn.push(-1);
    }
    return id;
  }

  /** Counts `times` occurrences of term `t` for article `article`, whose terms are `out`. */
  count(t: string, times: number, article: number, out: LeadTerms): void {
    const id = this.id(t);
    if (this.seenIn[id] === article) {
      out.counts[this.slot[id]!]! += times;
      return;
    }
    this.seenIn[id] = article;
    this.slot[id] = out.ids.length;
    this.df[id]!++;
    out.ids.push(id);
    out.counts.push(times);
  }
}

function leadTerms(a: GroupInput, article: number, table: TermTable): LeadTerms {
  const out: LeadTerms = { ids: [], counts: [], names: new Set(), tokens: [] };
  let words = 0;
  const add = (x: Analysis, times: number): void => {
    words += x.tokens.length;
    // Only the first words are shingled for copy detection.
    for (let k = 0; k < x.tokens.length && out.tokens.length < MINHASH_WORDS; k++) out.tokens.push(x.tokens[k]!);
    for (const t of x.terms) table.count(t, times, article, out);
    for (const t of x.names) out.names.add(table.id(t));
  };
  // A title is the outlet's own statement of the event: it counts twice.
  if (a.title) add(analyze(a.title), 2);
  const sentences = a.candidates ?? a.paragraphs.map((p) => analyze(p));
  for (const x of sentences) {
    if (words >= LEAD_WORDS) break;
    add(x, 1);
  }
  return out;
}

/**
 * One-permutation MinHash: each shingle is hashed once, a first mix picks its bin and a second
 * gives the value kept as the bin's minimum. Linear in the number of shingles. A shingle whose
 * first mix is negative as a 32-bit integer (and not a multiple of the bin count) is left out, as
 * it always has been: a fixed sample of about half the shingles, with which the copy threshold was
 * chosen. All arithmetic stays in 32-bit integers, which keeps it on the engine's fast path.
 */
function minhash(tokens: readonly string[]): Uint32Array {
  const sig = new Uint32Array(HASHES).fill(EMPTY);
  const th = new Int32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) th[i] = fnv1a32(tokens[i]!) | 0;
  for (let i = 0; i + SHINGLE <= tokens.length; i++) {
    let h = Math.imul(th[i]!, 0x01000193) ^ th[i + 1]!;
    h = Math.imul(h, 0x01000193) ^ th[i + 2]!;
    h = Math.imul(h, 0x01000193) ^ th[i + 3]!;
    let x = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    x ^= x >>> 16;
    const bin = x % HASHES;
    if (bin < 0) continue;
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
export function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) {
    const v = big.get(t);
    if (v !== undefined) dot += w * v;
  }
  return dot;
}

/** A story being grown: the sum of its members' profiles and what the index needs. */
interface Cluster {
  members: number[];
  sum: Map<string, number>;
  /** Names of the members' profiles. */
  names: Set<string>;
  /** Squared L2 norm of `sum`, kept up to date as members join. */
  norm2: number;
  /** Latest member time (epoch ms), or NaN when no member has a date. */
  latest: number;
}

/**
 * Groups articles into stories.
 * @example groupArticles([{ id: "a", paragraphs: ["..."] }, { id: "b", paragraphs: ["..."] }]).groups
 */
export function groupArticles(items: readonly GroupInput[], opts: GroupOptions = DEFAULT_GROUPING): Grouping {
  const n = items.length;
  const profiles = profilesOf(items);
  const duplicateOf = findCopies(profiles, opts.duplicate);
  const times = items.map((a) => (a.publishedAt ? Date.parse(a.publishedAt) : Number.NaN));
  // Time order (undated articles keep their input position relative to their neighbours).
  const order = Array.from({ length: n }, (_, i) => i);
  const key = fillTimes(times);
  order.sort((a, b) => key[a]! - key[b]! || a - b);

  const clusters: Cluster[] = [];
  const clusterOf = new Array<number>(n).fill(-1);
  const postings = new Map<string, number[]>();
  for (const i of order) {
    const dup = duplicateOf[i]!;
    let target = dup >= 0 && clusterOf[dup]! >= 0 ? clusterOf[dup]! : -1;
    const vec = profiles[i]!.vec;
    const top = [...vec.keys()].slice(0, INDEX_TERMS);
    if (target < 0) {
      // Candidate stories share at least two of the article's index terms; only those are scored.
      const shared = new Map<number, number>();
      for (const t of top) {
        const list = postings.get(t);
        if (list) for (const c of list) shared.set(c, (shared.get(c) ?? 0) + 1);
      }
      let best = -1;
      let bestSim = 0;
      for (const [c, count] of shared) {
        if (count < MIN_SHARED_INDEX_TERMS) continue;
        if (sharedNames(profiles[i]!.names, clusters[c]!.names) < opts.minSharedNames) continue;
        const sim = similarity(vec, clusters[c]!, times[i]!, opts);
        if (sim > bestSim || (sim === bestSim && best >= 0 && c < best)) {
          bestSim = sim;
          best = c;
        }
      }
      if (best >= 0 && bestSim >= opts.join) target = best;
    }
    if (target < 0) {
      target = clusters.length;
      clusters.push({ members: [], sum: new Map(), names: new Set(), norm2: 0, latest: Number.NaN });
    }
    const c = clusters[target]!;
    addTo(c, vec, times[i]!);
    for (const t of profiles[i]!.names) c.names.add(t);
    c.members.push(i);
    clusterOf[i] = target;
    for (const t of top) {
      let list = postings.get(t);
      if (!list) postings.set(t, (list = []));
      if (list[list.length - 1] === target) continue;
      // Each story once per term, most recently active last; a common term keeps only the most
      // recent stories, as old ones rarely take new articles.
      const at = list.indexOf(target);
      if (at >= 0) list.splice(at, 1);
      list.push(target);
      if (list.length > MAX_POSTING) list.shift();
    }
  }
  const groups = mergeSharedLeads(
    clusters.map((c) => c.members),
    items,
    profiles,
    opts.join,
  )
    .map((members) => members.sort((a, b) => a - b))
    .sort((a, b) => a[0]! - b[0]!);
  return { groups, duplicateOf };
}

/** Words a lead sentence needs before two articles opening on it are taken for one story's versions. */
const SHARED_LEAD_WORDS = 12;

/**
 * Stories whose articles open on the same lead sentence are one story: a wire service's later
 * versions of a report keep its first sentence and rewrite the rest, so their profiles can drift
 * apart while their lead still says they report one event. The two articles must still be about
 * as close as an article joining a story (`minCosine`): a boilerplate opening line shared by
 * unrelated items ("This is a developing story ...") does not merge them.
 */
function mergeSharedLeads(groups: number[][], items: readonly GroupInput[], profiles: readonly Profile[], minCosine: number): number[][] {
  const parent = groups.map((_, g) => g);
  const root = (g: number): number => {
    while (parent[g] !== g) g = parent[g] = parent[parent[g]!]!;
    return g;
  };
  const firstWithLead = new Map<string, { article: number; group: number }>();
  groups.forEach((members, g) => {
    for (const i of members) {
      const key = leadKey(items[i]!);
      if (!key) continue;
      const first = firstWithLead.get(key);
      if (!first) firstWithLead.set(key, { article: i, group: g });
      else if (cosine(profiles[i]!.vec, profiles[first.article]!.vec) >= minCosine) parent[root(g)] = root(first.group);
    }
  });
  const merged = new Map<number, number[]>();
  groups.forEach((members, g) => {
    const r = root(g);
    const list = merged.get(r);
    if (list) list.push(...members);
    else merged.set(r, [...members]);
  });
  return [...merged.values()];
}

/** An article's lead sentence, normalised, when it is long enough to identify a report. */
function leadKey(a: GroupInput): string {
  // The analysed first sentence when there is one; else split from the first paragraph's opening.
  const lead = a.candidates?.[0]?.text ?? splitSentences((a.paragraphs[0] ?? "").slice(0, LEAD_SENTENCE_CHARS))[0]?.text ?? "";
  if (wordCount(lead, SHARED_LEAD_WORDS) < SHARED_LEAD_WORDS) return "";
  return lead
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
const LEAD_SENTENCE_CHARS = 600;

function sharedNames(names: readonly string[], story: ReadonlySet<string>): number {
  let k = 0;
  for (const t of names) if (story.has(t)) k++;
  return k;
}

/** Cosine of an article with a cluster's centroid, discounted by the time since its latest member. */
function similarity(vec: ReadonlyMap<string, number>, c: Cluster, t: number, opts: GroupOptions): number {
  if (c.norm2 <= 0) return 0;
  let dot = 0;
  for (const [term, w] of vec) {
    const v = c.sum.get(term);
    if (v !== undefined) dot += w * v;
  }
  let sim = dot / Math.sqrt(c.norm2);
  if (!Number.isNaN(t) && !Number.isNaN(c.latest)) {
    const days = Math.abs(t - c.latest) / DAY;
    if (days > opts.graceDays) sim *= Math.exp(-(days - opts.graceDays) / opts.decayDays);
  } else {
    // Without dates, nearness in time cannot back the link up: content alone must carry it.
    sim *= opts.undated;
  }
  return sim;
}

function addTo(c: Cluster, vec: ReadonlyMap<string, number>, t: number): void {
  let dot = 0;
  for (const [term, w] of vec) {
    const v = c.sum.get(term) ?? 0;
    dot += v * w;
    c.sum.set(term, v + w);
  }
  c.norm2 += 2 * dot + 1; // |s + v|^2 = |s|^2 + 2 s.v + |v|^2, with |v| = 1
  if (!Number.isNaN(t)) c.latest = Number.isNaN(c.latest) ? t : Math.max(c.latest, t);
}

/** Sort keys: an article's time, or for an undated one the time of the nearest dated one before it. */
function fillTimes(times: readonly number[]): number[] {
  let last = Number.NEGATIVE_INFINITY;
  return times.map((t) => (Number.isNaN(t) ? last : (last = t)));
}

/** Near-duplicates through LSH buckets over MinHash bands; each copy points at its earliest original. */
function findCopies(profiles: readonly Profile[], threshold: number): number[] {
  const duplicateOf = new Array<number>(profiles.length).fill(-1);
  const buckets = new Map<string, number[]>();
  for (let i = 0; i < profiles.length; i++) {
    const sig = profiles[i]!.sig;
    if (sig.every((x) => x === EMPTY)) continue; // too short to shingle
    for (let b = 0; b < BANDS; b++) {
      const key = bandKey(sig, b);
      const list = buckets.get(key);
      if (list) {
        for (const j of list) {
          if (duplicateOf[i] === -1 && sigJaccard(sig, profiles[j]!.sig) >= threshold) {
            duplicateOf[i] = duplicateOf[j] === -1 ? j : duplicateOf[j]!;
          }
        }
        if (list.length < 64) list.push(i);
      } else buckets.set(key, [i]);
    }
  }
  return duplicateOf;
}

/** A band's rows as a short exact string key: the band number, then each row as two UTF-16 units. */
function bandKey(sig: Uint32Array, band: number): string {
  let key = String.fromCharCode(band);
  for (let r = band * ROWS; r < (band + 1) * ROWS; r++) key += String.fromCharCode(sig[r]! >>> 16, sig[r]! & 0xffff);
  return key;
}

/** Salient-term vectors and MinHash signatures of a batch of articles (idf from the batch). */
export function profilesOf(items: readonly GroupInput[]): Profile[] {
  const n = items.length;
  const table = new TermTable();
  const raw = items.map((a, i) => leadTerms(a, i, table));
  // idf depends on a document frequency from 1 to n only: one table, filled once.
  const idfOf = new Float64Array(n + 2);
  for (let d = 0; d <= n + 1; d++) idfOf[d] = 1 + Math.log((n + 1) / (d + 1));
  return raw.map((r) => {
    const size = r.ids.length;
    const weights = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      const id = r.ids[k]!;
      weights[k] = (1 + Math.log(r.counts[k]!)) * idfOf[table.df[id]!]! * (r.names.has(id) ? 1.5 : 1);
    }
    // The VECTOR_TERMS heaviest, heaviest first; ties keep first-occurrence order (deterministic).
    const cut = size > VECTOR_TERMS ? weights.slice().sort()[size - VECTOR_TERMS]! : Number.NEGATIVE_INFINITY;
    const order: number[] = [];
    for (let k = 0; k < size; k++) if (weights[k]! >= cut) order.push(k);
    order.sort((a, b) => weights[b]! - weights[a]! || a - b);
    if (order.length > VECTOR_TERMS) order.length = VECTOR_TERMS;
    let norm = 0;
    for (const k of order) norm += weights[k]! * weights[k]!;
    norm = Math.sqrt(norm) || 1;
    const vec = new Map<string, number>();
    const names: string[] = [];
    for (const k of order) {
      const t = table.terms[r.ids[k]!]!;
      vec.set(t, weights[k]! / norm);
      if (r.names.has(r.ids[k]!)) names.push(t);
    }
    return { vec, names, sig: minhash(r.tokens) };
  });
}

/** Similarity figures for a pair of articles, as the grouping sees them (for tests and tuning). */
export function pairSimilarity(a: GroupInput, b: GroupInput): { cosine: number; jaccard: number } {
  const [pa, pb] = profilesOf([a, b]) as [Profile, Profile];
  return { cosine: cosine(pa.vec, pb.vec), jaccard: sigJaccard(pa.sig, pb.sig) };
}
