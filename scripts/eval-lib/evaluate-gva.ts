// Evaluation on gva_dev.jsonl (pure; file reading stays in the callers): US local news reports of
// shootings, each labelled with the incident it reports, in time order. Many incidents of the same
// kind on the same days: what a grouping must keep apart. Scored with B-cubed over every article.

import type { RawArticle } from "../../src/digest/types";
import { jsonObjectLines } from "./evaluate";
import { clusterHalf, type LabelledArticle } from "./evaluate-duc";

export interface GvaRecord {
  id: string;
  /** The incident, e.g. `gva-95579`: articles with the same event report the same incident. */
  event: string;
  publishedAt: string;
  title: string;
  text: string;
  /** The outlet's host name. */
  source: string;
  url: string;
}

/** Parses gva_dev.jsonl, skipping lines that are not labelled articles. */
export function parseGvaJsonl(text: string): GvaRecord[] {
  const out: GvaRecord[] = [];
  for (const o of jsonObjectLines<GvaRecord>(text)) {
    if (typeof o.id === "string" && typeof o.event === "string" && typeof o.text === "string") {
      out.push({
        id: o.id,
        event: o.event,
        publishedAt: typeof o.publishedAt === "string" ? o.publishedAt : "",
        title: typeof o.title === "string" ? o.title : "",
        text: o.text,
        source: typeof o.source === "string" ? o.source : "",
        url: typeof o.url === "string" ? o.url : "",
      });
    }
  }
  return out;
}

/** A record as the digest receives it from a feed (as the CLI reads a JSONL line): title, outlet, date, URL. */
export function gvaRaw(r: GvaRecord): RawArticle {
  return {
    id: r.id,
    body: r.text,
    format: "text",
    ...(r.title ? { title: r.title } : {}),
    ...(r.url ? { url: r.url } : {}),
    ...(r.source ? { publisher: r.source } : {}),
    ...(r.publishedAt ? { publishedAt: r.publishedAt } : {}),
  };
}

/** The stream as labelled articles, in the file's (time) order; every incident counts for recall. */
export function gvaLabelled(records: readonly GvaRecord[]): LabelledArticle[] {
  return records.map((r) => ({ raw: gvaRaw(r), gold: r.event, kind: "event" as const }));
}

/** Half of the stream by a hash of the incident id, so an incident's articles are all in one half. */
export function gvaHalf(r: GvaRecord): 0 | 1 {
  return clusterHalf(r.event);
}
