// Edits before sending (issue 22, item 3): PATCH /admin/editions/:id {subject?, drop?, order?}
// changes a built edition's subject, drops stories and reorders them, and renders the stored
// edition again (email HTML, text and the web page's digest), while its delivery has not started.
// The subject stored is the one subscribers get (and test sends, marked "[Test]").
import type { Deps } from "../ports";
import { headerText } from "../header-text";
import { renderEmail } from "../render/email";
import { shownHeadline } from "../render/format";
import type { Story } from "../digest/types";
import { contentHash } from "./build";
import { getEdition, getSendableEdition, sendStarted, updateUnsentEdition } from "./store";

export interface EditionChange {
  subject?: string;
  /** Story ids to leave out. */
  drop?: string[];
  /** Story ids in the order wanted; stories not named follow in their order. */
  order?: string[];
}

export const MAX_SUBJECT_CHARS = 200;

export type EditOutcome =
  | { outcome: "missing" }
  | { outcome: "started" }
  | { outcome: "invalid"; problems: string[] }
  | { outcome: "edited"; subject: string; stories: Array<{ id: string; headline: string }> };

/** The subject a build gives a digest: the title and the top story's headline. */
function autoSubject(title: string, stories: Array<{ headline: string; update: boolean }>, fallback: string): string {
  return headerText(stories[0] ? `${title}: ${shownHeadline(stories[0])}` : title) || fallback;
}

/**
 * Applies an edit to an edition not yet sending. Without a new subject, an edition whose subject
 * was the automatic one gets the automatic subject of its new top story.
 * @example await editEdition(deps, "2026-11-23", { subject: "Ferries and floods", drop: ["s-12"] })
 */
export async function editEdition(deps: Pick<Deps, "db" | "config">, id: string, change: EditionChange): Promise<EditOutcome> {
  const [edition, sendable] = await Promise.all([getEdition(deps.db, id), getSendableEdition(deps.db, id)]);
  if (!edition || !sendable) return { outcome: "missing" };
  if (await sendStarted(deps.db, id)) return { outcome: "started" };

  const problems: string[] = [];
  const known = new Set(edition.digest.stories.map((s) => s.id));
  for (const field of ["drop", "order"] as const) {
    const unknown = (change[field] ?? []).filter((s) => !known.has(s));
    if (unknown.length > 0) problems.push(`${field}: no story ${unknown.map((s) => JSON.stringify(s)).join(", ")} in edition ${id}`);
  }
  const dropped = new Set(change.drop ?? []);
  const kept = edition.digest.stories.filter((s) => !dropped.has(s.id));
  if (kept.length === 0) problems.push("drop: an edition keeps at least one story");
  if (change.order && new Set(change.order).size !== change.order.length) problems.push("order: a story id is named twice");
  const droppedOrdered = (change.order ?? []).filter((s) => dropped.has(s));
  if (droppedOrdered.length > 0) problems.push(`order: ${droppedOrdered.map((s) => JSON.stringify(s)).join(", ")} is also dropped`);
  let subject: string | undefined;
  if (change.subject !== undefined) {
    subject = headerText(change.subject);
    if (subject.length === 0 || subject.length > MAX_SUBJECT_CHARS) problems.push(`subject: 1 to ${MAX_SUBJECT_CHARS} characters of text`);
  }
  if (problems.length > 0) return { outcome: "invalid", problems };

  const rank = new Map((change.order ?? []).map((s, i) => [s, i]));
  const stories = kept
    .map((s, i) => ({ s, key: rank.get(s.id) ?? (change.order?.length ?? 0) + i }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.s);
  const digest = { ...edition.digest, stories };
  const { config } = deps;
  const wasAuto = sendable.subject === autoSubject(edition.digest.title, edition.digest.stories, config.title);
  const newSubject = subject ?? (wasAuto ? autoSubject(digest.title, stories, config.title) : sendable.subject);
  // The same rendering options as the build (src/editions/build.ts).
  const editionUrl = `${config.baseUrl}/editions/${id}`;
  const rendered = renderEmail(digest, {
    webUrl: editionUrl,
    editionUrl,
    sender: { name: config.sender.name, postalAddress: config.sender.postalAddress },
    reason: `You receive this because you subscribed to ${config.title} at ${config.baseUrl} and confirmed your address.`,
  });
  const hash = await contentHash(stories.map((s) => (s.update ? `${s.id}+${s.sources.map((x) => x.id).join(",")}` : s.id)));
  const ok = await updateUnsentEdition(deps.db, id, {
    subject: newSubject,
    digest,
    storyIds: stories.map((s) => s.id),
    contentHash: hash,
    html: rendered.html,
    text: rendered.text,
    droppedStoryIds: [...dropped],
  });
  if (!ok) return { outcome: "started" };
  return { outcome: "edited", subject: newSubject, stories: stories.map((s) => ({ id: s.id, headline: s.headline })) };
}

/**
 * What the console's edit form starts from: the stored subject and the stories in order
 * (published or not), or null.
 * @example const e = await editableEdition(deps, "2026-11-23"); e?.subject
 */
export async function editableEdition(deps: Pick<Deps, "db">, id: string): Promise<{ subject: string; stories: Story[] } | null> {
  const sendable = await getSendableEdition(deps.db, id);
  if (!sendable) return null;
  const edition = await getEdition(deps.db, id);
  return { subject: sendable.subject, stories: edition?.digest.stories ?? [] };
}
