// `npm run tune -- MODE`: chooses the digest's weights on half A of the evaluation data (a hash of
// the duc2003 cluster id or the cnndm_dev article id) and prints held-out half B beside it, so the
// reported figures are on data the choice did not see. Each mode states its criterion.
//   group       grouping options (B-cubed on duc2003 + cnndm_dev)
//   multi-grid  multi-document weights (ROUGE-1/2 recall on duc2003, first 100 words)
//   single      single-document weights (ROUGE F1 vs Lead-3 on cnndm_dev)
//   multi       the current multi-document figures per half, beside Lead and Centroid
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  backgroundIdf,
  clusterHalf,
  ducRaw,
  groupingEval,
  mixForGrouping,
  multiDocEval,
  meanRecall,
  parseDucJsonl,
} from "./eval-lib/evaluate-duc";
import { evalRaw, parseEvalJsonl } from "./eval-lib/evaluate";
import { prepareArticles } from "../src/digest/index";
import { DEFAULT_GROUPING, type GroupOptions } from "../src/digest/group";

const here = dirname(fileURLToPath(import.meta.url));
const duc = parseDucJsonl(readFileSync(resolve(here, "../../shared/eval/duc2003.jsonl"), "utf8"));
const cnn = parseEvalJsonl(readFileSync(resolve(here, "../../shared/eval/cnndm_dev.jsonl"), "utf8"));
const singles = cnn.map(evalRaw);
const what = process.argv[2] ?? "multi";

if (what === "group") {
  // Criterion: the highest mean of event and topic recall on half A with B-cubed precision of at
  // least 0.96 there (a margin over the 0.95 target, for unseen data); ties to higher precision.
  const halves = ([0, 1] as const).map((half) =>
    mixForGrouping(
      duc.filter((c) => clusterHalf(c.id) === half),
      singles.filter((x) => clusterHalf(x.id) === half),
    ),
  );
  const prepared = halves.map((mix) => groupingEval(mix).prepared);
  const grid: GroupOptions[] = [];
  for (const join of [0.15, 0.16, 0.17, 0.18, 0.2, 0.22, 0.25])
    for (const decayDays of [60, 180, 365])
      for (const undated of [1, 0.85, 0.7]) grid.push({ ...DEFAULT_GROUPING, join, decayDays, undated });
  const rows = grid.map((g) => ({
    g,
    a: groupingEval(halves[0]!, g, prepared[0]).scores,
    b: groupingEval(halves[1]!, g, prepared[1]).scores,
  }));
  const f = (x: (typeof rows)[number]["a"]) =>
    `P ${x.precision.toFixed(3)} Rev ${x.recallEvent.toFixed(3)} Rtop ${x.recallTopic.toFixed(3)}`;
  for (const r of rows) console.log(`join ${r.g.join} decay ${r.g.decayDays} undated ${r.g.undated}: A ${f(r.a)} | B ${f(r.b)}`);
  const ok = rows.filter((r) => r.a.precision >= 0.96);
  const best = ok.sort(
    (x, y) => y.a.recallEvent + y.a.recallTopic - (x.a.recallEvent + x.a.recallTopic) || y.a.precision - x.a.precision,
  )[0];
  if (best)
    console.log(`chosen on A: join ${best.g.join}, decayDays ${best.g.decayDays}, undated ${best.g.undated} -> held-out B: ${f(best.b)}`);
} else if (what === "single") {
  // Single-document weights on cnndm_dev, chosen on the id-hash half A only; half B is reported.
  // Criterion: Lead-3 is the prior, and the summarizer departs from it only as far as half A
  // clearly supports: the most lead-like configuration (highest position weight, then lowest
  // centrality) whose margins over Lead-3 are positive on both index-parity quarters of
  // A. (Taking the largest margin on A, or the best bootstrap lower bound, chose configurations
  // that lose to Lead-3 on B: at about 75 articles a half, margins under a point are mostly noise.)
  const { evaluate, splits, mean } = await import("./eval-lib/evaluate");
  const { DEFAULT_WEIGHTS } = await import("../src/digest/summarize");
  const half = (rows: ReturnType<typeof evaluate>["articles"], k: 0 | 1) => splits(rows).find((x) => x.name === "id hash")!.halves[k];
  const margin = (rows: ReturnType<typeof evaluate>["articles"]) => {
    const sys = mean(rows.map((a) => a.system));
    const lead = mean(rows.map((a) => a.lead3));
    return { r1: sys.r1 - lead.r1, r2: sys.r2 - lead.r2 };
  };
  const rows = [];
  for (const position of [2, 3, 4, 6, 10])
    for (const positionScale of [1.5, 2, 3])
      for (const centrality of [0.5, 1, 1.5])
        for (const lengthPenalty of [0.5, 1]) {
          const w = { ...DEFAULT_WEIGHTS, position, positionScale, centrality, lengthPenalty };
          const r = evaluate(cnn, { maxSentences: 3, weights: w }).articles;
          const a = half(r, 0);
          const quarters = [a.filter((_, i) => i % 2 === 0), a.filter((_, i) => i % 2 === 1)].map(margin);
          const stable = Math.min(...quarters.flatMap((m) => [m.r1, m.r2]));
          rows.push({ w: { position, positionScale, centrality, lengthPenalty }, a: margin(a), b: margin(half(r, 1)), stable });
        }
  const eligible = rows.filter((r) => r.stable > 0);
  eligible.sort((x, y) => y.w.position - x.w.position || x.w.centrality - y.w.centrality || y.stable - x.stable);
  rows.splice(0, rows.length, ...eligible);
  const f = (m: { r1: number; r2: number }) =>
    `R-1 ${m.r1 >= 0 ? "+" : ""}${m.r1.toFixed(2)} R-2 ${m.r2 >= 0 ? "+" : ""}${m.r2.toFixed(2)}`;
  for (const r of rows.slice(0, 8)) console.log(JSON.stringify(r.w), `worst quarter ${r.stable.toFixed(2)} A ${f(r.a)} | B ${f(r.b)}`);
  console.log(`chosen on A: ${JSON.stringify(rows[0]!.w)} -> held-out B vs Lead-3: ${f(rows[0]!.b)}`);
} else if (what === "multi-grid") {
  const { firstWords } = await import("./eval-lib/evaluate-duc");
  const { summarizeStory } = await import("../src/digest/index");
  const { rougeRecall } = await import("./eval-lib/rouge");
  const { DEFAULT_MULTI } = await import("../src/digest/summarize");
  const prepped = duc.map((c) => ({ c, articles: prepareArticles(ducRaw(c)).articles }));
  const grid: (typeof DEFAULT_MULTI)[] = [];
  // Criterion: the highest R-1 recall on half A (R-1 is the target figure).
  for (const position of [0.5, 1, 2])
    for (const name of [0, 0.5])
      for (const minShare of [0.2, 0.3, 0.4])
        for (const unigram of [0.1, 0.2, 0.4])
          for (const lengthExponent of [0.3, 0.5, 0.7]) grid.push({ ...DEFAULT_MULTI, position, name, minShare, unigram, lengthExponent });
  const res = grid.map((w) => {
    const per = [0, 1].map((half) => {
      const rows = prepped
        .filter((p) => clusterHalf(p.c.id) === half)
        .map((p) =>
          rougeRecall(
            firstWords(summarizeStory(p.articles, { maxSentences: 12, maxWords: 100, overflowLast: true }, [], w).summary),
            p.c.references,
          ),
        );
      return meanRecall(rows);
    });
    return { w, a: per[0]!, b: per[1]! };
  });
  res.sort((x, y) => y.a.r1 - x.a.r1 || y.a.r2 - x.a.r2);
  console.log("criterion: the highest R-1 recall on half A; the first line is the choice");
  for (const r of res.slice(0, 15))
    console.log(
      JSON.stringify({ ...r.w, window: undefined }),
      `A ${r.a.r1.toFixed(2)}/${r.a.r2.toFixed(2)}  B ${r.b.r1.toFixed(2)}/${r.b.r2.toFixed(2)}`,
    );
} else {
  const idf = backgroundIdf(prepareArticles([...duc.flatMap(ducRaw), ...singles]).articles);
  const rows = multiDocEval(duc, idf);
  for (const half of [0, 1]) {
    const h = rows.filter((r) => clusterHalf(r.id) === half);
    const f = (x: { r1: number; r2: number }) => `${x.r1.toFixed(2)}/${x.r2.toFixed(2)}`;
    console.log(
      `half ${half ? "B" : "A"} (${h.length}): system ${f(meanRecall(h.map((r) => r.system)))} ` +
        `lead ${f(meanRecall(h.map((r) => r.lead)))} centroid ${f(meanRecall(h.map((r) => r.centroid)))}`,
    );
  }
}
