// The archive and the web editions: GET /editions (newest first, paged), GET /editions/:id (one
// edition's web version) and GET /editions/:id/sources/:sourceId (a source's cleaned full text).
// Editions never change once built, so answers carry long Cache-Control and a content ETag.
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { fromBase64Url, toBase64Url } from "../base64url";
import { listEditions } from "./archive-store";
import { EDITION_ID_PATTERN, getEdition } from "./store";
import { problem, sendCached } from "../http/respond";
import { ArchivePage } from "../render/pages/archive";
import { EditionPage } from "../render/pages/edition";
import { SourcePage } from "../render/pages/source";

/** Built editions are immutable; a day in caches, then revalidated by ETag (the page shell may change on deploy). */
export const EDITION_CACHE = "public, max-age=86400";
/** Lists grow when an edition is built. */
export const LIST_CACHE = "public, max-age=300";

const PAGE_SIZE = 30;

const HTML = "text/html; charset=utf-8";

/** The cursor for the next page: the last item's created_at and id, base64url'd JSON. */
function encodeCursor(createdAt: string, id: string): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify([createdAt, id])));
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

export const editions = new Hono<AppEnv>()
  .get("/editions", async (c) => {
    const config = c.get("config");
    const beforeParam = c.req.query("before");
    const before = beforeParam === undefined ? undefined : decodeCursor(beforeParam);
    if (before === null) return problem(c, 400, "Bad cursor", "The 'before' parameter is not a cursor this site made; start again from /editions.");
    const rows = await listEditions(c.env.DB, before ? { limit: PAGE_SIZE + 1, before } : { limit: PAGE_SIZE + 1 });
    const page = rows.slice(0, PAGE_SIZE);
    const last = page[page.length - 1];
    const olderHref = rows.length > PAGE_SIZE && last ? `/editions?before=${encodeCursor(last.createdAt, last.id)}` : undefined;
    const items = page.map((e) => ({ id: e.id, title: e.title, date: e.date, headlines: e.digest.stories.slice(0, 3).map((s) => s.headline) }));
    const html = (<ArchivePage siteTitle={config.title} editions={items} {...(olderHref ? { olderHref } : {})} />).toString();
    return sendCached(c, "<!doctype html>" + html, HTML, { cacheControl: LIST_CACHE });
  })
  .get("/editions/:id", async (c) => {
    const id = c.req.param("id");
    const edition = EDITION_ID_PATTERN.test(id) ? await getEdition(c.env.DB, id) : null;
    if (!edition) return problem(c, 404, "Edition not found", "There is no edition with that id. The archive at /editions lists them all.");
    const html = (<EditionPage siteTitle={c.get("config").title} id={edition.id} digest={edition.digest} />).toString();
    return sendCached(c, "<!doctype html>" + html, HTML, { cacheControl: EDITION_CACHE });
  })
  .get("/editions/:id/sources/:sourceId", async (c) => {
    const id = c.req.param("id");
    const sourceId = c.req.param("sourceId");
    const edition = EDITION_ID_PATTERN.test(id) ? await getEdition(c.env.DB, id) : null;
    if (!edition) return problem(c, 404, "Edition not found", "There is no edition with that id. The archive at /editions lists them all.");
    const article = edition.articles.find((a) => a.id === sourceId);
    if (!article) return problem(c, 404, "Source not found", `Edition ${edition.id} has no source with that id.`);
    const stories = edition.digest.stories.filter((s) => s.sources.some((src) => src.id === sourceId));
    const html = (
      <SourcePage siteTitle={c.get("config").title} editionId={edition.id} editionTitle={edition.title} editionDate={edition.date} article={article} stories={stories} />
    ).toString();
    return sendCached(c, "<!doctype html>" + html, HTML, { cacheControl: EDITION_CACHE });
  });
