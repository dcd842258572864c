// Review before send (issue 22, item 4; the setting `review`, off by default): a scheduled build
// waits as "awaiting approval" instead of sending, until the operator sends it (POST
// /admin/editions/:id/send, or the console's Send button) or, with `reviewDeadlineMinutes` set,
// until the first tick after that deadline. Meanwhile it can be previewed, test-sent, edited
// (PATCH) and deleted.
import { holdEdition, releaseOverdue, waitingEdition, waitingEditions, type WaitingEdition } from "./review-store";

export type { WaitingEdition };
export { waitingEdition, waitingEditions };

/**
 * Holds a freshly built scheduled edition for approval, with its deadline if the settings give one.
 * @example await holdForReview(deps.db, "2026-11-23", now, settings.reviewDeadlineMinutes);
 */
export async function holdForReview(db: D1Database, editionId: string, now: Date, deadlineMinutes: number | null): Promise<void> {
  await holdEdition(db, editionId, now, deadlineMinutes === null ? null : new Date(now.getTime() + deadlineMinutes * 60_000));
}

/**
 * The waiting editions past their deadline, each returned once (the caller sends them).
 * @example for (const id of await overdueReviews(db, now)) await sendStoredEdition(deps, id);
 */
export function overdueReviews(db: D1Database, now: Date): Promise<string[]> {
  return releaseOverdue(db, now);
}
