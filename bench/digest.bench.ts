// Digest core figures: median time for the two seeds, and the time for 100 and 1,000 articles
// built from the CNN/DailyMail dev file (../shared/eval, read in place), with t(1000)/t(100).
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildDigest } from "../src/digest/index";
import { parseEvalJsonl } from "../src/digest/evaluate";
import { fnv1a32 } from "../src/digest/text";
import type { RawArticle } from "../src/digest/types";
import { fmt, median, timeRuns } from "./stats";

const here = dirname(fileURLToPath(import.meta.url));
const date = "2026-11-23";

/**
 * Variant `v` of an article: every word of 4+ letters gets a variant-specific suffix unless its
 * hash (with v) is a multiple of 4, so about three in four content words differ between variants and
 * neither shingle dedupe nor salient-term grouping can fold the variants together.
 */
function variant(a: RawArticle, v: number): RawArticle {
  if (v === 0) return a;
  const tag = String.fromCharCode(97 + (v % 26)) + String.fromCharCode(97 + ((v * 7) % 26));
  const body = a.body.replace(/\p{L}{4,}/gu, (w) => (fnv1a32(w, v) % 4 !== 0 ? w + tag : w));
  return { ...a, id: `${a.id}~v${v}`, body };
}

export default async function bench(): Promise<void> {
  const seedDir = resolve(here, "../seeds");
  const seeds: RawArticle[] = readdirSync(seedDir)
    .filter((f) => !f.startsWith("."))
    .sort()
    .map((f) => ({ id: f, body: readFileSync(join(seedDir, f), "utf8") }));
  const seedTimes = timeRuns(() => buildDigest(seeds, { date }), { runs: 300, warmup: 30 });
  console.log(`digest core, ${seeds.length} seeds: median ${fmt(median(seedTimes))} over ${seedTimes.length} runs`);

  const records = parseEvalJsonl(readFileSync(resolve(here, "../../shared/eval/cnndm_dev.jsonl"), "utf8"));
  const base: RawArticle[] = records.map((r) => ({ id: r.id, body: r.article, url: r.url, format: "text" }));
  const make = (n: number): RawArticle[] =>
    Array.from({ length: n }, (_, i) => variant(base[i % base.length]!, Math.floor(i / base.length)));
  const a100 = make(100);
  const a1000 = make(1000);
  const t100 = median(timeRuns(() => buildDigest(a100, { date }), { runs: 9, warmup: 2 }));
  const t1000 = median(timeRuns(() => buildDigest(a1000, { date }), { runs: 5, warmup: 1 }));
  const stories1000 = buildDigest(a1000, { date }).digest.stories.length;
  console.log(
    `articles built from ${base.length} eval articles; beyond the first ${base.length}, each repeat is a variant ` +
      `with a variant-specific suffix on about 3 in 4 of its 4+ letter words (new id "<id>~v<k>")`,
  );
  console.log(`digest core, 100 articles: median ${fmt(t100)}`);
  console.log(`digest core, 1,000 articles: median ${fmt(t1000)} (${stories1000} stories)`);
  console.log(`t(1000)/t(100): ${(t1000 / t100).toFixed(2)}`);
}
