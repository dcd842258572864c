// Gathers the raw articles an edition is built from: the bundled seeds, plus configured feeds.
import type { RawArticle } from "../digest/types";
import { seedArticles } from "./seeds";

/** Everything the next edition may draw on, in a stable order. */
export async function gatherArticles(): Promise<RawArticle[]> {
  return seedArticles();
}
