// Engagement from the provider's events (issue 22): email.delivered, email.opened and
// email.clicked (and permanent bounces and complaints, which the webhook also suppresses) count
// once per recipient per edition, however often the provider reports them, replays included.
// Per-recipient rows are kept for the retention period (setting eventRetentionDays), then the
// sweep folds them away; the per-edition counts stay. Opens are a lower bound: a mail client that
// blocks images never reports one.
import { log } from "../log";
import { type EngagementKind, foldEngagement, recordEngagement } from "./engagement-store";

export { editionEngagement, type Engagement } from "./engagement-store";

/** The provider's event types that only count (nothing else changes). */
export const ENGAGEMENT_EVENTS: Readonly<Record<string, EngagementKind>> = {
  "email.delivered": "delivered",
  "email.opened": "opened",
  "email.clicked": "clicked",
};

/** Default retention of per-recipient events, days. */
export const DEFAULT_EVENT_RETENTION_DAYS = 90;

interface EventData {
  email_id?: string | undefined;
  click?: { link?: unknown } | undefined;
}

/**
 * Counts one verified event for the edition whose delivery carried it: "counted" the first time
 * for this recipient and kind, "repeat" after (a replay, a second open), "unknown" when no
 * delivery row has that email id, "folded" past retention. Undefined for kinds never counted.
 * @example await countEngagement(db, "email.opened", { email_id: "re_1" }, new Date()) // "counted"
 */
export async function countEngagement(
  db: D1Database,
  kind: EngagementKind | undefined,
  data: EventData | undefined,
  now: Date,
): Promise<"counted" | "repeat" | "unknown" | "folded" | undefined> {
  const providerId = data?.email_id;
  if (!kind || !providerId) return undefined;
  const link = kind === "clicked" && typeof data?.click?.link === "string" ? data.click.link : undefined;
  return recordEngagement(db, { providerId, kind, at: now, ...(link ? { link } : {}) });
}

/**
 * The sweep's step: folds the editions whose events are past retention (a bounded slice per run).
 * @example await foldExpiredEngagement(db, new Date(), 90);
 */
export async function foldExpiredEngagement(db: D1Database, now: Date, retentionDays: number): Promise<{ editions: number; rows: number }> {
  const r = await foldEngagement(db, new Date(now.getTime() - retentionDays * 86_400_000), now, 20_000);
  if (r.editions + r.rows > 0) log.info("engagement_folded", r);
  return r;
}
