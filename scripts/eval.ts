// `npm run eval`: the digest's quality report, every figure beside its baselines, same scorer, same
// run, on ../shared/eval (read in place, never copied):
//   1. multi-document summaries on duc2003 (each cluster alone; system vs Lead vs Centroid),
//   2. grouping (B-cubed) on the gva_dev stream and on duc2003 mixed with cnndm_dev, beside a plain
//      tf-idf grouping and every article alone, each half; the digest over each whole stream; and
//      the end-to-end summaries of the duc mix,
//   3. single-document summaries on cnndm_dev vs Lead-3, with split halves.
// Weights were chosen on half A (scripts/tune.ts); half B is the held-out report.
import { readFileSync } from "node:fs";
import { evalFile, requireEvalFiles } from "./eval-lib/data";
import { evalRaw, evaluate, headlineCheck, mean, paired, parseEvalJsonl, splits } from "./eval-lib/evaluate";
import { buildDigest, DEFAULT_MAX_WORDS, prepareArticles, summarizeStory } from "../src/digest/index";
import {
  backgroundIdf,
  bcubed,
  clusterHalf,
  ducRaw,
  DUC_WORDS,
  firstWords,
  groupingEval,
  meanRecall,
  mixForGrouping,
  multiDocEval,
  parseDucJsonl,
  type GroupingScores,
  type LabelledArticle,
  type MultiDocRow,
} from "./eval-lib/evaluate-duc";
import { rougeRecall } from "./eval-lib/rouge";
import { aloneGrouping, digestGroups, tfidfGrouping } from "./eval-lib/baselines";
import { gvaHalf, gvaLabelled, parseGvaJsonl } from "./eval-lib/evaluate-gva";
import type { RawArticle } from "../src/digest/types";

requireEvalFiles("npm run eval", ["duc2003.jsonl", "gva_dev.jsonl", "cnndm_dev.jsonl"]);
const ducFile = process.env.DUC_FILE ?? evalFile("duc2003.jsonl");
const duc = parseDucJsonl(readFileSync(ducFile, "utf8"));
const gvaFile = process.env.GVA_FILE ?? evalFile("gva_dev.jsonl");
const file = process.env.EVAL_FILE ?? evalFile("cnndm_dev.jsonl");
const records = parseEvalJsonl(readFileSync(file, "utf8"));
const singles = records.map(evalRaw);
const pct = (x: number): string => x.toFixed(2).padStart(6);

// 1. Multi-document summaries.
const bgIdf = backgroundIdf(prepareArticles([...duc.flatMap(ducRaw), ...singles]).articles);
const multi = multiDocEval(duc, bgIdf);
console.log(`MULTI-DOCUMENT: ${duc.length} duc2003 clusters, each summarized alone, first ${DUC_WORDS} words,`);
console.log("ROUGE recall x100 vs 4 references (Porter-stemmed, stopwords kept)");
console.log("set                  n  system R-1/R-2   Lead R-1/R-2   Centroid R-1/R-2");
const halves: [string, (r: MultiDocRow) => boolean][] = [
  ["all", () => true],
  ["half A (tuned on)", (r) => clusterHalf(r.id) === 0],
  ["half B (held out)", (r) => clusterHalf(r.id) === 1],
  ["event clusters", (r) => r.kind === "event"],
  ["topic clusters", (r) => r.kind === "topic"],
];
for (const [name, keep] of halves) {
  const rows = multi.filter(keep);
  const cell = (k: "system" | "lead" | "centroid"): string => {
    const m = meanRecall(rows.map((r) => r[k]));
    return `${pct(m.r1)}/${pct(m.r2)}`;
  };
  console.log(`${name.padEnd(18)} ${String(rows.length).padStart(3)}  ${cell("system")}  ${cell("lead")}  ${cell("centroid")}`);
}

// 2. Grouping: the system beside a plain online tf-idf grouping and every article alone, same
// scorer, same run, on each set and each half; then the digest itself over each whole stream.
const gva = parseGvaJsonl(readFileSync(gvaFile, "utf8"));
const mix = mixForGrouping(duc, singles);
const grouped = groupingEval(mix);
const gvaAll = gvaLabelled(gva);
const halfOfMix = (a: LabelledArticle): 0 | 1 => clusterHalf(a.kind === "single" ? a.raw.id : a.gold);
const gvaHalfOf = new Map(gva.map((r) => [r.id, gvaHalf(r)]));
const groupingSets: [string, LabelledArticle[], "gva" | "duc"][] = [
  ["gva_dev stream, all", gvaAll, "gva"],
  ["  half A (tuned on)", gvaAll.filter((a) => gvaHalfOf.get(a.raw.id) === 0), "gva"],
  ["  half B (held out)", gvaAll.filter((a) => gvaHalfOf.get(a.raw.id) === 1), "gva"],
  ["duc2003 + cnndm_dev, all", mix, "duc"],
  ["  half A (tuned on)", mix.filter((a) => halfOfMix(a) === 0), "duc"],
  ["  half B (held out)", mix.filter((a) => halfOfMix(a) === 1), "duc"],
];
const f1 = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);
const prf = (s: GroupingScores, kind: "gva" | "duc"): string =>
  kind === "gva"
    ? `${s.precision.toFixed(3)} ${s.recallEvent.toFixed(3)} ${f1(s.precision, s.recallEvent).toFixed(3)} ${String(s.stories).padStart(5)}`
    : `${s.precision.toFixed(3)} ${s.recallEvent.toFixed(3)} ${s.recallTopic.toFixed(3)} ${String(s.stories).padStart(5)}`;
console.log("");
console.log("GROUPING: B-cubed, each input in time order in one run; gva_dev: precision, recall, F1, stories;");
console.log("duc2003 + cnndm_dev: precision (all articles), recall over event clusters, over topic clusters, stories");
console.log("set                          articles | system               | tf-idf baseline      | every article alone");
for (const [name, labelled, kind] of groupingSets) {
  const system = labelled === mix ? grouped.scores : groupingEval(labelled).scores;
  const tfidf = bcubed(labelled, tfidfGrouping(labelled.map((a) => a.raw)));
  const alone = bcubed(labelled, aloneGrouping(labelled.length));
  console.log(
    `${name.padEnd(28)} ${String(labelled.length).padStart(8)} | ${prf(system, kind)} | ${prf(tfidf, kind)} | ${prf(alone, kind)}`,
  );
}
console.log("(tf-idf baseline: title and first 800 characters, joins the most similar cluster active in the last 7 days at cosine >= 0.2)");
const digestOf = (raw: RawArticle[]) => buildDigest(raw, { date: "1970-01-01" }).digest;
for (const [name, labelled, kind] of [
  ["gva_dev stream", gvaAll, "gva"],
  ["duc2003 + cnndm_dev", mix, "duc"],
] as const) {
  const s = bcubed(labelled, digestGroups(labelled, digestOf));
  console.log(`the digest of the whole ${name} in one run (npm run digest): ${prf(s, kind)}`);
}
const preparedOf = new Map(grouped.prepared.map((a) => [a.id, a]));
const e2e = duc.map((c) => {
  // Each cluster's largest story in the grouped mix, summarized as the digest would (100 words).
  const best = grouped.groups.map((gr) => gr.filter((i) => mix[i]!.gold === c.id)).sort((a, b) => b.length - a.length)[0]!;
  const members = grouped.groups.find((gr) => gr.includes(best[0]!))!.map((i) => preparedOf.get(mix[i]!.raw.id)!);
  const summary = summarizeStory(members, { maxSentences: 12, maxWords: DUC_WORDS, overflowLast: true }).summary;
  return rougeRecall(firstWords(summary), c.references);
});
const e2eMean = meanRecall(e2e);
const aloneMean = meanRecall(multi.map((r) => r.system));
console.log(
  `end to end (each cluster's largest story in the mix): R-1 ${pct(e2eMean.r1)}, R-2 ${pct(e2eMean.r2)} ` +
    `(alone: ${pct(aloneMean.r1)}, ${pct(aloneMean.r2)})`,
);
console.log("");
console.log("SINGLE-DOCUMENT:");
const r = evaluate(records, { maxSentences: 3 });

const f = (x: number): string => x.toFixed(2).padStart(6);
console.log(`ROUGE F1 (x100) on ${records.length} articles from ${file}, 3 sentences each`);
console.log(`system                             R-1    R-2    R-L R-Lsum  words`);
const row = (label: string, x: typeof r.system, words?: number): string =>
  `${label.padEnd(31)} ${f(x.r1)} ${f(x.r2)} ${f(x.rl)} ${f(x.rlsum)}  ${words === undefined ? "" : words.toFixed(1)}`;
console.log(row("digest summarizer", r.system, r.words.system));
console.log(row("Lead-3 (cleaned text)", r.lead3, r.words.lead3));
console.log(row("Lead-3 (raw text)", r.lead3Raw));
const shipped = evaluate(records, { maxSentences: 3, maxWords: DEFAULT_MAX_WORDS });
console.log(row(`digest, <= ${DEFAULT_MAX_WORDS} words (default)`, shipped.system, shipped.words.system));
console.log("R-L: LCS over the whole summary; R-Lsum: summary-level union LCS per highlight (as published tables)");
console.log(`reference length: ${r.words.reference.toFixed(1)} words`);
const best = { r1: Math.max(r.lead3.r1, r.lead3Raw.r1), r2: Math.max(r.lead3.r2, r.lead3Raw.r2) };
console.log(`system - best Lead-3:  R-1 ${(r.system.r1 - best.r1).toFixed(2)}, R-2 ${(r.system.r2 - best.r2).toFixed(2)}`);

// Generalisation: the same comparison on two halves of the file, split two ways without looking at
// content or scores, and a paired bootstrap interval on the whole-file difference.
console.log("");
console.log("split-half check (system vs Lead-3 cleaned on each half; a general method wins on both)");
console.log("(the weights were chosen on the id-hash half A (npm run tune -- single); id-hash B is the held-out half)");
console.log(`split            half   n   sys R-1  L3 R-1   diff | sys R-2  L3 R-2   diff | sys R-L  L3 R-L   diff`);
const signed = (x: number): string => (x >= 0 ? "+" : "") + x.toFixed(2);
for (const sp of splits(r.articles)) {
  sp.halves.forEach((h, k) => {
    const s = mean(h.map((a) => a.system));
    const l = mean(h.map((a) => a.lead3));
    const cell = (key: "r1" | "r2" | "rl"): string => `${f(s[key])}  ${f(l[key])} ${signed(s[key] - l[key]).padStart(6)}`;
    console.log(
      `${sp.name.padEnd(16)} ${String(k === 0 ? "A" : "B").padStart(4)} ${String(h.length).padStart(3)}  ` +
        `${cell("r1")} |${cell("r2")} |${cell("rl")}`,
    );
  });
}
for (const key of ["r1", "r2", "rl"] as const) {
  const p = paired(r.articles, key);
  console.log(
    `paired ${key.toUpperCase().replace("R", "R-")}: system - Lead-3 ${signed(p.diff)}, ` +
      `95% bootstrap interval [${p.low.toFixed(2)}, ${p.high.toFixed(2)}]; ` +
      `higher on ${p.wins}, lower on ${p.losses}, same on ${p.ties} articles`,
  );
}

// The same file as one input: unrelated articles should stay one story each.
const { digest } = buildDigest(singles, { date: "1970-01-01" });
console.log(`all ${records.length} articles as one input: ${digest.stories.length} stories`);

// Headlines built from the text alone vs the Daily Mail URL slug (an editor's headline).
const hc = headlineCheck(records);
console.log(
  `headlines (text only) vs URL slug on ${hc.n} Daily Mail articles: unigram F1 ${hc.f1.toFixed(2)}, ` +
    `ending on a function word ${hc.functionEnd.toFixed(1)}%, ${hc.chars.toFixed(1)} characters`,
);
