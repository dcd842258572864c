// The next edition, honestly (issue 22, item 1): what a build now would contain, computed by the
// build's own code path (planEdition) without storing anything, for GET /admin/editions/next and
// /preview (./preview.ts). The plan is cached per isolate only under a key of what it reads (the
// stored items' ids, the editions, the hour, the configuration), so it is never stale: the answer
// changes as soon as an ingest stores items or an edition is built, edited or unpublished.
import { BUILD_HASH } from "../generated/stamp";
import type { Deps } from "../ports";
import { currentDigest } from "./current-digest";
import { planEdition, type EditionPlan } from "./build";
import { editionsVersion } from "./store";
import { itemsVersion } from "../sources/store";
import type { Story } from "../digest/types";

/** A slot no build uses: the plan compares with every stored edition. */
const NEXT_SLOT = "next";

export type PlanDeps = Pick<Deps, "db" | "config" | "digest" | "clock">;

// One plan per isolate, under the key of everything it reads; a digest source other than the
// stored items (a test's) is never cached.
let cached: { key: string; plan: Promise<EditionPlan> } | undefined;

/** The plan of a build now, computed once per version of the items, the editions and the hour. */
export async function planNow(deps: PlanDeps, now: Date): Promise<EditionPlan> {
  if (deps.digest !== currentDigest) return planEdition(deps, { slot: NEXT_SLOT, now });
  const { config } = deps;
  const [items, editions] = await Promise.all([itemsVersion(deps.db), editionsVersion(deps.db)]);
  const key = [BUILD_HASH, now.toISOString().slice(0, 13), items, editions, config.title, config.seeds, ...config.feedUrls].join("|");
  if (cached?.key !== key) {
    const entry = { key, plan: planEdition(deps, { slot: NEXT_SLOT, now }) };
    cached = entry;
    // A failed plan must not stick.
    entry.plan.catch(() => {
      if (cached === entry) cached = undefined;
    });
  }
  return cached.plan;
}

export interface NextEdition {
  status: "would-build" | "nothing-new";
  /** Why a build now would be skipped; null when it would build. */
  reason: string | null;
  /** The time the answer is as of. */
  asOf: string;
  stories: Story[];
}

/**
 * What a build now would contain, and whether it would be built at all.
 * @example const { status, stories } = await nextEdition(deps); // status: "nothing-new" when the build would skip
 */
export async function nextEdition(deps: PlanDeps): Promise<NextEdition> {
  const now = deps.clock();
  const plan = await planNow(deps, now);
  const status = plan.skipReason === null ? "would-build" : "nothing-new";
  return { status, reason: plan.skipReason, asOf: now.toISOString(), stories: status === "would-build" ? plan.digest.stories : [] };
}
