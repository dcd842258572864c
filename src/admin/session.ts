// The admin console's session: after a login with ADMIN_TOKEN, a cookie naming a session row in
// D1 (store.ts), with its expiry and a random CSRF nonce, signed (HMAC, the link-token helpers)
// with a key derived from the admin token itself, so changing ADMIN_TOKEN ends every session.
// The row makes the session end on the server: a logout revokes it, and so does 30 minutes
// without a request (the idle timeout); 8 hours is the most any session lives. HttpOnly,
// SameSite=Strict, Path=/admin, Secure unless both the site and the request are on loopback.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Config } from "../config";
import { isLoopback, isLoopbackHost } from "../deploy-guard";
import type { AppEnv } from "../http/env";
import { newNonce, signFor, verifyFor } from "../subscriptions/tokens";
import { insertSession, revokeSession, touchSession } from "./store";

export const SESSION_COOKIE = "admin_session";
export const SESSION_HOURS = 8;
/** A session unused for this long has ended, whatever its cookie says. */
export const SESSION_IDLE_MINUTES = 30;

export interface Session {
  /** The value every console form must carry in its `csrf` field. */
  csrf: string;
  expiresAt: Date;
  /** The session's row (admin_sessions). */
  id: string;
}

const keyOf = (config: Pick<Config, "adminToken">) => ({ signingSecrets: [config.adminToken] });
/** Secure unless the site runs on loopback and this request came to a loopback host (wrangler dev over http). */
const secure = (c: Context<AppEnv>) => !(isLoopback(c.get("config").baseUrl) && isLoopbackHost(new URL(c.req.url).hostname));

/**
 * Starts a session: records it, sets the signed cookie and returns it.
 * @example const session = await startSession(c);
 */
export async function startSession(c: Context<AppEnv>): Promise<Session> {
  const config = c.get("config");
  const now = c.var.deps.clock();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
  const csrf = newNonce();
  const id = `${newNonce()}${newNonce()}`;
  await insertSession(c.var.deps.db, { id, now, expiresAt });
  const token = await signFor(keyOf(config), "admin-session", `s2.${Math.floor(expiresAt.getTime() / 1000)}.${csrf}.${id}`);
  setCookie(c, SESSION_COOKIE, token, {
    path: "/admin",
    httpOnly: true,
    sameSite: "Strict",
    secure: secure(c),
    maxAge: SESSION_HOURS * 3600,
    expires: expiresAt,
  });
  return { csrf, expiresAt, id };
}

/**
 * The request's session, or null (no cookie, forged, expired, logged out, idle too long, or
 * signed under another admin token). A live session is marked used.
 * @example const session = await readSession(c); if (!session) return c.redirect("/admin/login", 303);
 */
export async function readSession(c: Context<AppEnv>): Promise<Session | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  const payload = await verifyFor(keyOf(c.get("config")), "admin-session", token);
  const m = payload ? /^s2\.(\d{1,12})\.([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{16,64})$/.exec(payload) : null;
  if (!m) return null;
  const now = c.var.deps.clock();
  const expiresAt = new Date(Number(m[1]) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return null;
  if (!(await touchSession(c.var.deps.db, m[3]!, now, SESSION_IDLE_MINUTES * 60_000))) return null;
  return { csrf: m[2]!, expiresAt, id: m[3]! };
}

/** Ends the session: its row is revoked (every copy of the cookie stops working) and the cookie cleared. */
export async function endSession(c: Context<AppEnv>, session: Session): Promise<void> {
  await revokeSession(c.var.deps.db, session.id, c.var.deps.clock());
  deleteCookie(c, SESSION_COOKIE, { path: "/admin", secure: secure(c) });
}
