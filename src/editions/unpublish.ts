// Taking an edition back (issue 22, item 5): DELETE /admin/editions/:id. One that never started
// sending is deleted with its memory (its stories count as never sent) and its slot is recorded
// as skipped, so the schedule does not build it again that day; one that was sent is unpublished:
// its page answers 410 and it leaves the archive, the landing page and /feed.xml, while its
// memory (what readers were sent) and its delivery records stay for the operator.
import type { Deps } from "../ports";
import { deleteUnsentEdition, getEditionRecord, recordSkippedSlot, sendStarted, unpublishEdition, unpublishedAt } from "./store";

export type Removal = { outcome: "missing" } | { outcome: "deleted" } | { outcome: "unpublished"; unpublishedAt: string };

/**
 * Deletes a never-sent edition, or unpublishes a sent one.
 * @example const r = await removeEdition(deps, "2026-11-23-2"); // { outcome: "deleted" }
 */
export async function removeEdition(deps: Pick<Deps, "db" | "clock">, id: string): Promise<Removal> {
  const record = await getEditionRecord(deps.db, id);
  if (!record) return { outcome: "missing" };
  if (!(await sendStarted(deps.db, id)) && (await deleteUnsentEdition(deps.db, id))) {
    if (record.status === "built") {
      const now = deps.clock();
      await recordSkippedSlot(deps.db, {
        slot: record.slot,
        title: record.title,
        date: record.date,
        reason: `edition ${id} was deleted before sending at ${now.toISOString()}`,
        contentHash: null,
        createdAt: now.toISOString(),
      });
    }
    return { outcome: "deleted" };
  }
  const at = await unpublishEdition(deps.db, id, deps.clock());
  return at ? { outcome: "unpublished", unpublishedAt: at } : { outcome: "missing" };
}

/**
 * Whether an edition id names an unpublished edition (its page answers 410 Gone).
 * @example if (await isUnpublished(deps, id)) throw new HttpError(410, ...);
 */
export async function isUnpublished(deps: Pick<Deps, "db">, id: string): Promise<boolean> {
  return (await unpublishedAt(deps.db, id)) !== null;
}
