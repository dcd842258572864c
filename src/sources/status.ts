// What the admin console's sources page shows: each source of articles and its state. Today
// that is the bundled seeds and the FEED_URLS list (fetched at each build, nothing stored), so
// there is no last error to show yet; when sources get a table of their own, this function
// reads it instead and the page stays as it is.
import type { Config } from "../config";
import { seedArticles } from "./seeds";

export interface SourceState {
  name: string;
  kind: "seeds" | "feed";
  /** One line: what it holds, or where it is fetched from. */
  detail: string;
  state: string;
  lastError: string | null;
}

/**
 * The sources the next edition draws on, and their state.
 * @example const sources = await sourceStates(deps.config);
 */
export async function sourceStates(config: Pick<Config, "feedUrls">): Promise<SourceState[]> {
  const seeds: SourceState = {
    name: "Bundled seeds",
    kind: "seeds",
    detail: `${seedArticles().length} articles bundled at build time (seeds/)`,
    state: "bundled",
    lastError: null,
  };
  const feeds = config.feedUrls.map(
    (url): SourceState => ({
      name: new URL(url).host,
      kind: "feed",
      detail: url,
      state: "configured in FEED_URLS; fetched at each build",
      lastError: null,
    }),
  );
  return [seeds, ...feeds];
}
