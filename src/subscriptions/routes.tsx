// POST /subscribe (double opt-in), GET+POST /confirm, GET+POST /unsubscribe (RFC 8058 one-click).
// Every answer to bad input is a 4xx in the caller's format; nothing is written before the input
// has been read and validated whole.
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import type { AppEnv } from "../app";
import { mediaType, problem, wantsJson } from "../http/respond";
import { mailTransport } from "../mail";
import { normalizeAddress } from "./address";
import { CheckInbox, ConfirmButton, Confirmed, page, SubscribeForm, UnsubscribeButton, Unsubscribed } from "./views";
import { confirmSubscription, inspectConfirmLink, inspectUnsubscribeLink, requestSubscription, unsubscribeWithToken, type Deps } from "./service";
import { CONFIRM_TTL_HOURS } from "./tokens";

type C = Context<AppEnv>;

/** Largest body we read on these routes; a signup is well under 1 KB. */
export const MAX_BODY_BYTES = 4 * 1024;
/** The SUBSCRIBE_LIMITER period in wrangler.toml, for Retry-After. */
const RATE_PERIOD_SECONDS = 60;

const deps = (c: C): Deps => ({ db: c.env.DB, config: c.get("config"), now: new Date() });

const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => problem(c, 413, "Request too large", `The request body must be at most ${MAX_BODY_BYTES} bytes.`),
});

// Form posts must come from our own pages (Origin or Sec-Fetch-Site). hono/csrf only looks at
// form-like content types, so JSON API calls without an Origin pass. It is not used on
// /unsubscribe: RFC 8058 one-click POSTs come from mail providers with no Origin at all.
const sameSiteForms: MiddlewareHandler<AppEnv> = async (c, next) => {
  const base = new URL(c.get("config").baseUrl).origin;
  const guard = csrf({ origin: (origin, ctx) => origin === base || origin === new URL(ctx.req.url).origin });
  let passed = false;
  try {
    await guard(c, async () => {
      passed = true;
    });
  } catch {
    passed = false;
  }
  if (!passed) {
    const hint = c.req.path === "/confirm" ? "Please open the link in the confirmation email and press the button there." : "Please subscribe from the home page.";
    return problem(c, 403, "Form from another site", `This form was not sent from our own page. ${hint}`);
  }
  await next();
};

// Per-IP limit from the Workers Rate Limiting binding; every POST /subscribe counts, valid or not.
const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ip = c.req.header("cf-connecting-ip") ?? "local";
  const { success } = await c.env.SUBSCRIBE_LIMITER.limit({ key: `subscribe:${ip}` });
  if (!success) {
    c.header("Retry-After", String(RATE_PERIOD_SECONDS));
    return problem(c, 429, "Too many requests", `Too many signup attempts from your network. Please try again in ${RATE_PERIOD_SECONDS} seconds.`);
  }
  await next();
};

const pageHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  // Links carry tokens: keep them out of Referer headers and shared caches.
  c.res.headers.set("Referrer-Policy", "no-referrer");
  c.res.headers.set("Cache-Control", "no-store");
};

type Body = { kind: "json" | "form" | "empty"; fields: Record<string, unknown> } | { kind: "error"; status: 400 | 415 | 422; message: string };

/** Reads a JSON object or a form into fields; anything else is a 4xx with a reason. */
async function readBody(c: C, allowEmpty: boolean): Promise<Body> {
  const type = mediaType(c);
  if (type === "application/json") {
    const text = await c.req.text().catch(() => null);
    if (text === null) return { kind: "error", status: 400, message: "The request body could not be read." };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { kind: "error", status: 400, message: 'The body is not valid JSON. Send {"email": "you@example.com"}.' };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return { kind: "error", status: 422, message: 'The JSON body must be an object like {"email": "you@example.com"}.' };
    }
    return { kind: "json", fields: parsed as Record<string, unknown> };
  }
  if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") {
    try {
      return { kind: "form", fields: await c.req.parseBody() };
    } catch {
      return { kind: "error", status: 400, message: "The form data could not be read." };
    }
  }
  if (type === "" && allowEmpty) return { kind: "empty", fields: {} };
  return { kind: "error", status: 415, message: "Send the form as application/x-www-form-urlencoded or multipart/form-data, or JSON as application/json." };
}

/** The page a form was posted from, without its query (which may hold tokens), or null. */
function requestPage(c: C): string | null {
  const referer = c.req.header("referer");
  if (!referer) return null;
  try {
    const url = new URL(referer);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return `${url.origin}${url.pathname}`.slice(0, 300);
  } catch {
    return null;
  }
}

function html(c: C, title: string, body: Parameters<typeof page>[2], status: 200 | 202 | 422 = 200) {
  return c.html(page(c.get("config").title, title, body), status);
}

const invalidLink = {
  invalid: [400, "This link is not valid", "The link is incomplete or was changed. Please use the link exactly as it appears in the email."],
  expired: [410, "This link has expired", `Confirmation links are valid for ${CONFIRM_TTL_HOURS} hours. Subscribe again to get a new one.`],
  used: [409, "This link has already been used", "Each confirmation link works once. Subscribe again to get a new one."],
  "already-active": [409, "Already confirmed", "This link has already been used, and the subscription is active. Nothing more to do."],
} as const;

export const subscribe = new Hono<AppEnv>();

subscribe.use("/subscribe", pageHeaders);
subscribe.use("/confirm", pageHeaders);
subscribe.use("/unsubscribe", pageHeaders);

subscribe.get("/subscribe", (c) => html(c, "Subscribe", <SubscribeForm />));

subscribe.post("/subscribe", rateLimit, limitBody, sameSiteForms, async (c) => {
  const body = await readBody(c, false);
  if (body.kind === "error") return problem(c, body.status, body.status === 415 ? "Unsupported content type" : "Invalid request", body.message);
  const { email, website, source } = body.fields;
  const json = wantsJson(c);
  const accepted = () =>
    json
      ? c.json({ status: "check-your-inbox", message: `If that address can subscribe, we have sent it a confirmation link. It is valid for ${CONFIRM_TTL_HOURS} hours.` }, 202)
      : html(c, "Check your inbox", <CheckInbox />, 202);

  // A filled honeypot is a bot: it gets the ordinary answer, and nothing is stored or sent.
  if (website !== undefined && website !== "") return accepted();

  const checked = normalizeAddress(email);
  if (!checked.ok) {
    const message = email === undefined ? "Please enter your email address (field \"email\")." : checked.message;
    if (json) return problem(c, 422, "Invalid email address", message, { field: "email" });
    const typed = typeof email === "string" ? email.replace(/[\p{Cc}\p{Cf}]/gu, "").slice(0, 320) : "";
    const kept = typeof source === "string" && /^[a-z0-9_-]{1,32}$/i.test(source) ? source : undefined;
    return html(c, "Subscribe", <SubscribeForm value={typed} error={message} source={kept} />, 422);
  }

  const origin = typeof source === "string" && /^[a-z0-9_-]{1,32}$/i.test(source) ? source.toLowerCase() : body.kind === "json" ? "api" : "form";
  const config = c.get("config");
  try {
    const outcome = await requestSubscription(deps(c), mailTransport(c.env, config, "transactional"), { email: checked.email, source: origin, requestPage: requestPage(c) });
    console.log(JSON.stringify({ event: "subscribe_request", outcome, source: origin }));
  } catch (err) {
    console.error(JSON.stringify({ event: "confirmation_send_failed", error: String(err) }));
    return problem(c, 503, "Could not send the confirmation email", "We could not send the confirmation email just now. Please try again in a few minutes.");
  }
  return accepted();
});

subscribe.get("/confirm", async (c) => {
  const token = c.req.query("token");
  if (!token) return problem(c, 400, "Missing link token", "Open the confirmation link from the email exactly as it was sent.");
  const check = await inspectConfirmLink(deps(c), token);
  if (!check.ok) {
    const [status, title, message] = invalidLink[check.reason];
    return problem(c, status, title, message);
  }
  if (wantsJson(c)) return c.json({ status: "pending", email: check.subscriber.email, confirm: "POST this URL to confirm" });
  return html(c, "Confirm your subscription", <ConfirmButton token={token} email={check.subscriber.email} />);
});

subscribe.post("/confirm", limitBody, sameSiteForms, async (c) => {
  const body = await readBody(c, true);
  if (body.kind === "error") return problem(c, body.status, body.status === 415 ? "Unsupported content type" : "Invalid request", body.message);
  const token = body.fields.token ?? c.req.query("token");
  if (token === undefined || token === "") return problem(c, 400, "Missing link token", "Open the confirmation link from the email exactly as it was sent.");
  const outcome = await confirmSubscription(deps(c), token);
  if (outcome !== "confirmed") {
    const [status, title, message] = invalidLink[outcome];
    return problem(c, status, title, message);
  }
  if (wantsJson(c)) return c.json({ status: "active" });
  return html(c, "You are subscribed", <Confirmed />);
});

subscribe.get("/unsubscribe", async (c) => {
  const token = c.req.query("token");
  const { valid, subscriber } = await inspectUnsubscribeLink(deps(c), token);
  if (!valid) return problem(c, 400, "This link is not valid", "The unsubscribe link is incomplete or was changed. Please use the link exactly as it appears in the email.");
  if (wantsJson(c)) return c.json({ status: subscriber?.status ?? "unsubscribed", unsubscribe: "POST this URL to unsubscribe" });
  if (!subscriber || subscriber.status === "unsubscribed") return html(c, "You are unsubscribed", <Unsubscribed />);
  return html(c, "Unsubscribe", <UnsubscribeButton token={token!} email={subscriber.email} />);
});

// RFC 8058: mail providers POST "List-Unsubscribe=One-Click" to the List-Unsubscribe URL with no
// cookies and no CSRF token, and expect the unsubscribe to happen now, with no redirect.
subscribe.post("/unsubscribe", limitBody, async (c) => {
  const type = mediaType(c);
  let fields: Record<string, unknown> = {};
  // Any content type is accepted (the token usually rides in the query string); a body that
  // cannot be read just contributes no fields.
  try {
    if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") fields = await c.req.parseBody();
    else if (type === "application/json") {
      const json: unknown = await c.req.json();
      if (json && typeof json === "object" && !Array.isArray(json)) fields = json as Record<string, unknown>;
    }
  } catch {
    fields = {};
  }
  const token = c.req.query("token") ?? fields.token;
  const method = fields["List-Unsubscribe"] === "One-Click" ? "one-click" : "page";
  const outcome = await unsubscribeWithToken(deps(c), token, method);
  if (outcome === "invalid") return problem(c, 400, "This link is not valid", "The unsubscribe link is incomplete or was changed. Please use the link exactly as it appears in the email.");
  if (wantsJson(c)) return c.json({ status: "unsubscribed" });
  return html(c, "You are unsubscribed", <Unsubscribed />);
});

