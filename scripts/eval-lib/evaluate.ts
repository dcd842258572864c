// Evaluation harness (pure): runs the summarizer and Lead-3 over reference-summary records and
// averages ROUGE with one scorer, so the comparison is like for like. Used by scripts/eval.ts
// and test/node/digest-eval.test.ts; file reading stays in those callers.

import { buildDigest } from "../../src/digest/index";
import { cleanText } from "../../src/digest/clean";
import { splitSentences } from "../../src/digest/sentences";
import { rouge, type RougeScores } from "./rouge";
import type { SummaryWeights } from "../../src/digest/summarize";
import { candidatesOf, summarize, DEFAULT_WEIGHTS } from "../../src/digest/summarize";
import { fnv1a32, slugWords } from "../../src/digest/text";
import type { RawArticle } from "../../src/digest/types";

export interface EvalRecord {
  id: string;
  url?: string;
  article: string;
  reference: string;
}

export interface EvalReport {
  n: number;
  system: RougeScores;
  /** First three sentences of the cleaned article (same cleaning and splitter as the system). */
  lead3: RougeScores;
  /** First three sentences of the raw article text (splitter only). */
  lead3Raw: RougeScores;
  /** Average words per summary. */
  words: { system: number; lead3: number; reference: number };
  /** Per-article scores (fractions, not x100), in input order, for splits and paired statistics. */
  articles: ArticleScores[];
}

export interface ArticleScores {
  id: string;
  system: RougeScores;
  lead3: RougeScores;
  lead3Raw: RougeScores;
}

/** A record's article as the digest receives it: plain text, with its URL. */
export function evalRaw(rec: EvalRecord): RawArticle {
  return { id: rec.id, body: rec.article, url: rec.url, format: "text" };
}

/** The JSON objects on a JSONL text's lines; blank lines, non-JSON lines and other values are skipped. */
export function jsonObjectLines<T>(text: string): Partial<T>[] {
  const out: Partial<T>[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const o: unknown = JSON.parse(line);
      if (o !== null && typeof o === "object") out.push(o as Partial<T>);
    } catch {
      // not JSON: skipped
    }
  }
  return out;
}

/** Parses JSONL text into records, skipping lines that are not JSON objects with article/reference. */
export function parseEvalJsonl(text: string): EvalRecord[] {
  const out: EvalRecord[] = [];
  for (const o of jsonObjectLines<EvalRecord>(text)) {
    if (typeof o.article === "string" && typeof o.reference === "string" && typeof o.id === "string") {
      out.push({ id: o.id, url: o.url, article: o.article, reference: o.reference });
    }
  }
  return out;
}

/** Mean of per-article scores, x100. */
export function mean(xs: readonly RougeScores[]): RougeScores {
  const n = Math.max(1, xs.length);
  return {
    r1: (xs.reduce((s, x) => s + x.r1, 0) / n) * 100,
    r2: (xs.reduce((s, x) => s + x.r2, 0) / n) * 100,
    rl: (xs.reduce((s, x) => s + x.rl, 0) / n) * 100,
    rlsum: (xs.reduce((s, x) => s + x.rlsum, 0) / n) * 100,
  };
}

const wc = (s: string): number => (s.match(/\S+/g) ?? []).length;

export interface EvalOptions {
  maxSentences?: number;
  maxWords?: number;
  /** Score the summarizer directly with these weights (for tuning) instead of through buildDigest. */
  weights?: SummaryWeights;
}

/**
 * Runs the system (buildDigest on each article alone, `maxSentences` sentences) and Lead-3.
 * @example evaluate(parseEvalJsonl(text)).system.r1
 */
export function evaluate(records: readonly EvalRecord[], opts: EvalOptions = {}): EvalReport {
  const k = opts.maxSentences ?? 3;
  const maxWords = opts.maxWords ?? 10_000;
  const sys: RougeScores[] = [];
  const lead: RougeScores[] = [];
  const leadRaw: RougeScores[] = [];
  const articles: ArticleScores[] = [];
  let sw = 0;
  let lw = 0;
  let rw = 0;
  for (const rec of records) {
    let summary: string[];
    if (opts.weights) {
      const paras = cleanText(rec.article).paragraphs;
      summary = summarize(candidatesOf(paras, 0), { maxSentences: k, maxWords }, opts.weights ?? DEFAULT_WEIGHTS).map((c) => c.text);
    } else {
      const { digest } = buildDigest([{ id: rec.id, body: rec.article, format: "text" }], {
        date: "1970-01-01",
        maxSentences: k,
        maxWords,
      });
      summary = digest.stories[0]?.summary ?? [];
    }
    const cleaned = cleanText(rec.article).paragraphs.flatMap((p) => splitSentences(p).map((s) => s.text));
    const lead3 = cleaned.slice(0, k);
    const lead3Raw = splitSentences(rec.article)
      .slice(0, k)
      .map((s) => s.text);
    sys.push(rouge(summary, rec.reference));
    lead.push(rouge(lead3, rec.reference));
    leadRaw.push(rouge(lead3Raw, rec.reference));
    articles.push({ id: rec.id, system: sys[sys.length - 1]!, lead3: lead[lead.length - 1]!, lead3Raw: leadRaw[leadRaw.length - 1]! });
    sw += wc(summary.join(" "));
    lw += wc(lead3.join(" "));
    rw += wc(rec.reference);
  }
  const n = Math.max(1, records.length);
  return {
    n: records.length,
    system: mean(sys),
    lead3: mean(lead),
    lead3Raw: mean(leadRaw),
    words: { system: sw / n, lead3: lw / n, reference: rw / n },
    articles,
  };
}

/** Two disjoint halves of the articles, chosen without looking at their content or scores. */
export interface Split {
  name: string;
  halves: [ArticleScores[], ArticleScores[]];
}

/**
 * Deterministic split-half checks: by input position (even / odd index) and by a hash of the id
 * (so the halves do not depend on the file's order). A method tuned to the whole file but not
 * general tends to win on one half and lose on the other.
 * @example splits(evaluate(records).articles).map((s) => s.name) // ["index even/odd", "id hash"]
 */
export function splits(articles: readonly ArticleScores[]): Split[] {
  const byIndex: [ArticleScores[], ArticleScores[]] = [[], []];
  const byHash: [ArticleScores[], ArticleScores[]] = [[], []];
  articles.forEach((a, i) => {
    byIndex[i % 2]!.push(a);
    byHash[fnv1a32(a.id, 0x5eed) & 1]!.push(a);
  });
  return [
    { name: "index even/odd", halves: byIndex },
    { name: "id hash", halves: byHash },
  ];
}

export interface PairedStats {
  /** Mean of system - Lead-3 (cleaned), x100. */
  diff: number;
  /** 95% interval of that mean from a seeded paired bootstrap (deterministic). */
  low: number;
  high: number;
  /** Articles where the system scores higher / lower / the same as Lead-3. */
  wins: number;
  losses: number;
  ties: number;
}

/**
 * Paired comparison of the system against Lead-3 (cleaned) on one ROUGE measure, with a
 * bootstrap interval (seeded generator, so the same scores always give the same interval).
 * @example paired(evaluate(records).articles, "r1").diff
 */
export function paired(articles: readonly ArticleScores[], key: keyof RougeScores, resamples = 2000): PairedStats {
  const d = articles.map((a) => (a.system[key] - a.lead3[key]) * 100);
  const n = d.length;
  let wins = 0;
  let losses = 0;
  for (const x of d) {
    if (x > 1e-9) wins++;
    else if (x < -1e-9) losses++;
  }
  const avg = n ? d.reduce((s, x) => s + x, 0) / n : 0;
  if (n === 0) return { diff: 0, low: 0, high: 0, wins, losses, ties: 0 };
  let state = 0x9e3779b9;
  const rand = (): number => {
    // xorshift32: small, seeded, deterministic
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[Math.floor(rand() * n)]!;
    means[r] = s / n;
  }
  means.sort();
  return {
    diff: avg,
    low: means[Math.floor(resamples * 0.025)]!,
    high: means[Math.ceil(resamples * 0.975) - 1]!,
    wins,
    losses,
    ties: n - wins - losses,
  };
}

/** Words a headline should not end on (articles, prepositions, conjunctions, auxiliaries, relatives, pronouns). */
const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    "a an the and or but nor so yet of to in on at for with by from as into onto about over under after before since " +
    "until while when where whether if than that which who whom whose what this these those is are was were be been being " +
    "has have had do does did will would shall should can could may might must its their his her our my your it he she " +
    "they we i you him them us me not no very just also said says told saying telling amid despite because though although"
  ).split(" "),
);

export interface HeadlineCheck {
  /** Articles scored (those whose URL has a slug of at least three words). */
  n: number;
  /** Mean unigram-overlap F1 (x100) of the headline's words vs the slug's words, lowercased. */
  f1: number;
  /** Share (%) of headlines whose last word is a function word. */
  functionEnd: number;
  /** Mean headline length in characters. */
  chars: number;
  /** Per-article headline and slug, in input order. */
  rows: { id: string; headline: string; slug: string; f1: number }[];
}

const lowerWords = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];

/** Unigram-overlap F1 of two word lists (multiset, clipped counts). */
export function unigramF1(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const count = new Map<string, number>();
  for (const w of b) count.set(w, (count.get(w) ?? 0) + 1);
  let hit = 0;
  for (const w of a) {
    const c = count.get(w) ?? 0;
    if (c > 0) {
      hit++;
      count.set(w, c - 1);
    }
  }
  if (hit === 0) return 0;
  const p = hit / a.length;
  const r = hit / b.length;
  return (2 * p * r) / (p + r);
}

/**
 * Headlines built from the text alone (no title, no URL given to the digest) scored against the
 * article URL's slug, which on Daily Mail links is an editor's headline.
 * @example headlineCheck(parseEvalJsonl(text)).f1
 */
export function headlineCheck(records: readonly EvalRecord[]): HeadlineCheck {
  const rows: HeadlineCheck["rows"] = [];
  let bad = 0;
  let chars = 0;
  for (const rec of records) {
    const slug = slugWords(rec.url).replace(/\s+\d+$/, "");
    if (!/dailymail\.co\.uk/.test(rec.url ?? "") || slug.split(" ").length < 3) continue;
    const { digest } = buildDigest([{ id: rec.id, body: rec.article, format: "text" }], { date: "1970-01-01" });
    const headline = digest.stories[0]?.headline ?? "";
    const hw = lowerWords(headline);
    const f1 = unigramF1(hw, lowerWords(slug));
    if (FUNCTION_WORDS.has(hw[hw.length - 1] ?? "")) bad++;
    chars += headline.length;
    rows.push({ id: rec.id, headline, slug, f1 });
  }
  const n = Math.max(1, rows.length);
  return {
    n: rows.length,
    f1: (rows.reduce((s, r) => s + r.f1, 0) / n) * 100,
    functionEnd: (bad / n) * 100,
    chars: chars / n,
    rows,
  };
}
