// `npx tsx scripts/headline-debris.ts [--all]`: the digest of duc2003 mixed with cnndm_dev in one
// run (as `npm run eval` groups them), and every headline it gives a story holding duc2003
// articles, checked for debris (see `headlineDebris`); prints the count and each offender
// (--all prints every headline). With --sources, each headline is also checked against the
// opening sentences of its sources' cleaned text (where headlines come from when the summary's
// sentences make none), not only against the summary.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { evalRaw, parseEvalJsonl } from "./eval-lib/evaluate";
import { mixForGrouping, parseDucJsonl } from "./eval-lib/evaluate-duc";
import { headlineDebris } from "../src/digest/headline";
import { cleanText } from "../src/digest/clean";
import { ingest } from "../src/digest/ingest";
import { buildDigest } from "../src/digest/index";
import { sentenceTexts } from "../src/digest/sentences";

const here = dirname(fileURLToPath(import.meta.url));
const duc = parseDucJsonl(readFileSync(resolve(here, "../../shared/eval/duc2003.jsonl"), "utf8"));
const cnn = parseEvalJsonl(readFileSync(resolve(here, "../../shared/eval/cnndm_dev.jsonl"), "utf8")).map(evalRaw);
const mix = mixForGrouping(duc, cnn);
const { digest } = buildDigest(
  mix.map((a) => a.raw),
  { date: "2000-01-01" },
);
const ducIds = new Set(mix.filter((a) => a.kind !== "single").map((a) => a.raw.id));
const stories = digest.stories.filter((s) => s.sources.some((x) => ducIds.has(x.id)));
const byId = new Map(mix.map((a) => [a.raw.id, a.raw]));
/** The first sentences of a source's cleaned text (the headline's other candidates). */
const opening = (id: string): string[] => {
  const raw = byId.get(id);
  const text = raw ? ingest(raw).article?.text : undefined;
  if (!text) return [];
  return cleanText(text)
    .paragraphs.flatMap((p) => sentenceTexts(p))
    .slice(0, 6);
};
const withSources = process.argv.includes("--sources");
let bad = 0;
for (const s of stories) {
  const sentences = withSources ? [...s.summary, ...s.sources.flatMap((x) => opening(x.id))] : s.summary;
  const why = headlineDebris(s.headline, sentences);
  if (why.length) bad++;
  if (why.length || process.argv.includes("--all")) console.log(`${why.length ? `[${why.join(", ")}]` : "ok"}  ${s.headline}`);
}
console.log(`${bad} of ${stories.length} duc2003 stories' headlines with debris`);
