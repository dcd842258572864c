// Bench-only Worker for bench/feeds.bench.ts (config: test/feeds-bench.wrangler.toml): the real
// ingest stage and edition build inside local workerd with local D1, against feeds served by a
// local HTTP server. Timing is taken by the caller (workerd's clock does not advance during CPU).
//   POST /setup   {migrations: string[]}        schema
//   POST /ingest  {feeds: string[], now}        ingestSources -> its report
//   POST /build   {feeds: string[], slot, now}  buildEdition -> its result and the edition row's size
import { getConfig } from "../src/config";
import { buildEdition } from "../src/editions/build";
import { makeDeps } from "../src/deps";
import { ingestSources } from "../src/sources/ingest";

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const path = new URL(req.url).pathname;
    const body = (await req.json()) as { migrations?: string[]; feeds?: string[]; now?: string; slot?: string };
    if (path === "/setup") {
      for (const sql of body.migrations ?? []) await env.DB.exec(sql.replace(/--[^\n]*/g, "").replace(/\s*\n\s*/g, " "));
      return Response.json({ ok: true });
    }
    const feedEnv = { ...env, FEED_URLS: (body.feeds ?? []).join(","), FULL_TEXT_PER_RUN: "0" };
    const now = new Date(body.now ?? Date.now());
    if (path === "/ingest") {
      const report = await ingestSources({ db: env.DB, config: getConfig(feedEnv) }, now);
      return Response.json(report);
    }
    if (path === "/build") {
      const result = await buildEdition(makeDeps(feedEnv), { slot: body.slot ?? "bench", now });
      const row = await env.DB.prepare(
        `SELECT LENGTH(digest_json) + LENGTH(html) + LENGTH(text) + LENGTH(articles_json) AS bytes,
           (SELECT COUNT(*) FROM edition_articles WHERE edition_id = ?1) AS articles FROM editions WHERE id = ?1`,
      )
        .bind(result.editionId)
        .first<{ bytes: number; articles: number }>();
      return Response.json({ result, row });
    }
    return new Response("not found", { status: 404 });
  },
};
