// The seed articles bundled into the Worker at build time (scripts/build.mjs), with what
// seeds/sources.json says of them (publisher, date), so readers never see a file name.
import type { RawArticle } from "../digest/types";
import { SEED_ARTICLES, SEED_MANIFEST } from "../generated/seeds";
import { parseManifest, withManifest } from "./manifest";

let seeds: RawArticle[] | undefined;

export function seedArticles(): RawArticle[] {
  seeds ??= withManifest(SEED_ARTICLES, parseManifest(SEED_MANIFEST, "seeds/sources.json"));
  return seeds;
}
