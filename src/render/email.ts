// Digest -> email HTML and plain text, from the MJML templates compiled at build time.
// Pure: no Cloudflare imports, so the CLI renders exactly what the Worker sends. An edition is
// rendered once with a sentinel where the unsubscribe link goes; `personalise` fills it per
// recipient with two string replacements (no MJML, no template parsing per recipient).
import type { Digest } from "../digest/types";
import { digestHtml } from "../generated/templates";
import { utf8Bytes } from "./format";
import { fillTemplate } from "./template";
import { renderText } from "./text";
import { buildView, type RenderContext } from "./view";

export type { RenderContext } from "./view";

/** Sentinel substituted per recipient by `personalise`; escaped article text can never contain it. */
export const UNSUBSCRIBE_PLACEHOLDER = "%%UNSUBSCRIBE_URL%%";

/** Gmail clips HTML over about 102 KB; we stay under 90 KB with room for the recipient's links. */
export const HTML_BUDGET_BYTES = 90_000;
/** Room kept for the personalised unsubscribe URL (the sentinel is replaced by a longer URL). */
const PERSONALISATION_RESERVE = 1_500;

export interface RenderedEmail {
  html: string;
  text: string;
}

export interface RenderOptions {
  /** Upper bound for the HTML in UTF-8 bytes, before personalisation. Tests lower it. */
  budgetBytes?: number;
}

function renderHtml(digest: Digest, ctx: RenderContext, full: number): string {
  // Every {{value}} is HTML-escaped: the templates have no triple-stache (scripts/build.mjs refuses it).
  return fillTemplate(digestHtml, buildView(digest, ctx, full));
}

/**
 * The rendering with as many top stories in full as fit the budget, the rest in "More stories".
 * Each story moved costs about the same, so the count comes from a linear estimate between the
 * one-story and the all-stories renderings, corrected downwards until it fits (2-4 renders, not
 * a binary search's six or seven).
 */
function fitBudget(digest: Digest, ctx: RenderContext, budget: number, fullSize: number): string {
  const n = digest.stories.length;
  const one = renderHtml(digest, ctx, 1);
  const oneSize = utf8Bytes(one);
  if (oneSize > budget) return one; // a single story over budget: nothing more to move
  const perStory = Math.max(1, (fullSize - oneSize) / (n - 1));
  let k = Math.min(n - 1, 1 + Math.floor((budget - oneSize) / perStory));
  while (k > 1) {
    const html = renderHtml(digest, ctx, k);
    const size = utf8Bytes(html);
    if (size <= budget) return html;
    k -= Math.max(1, Math.ceil((size - budget) / perStory));
  }
  return one;
}

/**
 * Renders a digest to email HTML and text with the unsubscribe link left as a placeholder.
 * When the HTML would exceed the budget, the lowest-ranked stories move to a compact "More
 * stories" list of headlines linking to the web edition (see fitBudget).
 * @example renderEmail(digest, { webUrl: "https://example.com/editions/2026-11-23" }).html
 */
export function renderEmail(digest: Digest, ctx: RenderContext, options: RenderOptions = {}): RenderedEmail {
  const budget = (options.budgetBytes ?? HTML_BUDGET_BYTES) - PERSONALISATION_RESERVE;
  const n = digest.stories.length;
  let html = renderHtml(digest, ctx, n);
  if (n > 1 && utf8Bytes(html) > budget) html = fitBudget(digest, ctx, budget, utf8Bytes(html));
  // The text part carries every story in full: plain text is small and never clipped.
  const text = renderText(buildView(digest, ctx, n), UNSUBSCRIBE_PLACEHOLDER);
  return { html, text };
}

const ATTR_ESCAPES: Record<string, string> = { "&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;", "'": "&#39;" };

/**
 * Fills the per-recipient parts of a stored rendering; no MJML, no template parsing.
 * @example personalise(edition, "https://example.com/u/abc").html
 */
export function personalise(rendered: RenderedEmail, unsubscribeUrl: string): RenderedEmail {
  const inHtml = unsubscribeUrl.replace(/[&"<>']/g, (ch) => ATTR_ESCAPES[ch]!);
  return {
    html: rendered.html.replaceAll(UNSUBSCRIBE_PLACEHOLDER, inHtml),
    text: rendered.text.replaceAll(UNSUBSCRIBE_PLACEHOLDER, unsubscribeUrl),
  };
}
