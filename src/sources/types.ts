// What the sources stage hands over: a source's fetch state, a stored item, an ingest report.
import type { PreparedArticle } from "../digest";

/** The URL under which the bundled seeds are stored as a source. */
export const SEEDS_SOURCE = "seeds:";

/** One source's state, as GET /admin/sources shows it. */
export interface SourceState {
  url: string;
  name: string | null;
  etag: string | null;
  lastModified: string | null;
  lastFetchAt: string | null;
  lastStatus: "fetched" | "not-modified" | "failed" | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastWarnings: string[];
  /** Items stored from it now. */
  items: number;
}

/** A stored item: the prepared article (cleaned text and analysis) and when it was first seen. */
export interface StoredItem {
  article: PreparedArticle;
  firstSeenAt: string;
  sourceUrl: string;
}

/** What one ingest run did, per source. */
export interface IngestReport {
  at: string;
  sources: {
    url: string;
    status: "fetched" | "not-modified" | "failed";
    newItems: number;
    error?: string;
    warnings: string[];
  }[];
  /** Article pages fetched for short excerpts in this run. */
  pagesFetched: number;
  /** Items removed by retention. */
  pruned: number;
}
