// The Digest shaped for the email template and the plain-text part: labels, links, the
// "in this issue" list, and the split between stories shown in full and the "more stories" list.
import type { Digest, Source, Story } from "../digest/types";
import { dateLabel, safeHttpUrl, shownHeadline } from "./format";

export interface RenderContext {
  /** The web version of this edition (or the preview): the "view in browser" link. */
  webUrl: string;
  /**
   * The web edition, `.../editions/:id`. Stories moved to "More stories" link to
   * `${editionUrl}#${story.id}`, and sources without a URL of their own link to their cleaned
   * text at `${editionUrl}/sources/:sourceId`. Defaults to `webUrl` when that is an edition URL.
   */
  editionUrl?: string;
  /** Who sends the email; shown in the footer with the postal address (CAN-SPAM, GDPR). */
  sender?: { name: string; postalAddress?: string };
  /** Why the reader gets this email; one sentence in the footer. */
  reason?: string;
}

export interface SourceView {
  label: string;
  /** "" when there is nothing to link to. Always set: Mustache would otherwise find the story's href. */
  href: string;
  last: boolean;
}

export interface StoryView {
  id: string;
  headline: string;
  summary: string[];
  sources: SourceView[];
  /** Where the story can be read on the web (its anchor in the web edition). */
  href: string;
  /** On an update, the web edition that first carried the story (its anchor there), else "". */
  earlier: string;
}

export interface EmailView {
  title: string;
  dateLabel: string;
  webUrl: string;
  preheader: string;
  inThisIssue: { headline: string }[];
  moreCount: number;
  stories: StoryView[];
  hasMore: boolean;
  more: StoryView[];
  reason: string;
  senderName: string;
  postalAddress: string;
}

/** How many headlines the "in this issue" list names before "and N more". */
const IN_THIS_ISSUE = 8;
const PREHEADER_CHARS = 140;

/** `.../editions/<id>` with nothing after it: the web edition's URL. */
const EDITION_URL = /\/editions\/[^/?#]+$/;

function editionUrlOf(ctx: RenderContext): string | undefined {
  if (ctx.editionUrl) return ctx.editionUrl.replace(/\/+$/, "");
  return EDITION_URL.test(ctx.webUrl) ? ctx.webUrl : undefined;
}

/**
 * A source's display label: publisher, else author, else title, else the host of its URL, else "Source N".
 * Never its id: for seeds and folders that is a file name, which means nothing to a reader.
 * @example sourceLabel({ id: "a.txt", publisher: "Reuters" }) // "Reuters"
 */
export function sourceLabel(src: Source, index = 0): string {
  const host = safeHttpUrl(src.url) ? new URL(src.url!).hostname.replace(/^www\./, "") : "";
  return src.publisher?.trim() || src.author?.trim() || src.title?.trim() || host || `Source ${index + 1}`;
}

/** Shared by the email view and the pages, so a story's anchor is the same everywhere. */
export function storyAnchor(story: Story): string {
  return story.id;
}

function storyView(story: Story, editionUrl: string | undefined, webUrl: string): StoryView {
  const n = story.sources.length;
  return {
    id: story.id,
    headline: shownHeadline(story),
    summary: story.summary,
    sources: story.sources.map((src, i) => {
      const own = safeHttpUrl(src.url);
      const href = own ?? (editionUrl ? `${editionUrl}/sources/${encodeURIComponent(src.id)}` : undefined);
      return { label: sourceLabel(src, i), href: href ?? "", last: i === n - 1 };
    }),
    href: `${editionUrl ?? webUrl}#${encodeURIComponent(storyAnchor(story))}`,
    earlier: story.update && story.firstEdition ? firstEditionHref(story.firstEdition, story.id, editionUrl ?? webUrl) : "",
  };
}

/**
 * The link from an update to the edition that first carried its story: that edition's page, at
 * the story's anchor, beside this edition's (or on the site of the preview's URL).
 * @example firstEditionHref("e1", "s-1", "https://d.example/editions/e2") // "https://d.example/editions/e1#s-1"
 */
export function firstEditionHref(editionId: string, storyId: string, here: string): string {
  const path = `editions/${encodeURIComponent(editionId)}#${encodeURIComponent(storyId)}`;
  const m = /^(.*\/)editions\/[^/?#]+$/.exec(here);
  if (m) return `${m[1]}${path}`;
  try {
    return new URL(`/${path}`, here).toString();
  } catch {
    return `/${path}`;
  }
}

/**
 * The template view with the first `full` stories in full and the rest in "More stories".
 * @example buildView(digest, { webUrl }, digest.stories.length).stories.length
 */
export function buildView(digest: Digest, ctx: RenderContext, full: number): EmailView {
  const editionUrl = editionUrlOf(ctx);
  const all = digest.stories.map((s) => storyView(s, editionUrl, ctx.webUrl));
  const stories = all.slice(0, full);
  const more = all.slice(full);
  let preheader = digest.stories.map((s) => shownHeadline(s)).join(" · ");
  if (preheader.length > PREHEADER_CHARS) preheader = preheader.slice(0, PREHEADER_CHARS - 1).trimEnd() + "…";
  return {
    title: digest.title,
    dateLabel: dateLabel(digest.date),
    webUrl: ctx.webUrl,
    preheader,
    inThisIssue: stories.slice(0, IN_THIS_ISSUE).map((s) => ({ headline: s.headline })),
    moreCount: Math.max(0, all.length - Math.min(stories.length, IN_THIS_ISSUE)),
    stories,
    hasMore: more.length > 0,
    more,
    reason: ctx.reason ?? `You get this email because you subscribed to ${digest.title} and confirmed your address.`,
    senderName: ctx.sender?.name ?? digest.title,
    postalAddress: ctx.sender?.postalAddress ?? "",
  };
}
