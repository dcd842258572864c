// The admin console's session: after a login with ADMIN_TOKEN, a cookie holding its expiry and
// a random CSRF nonce, signed (HMAC, the link-token helpers) with a key derived from the admin
// token itself, so changing ADMIN_TOKEN ends every session. HttpOnly, SameSite=Strict,
// Path=/admin, Secure unless the site runs on localhost, 8 hours.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Config } from "../config";
import type { AppEnv } from "../http/env";
import { newNonce, signFor, verifyFor } from "../subscriptions/tokens";

export const SESSION_COOKIE = "admin_session";
export const SESSION_HOURS = 8;

export interface Session {
  /** The value every console form must carry in its `csrf` field. */
  csrf: string;
  expiresAt: Date;
}

const keyOf = (config: Pick<Config, "adminToken">) => ({ signingSecrets: [config.adminToken] });
const isLocal = (baseUrl: string) => /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(baseUrl);

/**
 * Starts a session: sets the signed cookie and returns it.
 * @example const session = await startSession(c);
 */
export async function startSession(c: Context<AppEnv>): Promise<Session> {
  const config = c.get("config");
  const expiresAt = new Date(c.var.deps.clock().getTime() + SESSION_HOURS * 3_600_000);
  const csrf = newNonce();
  const token = await signFor(keyOf(config), "admin-session", `s1.${Math.floor(expiresAt.getTime() / 1000)}.${csrf}`);
  setCookie(c, SESSION_COOKIE, token, {
    path: "/admin",
    httpOnly: true,
    sameSite: "Strict",
    secure: !isLocal(config.baseUrl),
    maxAge: SESSION_HOURS * 3600,
    expires: expiresAt,
  });
  return { csrf, expiresAt };
}

/**
 * The request's session, or null (no cookie, forged, expired, or signed under another admin token).
 * @example const session = await readSession(c); if (!session) return c.redirect("/admin/login", 303);
 */
export async function readSession(c: Context<AppEnv>): Promise<Session | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  const payload = await verifyFor(keyOf(c.get("config")), "admin-session", token);
  const m = payload ? /^s1\.(\d{1,12})\.([A-Za-z0-9_-]{8,64})$/.exec(payload) : null;
  if (!m) return null;
  const expiresAt = new Date(Number(m[1]) * 1000);
  if (expiresAt.getTime() <= c.var.deps.clock().getTime()) return null;
  return { csrf: m[2]!, expiresAt };
}

/** Ends the session (the cookie is cleared; a copy of it still expires on its own). */
export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/admin", secure: !isLocal(c.get("config").baseUrl) });
}
