// The Hono app: shared middleware, the route modules, and error answers that never leak a stack.
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { HTTPException } from "hono/http-exception";
import { getConfig, type Config } from "./config";
import { problem } from "./http/respond";
import { PAGE_CSP } from "./render/pages/layout";
import { health } from "./site/health";
import { preview } from "./editions/preview";
import { pages } from "./site/routes";
import { editions } from "./editions/routes";
import { feed } from "./editions/feed";
import { subscribe } from "./subscriptions/routes";
import { devMailbox } from "./mail/mailbox";
import { admin } from "./admin/routes";

export type AppEnv = { Bindings: Env; Variables: { config: Config } };

export const app = new Hono<AppEnv>();

app.use(secureHeaders());
// Every HTML page gets the site's CSP (no script; the inline stylesheet allowed by hash) unless
// its route set a policy of its own (the email HTML of /preview and the dev mailbox).
app.use(async (c, next) => {
  await next();
  if (c.res.headers.get("content-type")?.startsWith("text/html") && !c.res.headers.has("content-security-policy")) {
    c.res.headers.set("Content-Security-Policy", PAGE_CSP);
  }
});
app.use(async (c, next) => {
  c.set("config", getConfig(c.env));
  await next();
});

app.route("/", health);
app.route("/", preview);
app.route("/", pages);
app.route("/", editions);
app.route("/", feed);
app.route("/", subscribe);
app.route("/", devMailbox);
app.route("/", admin);

const patterns = new Map<string, RegExp>();
/** A route path ("/editions/:id", "/admin/*", ":id{[0-9]+}") as a regular expression. */
function routePattern(path: string): RegExp {
  let re = patterns.get(path);
  if (!re) {
    const body = path
      .split(/(:[A-Za-z_][A-Za-z0-9_]*(?:\{[^}]+\})?\??|\*)/)
      .map((part) => {
        if (part === "*") return ".*";
        const param = /^:[A-Za-z_][A-Za-z0-9_]*(?:\{([^}]+)\})?(\?)?$/.exec(part);
        if (param) return `(?:${param[1] ?? "[^/]+"})${param[2] ?? ""}`;
        return part.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("");
    re = new RegExp(`^${body}/?$`);
    patterns.set(path, re);
  }
  return re;
}

/** The methods some route (not middleware) answers at `path`, for a 405's Allow header. */
export function allowedMethods(path: string): string[] {
  const methods = new Set(app.routes.filter((r) => r.method !== "ALL" && routePattern(r.path).test(path)).map((r) => r.method));
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort();
}

app.notFound((c) => {
  const allowed = allowedMethods(c.req.path);
  if (allowed.length === 0) return problem(c, 404, "Not found", `Nothing lives at ${c.req.path}.`);
  c.header("Allow", allowed.join(", "));
  return problem(c, 405, "Method not allowed", `${c.req.path} answers ${allowed.join(", ")} only.`);
});

app.onError((err, c) => {
  if (err instanceof HTTPException && err.status < 500) {
    return problem(c, err.status, err.message || "Bad request", err.message || "The request could not be handled.");
  }
  // One JSON line for `wrangler tail`; the caller sees no stack or internals.
  console.error(JSON.stringify({ event: "unhandled_error", path: c.req.path, error: String(err), stack: err instanceof Error ? err.stack : undefined }));
  return problem(c, 500, "Something went wrong", "The server could not complete the request. Please try again later.");
});
