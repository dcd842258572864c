// Digest -> email HTML and plain text, from the MJML templates compiled at build time.
// Pure: no Cloudflare imports, so the CLI renders exactly what the Worker sends. An edition is
// rendered once with a sentinel where the unsubscribe link goes; `personalise` fills it per
// recipient with two string replacements (no MJML, no template parsing per recipient).
import Mustache from "mustache";
import type { Digest } from "../digest/types";
import { digestHtml } from "../generated/templates";
import { escapeHtml, utf8Bytes } from "./format";
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

/** Our escape for every {{value}}: the templates have no triple-stache (scripts/build.mjs refuses it). */
const mustacheConfig = { escape: escapeHtml };

function renderHtml(digest: Digest, ctx: RenderContext, full: number): string {
  return Mustache.render(digestHtml, buildView(digest, ctx, full), undefined, mustacheConfig);
}

/**
 * Renders a digest to email HTML and text with the unsubscribe link left as a placeholder.
 * When the HTML would exceed the budget, the lowest-ranked stories move to a compact "More
 * stories" list of headlines linking to the web edition, as few as needed (binary search on how
 * many stay in full).
 * @example renderEmail(digest, { webUrl: "https://example.com/editions/2026-11-23" }).html
 */
export function renderEmail(digest: Digest, ctx: RenderContext, options: RenderOptions = {}): RenderedEmail {
  const budget = (options.budgetBytes ?? HTML_BUDGET_BYTES) - PERSONALISATION_RESERVE;
  const n = digest.stories.length;
  let html = renderHtml(digest, ctx, n);
  if (n > 1 && utf8Bytes(html) > budget) {
    // Largest k in [1, n-1] whose rendering fits; the size grows with k.
    let lo = 1;
    let hi = n - 1;
    let best = renderHtml(digest, ctx, 1);
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const candidate = mid === 1 ? best : renderHtml(digest, ctx, mid);
      if (utf8Bytes(candidate) <= budget) {
        best = candidate;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    html = best;
  }
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
