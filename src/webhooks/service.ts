// The provider's webhooks (Resend, signed the Svix / Standard Webhooks way): verify the
// signature against the raw body, then apply each event once. A permanent bounce sets the
// recipient 'bounced', a complaint 'complained'; both are out of every later fan-out (it only
// takes active subscribers) and counted in the edition status. Transient bounces and delivery
// delays are recorded only. Deliveries, opens and clicks count in the edition's engagement
// (./engagement.ts), once per recipient. Unknown event types are ignored.
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import * as z from "zod/mini";
import { countEngagement, ENGAGEMENT_EVENTS } from "./engagement";
import { recordMailEvent } from "./store";

/** How the verification ended, when it did not give an event. */
export type Rejection = "missing-headers" | "bad-signature";

export interface SignedHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * Verifies a webhook: the signature over id, timestamp and the raw body, with a timestamp
 * within 5 minutes of now (the library's tolerance). Returns the parsed payload or why not.
 * @example const v = verifyWebhook(secret, await c.req.text(), { id, timestamp, signature });
 */
export function verifyWebhook(
  secret: string,
  raw: string,
  h: SignedHeaders,
): { ok: true; id: string; payload: unknown } | { ok: false; reason: Rejection } {
  if (!h.id || !h.timestamp || !h.signature) return { ok: false, reason: "missing-headers" };
  try {
    const payload = new Webhook(secret).verify(raw, {
      "webhook-id": h.id,
      "webhook-timestamp": h.timestamp,
      "webhook-signature": h.signature,
    });
    return { ok: true, id: h.id, payload };
  } catch (err) {
    if (err instanceof WebhookVerificationError) return { ok: false, reason: "bad-signature" };
    throw err;
  }
}

const event = z.object({
  type: z.string(),
  data: z.optional(
    z.looseObject({
      email_id: z.optional(z.string()),
      to: z.optional(z.union([z.array(z.string()), z.string()])),
      bounce: z.optional(z.looseObject({ type: z.optional(z.string()) })),
      click: z.optional(z.looseObject({ link: z.optional(z.string()) })),
    }),
  ),
});

const HANDLED = new Set(["email.bounced", "email.complained", "email.delivery_delayed", ...Object.keys(ENGAGEMENT_EVENTS)]);

export type EventOutcome = "applied" | "replay" | "ignored" | "counted" | "repeat";

/**
 * Applies one verified event: records it (once per webhook id) and suppresses its recipients
 * when it is a permanent bounce or a complaint.
 * @example await applyWebhookEvent(deps.db, id, payload, new Date())
 */
export async function applyWebhookEvent(
  db: D1Database,
  webhookId: string,
  payload: unknown,
  now: Date,
): Promise<{ outcome: EventOutcome; type: string; suppressed: number }> {
  const parsed = event.safeParse(payload);
  if (!parsed.success || !HANDLED.has(parsed.data.type)) {
    return { outcome: "ignored", type: parsed.success ? parsed.data.type.slice(0, 40) : "unreadable", suppressed: 0 };
  }
  const { type, data } = parsed.data;
  // Delivered, opened, clicked: counted once per recipient per edition, nothing else (no
  // mail_events row: the count's own key makes a replay or a repeat change nothing).
  const counts = ENGAGEMENT_EVENTS[type];
  if (counts) {
    const counted = await countEngagement(db, counts, data, now);
    return { outcome: counted === "counted" ? "counted" : counted === "repeat" ? "repeat" : "ignored", type, suppressed: 0 };
  }
  const to = data?.to;
  const recipients = (Array.isArray(to) ? to : to ? [to] : []).map((a) => a.trim()).filter(Boolean);
  const bounceType = type === "email.bounced" ? (data?.bounce?.type ?? "Undetermined") : null;
  const suppressAs = type === "email.complained" ? "complained" : bounceType === "Permanent" ? "bounced" : null;
  const r = await recordMailEvent(db, {
    webhookId,
    type,
    bounceType,
    suppressAs,
    recipients,
    providerId: data?.email_id ?? null,
    receivedAt: now,
  });
  // A permanent bounce or a complaint also counts in the edition's engagement.
  if (suppressAs) await countEngagement(db, suppressAs, data, now);
  return { outcome: r.applied ? "applied" : "replay", type, suppressed: r.suppressed };
}
