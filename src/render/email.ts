// Digest -> email HTML and plain text, from the MJML templates compiled at build time.
// Pure: no Cloudflare imports, so the CLI renders exactly what the Worker sends.
import Mustache from "mustache";
import type { Digest } from "../digest/types";
import { digestHtml } from "../generated/templates";

/** Sentinel substituted per recipient by `personalise`; never produced by escaped article text. */
export const UNSUBSCRIBE_PLACEHOLDER = "%%UNSUBSCRIBE_URL%%";

export interface RenderContext {
  /** The web version of this edition (or the preview). */
  webUrl: string;
}

export interface RenderedEmail {
  html: string;
  text: string;
}

function dateLabel(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return d.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

function view(digest: Digest, ctx: RenderContext) {
  return {
    title: digest.title,
    dateLabel: dateLabel(digest.date),
    webUrl: ctx.webUrl,
    preheader: digest.stories.map((s) => s.headline).join(" · "),
    stories: digest.stories.map((s) => ({
      headline: s.headline,
      summary: s.summary,
      sources: s.sources.map((src, i) => ({ label: src.publisher ?? src.title ?? src.id, last: i === s.sources.length - 1 })),
    })),
  };
}

/**
 * Renders a digest to email HTML and text with the unsubscribe link left as a placeholder.
 * @example renderEmail(digest, { webUrl: "https://example.com/editions/2026-11-23" }).html
 */
export function renderEmail(digest: Digest, ctx: RenderContext): RenderedEmail {
  const v = view(digest, ctx);
  const html = Mustache.render(digestHtml, v);
  const text = [
    `${v.title} — ${v.dateLabel}`,
    `View in browser: ${v.webUrl}`,
    "",
    ...v.stories.flatMap((s) => [s.headline, ...s.summary, `Sources: ${s.sources.map((x) => x.label).join(", ")}`, ""]),
    `Unsubscribe: ${UNSUBSCRIBE_PLACEHOLDER}`,
  ].join("\n");
  return { html, text };
}

/** Fills the per-recipient parts of a stored rendering; no MJML, no template parsing. */
export function personalise(rendered: RenderedEmail, unsubscribeUrl: string): RenderedEmail {
  return {
    html: rendered.html.replaceAll(UNSUBSCRIBE_PLACEHOLDER, unsubscribeUrl.replaceAll("&", "&amp;")),
    text: rendered.text.replaceAll(UNSUBSCRIBE_PLACEHOLDER, unsubscribeUrl),
  };
}
