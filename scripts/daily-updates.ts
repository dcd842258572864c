// `npx tsx scripts/daily-updates.ts [report]`: gva_dev as daily editions in the pure core, each day
// grouped with the articles of the stories remembered from the seven days before (as the Worker's
// memory does), with and without the names' history (every earlier and same-day report's title and
// lead names, counted as ingest counts them into D1). Counts the updates that continue a story of
// another incident (false updates) and the incidents carried on in a later edition as an update of
// their story. Half A (clusterHalf of the incident) unless `report`, which adds half B.
import { readFileSync } from "node:fs";
import { digestPrepared, leadNames, prepareArticles, type PreparedArticle } from "../src/digest/index";
import type { StoryMemory } from "../src/digest/types";
import { evalFile, requireEvalFiles } from "./eval-lib/data";
import { gvaHalf, gvaRaw, parseGvaJsonl, type GvaRecord } from "./eval-lib/evaluate-gva";

requireEvalFiles("daily-updates", ["gva_dev.jsonl"]);
const MEMORY_DAYS = 7;
const DAY = 86_400_000;

interface Counts {
  updates: number;
  falseUpdates: number;
  continued: number;
  asUpdate: number;
  falseStories: number;
  stories: number;
}

function replay(records: readonly GvaRecord[], withHistory: boolean): Counts {
  const incident = new Map(records.map((r) => [r.id, r.event]));
  const prepared = prepareArticles(records.map(gvaRaw)).articles;
  const byId = new Map(prepared.map((a) => [a.id, a]));
  const byDay = new Map<string, PreparedArticle[]>();
  for (const a of prepared) {
    const day = a.publishedAt!.slice(0, 10);
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day)!.push(a);
  }
  const history = new Map<string, number>();
  let memory: (StoryMemory & { day: string })[] = [];
  const carried = new Map<string, Set<string>>();
  const firstStory = new Map<string, string>();
  const c: Counts = { updates: 0, falseUpdates: 0, continued: 0, asUpdate: 0, falseStories: 0, stories: 0 };
  for (const day of [...byDay.keys()].sort()) {
    const since = new Date(Date.parse(`${day}T00:00:00Z`) - MEMORY_DAYS * DAY).toISOString().slice(0, 10);
    memory = memory.filter((m) => m.day >= since);
    const remembered = [...new Set(memory.flatMap((m) => m.articleIds))].map((id) => byId.get(id)!);
    // The day's reports are stored (and counted) before its edition is built.
    for (const a of byDay.get(day)!) for (const name of new Set(leadNames(a))) history.set(name, (history.get(name) ?? 0) + 1);
    const result = digestPrepared([...remembered, ...byDay.get(day)!], {
      date: day,
      memory,
      ...(withHistory ? { nameHistory: history } : {}),
    });
    for (const s of result.digest.stories) {
      c.stories++;
      const incidents = new Set(s.sources.map((x) => incident.get(x.id)!));
      if (incidents.size > 1) c.falseStories++;
      if (s.update) {
        c.updates++;
        const before = carried.get(s.id);
        if (!before || ![...incidents].every((x) => before.has(x))) c.falseUpdates++;
      }
      for (const x of incidents) {
        const first = firstStory.get(x);
        if (first === undefined) firstStory.set(x, s.id);
        else {
          c.continued++;
          if (s.update && s.id === first) c.asUpdate++;
        }
      }
      carried.set(s.id, new Set([...(carried.get(s.id) ?? []), ...incidents]));
    }
    const kept = new Map(memory.map((m) => [m.id, m]));
    for (const m of result.memory ?? []) kept.set(m.id, { ...m, day });
    memory = [...kept.values()];
  }
  return c;
}

const all = parseGvaJsonl(readFileSync(evalFile("gva_dev.jsonl"), "utf8"));
const halves: [string, 0 | 1][] =
  process.argv[2] === "report"
    ? [
        ["half A", 0],
        ["half B", 1],
      ]
    : [["half A", 0]];
console.log("gva_dev as daily editions with seven days of memory (pure core)");
console.log("set     history  stories  false stories  updates  false updates  incidents continued  as updates");
for (const [name, half] of halves) {
  const records = all.filter((r) => gvaHalf(r) === half);
  for (const withHistory of [false, true]) {
    const x = replay(records, withHistory);
    console.log(
      `${name.padEnd(8)}${(withHistory ? "yes" : "no").padEnd(9)}${String(x.stories).padStart(7)}${String(x.falseStories).padStart(15)}` +
        `${String(x.updates).padStart(9)}${String(x.falseUpdates).padStart(15)}${String(x.continued).padStart(21)}${String(x.asUpdate).padStart(12)}`,
    );
  }
}
