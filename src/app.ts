// The Hono app: shared middleware, the route modules, and error answers that never leak a stack.
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { HTTPException } from "hono/http-exception";
import { getConfig, type Config } from "./config";
import { problem } from "./http";
import { health } from "./routes/health";
import { preview } from "./routes/preview";
import { pages } from "./routes/pages";
import { editions } from "./routes/editions";
import { feed } from "./routes/feed";
import { subscribe } from "./routes/subscribe";
import { devMailbox } from "./routes/dev-mailbox";
import { admin } from "./routes/admin";

export type AppEnv = { Bindings: Env; Variables: { config: Config } };

export const app = new Hono<AppEnv>();

app.use(secureHeaders());
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

app.notFound((c) => problem(c, 404, "Not found", `Nothing lives at ${c.req.path}.`));

app.onError((err, c) => {
  if (err instanceof HTTPException && err.status < 500) {
    return problem(c, err.status, err.message || "Bad request", err.message || "The request could not be handled.");
  }
  // One JSON line for `wrangler tail`; the caller sees no stack or internals.
  console.error(JSON.stringify({ event: "unhandled_error", path: c.req.path, error: String(err), stack: err instanceof Error ? err.stack : undefined }));
  return problem(c, 500, "Something went wrong", "The server could not complete the request. Please try again later.");
});
