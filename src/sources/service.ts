// The sources service: what the admin API asks of sources.
import type { Deps } from "../ports";
import { configuredSources } from "./ingest";
import { getSources } from "./store";
import type { SourceState } from "./types";

/**
 * Each configured source's state, in configuration order; a source never fetched yet shows nulls.
 * @example const sources = await sourceStates(deps);
 */
export async function sourceStates(deps: Pick<Deps, "db" | "config">): Promise<SourceState[]> {
  const configured = configuredSources(deps.config);
  const stored = new Map(
    (
      await getSources(
        deps.db,
        configured.map((s) => s.url),
      )
    ).map((s) => [s.url, s]),
  );
  return configured.map(
    (s) =>
      stored.get(s.url) ?? {
        url: s.url,
        name: s.name ?? null,
        etag: null,
        lastModified: null,
        lastFetchAt: null,
        lastStatus: null,
        lastSuccessAt: null,
        lastError: null,
        lastWarnings: [],
        items: 0,
      },
  );
}
