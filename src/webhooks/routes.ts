// POST /webhooks/resend: the email provider's events (bounces, complaints, delays), signed with
// Svix / Standard Webhooks headers (svix-id, svix-timestamp, svix-signature) and the secret
// RESEND_WEBHOOK_SECRET. A missing signature is 400, a bad or stale one 401, and neither
// writes anything; a replayed id and an unknown type answer 200 and change nothing.
import { factory } from "../http/env";
import { HttpError } from "../http/errors";
import { limitBody } from "../http/validate";
import { log } from "../log";
import { applyWebhookEvent, verifyWebhook } from "./service";

/** Resend's events are a few KB; anything far larger is not one. */
const MAX_BODY_BYTES = 256 * 1024;

export const webhooks = factory
  .createApp()
  .use(async (c, next) => {
    c.set("answer", "json");
    await next();
  })
  .post("/resend", limitBody(MAX_BODY_BYTES, [413, "Payload too large", "A webhook body may be at most 256 KB."]), async (c) => {
    const secret = c.get("config").webhookSecret;
    if (!secret) {
      log.warn("webhook_not_configured", {});
      throw new HttpError(503, "Webhook not configured", "Set RESEND_WEBHOOK_SECRET to receive the provider's events.");
    }
    // The signature covers the exact bytes sent: read the raw text, never a re-serialised JSON.
    const raw = await c.req.text();
    const header = (name: string) => c.req.header(`svix-${name}`) ?? c.req.header(`webhook-${name}`);
    const verified = await verifyWebhook(secret, raw, { id: header("id"), timestamp: header("timestamp"), signature: header("signature") });
    if (!verified.ok) {
      log.warn("webhook_rejected", { reason: verified.reason });
      if (verified.reason === "missing-headers") {
        throw new HttpError(400, "Missing signature", "Send the svix-id, svix-timestamp and svix-signature headers.");
      }
      throw new HttpError(401, "Bad signature", "The signature does not match, or its timestamp is more than 5 minutes off.");
    }
    const r = await applyWebhookEvent(c.var.deps.db, verified.id, verified.payload, c.var.deps.clock());
    log.info("webhook_event", { id: verified.id, type: r.type, outcome: r.outcome, suppressed: r.suppressed });
    return c.json({ received: true, outcome: r.outcome });
  });
