// `npm run tune -- MODE`: chooses the digest's weights on half A of the evaluation data (a hash of
// the duc2003 cluster id or the cnndm_dev article id) and prints held-out half B beside it, so the
// reported figures are on data the choice did not see. Each mode states its criterion.
//   group       grouping options (B-cubed on gva_dev, on duc2003 + cnndm_dev, and cnndm_dev alone)
//   multi-grid  multi-document weights (ROUGE-1/2 recall on duc2003, first 100 words)
//   single      single-document weights (ROUGE F1 vs Lead-3 on cnndm_dev)
//   multi       the current multi-document figures per half, beside Lead and Centroid
import { readFileSync } from "node:fs";
import { evalFile, requireEvalFiles } from "./eval-lib/data";
import {
  backgroundIdf,
  clusterHalf,
  ducRaw,
  groupingEval,
  type GroupingScores,
  mixForGrouping,
  multiDocEval,
  meanRecall,
  parseDucJsonl,
} from "./eval-lib/evaluate-duc";
import { evalRaw, parseEvalJsonl } from "./eval-lib/evaluate";
import { gvaHalf, gvaLabelled, parseGvaJsonl } from "./eval-lib/evaluate-gva";
import { dailyFalseStories } from "./eval-lib/daily";
import { prepareArticles } from "../src/digest/index";
import { DEFAULT_GROUPING, type GroupOptions } from "../src/digest/group";

requireEvalFiles("npm run tune", ["duc2003.jsonl", "gva_dev.jsonl", "cnndm_dev.jsonl"]);
const duc = parseDucJsonl(readFileSync(evalFile("duc2003.jsonl"), "utf8"));
const cnn = parseEvalJsonl(readFileSync(evalFile("cnndm_dev.jsonl"), "utf8"));
const singles = cnn.map(evalRaw);
const what = process.argv[2] ?? "multi";

if (what === "group") {
  // Grouping options, chosen on half A of each set only: gva_dev (a hash of the incident id), the
  // duc2003 clusters mixed with cnndm_dev (a hash of the cluster or article id), and cnndm_dev alone.
  // Criterion: precision first. Eligible: B-cubed precision at least 0.985 on gva half A and 0.98 on
  // the duc mix's half A (a margin over the 0.97 target: the whole gva stream is twice as dense as a
  // half), and no two of cnndm_dev's half A articles merged (they are all different stories). Among
  // those, the highest mean of gva recall and duc event recall on half A; ties to higher precision,
  // then to the first in grid order. Half B is printed for the chosen row only. Fixed, not in the
  // grid: nameWeight 2.5 (better than 1.5 in an earlier grid on A), undated 0.5 (the largest factor
  // that merges none of cnndm_dev's half A: 0.35 and 0.5 tie on every half-A figure, and 0.35 kept
  // the bundled seeds, two undated reports of one meeting, apart), and the profile's 400 lead words
  // (as good as 600 on half A, at two thirds of the cost). Days, months and two-letter words are not
  // names (chosen without a grid: on half A, precision 0.987 -> 0.989, recall 0.889 -> 0.885).
  const gva = parseGvaJsonl(readFileSync(evalFile("gva_dev.jsonl"), "utf8"));
  const sets = ([0, 1] as const).map((half) => {
    const gvaMix = gvaLabelled(gva.filter((r) => gvaHalf(r) === half));
    const ducMix = mixForGrouping(
      duc.filter((c) => clusterHalf(c.id) === half),
      singles.filter((x) => clusterHalf(x.id) === half),
    );
    const cnnMix = mixForGrouping(
      [],
      singles.filter((x) => clusterHalf(x.id) === half),
    );
    return [gvaMix, ducMix, cnnMix].map((mix) => ({ mix, prepared: groupingEval(mix).prepared }));
  });
  const score = (half: 0 | 1, g: GroupOptions) => {
    const [gv, dm, cn] = sets[half]!.map((x) => groupingEval(x.mix, g, x.prepared).scores) as [
      GroupingScores,
      GroupingScores,
      GroupingScores,
    ];
    return { gva: gv, duc: dm, cnnMerged: cn.articles - cn.stories };
  };
  const grid: GroupOptions[] = [];
  for (const pair of [0.2, 0.25])
    for (const average of [0.2, 0.25, 0.3, 1])
      for (const graceDays of [2, 4])
        for (const decayDays of [30, 1000])
          for (const lateEvidence of [2, 3])
            for (const specificDf of [1, 2])
              for (const mergeSupport of [0, 2])
                grid.push({ ...DEFAULT_GROUPING, pair, average, graceDays, decayDays, lateEvidence, specificDf, mergeSupport });
  const f = (x: ReturnType<typeof score>) =>
    `gva P ${x.gva.precision.toFixed(3)} R ${x.gva.recallEvent.toFixed(3)} | duc P ${x.duc.precision.toFixed(3)} ` +
    `event R ${x.duc.recallEvent.toFixed(3)} | cnndm merged ${x.cnnMerged}`;
  const rows = grid.map((g) => ({ g, a: score(0, g) }));
  const ok = rows.filter((r) => r.a.gva.precision >= 0.985 && r.a.duc.precision >= 0.98 && r.a.cnnMerged === 0);
  const gain = (r: (typeof rows)[number]) => r.a.gva.recallEvent + r.a.duc.recallEvent;
  ok.sort((x, y) => gain(y) - gain(x) || y.a.gva.precision + y.a.duc.precision - (x.a.gva.precision + x.a.duc.precision));
  console.log(`${rows.length} settings, ${ok.length} eligible on half A; the best ten:`);
  const opts = (g: GroupOptions) => JSON.stringify(g);
  // Daily editions in miniature (each day grouped with the seven before it, as the Worker's memory
  // does), reported for the best rows: stories holding two incidents.
  const gold = new Map(gva.map((r) => [r.id, r.event]));
  const daily = (half: 0 | 1, g: GroupOptions) => {
    const d = dailyFalseStories(sets[half]![0]!.prepared, gold, g);
    return `daily editions: ${d.falseStories} of ${d.stories} stories hold two incidents`;
  };
  for (const r of ok.slice(0, 10)) console.log(`${opts(r.g)}\n  A: ${f(r.a)} | ${daily(0, r.g)}`);
  const best = ok[0];
  if (best) console.log(`chosen on A: ${opts(best.g)}\n  held-out B: ${f(score(1, best.g))} | ${daily(1, best.g)}`);
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
