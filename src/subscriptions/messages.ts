// The queue message subscriptions own: a confirmation mail to send. It travels on the deliveries
// queue; the queue dispatch (src/jobs/queue.ts) hands it to deliverConfirmation.
import * as z from "zod/mini";
import "../validation";

/**
 * Send one subscription confirmation mail. The signup answer only records the request and
 * enqueues this, so it takes the same time whether or not a mail goes out (no enumeration by
 * timing). No address in the message: the consumer reads it by id, and sends only while the
 * subscriber is still pending with this nonce.
 */
export const confirmMessage = z.object({
  v: z.literal(1),
  kind: z.literal("confirm"),
  subscriberId: z.int().check(z.minimum(1)),
  nonce: z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/)),
});

export type ConfirmMessage = z.infer<typeof confirmMessage>;

/** @example env.DELIVERIES.send(sendConfirmation(7, nonce)) */
export const sendConfirmation = (subscriberId: number, nonce: string): ConfirmMessage => ({ v: 1, kind: "confirm", subscriberId, nonce });
