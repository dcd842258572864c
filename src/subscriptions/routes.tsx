// The subscription routes, one small area per public path: /subscribe (double opt-in),
// /confirm (GET shows a button, POST confirms) and /unsubscribe (GET shows a button, POST
// unsubscribes; RFC 8058 one-click). Every answer to bad input is a 4xx in the caller's format;
// nothing is written before the input has been read and validated whole.
import type { Context, MiddlewareHandler } from "hono";
import * as z from "zod/mini";
import { factory, type AppEnv } from "../http/env";
import { clientKey } from "../http/client";
import { HttpError } from "../http/errors";
import { sameOriginForms } from "../http/same-origin";
import { mediaType, wantsJson } from "../http/negotiate";
import { page } from "../http/page";
import { CACHE } from "../http/policy";
import { body, limitBody, type BodyPolicy, type Refusal } from "../http/validate";
import { errorText, log } from "../log";
import { normalizeAddress } from "./address";
import { confirmSubscription, inspectConfirmLink, inspectUnsubscribeLink, requestSubscription, unsubscribeWithToken } from "./service";
import { CONFIRM_TTL_HOURS } from "./tokens";
import { CheckInbox, ConfirmButton, Confirmed, SubscribeForm, UnsubscribeButton, Unsubscribed } from "./views";

type C = Context<AppEnv>;

/** Largest body we read on these routes; a signup is well under 1 KB. */
export const MAX_BODY_BYTES = 4 * 1024;
/** The SUBSCRIBE_LIMITER period in wrangler.toml, for Retry-After. */
const RATE_PERIOD_SECONDS = 60;

const limitBodySize = limitBody(MAX_BODY_BYTES, [413, "Request too large", `The request body must be at most ${MAX_BODY_BYTES} bytes.`]);

/** How the subscription forms' bodies are read: a form post, or a JSON object. */
const FORM_OR_JSON: BodyPolicy = {
  accept: ["json", "form"],
  unsupported: [
    415,
    "Unsupported content type",
    "Send the form as application/x-www-form-urlencoded or multipart/form-data, or JSON as application/json.",
  ],
  unreadable: [400, "Invalid request", "The request body could not be read."],
  badJson: [400, "Invalid request", 'The body is not valid JSON. Send {"email": "you@example.com"}.'],
  badForm: [400, "Invalid request", "The form data could not be read."],
  invalid: () => [422, "Invalid request", 'The JSON body must be an object like {"email": "you@example.com"}.'],
};

// The fields are checked by the service (addresses) and the token readers, which give the
// precise messages; the schemas only say which fields a body may carry.
const signupFields = z.looseObject({ email: z.optional(z.unknown()), website: z.optional(z.unknown()), source: z.optional(z.unknown()) });
const tokenFields = z.looseObject({ token: z.optional(z.unknown()), "List-Unsubscribe": z.optional(z.unknown()) });

// Form posts must come from our own pages (Origin or Sec-Fetch-Site). hono/csrf only looks at
// form-like content types, so JSON API calls without an Origin pass. It is not used on
// /unsubscribe: RFC 8058 one-click POSTs come from mail providers with no Origin at all.
const sameSiteForms = (hint: string) => sameOriginForms(`This form was not sent from our own page. ${hint}`);

// Per-client limit from the Workers Rate Limiting binding (an IPv4 address, or an IPv6 /64);
// every POST /subscribe counts, valid or not.
const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ip = c.req.header("cf-connecting-ip") ?? "local";
  const { success } = await c.env.SUBSCRIBE_LIMITER.limit({ key: `subscribe:${clientKey(ip)}` });
  if (!success) {
    const message = `Too many signup attempts from your network. Please try again in ${RATE_PERIOD_SECONDS} seconds.`;
    throw new HttpError(429, "Too many requests", message, { headers: { "Retry-After": String(RATE_PERIOD_SECONDS) } });
  }
  await next();
};

/**
 * Work that must not delay the answer: handed to the request's waitUntil. Without an execution
 * context (app.fetch called bare, as some tests do) it is awaited before answering instead.
 */
const defer = (c: C) => {
  let ctx: Pick<ExecutionContext, "waitUntil"> | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined;
  }
  const pending: Promise<unknown>[] = [];
  const hand = (work: Promise<unknown>) => {
    if (ctx) ctx.waitUntil(work);
    else pending.push(work);
  };
  return Object.assign(hand, { settled: () => Promise.all(pending) });
};

/** One area: links carry tokens, so its answers stay out of Referer headers and shared caches. */
const area = () =>
  factory.createApp().use(async (c, next) => {
    await next();
    c.res.headers.set("Referrer-Policy", "no-referrer");
    c.res.headers.set("Cache-Control", CACHE.private);
  });

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

function html(c: C, title: string, content: Parameters<typeof page>[2], status: 200 | 202 | 422 = 200) {
  return c.html(page(c.get("config").title, title, content), status);
}

const LINK_REFUSALS: Record<"invalid" | "expired" | "used" | "already-active", Refusal> = {
  invalid: [
    400,
    "This link is not valid",
    "The link is incomplete or was changed. Please use the link exactly as it appears in the email.",
  ],
  expired: [410, "This link has expired", `Confirmation links are valid for ${CONFIRM_TTL_HOURS} hours. Subscribe again to get a new one.`],
  used: [409, "This link has already been used", "Each confirmation link works once. Subscribe again to get a new one."],
  "already-active": [409, "Already confirmed", "This link has already been used, and the subscription is active. Nothing more to do."],
};
const MISSING_TOKEN: Refusal = [400, "Missing link token", "Open the confirmation link from the email exactly as it was sent."];
const BAD_UNSUBSCRIBE_LINK: Refusal = [
  400,
  "This link is not valid",
  "The unsubscribe link is incomplete or was changed. Please use the link exactly as it appears in the email.",
];
const SOURCE = /^[a-z0-9_-]{1,32}$/i;

export const subscribe = area()
  .get("/", (c) => html(c, "Subscribe", <SubscribeForm />))
  .post(
    "/",
    rateLimit,
    limitBodySize,
    sameSiteForms("Please subscribe from the home page."),
    body(signupFields, FORM_OR_JSON),
    async (c) => {
      const { email, website, source } = c.req.valid("json");
      const json = wantsJson(c);
      const accepted = () =>
        json
          ? c.json(
              {
                status: "check-your-inbox",
                message: `If that address can subscribe, we have sent it a confirmation link. It is valid for ${CONFIRM_TTL_HOURS} hours.`,
              },
              202,
            )
          : html(c, "Check your inbox", <CheckInbox />, 202);

      // A filled honeypot is a bot: it gets the ordinary answer, and nothing is stored or sent.
      if (website !== undefined && website !== "") return accepted();

      const checked = normalizeAddress(email);
      if (!checked.ok) {
        const message = email === undefined ? 'Please enter your email address (field "email").' : checked.message;
        if (json) throw new HttpError(422, "Invalid email address", message, { fields: { field: "email" } });
        const typed = typeof email === "string" ? email.replace(/[\p{Cc}\p{Cf}]/gu, "").slice(0, 320) : "";
        const kept = typeof source === "string" && SOURCE.test(source) ? source : undefined;
        return html(c, "Subscribe", <SubscribeForm value={typed} error={message} source={kept} />, 422);
      }

      const origin =
        typeof source === "string" && SOURCE.test(source) ? source.toLowerCase() : mediaType(c) === "application/json" ? "api" : "form";
      try {
        const later = defer(c);
        const outcome = await requestSubscription(c.var.deps, { email: checked.email, source: origin, requestPage: requestPage(c) }, later);
        await later.settled();
        log.info("subscribe_request", { outcome, source: origin });
      } catch (err) {
        log.error("confirmation_send_failed", { error: errorText(err) });
        const message = "We could not send the confirmation email just now. Please try again in a few minutes.";
        throw new HttpError(503, "Could not send the confirmation email", message);
      }
      return accepted();
    },
  );

export const confirm = area()
  .get("/", async (c) => {
    const token = c.req.query("token");
    if (!token) throw new HttpError(...MISSING_TOKEN);
    const check = await inspectConfirmLink(c.var.deps, token);
    if (!check.ok) throw new HttpError(...LINK_REFUSALS[check.reason]);
    if (wantsJson(c)) return c.json({ status: "pending", email: check.subscriber.email, confirm: "POST this URL to confirm" });
    return html(c, "Confirm your subscription", <ConfirmButton token={token} email={check.subscriber.email} />);
  })
  .post(
    "/",
    limitBodySize,
    sameSiteForms("Please open the link in the confirmation email and press the button there."),
    // A button POST may carry no body at all: the token then rides in the query string.
    body(tokenFields, { ...FORM_OR_JSON, noFields: "untyped" }),
    async (c) => {
      const token = c.req.valid("json").token ?? c.req.query("token");
      if (token === undefined || token === "") throw new HttpError(...MISSING_TOKEN);
      const outcome = await confirmSubscription(c.var.deps, token);
      if (outcome !== "confirmed") throw new HttpError(...LINK_REFUSALS[outcome]);
      if (wantsJson(c)) return c.json({ status: "active" });
      return html(c, "You are subscribed", <Confirmed />);
    },
  );

export const unsubscribe = area()
  .get("/", async (c) => {
    const token = c.req.query("token");
    const { valid, subscriber } = await inspectUnsubscribeLink(c.var.deps, token);
    if (!valid) throw new HttpError(...BAD_UNSUBSCRIBE_LINK);
    if (wantsJson(c)) return c.json({ status: subscriber?.status ?? "unsubscribed", unsubscribe: "POST this URL to unsubscribe" });
    if (!subscriber || subscriber.status === "unsubscribed") return html(c, "You are unsubscribed", <Unsubscribed />);
    return html(c, "Unsubscribe", <UnsubscribeButton token={token!} email={subscriber.email} />);
  })
  // RFC 8058: mail providers POST "List-Unsubscribe=One-Click" to the List-Unsubscribe URL with no
  // cookies and no CSRF token, and expect the unsubscribe to happen now, with no redirect. Any
  // content type is accepted (the token usually rides in the query string); a body that cannot
  // be read just contributes no fields.
  .post("/", limitBodySize, body(tokenFields, { ...FORM_OR_JSON, noFields: "always" }), async (c) => {
    const fields = c.req.valid("json");
    const token = c.req.query("token") ?? fields.token;
    const method = fields["List-Unsubscribe"] === "One-Click" ? "one-click" : "page";
    const outcome = await unsubscribeWithToken(c.var.deps, token, method);
    if (outcome === "invalid") throw new HttpError(...BAD_UNSUBSCRIBE_LINK);
    if (wantsJson(c)) return c.json({ status: "unsubscribed" });
    return html(c, "You are unsubscribed", <Unsubscribed />);
  });
