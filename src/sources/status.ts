// What the admin console's sources page shows: each configured source of articles (the feeds of
// FEED_URLS, and the bundled seeds when they are in use) with its stored fetch state, in words.
// The admin API's GET /admin/sources gives the same states as data (service.ts).
import type { Deps } from "../ports";
import { seedArticles } from "./seeds";
import { sourceStates } from "./service";
import { publisherNames } from "./store";
import { SEEDS_SOURCE, type SourceState as StoredState } from "./types";

export interface SourceState {
  name: string;
  kind: "seeds" | "feed";
  /** One line: what it holds, or where it is fetched from. */
  detail: string;
  state: string;
  lastError: string | null;
}

const STATUS: Record<NonNullable<StoredState["lastStatus"]>, string> = {
  fetched: "fetched",
  "not-modified": "unchanged (304)",
  failed: "failed",
};

function describe(s: StoredState): string {
  if (!s.lastFetchAt) return `not fetched yet · ${s.items} items stored`;
  const status = s.lastStatus ? STATUS[s.lastStatus] : "unknown";
  const success = s.lastSuccessAt && s.lastSuccessAt !== s.lastFetchAt ? ` · last success ${s.lastSuccessAt}` : "";
  return `${status} at ${s.lastFetchAt}${success} · ${s.items} items stored`;
}

/**
 * The sources the next edition draws on, and their state.
 * @example const sources = await consoleSources(c.var.deps);
 */
export async function consoleSources(deps: Pick<Deps, "db" | "config">): Promise<SourceState[]> {
  const states = await sourceStates(deps);
  // One name per source everywhere: the configured name, else the feed's own title as editions show it.
  const titles = await publisherNames(
    deps.db,
    states.filter((s) => !s.name && s.url !== SEEDS_SOURCE).map((s) => s.url),
  );
  return states.map((s): SourceState => {
    if (s.url === SEEDS_SOURCE) {
      return {
        name: "Bundled seeds",
        kind: "seeds",
        detail: `${seedArticles().length} articles bundled at build time (seeds/)`,
        state: `${s.items} items stored`,
        lastError: null,
      };
    }
    return {
      name: s.name ?? titles.get(s.url) ?? new URL(s.url).host,
      kind: "feed",
      detail: s.url,
      state: describe(s),
      lastError: s.lastError,
    };
  });
}
