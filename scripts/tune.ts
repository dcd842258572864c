// `npm run tune`: chooses the grouping and multi-document weights on one half of the data (by a
// hash of the cluster id; half A) and prints the other half beside it, so the reported figures are
// on data the choice did not see. Single-document weights: see scripts/eval.ts.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  backgroundIdf, clusterHalf, groupingEval, mixForGrouping, multiDocEval, meanRecall, parseDucJsonl,
} from "../src/digest/evaluate-duc";
import { parseEvalJsonl } from "../src/digest/evaluate";
import { prepareArticles } from "../src/digest/index";
import { DEFAULT_GROUPING, type GroupOptions } from "../src/digest/group";
import { fnv1a32 } from "../src/digest/text";

const here = dirname(fileURLToPath(import.meta.url));
const duc = parseDucJsonl(readFileSync(resolve(here, "../../shared/eval/duc2003.jsonl"), "utf8"));
const cnn = parseEvalJsonl(readFileSync(resolve(here, "../../shared/eval/cnndm_dev.jsonl"), "utf8"));
const singles = cnn.map((r) => ({ id: r.id, body: r.article, url: r.url, format: "text" as const }));
const what = process.argv[2] ?? "group";

if (what === "group") {
  for (const half of [0, 1] as const) {
    const mix = mixForGrouping(duc.filter((c) => clusterHalf(c.id) === half), singles.filter((s) => (fnv1a32(s.id, 0xd0c) & 1) === half));
    const { prepared } = groupingEval(mix);
    const grid: GroupOptions[] = [];
    for (const join of [0.16, 0.18, 0.2, 0.22, 0.24]) for (const graceDays of [3, 7, 14]) for (const decayDays of [90, 180, 365])
      grid.push({ ...DEFAULT_GROUPING, join, graceDays, decayDays });
    console.log(`half ${half === 0 ? "A" : "B"}: ${mix.length} articles`);
    for (const g of grid) {
      const { scores } = groupingEval(mix, g, prepared);
      console.log(`join ${g.join} grace ${g.graceDays} decay ${g.decayDays}: P ${scores.precision.toFixed(3)} Rev ${scores.recallEvent.toFixed(3)} Rtop ${scores.recallTopic.toFixed(3)} stories ${scores.stories}`);
    }
  }
} else if (what === "multi-grid") {
  const { ducRaw, firstWords } = await import("../src/digest/evaluate-duc");
  const { summarizeStory } = await import("../src/digest/index");
  const { rougeRecall } = await import("../src/digest/rouge");
  const { DEFAULT_MULTI } = await import("../src/digest/summarize");
  const prepped = duc.map((c) => ({ c, articles: prepareArticles(ducRaw(c)).articles }));
  const grid: (typeof DEFAULT_MULTI)[] = [];
  for (const position of [1, 2]) for (const name of [0, 0.5, 1, 2]) for (const minShare of [0.2, 0.3, 0.4])
    for (const unigram of [0, 0.2]) for (const lengthExponent of [0.5, 0.7])
      grid.push({ ...DEFAULT_MULTI, position, name, minShare, unigram, lengthExponent });
  const res = grid.map((w) => {
    const per = [0, 1].map((half) => {
      const rows = prepped.filter((p) => clusterHalf(p.c.id) === half).map((p) =>
        rougeRecall(firstWords(summarizeStory(p.articles, { maxSentences: 12, maxWords: 140 }, [], w).summary), p.c.references));
      return meanRecall(rows);
    });
    return { w, a: per[0]!, b: per[1]! };
  });
  res.sort((x, y) => y.a.r1 + y.a.r2 - (x.a.r1 + x.a.r2));
  for (const r of res.slice(0, 15)) console.log(JSON.stringify({ ...r.w, window: undefined }), `A ${r.a.r1.toFixed(2)}/${r.a.r2.toFixed(2)}  B ${r.b.r1.toFixed(2)}/${r.b.r2.toFixed(2)}`);
} else {
  const idf = backgroundIdf(prepareArticles([...duc.flatMap((c) => c.docs.map((d) => ({ id: d.id, body: d.text, format: "text" as const }))), ...singles]).articles);
  const rows = multiDocEval(duc, idf);
  for (const half of [0, 1]) {
    const h = rows.filter((r) => clusterHalf(r.id) === half);
    const f = (x: { r1: number; r2: number }) => `${x.r1.toFixed(2)}/${x.r2.toFixed(2)}`;
    console.log(`half ${half ? "B" : "A"} (${h.length}): system ${f(meanRecall(h.map((r) => r.system)))} lead ${f(meanRecall(h.map((r) => r.lead)))} centroid ${f(meanRecall(h.map((r) => r.centroid)))}`);
  }
}
