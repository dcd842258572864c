// Quality on real news: the CNN/DailyMail dev file in ../shared/eval (read in place, never copied).
// Unrelated articles stay one story each, and the summarizer is at or above Lead-3 on ROUGE-1/2.
import { readFileSync } from "node:fs";
import { evalMissing, evalPath } from "../support/eval-data";
import { describe, expect, it } from "vitest";
import { evalRaw, evaluate, mean, paired, parseEvalJsonl, splits, unigramF1, type ArticleScores } from "../../scripts/eval-lib/evaluate";
import { buildDigest, prepareArticles } from "../../src/digest/index";
import { rouge, rougeRecall } from "../../scripts/eval-lib/rouge";
import type { RawArticle } from "../../src/digest/types";
import {
  backgroundIdf,
  ducRaw,
  groupingEval,
  meanRecall,
  mixForGrouping,
  multiDocEval,
  parseDucJsonl,
} from "../../scripts/eval-lib/evaluate-duc";

const noCnn = evalMissing("cnndm_dev.jsonl", "quality on CNN/DailyMail articles");
const noDuc = evalMissing("duc2003.jsonl", "grouping and multi-document quality on duc2003");
const records = noCnn ? [] : parseEvalJsonl(readFileSync(evalPath("cnndm_dev.jsonl"), "utf8"));

describe("ROUGE scorer", () => {
  it("scores identical text 1, disjoint text 0, and clips repeated n-grams", () => {
    expect(rouge("The cat sat.", "the cat sat").r1).toBeCloseTo(1);
    expect(rouge("dogs bark", "cats meow").r1).toBe(0);
    // candidate "the the the" vs reference "the cat": 1 clipped match; P=1/3, R=1/2.
    expect(rouge("the the the", "the cat").r1).toBeCloseTo((2 * (1 / 3) * 0.5) / (1 / 3 + 0.5));
    expect(rouge("a b c d", "a c b d").r2).toBe(0);
    expect(rouge("a b c d", "a c b d").rl).toBeCloseTo(0.75);
  });

  it("summary-level ROUGE-L credits sentences in any order; plain ROUGE-L does not", () => {
    const r = rouge(["c d e.", "a b."], "a b\nc d e");
    expect(r.rl).toBeCloseTo(0.6);
    expect(r.rlsum).toBeCloseTo(1);
  });
});

describe("ROUGE recall scorer", () => {
  it("recall scorer: stems, clips, and sums over references", () => {
    expect(rougeRecall("storms hit", ["the storm hits"]).r1).toBeCloseTo(2 / 3);
    expect(rougeRecall("storm storm", ["storm", "storm"]).r1).toBeCloseTo(1);
    expect(rougeRecall("a b", ["a b c", "x y"]).r2).toBeCloseTo(1 / 3);
  });
});

describe("headline check (moved from test/digest/headline-cut.test.ts with the eval code)", () => {
  it("scores unigram overlap F1", () => {
    expect(unigramF1(["a", "b"], ["a", "b"])).toBe(1);
    expect(unigramF1(["a", "b"], ["c"])).toBe(0);
    expect(unigramF1(["a", "b", "c", "d"], ["a", "x"])).toBeCloseTo((2 * 0.25 * 0.5) / 0.75);
  });
});

describe("split-half and paired statistics", () => {
  const score = (x: number) => ({ r1: x, r2: x, rl: x, rlsum: x });
  const rows: ArticleScores[] = Array.from({ length: 40 }, (_, i) => ({
    id: `a${i}`,
    system: score(i % 4 === 0 ? 0.5 : 0.4),
    lead3: score(0.4),
    lead3Raw: score(0.4),
  }));

  it("splits into two disjoint halves that cover every article, two ways", () => {
    const sp = splits(rows);
    expect(sp.map((s) => s.name)).toEqual(["index even/odd", "id hash"]);
    for (const s of sp) {
      const ids = [...s.halves[0], ...s.halves[1]].map((a) => a.id).sort();
      expect(ids).toEqual(rows.map((a) => a.id).sort());
      expect(s.halves[0].length).toBeGreaterThan(5);
      expect(s.halves[1].length).toBeGreaterThan(5);
    }
    expect(sp[0]!.halves[0].map((a) => a.id)).toEqual(rows.filter((_, i) => i % 2 === 0).map((a) => a.id));
    // the hash split does not follow input order
    expect(sp[1]!.halves[0].map((a) => a.id)).not.toEqual(sp[0]!.halves[0].map((a) => a.id));
  });

  it("paired difference counts wins and gives a deterministic interval around the mean", () => {
    const p = paired(rows, "r1");
    expect(p.diff).toBeCloseTo(2.5); // 10 of 40 articles +10 points
    expect([p.wins, p.losses, p.ties]).toEqual([10, 0, 30]);
    expect(p.low).toBeLessThan(p.diff);
    expect(p.high).toBeGreaterThan(p.diff);
    expect(p.low).toBeGreaterThanOrEqual(0);
    expect(paired(rows, "r1")).toEqual(p);
  });
});

describe.skipIf(noCnn)("CNN/DailyMail dev file", () => {
  it("has the 150 records the figures are based on", () => {
    expect(records).toHaveLength(150);
  });

  it("read as one input, keeps unrelated articles apart (only same-event sports pieces may join)", () => {
    const { digest } = buildDigest(records.map(evalRaw), { date: "2026-11-23" });
    // Some of the 150 really are one event (two reports of one race weekend); most are unrelated.
    expect(digest.stories.length).toBeGreaterThanOrEqual(135);
    expect(digest.stories.every((s) => s.sources.length <= 4)).toBe(true);
    const ids = digest.stories.flatMap((s) => s.sources.map((x) => x.id));
    expect(new Set(ids).size).toBe(records.length);
  });

  it("summarizer is at or above Lead-3 on ROUGE-1 and ROUGE-2 (3 sentences each, same scorer)", () => {
    const r = evaluate(records, { maxSentences: 3 });
    // The scorer reproduces the published Lead-3 level (about 40 R-1) on this file.
    expect(r.lead3Raw.r1).toBeGreaterThan(37);
    expect(r.lead3Raw.r1).toBeLessThan(43);
    expect(r.system.r1).toBeGreaterThanOrEqual(Math.max(r.lead3.r1, r.lead3Raw.r1));
    expect(r.system.r2).toBeGreaterThanOrEqual(Math.max(r.lead3.r2, r.lead3Raw.r2));
  });

  it("stays at Lead-3 or above on each half of both split-half checks (R-2 ties allowed)", () => {
    const r = evaluate(records, { maxSentences: 3 });
    for (const sp of splits(r.articles))
      for (const half of sp.halves) {
        const sys = mean(half.map((a) => a.system));
        const lead = mean(half.map((a) => a.lead3));
        // Lead-3 is the floor: the summary departs from it on 3 of 150 articles (a quotation that
        // never says who speaks), one of which scores lower (-0.03 R-1 on the index-odd half), so
        // a half may tie Lead-3 to within 0.1 point, never fall below by more.
        expect(sys.r1, `${sp.name} R-1`).toBeGreaterThanOrEqual(lead.r1 - 0.1);
        expect(sys.r2, `${sp.name} R-2`).toBeGreaterThanOrEqual(lead.r2 - 0.1);
      }
  });
});

describe.skipIf(noCnn || noDuc)("duc2003 clusters", () => {
  const duc = noCnn || noDuc ? [] : parseDucJsonl(readFileSync(evalPath("duc2003.jsonl"), "utf8"));
  const singles = records.map(evalRaw);

  it("groups the mix with cnndm_dev into stories: B-cubed precision >= 0.97, event recall >= 0.70", () => {
    const { scores } = groupingEval(mixForGrouping(duc, singles));
    expect(scores.articles).toBe(565);
    expect(scores.precision).toBeGreaterThanOrEqual(0.97);
    // Precision first (issue 19): the grouping that reached 0.87 event recall here put distinct
    // events in one story. Recall is 0.70 now; the 0.85 is open, and this guards the floor.
    expect(scores.recallEvent).toBeGreaterThanOrEqual(0.7);
  });

  it("multi-document summaries beat Lead on R-1 and R-2, and Centroid on R-1, over all clusters", () => {
    const idf = backgroundIdf(prepareArticles([...duc.flatMap(ducRaw), ...singles]).articles);
    const rows = multiDocEval(duc, idf);
    const sys = meanRecall(rows.map((r) => r.system));
    const lead = meanRecall(rows.map((r) => r.lead));
    const centroid = meanRecall(rows.map((r) => r.centroid));
    expect(sys.r1).toBeGreaterThanOrEqual(lead.r1 + 5);
    expect(sys.r2).toBeGreaterThan(lead.r2);
    expect(sys.r1).toBeGreaterThan(centroid.r1);
  });

  it("replayed as daily feed editions, gives no headline or summary sentence that opens on punctuation or a dateline", () => {
    const byDay = new Map<string, RawArticle[]>();
    for (const a of duc.flatMap(ducRaw)) {
      const day = (a.publishedAt ?? "").slice(0, 10);
      byDay.set(day, [...(byDay.get(day) ?? []), a]);
    }
    const dateline = /^(?:\p{Lu}[\p{Lu}.' ,-]{2,}.{0,30}?\((?:AP|Xinhua|Reuters)\)|\p{Lu}{3,}[\p{Lu} .,'-]*\s+[-_])/u;
    const bad: string[] = [];
    let lines = 0;
    for (const [day, raw] of byDay) {
      for (const story of buildDigest(raw, { date: day }).digest.stories) {
        for (const [k, line] of [story.headline, ...story.summary].entries()) {
          lines++;
          // A one-source summary keeps its lead as written (Lead-3 is the floor): a quotation that says
          // who speaks may open a summary line; a headline never does.
          const attributed = k > 0 && /^"[^"]+[,?!]" \S/.test(line);
          if ((!/^[\p{L}\p{N}]/u.test(line) && !attributed) || dateline.test(line)) bad.push(`${day}: ${line}`);
        }
      }
    }
    expect(byDay.size).toBeGreaterThan(200);
    expect(lines).toBeGreaterThan(1000);
    expect(bad).toEqual([]);
  });
});
