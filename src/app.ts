// The Hono app: shared middleware, each area's routes mounted at its prefix, and the one error
// path (404, 405 with Allow, and every thrown error answered in the caller's format).
import { Hono } from "hono";
import { adminConsole } from "./admin/console.routes";
import { operatorConsole } from "./admin/operator-console.routes";
import { operator } from "./admin/operator.routes";
import { admin } from "./admin/routes";
import { deploymentGuard } from "./http/guard";
import { makeDeps } from "./deps";
import { archive } from "./editions/routes";
import { feed } from "./editions/feed.routes";
import { preview } from "./editions/preview.routes";
import type { AppEnv } from "./http/env";
import { notFound, onError } from "./http/errors";
import { PAGE_CSP } from "./http/policy";
import { secureHeaders } from "./http/secure-headers";
import { mailbox } from "./site/mailbox.routes";
import { health } from "./site/health.routes";
import { site } from "./site/routes";
import { confirm, subscribe, unsubscribe } from "./subscriptions/routes";
import { webhooks } from "./webhooks/routes";

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
// Unsafe production settings: 503 everywhere (/healthz names them) before any route runs.
app.use(deploymentGuard());
app.use(async (c, next) => {
  const deps = makeDeps(c.env);
  c.set("config", deps.config);
  c.set("deps", deps);
  await next();
});

app.route("/", site);
app.route("/", health);
app.route("/subscribe", subscribe);
app.route("/confirm", confirm);
app.route("/unsubscribe", unsubscribe);
app.route("/preview", preview);
app.route("/editions", archive);
app.route("/feed.xml", feed);
app.route("/dev/mailbox", mailbox);
app.route("/webhooks", webhooks);
// The console's pages first (their own paths), then the API (bearer token, JSON) for the rest.
app.route("/admin", adminConsole);
app.route("/admin", operatorConsole);
app.route("/admin", operator);
app.route("/admin", admin);

app.notFound(notFound(app));
app.onError(onError);
