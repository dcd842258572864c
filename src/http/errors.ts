// The one error path. Routes and middleware throw HttpError (or let anything else escape);
// `onError` answers it in the caller's format: JSON for API callers, the site's error page for
// browsers. Unknown paths get 404, known paths with a wrong method 405 with the Allow header
// read from the app's own routes. Nothing internal (stack, file names) reaches the caller.
import type { Context, ErrorHandler, Hono, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorText, log } from "../log";
import type { AppEnv } from "./env";
import { wantsJson } from "./negotiate";
import { errorPage } from "./page";

/**
 * An answer to a request that cannot be served: a status, a short title (the JSON `error`),
 * a sentence for the person (the JSON `message`), and optional extra JSON fields and headers.
 * @example throw new HttpError(404, "Edition not found", "There is no edition with that id.");
 */
export class HttpError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly title: string,
    message: string,
    readonly extra: { fields?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(status, { message });
    this.name = "HttpError";
  }
}

/** The answer for an error, in the caller's format. */
function problem(c: Context<AppEnv>, status: ContentfulStatusCode, title: string, message: string, extra: HttpError["extra"] = {}) {
  for (const [name, value] of Object.entries(extra.headers ?? {})) c.header(name, value);
  if (wantsJson(c)) return c.json({ error: title, message, ...extra.fields }, status);
  // The config may be what failed; the page then goes without the site's title.
  return c.html(errorPage(c.get("config")?.title, title, message), status);
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof HttpError) return problem(c, err.status as ContentfulStatusCode, err.title, err.message, err.extra);
  if (err instanceof HTTPException && err.status < 500) {
    // Middleware that built its own answer (bearerAuth's WWW-Authenticate challenge) keeps it.
    if (err.res) return err.getResponse();
    const message = err.message || "The request could not be handled.";
    return problem(c, err.status as ContentfulStatusCode, err.message || "Bad request", message);
  }
  log.error("unhandled_error", { path: c.req.path, error: errorText(err), stack: err instanceof Error ? err.stack : undefined });
  return problem(c, 500, "Something went wrong", "The server could not complete the request. Please try again later.");
};

/** The 404 every area gives for a path it does not serve. */
export const nothingHere = (c: Context) => new HttpError(404, "Not found", `Nothing lives at ${c.req.path}.`);

/**
 * The methods some route (not middleware) of `app` answers at `path`, for a 405's Allow header:
 * asked of the app's own router, so it matches exactly what dispatch would.
 * @example allowedMethods(app, "/subscribe") // ["GET", "HEAD", "POST"]
 */
// biome-ignore lint/suspicious/noExplicitAny: any app, whatever its env
export function allowedMethods(app: Hono<any>, path: string): string[] {
  const methods = new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => r.method));
  const allowed = [...methods].filter((method) => app.router.match(method, path)[0].some(([[, route]]) => route.method === method));
  if (allowed.includes("GET")) allowed.push("HEAD");
  return allowed.sort();
}

/** 404 for unknown paths, 405 with Allow for a known path asked with another method. */
// biome-ignore lint/suspicious/noExplicitAny: any app, whatever its env
export function notFound(app: Hono<any>): NotFoundHandler<AppEnv> {
  return (c) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length === 0) return problem(c, 404, "Not found", `Nothing lives at ${c.req.path}.`);
    const list = allowed.join(", ");
    return problem(c, 405, "Method not allowed", `${c.req.path} answers ${list} only.`, { headers: { Allow: list } });
  };
}
