// Who may use the admin API: scripts with the bearer token (ADMIN_TOKEN); the console's session
// may read (GET, HEAD: the CSV export link), never write. Shared by the admin route groups.
import type { Context, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { timingSafeEqual } from "hono/utils/buffer";
import type { AppEnv } from "../http/env";
import type { BodyPolicy } from "../http/validate";
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

/** The admin API's JSON body, `{}` when empty; any field error is a 422 naming the field. */
export const ADMIN_JSON: BodyPolicy = {
  accept: ["json"],
  noFields: "blank",
  unsupported: [415, "Unsupported media type", "Send JSON (Content-Type: application/json)."],
  unreadable: [400, "Bad JSON", "The body could not be read."],
  badJson: [400, "Bad JSON", "The body is not valid JSON."],
  invalid: (issues) => [
    422,
    "Invalid request",
    issues
      .map((i) => `${(i.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".") || "body"}: ${i.message}`)
      .join("; "),
  ],
};
