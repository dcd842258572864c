// Digest core figures: median time for the two seeds, and the time for 100 and 1,000 articles
// built from the CNN/DailyMail dev file (../shared/eval, read in place; generated articles where it
// is absent, and the figures say so), with t(1000)/t(100).
import { existsSync, readFileSync } from "node:fs";
import { buildDigest } from "../src/digest/index";
import { seedArticles } from "../src/sources/seeds";
import { evalFile } from "../scripts/eval-lib/data";
import { evalRaw, parseEvalJsonl } from "../scripts/eval-lib/evaluate";
import { syntheticArticle } from "../test/support/synthetic-news";
import { fnv1a32 } from "../src/digest/text";
import type { RawArticle } from "../src/digest/types";
import { fmt, median, timeRuns } from "./stats";

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

interface Times {
  wall: number;
  cpu: number;
}

/**
 * Runs `fn` and returns median wall time and median CPU time (process user+system) in ms.
 * CPU time is what a Worker is limited on, and is less disturbed by other processes on the machine.
 */
function timeBoth(fn: () => unknown, runs: number, warmup: number): Times {
  return timeInTurns([fn], [runs], warmup)[0]!;
}

/**
 * Times several functions in turns (each warmed `warmup` times first; then, round after round,
 * function k runs runs[k] / rounds times), and returns each one's median wall and CPU time in ms.
 */
function timeInTurns(fns: readonly (() => unknown)[], runs: readonly number[], warmup: number): Times[] {
  for (let i = 0; i < warmup; i++) for (const fn of fns) fn();
  const rounds = Math.min(...runs);
  const wall: number[][] = fns.map(() => []);
  const cpu: number[][] = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, k) => {
      for (let i = 0; i < runs[k]! / rounds; i++) {
        const c = process.cpuUsage();
        const t = performance.now();
        fn();
        wall[k]!.push(performance.now() - t);
        const d = process.cpuUsage(c);
        cpu[k]!.push((d.user + d.system) / 1000);
      }
    });
  }
  return fns.map((_, k) => ({ wall: median(wall[k]!), cpu: median(cpu[k]!) }));
}

export default async function bench(): Promise<void> {
  // The seeds as the Worker bundles them (with seeds/sources.json), not the folder's files.
  const seeds: RawArticle[] = seedArticles();
  const seedTimes = timeRuns(() => buildDigest(seeds, { date }), { runs: 500, warmup: 50 });
  console.log(`digest core, ${seeds.length} seeds: median ${fmt(median(seedTimes))} wall over ${seedTimes.length} runs`);

  const cnn = evalFile("cnndm_dev.jsonl");
  const real = existsSync(cnn);
  if (!real) console.log(`(${cnn} is not here: the figures below are for generated articles, not comparable with the README's)`);
  const base: RawArticle[] = real
    ? parseEvalJsonl(readFileSync(cnn, "utf8")).map(evalRaw)
    : Array.from({ length: 150 }, (_, k) => {
        const a = syntheticArticle(k);
        return { id: a.id, body: a.text, format: "text" as const };
      });
  const make = (n: number): RawArticle[] =>
    Array.from({ length: n }, (_, i) => variant(base[i % base.length]!, Math.floor(i / base.length)));
  const a1000 = make(1000);
  // Every tenth article of the 1,000, so both sets have the same mix of originals and variants.
  const a100 = a1000.filter((_, i) => i % 10 === 0);
  // Both sizes warm up first and are then timed in turns, so the ratio compares steady-state costs
  // under the same machine load: timing 100 cold (JIT still compiling) and 1,000 warm, or one size
  // in a quiet minute and the other in a busy one, moves t(1000)/t(100) by more than 2 either way.
  const [t100, t1000] = timeInTurns([() => buildDigest(a100, { date }), () => buildDigest(a1000, { date })], [21, 7], 3) as [Times, Times];
  const stories1000 = buildDigest(a1000, { date }).digest.stories.length;
  console.log(
    `articles built from ${base.length} eval articles; beyond the first ${base.length}, each repeat is a variant ` +
      `with a variant-specific suffix on about 3 in 4 of its 4+ letter words (new id "<id>~v<k>"); ` +
      `the 100 are every tenth of the 1,000`,
  );
  console.log(`digest core, 100 articles: median ${fmt(t100.wall)} wall, ${fmt(t100.cpu)} CPU`);
  console.log(`digest core, 1,000 articles: median ${fmt(t1000.wall)} wall, ${fmt(t1000.cpu)} CPU (${stories1000} stories)`);
  console.log(`t(1000)/t(100): ${(t1000.wall / t100.wall).toFixed(2)} wall, ${(t1000.cpu / t100.cpu).toFixed(2)} CPU`);
  console.log(`CPU per article: ${(t100.cpu / 100).toFixed(2)} ms at 100, ${(t1000.cpu / 1000).toFixed(2)} ms at 1,000`);

  // Crafted inputs against ordinary prose of the same size (100 KB): every parser must stay linear.
  const size = 100_000;
  const fill = (unit: string): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const prosePara = base
    .slice(0, 40)
    .map((r) => r.body)
    .join("\n\n")
    .slice(0, size);
  const cases: { name: string; body: string; format: "text" | "html" }[] = [
    { name: "prose (text)", body: prosePara, format: "text" },
    { name: "x 'He ", body: fill("x 'He "), format: "text" },
    { name: "word 'Bbb ", body: fill("word 'Bbb "), format: "text" },
    { name: "Mr. Dr. U.S. ", body: fill("Mr. Dr. U.S. "), format: "text" },
    {
      name: "prose (html)",
      body: prosePara
        .split("\n\n")
        .map((p) => `<p>${p}</p>`)
        .join("")
        .slice(0, size),
      format: "html",
    },
    { name: "< (html)", body: fill("<"), format: "html" },
    { name: "<meta  (html)", body: fill("<meta "), format: "html" },
  ];
  const baseline: Record<string, number> = {};
  for (const c of cases) {
    const t = timeBoth(() => buildDigest([{ id: c.name, body: c.body, format: c.format }], { date }), 7, 1);
    const ref = c.format === "html" ? "prose (html)" : "prose (text)";
    if (c.name === ref) baseline[ref] = t.cpu;
    const ratio = baseline[ref] ? t.cpu / baseline[ref]! : 1;
    console.log(`100 KB ${c.name.padEnd(14)}: ${fmt(t.cpu)} CPU, ${ratio.toFixed(2)}x prose of the same size`);
  }
}
