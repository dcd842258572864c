// GET /: the landing page with the subscribe form and the latest edition's headlines.
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { listEditions } from "../editions/archive-store";
import { LandingPage } from "../render/pages/landing";
import { sendCached } from "../http/respond";

export const pages = new Hono<AppEnv>()
  // Browsers ask for it on every page (the preview is email HTML with no <link rel=icon>); an
  // empty answer beats a 404 page and a console error.
  .get("/favicon.ico", (c) => c.body(null, 204, { "Cache-Control": "public, max-age=86400" }))
  .get("/", async (c) => {
    const config = c.get("config");
    // The landing page must stay up even when D1 is not: it then just shows no latest edition.
    const latest = await listEditions(c.env.DB, { limit: 1 })
      .then((r) => r[0])
      .catch((err: unknown) => {
        console.error(JSON.stringify({ event: "landing_latest_failed", error: String(err) }));
        return undefined;
      });
    const props = latest ? { latest: { id: latest.id, title: latest.title, date: latest.date, headlines: latest.digest.stories.map((s) => s.headline) } } : {};
    const html = (<LandingPage siteTitle={config.title} {...props} />).toString();
    return sendCached(c, "<!doctype html>" + html, "text/html; charset=utf-8", { cacheControl: "public, max-age=60" });
  });
