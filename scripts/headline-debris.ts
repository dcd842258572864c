// `npx tsx scripts/headline-debris.ts [--all]`: the digest of duc2003 mixed with cnndm_dev in one
// run (as `npm run eval` groups them), and every headline it gives a story holding duc2003
// articles, checked for debris (see `headlineDebris`); prints the count and each offender
// (--all prints every headline).
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { evalRaw, parseEvalJsonl } from "./eval-lib/evaluate";
import { mixForGrouping, parseDucJsonl } from "./eval-lib/evaluate-duc";
import { headlineDebris } from "../src/digest/headline";
import { buildDigest } from "../src/digest/index";

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
let bad = 0;
for (const s of stories) {
  const why = headlineDebris(s.headline, s.summary);
  if (why.length) bad++;
  if (why.length || process.argv.includes("--all")) console.log(`${why.length ? `[${why.join(", ")}]` : "ok"}  ${s.headline}`);
}
console.log(`${bad} of ${stories.length} duc2003 stories' headlines with debris`);
