// The seed articles bundled into the Worker at build time (scripts/build.mjs).
import type { RawArticle } from "../digest/types";
import { SEED_ARTICLES } from "../generated/seeds";

export function seedArticles(): RawArticle[] {
  return SEED_ARTICLES;
}
