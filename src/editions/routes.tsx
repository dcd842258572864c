// The archive and the web editions, mounted at /editions: GET / (newest first, paged), GET /:id
// (one edition's web version) and GET /:id/sources/:sourceId (a source's cleaned full text).
// Editions never change once built, so answers carry long Cache-Control and a content ETag.
import * as z from "zod/mini";
import { sendCached } from "../http/cache";
import { factory } from "../http/env";
import { HttpError } from "../http/errors";
import { wantsJson } from "../http/negotiate";
import { document, HTML } from "../http/page";
import { shownHeadline } from "../render/format";
import { CACHE } from "../http/policy";
import { param, type Refusal } from "../http/validate";
import { ArchivePage } from "../render/pages/archive";
import { EditionPage } from "../render/pages/edition";
import { SourcePage } from "../render/pages/source";
import { archivePage, findEdition } from "./service";
import { editionId } from "./types";
import { isUnpublished } from "./unpublish";

const JSON_TYPE = "application/json; charset=utf-8";
const NOT_FOUND: Refusal = [404, "Edition not found", "There is no edition with that id. The archive at /editions lists them all."];
const editionParam = z.object({ id: editionId, sourceId: z.optional(z.string()) });
/** 410 for an edition its editor unpublished, 404 otherwise. */
const missing = async (deps: Parameters<typeof isUnpublished>[0], id: string) =>
  (await isUnpublished(deps, id))
    ? new HttpError(410, "Edition withdrawn", "The editor unpublished this edition. The archive at /editions lists the others.")
    : new HttpError(...NOT_FOUND);

export const archive = factory
  .createApp()
  .get("/", async (c) => {
    const page = await archivePage(c.var.deps, c.req.query("before"));
    if (!page) throw new HttpError(400, "Bad cursor", "The 'before' parameter is not a cursor this site made; start again from /editions.");
    const items = page.editions.map((e) => ({
      id: e.id,
      title: e.title,
      date: e.date,
      headlines: e.digest.stories.slice(0, 3).map((s) => shownHeadline(s)),
    }));
    const olderHref = page.older ? `/editions?before=${page.older}` : undefined;
    const html = document(<ArchivePage siteTitle={c.var.config.title} editions={items} {...(olderHref ? { olderHref } : {})} />);
    return sendCached(c, html, HTML, { cacheControl: CACHE.list });
  })
  .get("/:id", param(editionParam, NOT_FOUND), async (c) => {
    const edition = await findEdition(c.var.deps, c.req.valid("param").id);
    if (!edition) throw await missing(c.var.deps, c.req.valid("param").id);
    // The digest as JSON: the CLI's shape, each story with `update`.
    // One URL, two representations: caches must key on Accept.
    const vary = { Vary: "Accept" };
    if (wantsJson(c)) return sendCached(c, JSON.stringify(edition.digest), JSON_TYPE, { cacheControl: CACHE.edition, headers: vary });
    const html = document(<EditionPage siteTitle={c.var.config.title} id={edition.id} digest={edition.digest} />);
    return sendCached(c, html, HTML, { cacheControl: CACHE.edition, headers: vary });
  })
  .get("/:id/sources/:sourceId", param(editionParam, NOT_FOUND), async (c) => {
    const { id, sourceId } = c.req.valid("param");
    const edition = await findEdition(c.var.deps, id);
    if (!edition) throw await missing(c.var.deps, id);
    const article = edition.articles.find((a) => a.id === sourceId);
    if (!article) throw new HttpError(404, "Source not found", `Edition ${edition.id} has no source with that id.`);
    const stories = edition.digest.stories.filter((s) => s.sources.some((src) => src.id === sourceId));
    const html = document(
      <SourcePage
        siteTitle={c.var.config.title}
        editionId={edition.id}
        editionTitle={edition.title}
        editionDate={edition.date}
        article={article}
        stories={stories}
      />,
    );
    return sendCached(c, html, HTML, { cacheControl: CACHE.edition });
  });
