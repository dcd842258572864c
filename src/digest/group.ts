// Group: articles into stories, one story per news event. Precision first: a story that joins two
// events tells the reader something false, a split only repeats. Three kinds of link, all found
// through candidate pairs only (never all pairs on full text):
// - wire copies: MinHash over word shingles with LSH banding (a copy adds no new sentences);
// - same event: in time order, an article joins a story when the story's own articles support it:
//   each of its most recent members is compared with the article (cosine of tf-idf profiles of
//   title and lead, names weighted up, discounted by the days between the two, either way), and the
//   join needs two members close enough, or one very close, or one close with the rest close on
//   average. No centroid, so a growing story's profile cannot drift, and a story cannot chain
//   through its newest member. Past a grace period of days (or without dates), the article must
//   also share specific names with the story: names few earlier articles outside the story use
//   (a street, a victim, a minister; not the city every story of the day names);
// - versions of one report: stories whose articles open on the same lead sentence are merged (a
//   wire service rewrites a report under its lead; the lead is looked up by its text, not compared).
// Candidate articles come from an inverted index over each article's most salient terms, with a
// fixed number of articles per term, so the cost per article is bounded, not grown with the batch.

import { splitSentences } from "./sentences";
import { analyze, fnv1a32, stem, wordCount, type Analysis } from "./text";

export interface GroupInput {
  id: string;
  title?: string;
  /** ISO 8601; articles without a date are placed by input order and get no time discount. */
  publishedAt?: string;
  paragraphs: readonly string[];
  /** The article's sentences, already analysed (saves tokenising the lead twice), with their text when known. */
  candidates?: readonly (Analysis & { text?: string })[];
  /**
   * The story an earlier grouping put the article in (an earlier edition's): articles of one such
   * story stay together, and two such stories are never joined to one another.
   */
  story?: string;
}

export interface GroupOptions {
  /** Time-discounted cosine of two articles' profiles at or above which one supports the other's story. */
  pair: number;
  /** A single member at least this close is support enough (a version or retelling of one report). */
  strong: number;
  /** Mean time-discounted cosine with the story's members (those compared) that lets one close member carry a join. */
  average: number;
  /** Days between two articles before their similarity is discounted. */
  graceDays: number;
  /** Past the grace period, the similarity is multiplied by exp(-(days - grace) / decayDays). */
  decayDays: number;
  /** Estimated shingle Jaccard above which two articles are copies of one another. */
  duplicate: number;
  /** Similarity factor when either article has no date. */
  undated: number;
  /** Weight of a proper name in a profile, against 1 for another term: names tell same-kind events apart. */
  nameWeight: number;
  /**
   * A name an article shares with a story is specific evidence when at most this many earlier
   * articles outside the story use it (a street, a victim's name; not the city every story names).
   */
  specificDf: number;
  /** Specific names an article must share with a story to join it past the grace period, or without dates. */
  lateEvidence: number;
  /** Close pairs of articles across two stories that support merging them (0: stories are never merged). */
  mergeSupport: number;
}

/** What the grouping knows beyond the batch. */
export interface GroupContext {
  /**
   * Articles ever stored that use each name (stems, as `leadNames` gives them), the batch's own
   * included. Whether a name is specific to one event is judged against this history, not only the
   * batch: a city's trauma hospital or its police district is named in a report a week, and seen
   * over months it is no evidence that two reports are of one shooting.
   */
  nameHistory?: ReadonlyMap<string, number>;
}

/** Chosen on half A of gva_dev and of the duc2003 clusters mixed with cnndm_dev (`npm run tune -- group`). */
export const DEFAULT_GROUPING: GroupOptions = {
  pair: 0.2,
  strong: 0.6,
  average: 0.2,
  graceDays: 4,
  decayDays: 1000,
  duplicate: 0.5,
  undated: 0.5,
  nameWeight: 2.5,
  specificDf: 2,
  lateEvidence: 3,
  mergeSupport: 2,
};

export interface Grouping {
  /** Groups of article indices, each in input order; groups ordered by their first article. */
  groups: number[][];
  /** duplicateOf[i] = index of the earlier article i copies, or -1. */
  duplicateOf: number[];
}

/** Words of title and lead that make an article's profile: the lead carries the event (400: on half A, as good as 600 at two thirds of the cost). */
const LEAD_WORDS = 400;
/** Copies are recognised from their first words; wire edits rarely touch the lead. */
const MINHASH_WORDS = 150;
const VECTOR_TERMS = 50;
const INDEX_TERMS = 12;
/**
 * Articles kept per index term, most recent last: a fixed number, so the candidates an article is
 * compared with do not grow with the edition (linear time).
 */
const MAX_POSTING = 48;
/** Index terms an article must share with another before their similarity is computed. */
const MIN_SHARED_INDEX_TERMS = 2;
/** Members of a story an article is compared with: its most recent ones (a bound on the cost per article). */
const MAX_COMPARED = 16;
const HASHES = 48;
const BANDS = 12;
const ROWS = HASHES / BANDS;
const SHINGLE = 4;
const EMPTY = 0xffffffff;
const DAY = 86_400_000;

export interface Profile {
  /** L2-normalised tf-idf weights of the article's salient terms (batch term ids), highest first. */
  vec: Map<number, number>;
  /** The salient terms that are proper names (batch term ids). */
  names: number[];
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

/**
 * Capitalised words that name no place, person or thing of one event: days and months (every
 * report of a day shares them). Stems, as `analyze` gives names.
 */
const CALENDAR: ReadonlySet<string> = new Set(
  "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december"
    .split(" ")
    .map(stem),
);

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
    for (const t of x.names) if (t.length > 2 && !CALENDAR.has(t)) out.names.add(table.id(t));
  };
  // A title is the outlet's own statement of the event: it counts twice.
  if (a.title) add(analyze(headlinePart(a.title)), 2);
  const sentences = a.candidates ?? a.paragraphs.map((p) => analyze(p));
  for (const x of sentences) {
    if (words >= LEAD_WORDS) break;
    add(x, 1);
  }
  return out;
}

/**
 * The headline part of a title: outlets append their name, city and slogan after a separator
 * ("Man shot on Elm Street - WXYZ News 7 - Springfield, IL"), words every story of theirs shares. The
 * longest part is the headline (the first of equals).
 * @example headlinePart("Man shot on Elm Street - WXYZ - Springfield") // "Man shot on Elm Street"
 */
export function headlinePart(title: string): string {
  const parts = title.split(/\s+(?:[-|\u2013\u2014]|::)\s+/);
  let best = parts[0]!;
  for (const p of parts) if (p.length > best.length) best = p;
  return best;
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
export function cosine(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) {
    const v = big.get(t);
    if (v !== undefined) dot += w * v;
  }
  return dot;
}

/**
 * Groups articles into stories.
 * @example groupArticles([{ id: "a", paragraphs: ["..."] }, { id: "b", paragraphs: ["..."] }]).groups
 */
export function groupArticles(items: readonly GroupInput[], opts: GroupOptions = DEFAULT_GROUPING, context: GroupContext = {}): Grouping {
  const n = items.length;
  const { profiles, terms: termOf } = profilesOf(items, opts.nameWeight);
  const history = context.nameHistory;
  const duplicateOf = findCopies(profiles, opts.duplicate);
  const times = items.map((a) => (a.publishedAt ? Date.parse(a.publishedAt) : Number.NaN));
  // Time order (undated articles keep their input position relative to their neighbours).
  const order = Array.from({ length: n }, (_, i) => i);
  const key = fillTimes(times);
  order.sort((a, b) => key[a]! - key[b]! || a - b);

  const stories: number[][] = [];
  const storyOf = new Array<number>(n).fill(-1);
  const postings = new Map<number, number[]>();
  const near = (i: number, j: number, cos: number): number => cos * timeFactor(times[i]!, times[j]!, opts);
  // Terms of each story's members (how many use each), and of every article so far.
  const storyTerms: Map<number, number>[] = [];
  // Articles so far using each term, by term id (ids are dense: an array, not a map, for a count
  // taken for every term of every article).
  const seen = new Int32Array(termOf.length);
  /** Names the article shares with a story that few earlier articles outside it use (specific evidence). */
  // Articles using each name, for a remembered story: those of the whole batch (a remembered story
  // is joined on names the new articles of the edition do not share among themselves either), or
  // of the names' history when it is known and counts more.
  let batchNames: Map<number, number> | undefined;
  const users = (t: number): number => {
    if (!batchNames) {
      batchNames = new Map();
      for (const p of profiles) for (const name of p.names) batchNames.set(name, (batchNames.get(name) ?? 0) + 1);
    }
    return Math.max(batchNames.get(t) ?? 0, history?.get(termOf[t]!) ?? 0);
  };
  const evidence = (i: number, c: number, wholeBatch: boolean): number => {
    const terms = storyTerms[c]!;
    let k = 0;
    for (const t of profiles[i]!.names) {
      const inStory = terms.get(t);
      if (inStory === undefined) continue;
      // The article itself is outside the story, and counted among the batch's (and history's) users.
      if ((wholeBatch ? users(t) - 1 : seen[t]!) - inStory <= opts.specificDf) k++;
    }
    return k;
  };
  // Stories an earlier grouping made: their key, and the story holding each key.
  const storyKey: (string | undefined)[] = [];
  const keyed = new Map<string, number>();
  const across: number[] = [];
  for (const i of order) {
    const key = items[i]!.story;
    const fits = (c: number): boolean => key === undefined || storyKey[c] === undefined || storyKey[c] === key;
    const dup = duplicateOf[i]!;
    let target = key === undefined ? -1 : (keyed.get(key) ?? -1);
    if (target < 0 && dup >= 0 && storyOf[dup]! >= 0 && fits(storyOf[dup]!)) target = storyOf[dup]!;
    const vec = profiles[i]!.vec;
    const top = [...vec.keys()].slice(0, INDEX_TERMS);
    let sims: Map<number, number> | undefined;
    if (target < 0) {
      // Candidate articles share at least two of the article's index terms; only those are scored.
      const shared = new Map<number, number>();
      for (const t of top) {
        const list = postings.get(t);
        if (list) for (const j of list) shared.set(j, (shared.get(j) ?? 0) + 1);
      }
      sims = new Map<number, number>();
      const touched = new Map<number, number>();
      for (const [j, count] of shared) {
        if (count < MIN_SHARED_INDEX_TERMS) continue;
        const s = near(i, j, cosine(vec, profiles[j]!.vec));
        sims!.set(j, s);
        const c = storyOf[j]!;
        if (s >= opts.pair) touched.set(c, Math.min(touched.get(c) ?? Number.POSITIVE_INFINITY, gapDays(times[i]!, times[j]!)));
      }
      let bestScore = 0;
      for (const [c, gap] of touched) {
        if (!fits(c)) continue;
        // Past the grace period, and into a story an earlier edition carried (an update, read on
        // another day), only on specific evidence.
        const update = key === undefined && storyKey[c] !== undefined;
        if ((gap > opts.graceDays || update) && evidence(i, c, update) < opts.lateEvidence) continue;
        const score = joinScore(stories[c]!, (j) => sims!.get(j) ?? near(i, j, cosine(vec, profiles[j]!.vec)), opts);
        if (score > bestScore || (score === bestScore && target >= 0 && c < target)) {
          bestScore = score;
          target = c;
        }
      }
    }
    if (target < 0) {
      target = stories.length;
      stories.push([]);
      storyTerms.push(new Map());
      storyKey.push(undefined);
    }
    if (key !== undefined && storyKey[target] === undefined) {
      storyKey[target] = key;
      keyed.set(key, target);
    }
    stories[target]!.push(i);
    storyOf[i] = target;
    // Close pairs across stories: support for merging the two later.
    if (opts.mergeSupport > 0 && sims) for (const [j, s] of sims) if (s >= opts.pair && storyOf[j] !== target) across.push(i, j);
    const terms = storyTerms[target]!;
    for (const t of vec.keys()) {
      terms.set(t, (terms.get(t) ?? 0) + 1);
      seen[t]!++;
    }
    for (const t of top) {
      let list = postings.get(t);
      if (!list) postings.set(t, (list = []));
      list.push(i);
      // A common term keeps only its most recent articles, as old ones rarely take new articles.
      if (list.length > MAX_POSTING) list.shift();
    }
  }
  if (opts.mergeSupport > 0) {
    const merged = mergeSupported({ stories, storyOf, storyKey, across, times, profiles, seen, near, opts });
    stories.splice(0, stories.length, ...merged.stories);
    storyKey.splice(0, storyKey.length, ...merged.keys);
  }
  const groups = mergeSharedLeads(stories, storyKey, items, profiles)
    .map((members) => members.sort((a, b) => a - b))
    .sort((a, b) => a[0]! - b[0]!);
  return { groups, duplicateOf };
}

/**
 * Stories built apart in time order (an article that opened one could not yet join the other) are
 * merged when `opts.mergeSupport` close pairs of their articles support it, their articles are close
 * on average, and, when the two are more than the grace period apart, they share specific names.
 * Pairs of stories with the most support first; a story an earlier grouping made is never merged.
 */
function mergeSupported(x: {
  stories: number[][];
  storyOf: number[];
  storyKey: (string | undefined)[];
  across: number[];
  times: number[];
  profiles: Profile[];
  seen: Int32Array;
  near: (i: number, j: number, cos: number) => number;
  opts: GroupOptions;
}): { stories: number[][]; keys: (string | undefined)[] } {
  const { stories, storyOf, across, profiles, opts } = x;
  const n = stories.length;
  const support = new Map<number, number>();
  for (let k = 0; k < across.length; k += 2) {
    const a = storyOf[across[k]!]!;
    const b = storyOf[across[k + 1]!]!;
    if (a === b) continue;
    const key = Math.min(a, b) * n + Math.max(a, b);
    support.set(key, (support.get(key) ?? 0) + 1);
  }
  const parent = stories.map((_, g) => g);
  const members = stories.map((m) => [...m]);
  const keys = [...x.storyKey];
  const root = (g: number): number => {
    while (parent[g] !== g) g = parent[g] = parent[parent[g]!]!;
    return g;
  };
  const pairs = [...support].filter(([, k]) => k >= opts.mergeSupport).sort((p, q) => q[1] - p[1] || p[0] - q[0]);
  for (const [key] of pairs) {
    const a = root(Math.floor(key / n));
    const b = root(key % n);
    // A story an earlier edition carried is joined article by article, on the evidence an update needs.
    if (a === b || keys[a] !== undefined || keys[b] !== undefined) continue;
    const ma = members[a]!.slice(-MAX_COMPARED);
    const mb = members[b]!.slice(-MAX_COMPARED);
    let sum = 0;
    let gap = Number.POSITIVE_INFINITY;
    for (const i of ma)
      for (const j of mb) {
        sum += x.near(i, j, cosine(profiles[i]!.vec, profiles[j]!.vec));
        gap = Math.min(gap, gapDays(x.times[i]!, x.times[j]!));
      }
    if (sum / (ma.length * mb.length) < opts.average) continue;
    if (gap > opts.graceDays && sharedSpecificNames(members[a]!, members[b]!, profiles, x.seen, opts.specificDf) < opts.lateEvidence)
      continue;
    parent[b] = a;
    members[a]!.push(...members[b]!);
    keys[a] ??= keys[b];
  }
  const out: number[][] = [];
  const outKeys: (string | undefined)[] = [];
  for (let g = 0; g < n; g++)
    if (root(g) === g) {
      out.push(members[g]!);
      outKeys.push(keys[g]);
    }
  return { stories: out, keys: outKeys };
}

/** Names both stories use that few articles outside the two use. */
function sharedSpecificNames(
  a: readonly number[],
  b: readonly number[],
  profiles: readonly Profile[],
  df: Int32Array,
  specificDf: number,
): number {
  const count = (members: readonly number[]): Map<number, number> => {
    const m = new Map<number, number>();
    for (const i of members) for (const t of profiles[i]!.names) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  let k = 0;
  for (const [t, na] of ca) {
    const nb = cb.get(t);
    if (nb !== undefined && df[t]! - na - nb <= specificDf) k++;
  }
  return k;
}

/**
 * How well the story's own articles support an article joining it, or 0 when they do not: its
 * most recent members are compared one by one (so the story cannot drift: no single member, and no
 * sum of members, carries the join), and the join needs two of them at least `pair` close (one,
 * while the story has one article, or when it is `strong`ly close), with a mean over them of at
 * least `average`. The score is that mean.
 */
function joinScore(members: readonly number[], sim: (j: number) => number, opts: GroupOptions): number {
  const from = Math.max(0, members.length - MAX_COMPARED);
  let sum = 0;
  let support = 0;
  let max = 0;
  for (let k = from; k < members.length; k++) {
    const s = sim(members[k]!);
    sum += s;
    if (s >= opts.pair) support++;
    if (s > max) max = s;
  }
  const compared = members.length - from;
  const mean = sum / compared;
  // Two members close enough, or one very close, or one close and the rest close on average.
  if (support >= Math.min(2, compared) || max >= opts.strong || (support >= 1 && mean >= opts.average)) return mean;
  return 0;
}

/** Days between two articles, or 0 when either has no date. */
function gapDays(a: number, b: number): number {
  return Number.isNaN(a) || Number.isNaN(b) ? Number.POSITIVE_INFINITY : Math.abs(a - b) / DAY;
}

/** The factor on two articles' similarity for the time between them (both ways), or without dates. */
function timeFactor(a: number, b: number, opts: GroupOptions): number {
  // Without dates, nearness in time cannot back the link up: content alone must carry it.
  if (Number.isNaN(a) || Number.isNaN(b)) return opts.undated;
  const days = Math.abs(a - b) / DAY;
  return days > opts.graceDays ? Math.exp(-(days - opts.graceDays) / opts.decayDays) : 1;
}

/** Words a lead sentence needs before two articles opening on it are taken for one story's versions. */
const SHARED_LEAD_WORDS = 12;
/**
 * Cosine two articles opening on the same lead sentence need to be taken for versions of one
 * report: the lead is evidence of its own, but a boilerplate opening line shared by unrelated items
 * ("This is a developing story ...") must not merge them.
 */
const SHARED_LEAD_COSINE = 0.15;

/**
 * Stories whose articles open on the same lead sentence are one story: a wire service's later
 * versions of a report keep its first sentence and rewrite the rest, so their profiles can drift
 * apart while their lead still says they report one event. The two articles must still be close
 * (`SHARED_LEAD_COSINE`): a boilerplate opening line shared by unrelated items ("This is a
 * developing story ...") does not merge them. Stories an earlier grouping kept apart stay apart.
 */
function mergeSharedLeads(
  groups: number[][],
  keys: readonly (string | undefined)[],
  items: readonly GroupInput[],
  profiles: readonly Profile[],
): number[][] {
  const parent = groups.map((_, g) => g);
  const storyKey = [...keys];
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
      else if (cosine(profiles[i]!.vec, profiles[first.article]!.vec) >= SHARED_LEAD_COSINE) {
        const [a, b] = [root(g), root(first.group)];
        // Two stories an earlier grouping kept apart stay apart.
        if (a === b || (storyKey[a] !== undefined && storyKey[b] !== undefined && storyKey[a] !== storyKey[b])) continue;
        parent[a] = b;
        storyKey[b] ??= storyKey[a];
      }
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

/**
 * The names of an article's title and lead, as its profile takes them (stems, each once): what a
 * store counts into the names' history.
 * @example leadNames({ id: "a", paragraphs: ["Police said Jane Roe was taken to Mercy Hospital."] }) // ["jane", "roe", "mercy", "hospital"]
 */
export function leadNames(a: GroupInput): string[] {
  const table = new TermTable();
  return [...leadTerms(a, 0, table).names].map((id) => table.terms[id]!);
}

/** Salient-term vectors and MinHash signatures of a batch of articles (idf from the batch), and the batch's terms by id. */
export function profilesOf(
  items: readonly GroupInput[],
  nameWeight = DEFAULT_GROUPING.nameWeight,
): { profiles: Profile[]; terms: readonly string[] } {
  const n = items.length;
  const table = new TermTable();
  const raw = items.map((a, i) => leadTerms(a, i, table));
  // idf depends on a document frequency from 1 to n only: one table, filled once.
  const idfOf = new Float64Array(n + 2);
  for (let d = 0; d <= n + 1; d++) idfOf[d] = 1 + Math.log((n + 1) / (d + 1));
  const profiles = raw.map((r) => {
    const size = r.ids.length;
    const weights = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      const id = r.ids[k]!;
      weights[k] = (1 + Math.log(r.counts[k]!)) * idfOf[table.df[id]!]! * (r.names.has(id) ? nameWeight : 1);
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
    const vec = new Map<number, number>();
    const names: number[] = [];
    for (const k of order) {
      const id = r.ids[k]!;
      vec.set(id, weights[k]! / norm);
      if (r.names.has(id)) names.push(id);
    }
    return { vec, names, sig: minhash(r.tokens) };
  });
  return { profiles, terms: table.terms };
}

/** Similarity figures for a pair of articles, as the grouping sees them (for tests and tuning). */
export function pairSimilarity(a: GroupInput, b: GroupInput): { cosine: number; jaccard: number } {
  const [pa, pb] = profilesOf([a, b]).profiles as [Profile, Profile];
  return { cosine: cosine(pa.vec, pb.vec), jaccard: sigJaccard(pa.sig, pb.sig) };
}
