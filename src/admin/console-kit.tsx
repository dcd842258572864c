// What every console page module shares: no-store answers, the session of a page (or the login
// redirect), a form's fields after its session and CSRF nonce are checked, and the console frame.
// (src/admin/console.routes.tsx keeps its own copies for now; see the report of issue 22.)
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

/** The session of a console page; GETs without one go to the login page. */
export async function sessionOr(c: C): Promise<Session | Response> {
  return (await readSession(c)) ?? c.redirect("/admin/login", 303);
}

/**
 * A console form's fields (strings only; a repeated name keeps all its values in `all`), after
 * checking its session and CSRF nonce.
 * @example const { fields } = await formOf(c);
 */
export async function formOf(c: C): Promise<{ session: Session; fields: Record<string, string>; all: Record<string, string[]> }> {
  const session = await readSession(c);
  if (!session) throw new HttpError(403, "Not logged in", "Your session has ended. Log in again at /admin/login.");
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
export function consolePage(c: C, title: string, session: Session, body: Child, notice?: string, status: 200 | 422 = 200) {
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
