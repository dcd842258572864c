// Erasing an address (GDPR): the subscription, the delivery rows, the local outbox's copies, the
// provider events' link to the subscriber and the reader's engagement rows, in one D1
// transaction. Each table's own store writes its part; this module, above the features, puts
// them together.
import { eraseDeliveriesStatement, eraseErrorTextsStatement } from "../delivery/store";
import { log } from "../log";
import { eraseOutboxStatement } from "../mail/outbox-store";
import type { Deps } from "../ports";
import { normalizeAddress } from "../subscriptions/address";
import { addressHash } from "../subscriptions/lifecycle";
import { eraseAddress } from "../subscriptions/store";
import { forgetEngagementStatement } from "../webhooks/engagement-store";
import { forgetEventsStatement } from "../webhooks/store";

/**
 * Erases an address everywhere (subscribers, deliveries, outbox, provider events, engagement; see
 * eraseAddress) and keeps its hash as a suppression. Null when the input is not an address.
 * @example const r = await eraseSubscriber(deps, "ann@example.com"); // { erased: true, ... }
 */
export async function eraseSubscriber(
  deps: Pick<Deps, "db" | "clock">,
  input: string,
): Promise<{ erased: boolean; deliveries: number; outbox: number } | null> {
  const checked = normalizeAddress(input);
  if (!checked.ok) return null;
  const { db } = deps;
  const { erased, alongside } = await eraseAddress(db, checked.email, await addressHash(checked.email), deps.clock(), (email, now) => [
    eraseDeliveriesStatement(db, email, now),
    eraseOutboxStatement(db, email),
    forgetEventsStatement(db, email),
    // The reader's engagement rows (the editions' counts keep them).
    forgetEngagementStatement(db, email),
    eraseErrorTextsStatement(db, email),
  ]);
  const r = { erased, deliveries: alongside[0]!, outbox: alongside[1]! };
  // No address in the log: the counts say what happened.
  log.info("subscriber_erased", { found: r.erased, deliveries: r.deliveries, outbox: r.outbox });
  return r;
}
