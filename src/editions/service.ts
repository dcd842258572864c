// The editions service: what the web routes and the admin ask of stored editions: one edition,
// the newest, the feed's recent ones, and the archive's pages (building is build.ts; sending is
// delivery's; the preview is preview.ts).
import { fromBase64Url, toBase64Url } from "../base64url";
import type { Deps } from "../ports";
import { getEdition, listEditions } from "./store";
import type { Edition, ListedEdition } from "./types";

export { slotOf } from "./build";

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
