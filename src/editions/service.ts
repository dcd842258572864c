// The editions service: what the web routes and the admin ask of stored editions: one edition,
// the newest, the feed's recent ones, the archive's pages, and whether a slot was built (building
// is build.ts; sending is delivery's; the preview and the next edition are preview.ts and next.ts).
import { fromBase64Url, toBase64Url } from "../base64url";
import type { Deps } from "../ports";
import { getEdition, getSlot, listEditions } from "./store";
import type { Edition, ListedEdition } from "./types";

export { slotOf } from "./build";

/**
 * The slot of a forced build: the minute's slot and a random suffix, so forcing always builds,
 * even within the minute of an earlier build.
 * @example forcedSlot(new Date("2026-11-23T07:00Z")) // "2026-11-23T07:00Z-f3k9x2"
 */
export function forcedSlot(now: Date): string {
  return `${now.toISOString().slice(0, 16)}Z-f${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Whether a slot already has a record (built or skipped): the schedule builds a slot once.
 * @example if (!(await slotRecorded(deps, "2026-11-23Tscheduled"))) ...
 */
export async function slotRecorded(deps: Pick<Deps, "db">, slot: string): Promise<boolean> {
  return (await getSlot(deps.db, slot)) !== null;
}

/** One built edition for the web, or null. */
export function findEdition(deps: Deps, id: string): Promise<Edition | null> {
  return getEdition(deps.db, id);
}

/** The newest built edition, for the landing page. */
export async function latestEdition(deps: Deps): Promise<ListedEdition | undefined> {
  return (await listEditions(deps.db, { limit: 1 }))[0];
}

/** The newest editions with their digests, for the Atom feed. */
export function recentEditions(deps: Deps, limit: number): Promise<ListedEdition[]> {
  return listEditions(deps.db, { limit });
}

export const ARCHIVE_PAGE_SIZE = 30;

/** The cursor for the next page: the last item's created_at and id, base64url'd JSON. */
function encodeCursor(e: { createdAt: string; id: string }): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify([e.createdAt, e.id])));
}

function decodeCursor(s: string): { createdAt: string; id: string } | null {
  const bytes = fromBase64Url(s);
  if (!bytes) return null;
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string") return { createdAt: v[0], id: v[1] };
  } catch {
    // fall through
  }
  return null;
}

/**
 * One page of the archive, newest first, and the cursor of the next (older) page; null when
 * `before` is not a cursor this site made.
 * @example const page = await archivePage(deps, c.req.query("before"));
 */
export async function archivePage(deps: Deps, before?: string): Promise<{ editions: ListedEdition[]; older?: string } | null> {
  const after = before === undefined ? undefined : decodeCursor(before);
  if (after === null) return null;
  const rows = await listEditions(deps.db, after ? { limit: ARCHIVE_PAGE_SIZE + 1, before: after } : { limit: ARCHIVE_PAGE_SIZE + 1 });
  const editions = rows.slice(0, ARCHIVE_PAGE_SIZE);
  const last = editions[editions.length - 1];
  return rows.length > ARCHIVE_PAGE_SIZE && last ? { editions, older: encodeCursor(last) } : { editions };
}
