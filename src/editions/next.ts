// The next edition, honestly (issue 22, item 1): what a build now would contain, computed by the
// build's own code path (planEdition) without storing anything, for GET /admin/editions/next and
// /preview. The plan is cached per isolate only under a key of what it reads (the stored items'
// ids, the editions, the hour, the configuration), so it is never stale: the answer changes as
// soon as an ingest stores items or an edition is built, edited or unpublished. When nothing is
// new, /preview shows the latest edition and says so at the top.
import { BUILD_HASH } from "../generated/stamp";
import type { Deps } from "../deps";
import { contentEtag } from "../http/cache";
import { personalise, renderEmail } from "../render/email";
import { currentDigest } from "./current-digest";
import { planEdition, type EditionPlan } from "./build";
import { editionsVersion, getSendableEdition, listEditions } from "./store";
import { itemsVersion } from "../sources/store";
import type { Digest, Story } from "../digest/types";

/** A slot no build uses: the plan compares with every stored edition. */
const NEXT_SLOT = "next";

type PlanDeps = Pick<Deps, "db" | "config" | "digest" | "clock">;

// One plan per isolate, under the key of everything it reads; a digest source other than the
// stored items (a test's) is never cached.
let cached: { key: string; plan: Promise<EditionPlan> } | undefined;

/** The plan of a build now, computed once per version of the items, the editions and the hour. */
async function planNow(deps: PlanDeps, now: Date): Promise<EditionPlan> {
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

/** Where the preview's unsubscribe link points: nowhere, since nobody is subscribed to a preview. */
export const PREVIEW_UNSUBSCRIBE = "#unsubscribe-link-is-personal";

/** The preview rendered as the email, its text part and its JSON (a Digest), with one ETag and what it shows. */
export interface Preview {
  html: string;
  text: string;
  json: string;
  etag: string;
  status: NextEdition["status"];
}

/** The notice at the top of a preview that shows something other than the next edition. */
function notice(html: string, text: string, message: string): { html: string; text: string } {
  const escaped = message.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const banner = `<div role="note" style="background:#fff3cd;color:#5c4400;border-bottom:1px solid #e0c068;padding:12px 16px;font:15px/1.4 sans-serif">${escaped}</div>`;
  const at = /<body[^>]*>/i.exec(html);
  const withBanner = at ? html.slice(0, at.index + at[0].length) + banner + html.slice(at.index + at[0].length) : banner + html;
  return { html: withBanner, text: `${message}\n\n${text}` };
}

/**
 * /preview: the next edition as the email renders it; when nothing is new, the latest edition
 * with a notice saying so (or, before any edition, the newest stored items, also with a notice).
 * @example const { html, status } = await currentPreview(deps);
 */
export async function currentPreview(deps: PlanDeps): Promise<Preview> {
  const { config } = deps;
  const now = deps.clock();
  const plan = await planNow(deps, now);
  const sender = { name: config.sender.name, postalAddress: config.sender.postalAddress };
  let shown: { html: string; text: string };
  let digest: Digest;
  if (plan.skipReason === null) {
    digest = plan.digest;
    shown = personalise(renderEmail(digest, { webUrl: `${config.baseUrl}/preview`, sender }), PREVIEW_UNSUBSCRIBE);
  } else {
    const latest = (await listEditions(deps.db, { limit: 1 }))[0];
    const stored = latest ? await getSendableEdition(deps.db, latest.id) : null;
    if (latest && stored) {
      digest = latest.digest;
      const message = `Nothing new: a build now would be skipped (${plan.skipReason}). Below is the latest edition, ${latest.id}, as it was sent.`;
      shown = notice(
        personalise({ html: stored.html, text: stored.text }, PREVIEW_UNSUBSCRIBE).html,
        personalise(stored, PREVIEW_UNSUBSCRIBE).text,
        message,
      );
    } else {
      // No edition yet: the newest stored items, so a new site has something to look at.
      digest = (await deps.digest(config, now, { db: deps.db, preview: true })).digest;
      const message = `Nothing new to build (${plan.skipReason}). Below are the newest stored items, which a build now would not send.`;
      const rendered = personalise(renderEmail(digest, { webUrl: `${config.baseUrl}/preview`, sender }), PREVIEW_UNSUBSCRIBE);
      shown = notice(rendered.html, rendered.text, message);
    }
  }
  const json = JSON.stringify(digest);
  const etag = await contentEtag(`${shown.html}\0${json}`, { prefix: `p-${BUILD_HASH}-`, bytes: 8 });
  return { ...shown, json, etag, status: plan.skipReason === null ? "would-build" : "nothing-new" };
}
