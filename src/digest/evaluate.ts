// Evaluation harness (pure): runs the summarizer and Lead-3 over reference-summary records and
// averages ROUGE with one scorer, so the comparison is like for like. Used by scripts/eval.ts
// and test/node/digest-eval.test.ts; file reading stays in those callers.

import { buildDigest } from "./index";
import { cleanText } from "./clean";
import { splitSentences } from "./sentences";
import { rouge, type RougeScores } from "./rouge";
import type { SummaryWeights } from "./summarize";
import { candidatesOf, summarize, DEFAULT_WEIGHTS } from "./summarize";

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
}

/** Parses JSONL text into records, skipping lines that are not JSON objects with article/reference. */
export function parseEvalJsonl(text: string): EvalRecord[] {
  const out: EvalRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const o = JSON.parse(line) as Partial<EvalRecord>;
      if (typeof o.article === "string" && typeof o.reference === "string" && typeof o.id === "string") {
        out.push({ id: o.id, url: o.url, article: o.article, reference: o.reference });
      }
    } catch {
      // not JSON: skipped
    }
  }
  return out;
}

function mean(xs: readonly RougeScores[]): RougeScores {
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
    const lead3Raw = splitSentences(rec.article).slice(0, k).map((s) => s.text);
    sys.push(rouge(summary, rec.reference));
    lead.push(rouge(lead3, rec.reference));
    leadRaw.push(rouge(lead3Raw, rec.reference));
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
  };
}
