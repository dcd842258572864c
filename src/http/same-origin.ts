// Forms must come from our own pages: hono/csrf compares the Origin (or Sec-Fetch-Site) with the
// site's public origin or the request's own. Shared by the subscription forms and the console.
import type { MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import type { AppEnv } from "./env";
import { HttpError } from "./errors";

/**
 * Refuses a form sent from another site with a 403 that says `detail`.
 * @example app.post("/subscribe", sameOriginForms("Please subscribe from the home page."), handler)
 */
export function sameOriginForms(detail: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const base = new URL(c.get("config").baseUrl).origin;
    const guard = csrf({ origin: (origin, ctx) => origin === base || origin === new URL(ctx.req.url).origin });
    let passed = false;
    try {
      await guard(c, async () => {
        passed = true;
      });
    } catch {
      passed = false;
    }
    if (!passed) throw new HttpError(403, "Form from another site", detail);
    await next();
  };
}
