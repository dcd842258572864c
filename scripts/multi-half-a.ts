// `npx tsx scripts/multi-half-a.ts [grid|report]`: multi-document summaries on half A of duc2003
// only (clusterHalf of the cluster id), first 100 words, ROUGE-1/2 recall beside Lead, so a change
// to summarizeMulti is judged without seeing half B.
//   (none)  the current weights on half A
//   grid    the weights around the opening lead on half A; criterion: the highest R-1 + R-2 there
//   overlap the retelling limit (maxOverlap) on half A; criterion: the strictest that loses nothing there
//   report  half A, half B and the whole file, once the choice is made
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { clusterHalf, ducRaw, firstWords, meanRecall, multiDocEval, parseDucJsonl } from "./eval-lib/evaluate-duc";
import { prepareArticles, summarizeStory } from "../src/digest/index";
import { rougeRecall } from "./eval-lib/rouge";
import { DEFAULT_MULTI } from "../src/digest/summarize";

const here = dirname(fileURLToPath(import.meta.url));
const duc = parseDucJsonl(readFileSync(resolve(here, "../../shared/eval/duc2003.jsonl"), "utf8"));
const mode = process.argv[2];
const f = (x: { r1: number; r2: number }) => `${x.r1.toFixed(2)}/${x.r2.toFixed(2)}`;

if (mode === "grid") {
  const prepped = duc.filter((c) => clusterHalf(c.id) === 0).map((c) => ({ c, articles: prepareArticles(ducRaw(c)).articles }));
  const rows = [];
  for (const position of [0, 0.25, 0.5, 1, 1.5, 2, 3])
    for (const lengthExponent of [0.3, 0.5, 0.7])
      for (const leadExponent of [0.5, 1, 2]) {
        const w = { ...DEFAULT_MULTI, position, lengthExponent, leadExponent };
        const m = meanRecall(
          prepped.map((p) =>
            rougeRecall(
              firstWords(summarizeStory(p.articles, { maxSentences: 12, maxWords: 100, overflowLast: true }, [], w).summary),
              p.c.references,
            ),
          ),
        );
        rows.push({ w: { position, lengthExponent, leadExponent }, m });
      }
  rows.sort((x, y) => y.m.r1 + y.m.r2 - (x.m.r1 + x.m.r2));
  console.log("half A only; criterion: the highest R-1 + R-2 recall; the first line is the choice");
  for (const r of rows.slice(0, 12)) console.log(JSON.stringify(r.w), `A ${f(r.m)}`);
} else if (mode === "overlap") {
  const prepped = duc.filter((c) => clusterHalf(c.id) === 0).map((c) => ({ c, articles: prepareArticles(ducRaw(c)).articles }));
  for (const maxOverlap of [0.4, 0.5, 0.6, 0.7, 0.8, 1]) {
    const w = { ...DEFAULT_MULTI, maxOverlap };
    const m = meanRecall(
      prepped.map((p) =>
        rougeRecall(
          firstWords(summarizeStory(p.articles, { maxSentences: 12, maxWords: 100, overflowLast: true }, [], w).summary),
          p.c.references,
        ),
      ),
    );
    console.log(`maxOverlap ${maxOverlap}: A ${f(m)}`);
  }
} else {
  const sets: [string, 0 | 1 | undefined][] =
    mode === "report"
      ? [
          ["half A", 0],
          ["half B", 1],
          ["all", undefined],
        ]
      : [["half A", 0]];
  for (const [name, half] of sets) {
    // The Centroid baseline is not printed here, so it gets no background idf.
    const rows = multiDocEval(
      duc.filter((c) => half === undefined || clusterHalf(c.id) === half),
      new Map(),
    );
    const sys = meanRecall(rows.map((r) => r.system));
    const lead = meanRecall(rows.map((r) => r.lead));
    console.log(`${name} (${rows.length} clusters): system ${f(sys)}  Lead ${f(lead)}  system - Lead R-1 ${(sys.r1 - lead.r1).toFixed(2)}`);
  }
}
