// What every console page module shares (route modules do not import each other): no-store
// answers, the `signedIn` middleware and the session it found (sessionOf), a form's fields after
// its CSRF nonce is checked against the session's, and the console frame.
import type { Context, MiddlewareHandler } from "hono";
import type { Child } from "hono/jsx";
import { timingSafeEqual } from "hono/utils/buffer";
import type { AppEnv } from "../http/env";
import { HttpError } from "../http/errors";
import { page } from "../http/page";
import { CACHE } from "../http/policy";
import { Console } from "./console.views";
import { readSession, type Session } from "./session";

type C = Context<AppEnv>;

/** Console answers are never stored and never leak the URL as a referrer. */
export const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.res.headers.set("Cache-Control", CACHE.private);
  c.res.headers.set("Referrer-Policy", "no-referrer");
};

// The session `signedIn` found for a request, by request (the app's variables are shared by
// every route module; the session is the console's own).
const sessions = new WeakMap<Request, Session>();

/**
 * Every console page and form needs a session: a page without one goes to the login page, a
 * form is refused. The route reads it with sessionOf(c).
 * @example adminConsole.get("/console/next", signedIn, (c) => ... sessionOf(c) ...);
 */
export const signedIn: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = await readSession(c);
  if (!session) {
    if (c.req.method === "POST") throw new HttpError(403, "Not logged in", "Your session has ended. Log in again at /admin/login.");
    return c.redirect("/admin/login", 303);
  }
  sessions.set(c.req.raw, session);
  await next();
};

/**
 * The session `signedIn` checked for this request; a route without that middleware is a bug.
 * @example const session = sessionOf(c);
 */
export function sessionOf(c: C): Session {
  const session = sessions.get(c.req.raw);
  if (!session) throw new Error(`console route ${c.req.path} has no signedIn middleware`);
  return session;
}

/**
 * A console form's fields (strings only; a repeated name keeps its first value in `fields` and
 * all its values in `all`), after checking its CSRF nonce against the session's (signedIn).
 * @example const { fields } = await formOf(c);
 */
export async function formOf(c: C): Promise<{ session: Session; fields: Record<string, string>; all: Record<string, string[]> }> {
  const session = sessionOf(c);
  const body = await c.req.parseBody({ all: true }).catch(() => null);
  if (!body) throw new HttpError(400, "Bad form", "The form could not be read.");
  const fields: Record<string, string> = {};
  const all: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    const values = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
    all[k] = values;
    if (values[0] !== undefined) fields[k] = values[0];
  }
  if (!(await timingSafeEqual(fields.csrf ?? "", session.csrf))) throw new HttpError(403, "Stale form", "Reload the page and try again.");
  return { session, fields, all };
}

/** A console page in the site's shell. */
export function consolePage(c: C, title: string, session: Session, body: Child, notice?: string, status: 200 | 401 | 422 = 200) {
  return c.html(
    page(
      c.get("config").title,
      title,
      <Console csrf={session.csrf} notice={notice}>
        {body}
      </Console>,
    ),
    status,
  );
}
