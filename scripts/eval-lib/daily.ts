// Daily editions in miniature: for each day of a labelled stream, the articles of that day grouped
// with those of the days before it (the Worker's memory window), as an edition's build groups them.
// Counts the stories with an article of that day that hold more than one gold event (false stories).

import type { GroupOptions } from "../../src/digest/group";
import { groupArticles } from "../../src/digest/group";
import type { PreparedArticle } from "../../src/digest/index";

export interface DailyScores {
  days: number;
  stories: number;
  /** Stories holding articles of two or more events. */
  falseStories: number;
}

/**
 * @param prepared articles with `publishedAt` (day precision is enough), any order
 * @param gold each article's event, by article id
 */
export function dailyFalseStories(
  prepared: readonly PreparedArticle[],
  gold: ReadonlyMap<string, string>,
  opts: GroupOptions,
  memoryDays = 7,
): DailyScores {
  const byDay = new Map<string, PreparedArticle[]>();
  for (const a of prepared) {
    const day = (a.publishedAt ?? "").slice(0, 10);
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day)!.push(a);
  }
  const days = [...byDay.keys()].sort();
  let stories = 0;
  let falseStories = 0;
  for (const day of days) {
    const since = new Date(Date.parse(`${day}T00:00:00Z`) - memoryDays * 86_400_000).toISOString().slice(0, 10);
    const batch = days.filter((d) => d >= since && d <= day).flatMap((d) => byDay.get(d)!);
    for (const g of groupArticles(batch, opts).groups) {
      if (!g.some((i) => batch[i]!.publishedAt!.startsWith(day))) continue;
      stories++;
      if (new Set(g.map((i) => gold.get(batch[i]!.id))).size > 1) falseStories++;
    }
  }
  return { days: days.length, stories, falseStories };
}
