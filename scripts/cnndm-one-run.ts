// `npx tsx scripts/cnndm-one-run.ts [opening|report]`: cnndm_dev read as one input (as an edition
// would be built), each article scored by the summary of the story that holds it, beside Lead-3
// (cleaned), ROUGE F1; half A only (clusterHalf of the id) unless `report`.
//   (none)   the current weights on half A
//   opening  DEFAULT_MULTI.ownOpening (each source's own opening, for stories whose every lead fits)
//            from 1 to 5 on half A; criterion: the highest R-1 + R-2 there
//   report   the whole file, half A and half B, once the choice is made
import { readFileSync } from "node:fs";
import { evalRaw, mean, parseEvalJsonl } from "./eval-lib/evaluate";
import { clusterHalf } from "./eval-lib/evaluate-duc";
import { buildDigest } from "../src/digest/index";
import { cleanText } from "../src/digest/clean";
import { splitSentences } from "../src/digest/sentences";
import { DEFAULT_MULTI } from "../src/digest/summarize";
import { rouge } from "./eval-lib/rouge";
const recs = parseEvalJsonl(readFileSync(new URL("../../shared/eval/cnndm_dev.jsonl", import.meta.url), "utf8"));
const mode = process.argv[2];
const halves: [string, (id: string) => boolean][] =
  mode === "report"
    ? [
        ["all", () => true],
        ["half A", (id) => clusterHalf(id) === 0],
        ["half B", (id) => clusterHalf(id) === 1],
      ]
    : [["half A", (id) => clusterHalf(id) === 0]];
const leads = new Map(
  recs.map((r) => [
    r.id,
    rouge(
      cleanText(r.article)
        .paragraphs.flatMap((p) => splitSentences(p).map((s) => s.text))
        .slice(0, 3),
      r.reference,
    ),
  ]),
);
// buildDigest takes no summary weights, so the `opening` grid sets them on DEFAULT_MULTI in turn.
const settings = mode === "opening" ? [1, 2, 3, 4, 5] : [DEFAULT_MULTI.ownOpening];
const chosen = DEFAULT_MULTI.ownOpening;
for (const ownOpening of settings) {
  DEFAULT_MULTI.ownOpening = ownOpening;
  const { digest } = buildDigest(recs.map(evalRaw), { date: "1970-01-01", maxSentences: 3, maxWords: 10000 });
  const byId = new Map<string, string[]>();
  for (const s of digest.stories) for (const src of s.sources) byId.set(src.id, s.summary);
  for (const [name, keep] of halves) {
    const rs = recs.filter((r) => keep(r.id));
    const sys = mean(rs.map((r) => rouge(byId.get(r.id) ?? [], r.reference)));
    const lead = mean(rs.map((r) => leads.get(r.id)!));
    console.log(
      `${mode === "opening" ? `ownOpening ${ownOpening}: ` : ""}${name} n ${rs.length}: one run ${sys.r1.toFixed(2)}/${sys.r2.toFixed(2)}  Lead-3 ${lead.r1.toFixed(2)}/${lead.r2.toFixed(2)}  diff ${(sys.r1 - lead.r1).toFixed(2)}/${(sys.r2 - lead.r2).toFixed(2)}  (${digest.stories.length} stories)`,
    );
  }
}
DEFAULT_MULTI.ownOpening = chosen;
