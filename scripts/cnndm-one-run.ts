// `npx tsx scripts/cnndm-one-run.ts [report]`: cnndm_dev read as one input (as an edition would be
// built), each article scored by the summary of the story that holds it, beside Lead-3 (cleaned),
// ROUGE F1; half A only (clusterHalf of the id) unless `report`.
import { readFileSync } from "node:fs";
import { evalRaw, mean, parseEvalJsonl } from "./eval-lib/evaluate";
import { clusterHalf } from "./eval-lib/evaluate-duc";
import { buildDigest } from "../src/digest/index";
import { cleanText } from "../src/digest/clean";
import { splitSentences } from "../src/digest/sentences";
import { rouge } from "./eval-lib/rouge";
const recs = parseEvalJsonl(readFileSync(new URL("../../shared/eval/cnndm_dev.jsonl", import.meta.url), "utf8"));
const { digest } = buildDigest(recs.map(evalRaw), { date: "1970-01-01", maxSentences: 3, maxWords: 10000 });
const byId = new Map<string, string[]>();
for (const s of digest.stories) for (const src of s.sources) byId.set(src.id, s.summary);
const halves: [string, (id: string) => boolean][] =
  process.argv[2] === "report"
    ? [
        ["all", () => true],
        ["half A", (id) => clusterHalf(id) === 0],
        ["half B", (id) => clusterHalf(id) === 1],
      ]
    : [["half A", (id) => clusterHalf(id) === 0]];
for (const [name, keep] of halves) {
  const rs = recs.filter((r) => keep(r.id));
  const sys = mean(rs.map((r) => rouge(byId.get(r.id) ?? [], r.reference)));
  const lead = mean(
    rs.map((r) =>
      rouge(
        cleanText(r.article)
          .paragraphs.flatMap((p) => splitSentences(p).map((s) => s.text))
          .slice(0, 3),
        r.reference,
      ),
    ),
  );
  console.log(
    `${name} n ${rs.length}: one run ${sys.r1.toFixed(2)}/${sys.r2.toFixed(2)}  Lead-3 ${lead.r1.toFixed(2)}/${lead.r2.toFixed(2)}  diff ${(sys.r1 - lead.r1).toFixed(2)}/${(sys.r2 - lead.r2).toFixed(2)}  (${digest.stories.length} stories)`,
  );
}
