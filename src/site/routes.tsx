// The site's own pages, mounted at /: the landing page with the subscribe form and the latest
// edition's headlines, and the favicon answer.
import { latestEdition } from "../editions/service";
import { sendCached } from "../http/cache";
import { factory } from "../http/env";
import { document, HTML } from "../http/page";
import { CACHE } from "../http/policy";
import { errorText, log } from "../log";
import { LandingPage } from "../render/pages/landing";

export const site = factory
  .createApp()
  // Browsers ask for it on every page (the preview is email HTML with no <link rel=icon>); an
  // empty answer beats a 404 page and a console error.
  .get("/favicon.ico", (c) => c.body(null, 204, { "Cache-Control": CACHE.favicon }))
  .get("/", async (c) => {
    // The landing page must stay up even when D1 is not: it then just shows no latest edition.
    const latest = await latestEdition(c.var.deps).catch((err: unknown) => {
      log.error("landing_latest_failed", { error: errorText(err) });
      return undefined;
    });
    const props = latest
      ? { latest: { id: latest.id, title: latest.title, date: latest.date, headlines: latest.digest.stories.map((s) => s.headline) } }
      : {};
    return sendCached(c, document(<LandingPage siteTitle={c.var.config.title} {...props} />), HTML, { cacheControl: CACHE.landing });
  });
