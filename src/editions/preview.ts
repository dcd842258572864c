// GET /preview's page: the next edition (./next.ts) as the email renders it, its text part and
// its JSON, with one ETag; when nothing is new, the latest edition under a notice saying so.
import { BUILD_HASH } from "../generated/stamp";
import { contentEtag } from "../http/cache";
import { personalise, renderEmail } from "../render/email";
import type { Digest } from "../digest/types";
import { type NextEdition, type PlanDeps, planNow } from "./next";
import { getSendableEdition, listEditions } from "./store";

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
