// The queue messages delivery owns ("send" a unit, continue a "fanout") and their validation;
// subscriptions own theirs (src/subscriptions/messages.ts), and the queue dispatch
// (src/jobs/queue.ts) reads both. Messages are tiny (a unit's
// address, not its recipients): the consumer reads the recipients from D1, so one sendBatch of
// 100 messages enqueues 10,000 recipients and stays far below the 256 KB limit.
import * as z from "zod/mini";
import "../validation";
import { editionId } from "../editions/types";
import { QUEUE_SEND_MAX, type Producer as QueueProducer } from "../ports";

export { QUEUE_SEND_MAX };

/** Queue names from wrangler.toml; the `queue` handler dispatches on them. */
export const DELIVERIES_QUEUE = "newsletter-deliveries";
export const DEAD_LETTER_QUEUE = "newsletter-deliveries-dlq";

/** Send one unit: the deliveries of `editionId` in provider batch `batch`, part `part`. */
export const sendMessage = z.object({
  v: z.literal(1),
  kind: z.literal("send"),
  editionId,
  batch: z.int().check(z.minimum(0), z.maximum(10_000_000)),
  part: z.string().check(z.regex(/^[01]{0,7}$/)),
});

/** Continue (or start) an edition's fan-out from the cursor stored in D1. */
export const fanoutMessage = z.object({ v: z.literal(1), kind: z.literal("fanout"), editionId });

export const deliveryMessage = z.discriminatedUnion("kind", [sendMessage, fanoutMessage]);

export type SendMessage = z.infer<typeof sendMessage>;
export type FanoutMessage = z.infer<typeof fanoutMessage>;
export type DeliveryMessage = z.infer<typeof deliveryMessage>;

/** @example env.DELIVERIES.send(sendUnit("2026-11-23", 4, "")) */
export const sendUnit = (editionId: string, batch: number, part = ""): SendMessage => ({ v: 1, kind: "send", editionId, batch, part });

/** @example env.DELIVERIES.send(continueFanout("2026-11-23")) */
export const continueFanout = (editionId: string): FanoutMessage => ({ v: 1, kind: "fanout", editionId });

/**
 * The provider's Idempotency-Key of a unit: "<send id>/<batch>/<part>", stable across every retry
 * of that unit. The send id is random per edition (made at build time), so two deployments
 * sharing a provider account, or a database reset, never reuse a key. Editions built before send
 * ids existed keep their old keys, so their batches in flight are still deduplicated.
 * @example idempotencyKey("q3Vx0fK2b9Lm1sTa", "2026-11-23", 4, "01") // "q3Vx0fK2b9Lm1sTa/4/01"
 */
export function idempotencyKey(sendId: string | null, editionId: string, batch: number, part: string): string {
  if (sendId === null) return `edition/${editionId}/batch/${batch}${part ? `/part/${part}` : ""}`;
  return `${sendId}/${batch}${part ? `/${part}` : ""}`;
}

export { HANDOFF_ATTEMPTS } from "./settings";

/** How long the provider remembers an Idempotency-Key (Resend: 24 hours). */
export const PROVIDER_KEY_MEMORY_MS = 24 * 3_600_000;
/** Kept back from that memory for clocks, queue delays and a call in flight. */
export const KEY_MEMORY_MARGIN_MS = 2 * 3_600_000;

/**
 * Rows whose key first went out before this time are held for an operator: resent under the
 * same key, the provider might no longer recognise it and send twice.
 * @example heldBefore(Date.now()) // 22 hours ago, in ms
 */
export function heldBefore(nowMs: number): number {
  return nowMs - (PROVIDER_KEY_MEMORY_MS - KEY_MEMORY_MARGIN_MS);
}

/** What delivery needs of a queue producer; the binding in production, a recorder in tests. */
export type Producer = QueueProducer<DeliveryMessage>;
