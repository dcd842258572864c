// Who may use the admin API: scripts with the bearer token (ADMIN_TOKEN); the console's session
// may read (GET, HEAD: the CSV export link), never write. Shared by the admin route groups.
import type { Context, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { timingSafeEqual } from "hono/utils/buffer";
import type { AppEnv } from "../http/env";
import { readSession } from "./session";

const bearer = bearerAuth({
  verifyToken: (token, c) => timingSafeEqual(token, (c as Context<AppEnv>).get("config").adminToken),
  noAuthenticationHeader: { message: { error: "Unauthorized", message: "Send Authorization: Bearer <ADMIN_TOKEN>." } },
  invalidAuthenticationHeader: { message: { error: "Bad request", message: "The Authorization header must be 'Bearer <token>'." } },
  invalidToken: { message: { error: "Unauthorized", message: "That admin token is not valid." } },
});

/**
 * The admin API's access check (answers JSON whatever the caller accepts, errors included).
 * @example admin.use(adminAccess);
 */
export const adminAccess: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("answer", "json");
  const reading = c.req.method === "GET" || c.req.method === "HEAD";
  if (reading && !c.req.header("authorization") && (await readSession(c))) return next();
  return bearer(c as never, next);
};
