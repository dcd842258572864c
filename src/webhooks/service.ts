// The provider's webhooks (Resend, signed the Svix / Standard Webhooks way): verify the
// signature against the raw body, then apply each event once. A permanent bounce sets the
// recipient 'bounced', a complaint 'complained'; both are out of every later fan-out (it only
// takes active subscribers) and counted in the edition status. Transient bounces and delivery
// delays are recorded only. Deliveries, opens and clicks count in the edition's engagement
// (./engagement.ts), once per recipient. Unknown event types are ignored.
// The signature is checked with WebCrypto (HMAC-SHA256, compared in constant time by
// crypto.subtle.verify), as the Standard Webhooks specification describes it; the tests sign
// with that specification's reference library.
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

/** A signature's timestamp may be this far from now, either way (the specification's tolerance). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** Bytes of standard base64, or null for anything else. */
function base64Bytes(s: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * Verifies a webhook: an HMAC-SHA256 signature ("v1,<base64>", one of a space-separated list)
 * over "id.timestamp.body" with the secret's key bytes ("whsec_<base64>"), and a timestamp
 * within 5 minutes of now. Returns the parsed payload (undefined when the body is not JSON) or why not.
 * @example const v = await verifyWebhook(secret, await c.req.text(), { id, timestamp, signature });
 */
export async function verifyWebhook(
  secret: string,
  raw: string,
  h: SignedHeaders,
  nowMs = Date.now(),
): Promise<{ ok: true; id: string; payload: unknown } | { ok: false; reason: Rejection }> {
  if (!h.id || !h.timestamp || !h.signature) return { ok: false, reason: "missing-headers" };
  const timestamp = Number.parseInt(h.timestamp, 10);
  if (Number.isNaN(timestamp) || Math.abs(Math.floor(nowMs / 1000) - timestamp) > WEBHOOK_TOLERANCE_SECONDS) {
    return { ok: false, reason: "bad-signature" };
  }
  const keyBytes = base64Bytes(secret.startsWith("whsec_") ? secret.slice(6) : secret);
  if (!keyBytes || keyBytes.length === 0) return { ok: false, reason: "bad-signature" };
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const signed = new TextEncoder().encode(`${h.id}.${timestamp}.${raw}`);
  for (const versioned of h.signature.split(" ")) {
    const [version, signature] = versioned.split(",");
    const bytes = version === "v1" && signature ? base64Bytes(signature) : null;
    if (bytes && (await crypto.subtle.verify("HMAC", key, bytes, signed))) {
      try {
        return { ok: true, id: h.id, payload: JSON.parse(raw) as unknown };
      } catch {
        // Signed, but not JSON: nothing to apply (the event reads as unreadable and is ignored).
        return { ok: true, id: h.id, payload: undefined };
      }
    }
  }
  return { ok: false, reason: "bad-signature" };
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
