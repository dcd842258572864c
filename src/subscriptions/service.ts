// The subscription logic between the routes and the database: ask for a confirmation mail
// (double opt-in, cooldown), confirm with a single-use link, unsubscribe with a lasting link.
// Routes decide how to answer; this module decides what happens.
import type { Deps } from "../ports";
import { errorText, log } from "../log";
import { renderConfirmEmail } from "../render/confirm";
import { addressHash, mailboxHash } from "./address";
import {
  claimConfirmation,
  confirmSubscriber,
  getSubscriber,
  releaseConfirmation,
  reserveConfirmationSlot,
  subscriberForLink,
  unsubscribeSubscriber,
  type Subscriber,
} from "./store";
import { sendConfirmation } from "./messages";
import { CONFIRM_TTL_HOURS, confirmUrl, newNonce, readConfirmToken, readUnsubscribeToken } from "./tokens";

/** At most one confirmation mail per mailbox per this many minutes, however many requests. */
export const COOLDOWN_MINUTES = 10;
/**
 * At most this many confirmation mails to one mailbox per week, however the requests are spread
 * and whatever variants of its address they name (canonicalMailbox: case, +tag, Gmail's dots).
 */
export const WEEKLY_CONFIRMATION_CAP = 3;
/** How far ahead a signup over the hourly budget may wait for its mail (a queue message's longest delay is 12 h). */
export const BUDGET_HOURS_AHEAD = 12;

/** What the service uses: the database, the config, the clock and the confirmation mail's transport. */
export type SubscriptionDeps = Pick<Deps, "db" | "config" | "clock" | "mail" | "queue">;

export interface SignupInput {
  /** Already normalised by normalizeAddress. */
  email: string;
  source: string;
  requestPage: string | null;
}

/**
 * Handles a valid signup: records the request and, unless the address is active or suppressed
 * (bounced, complained), or its mailbox was mailed within the cooldown or reached the weekly cap,
 * enqueues one confirmation mail. A new address comes in pending; an unsubscribed or erased one
 * stays out until the reader confirms. The answer waits for the one D1 transaction only, whatever
 * the outcome: the enqueue is handed to `defer` (the request's waitUntil), so the response time
 * does not tell whether an address is known. Past the global hourly budget
 * (config.confirmationsPerHour) the mail is queued for the first hour with room. The outcome is
 * for logs and tests. An enqueue that fails (or finds no room) gives the claim back.
 * @example await requestSubscription(deps, { email, source: "landing", requestPage: null }, (p) => c.executionCtx.waitUntil(p))
 */
export async function requestSubscription(
  deps: SubscriptionDeps,
  input: SignupInput,
  defer: (work: Promise<unknown>) => void,
): Promise<"queued" | "quiet"> {
  const now = deps.clock();
  const [mailbox, hash] = await Promise.all([mailboxHash(input.email), addressHash(input.email)]);
  const claim = await claimConfirmation(deps.db, {
    email: input.email,
    source: input.source,
    requestPage: input.requestPage,
    now,
    cooldownMs: COOLDOWN_MINUTES * 60_000,
    nonce: newNonce(),
    weeklyCap: WEEKLY_CONFIRMATION_CAP,
    mailboxHash: mailbox,
    addressHash: hash,
  });
  if (!claim) return "quiet";
  const enqueue = async () => {
    const slot = await reserveConfirmationSlot(deps.db, now, deps.config.confirmationsPerHour, BUDGET_HOURS_AHEAD);
    if (!slot) {
      log.warn("confirmation_budget_full", { hoursAhead: BUDGET_HOURS_AHEAD });
      await releaseConfirmation(deps.db, claim.id, claim.sentAt, mailbox);
      return;
    }
    const delaySeconds = Math.max(0, Math.ceil((slot.getTime() - now.getTime()) / 1000));
    if (delaySeconds > 0) log.info("confirmation_deferred", { delaySeconds });
    await deps.queue.send(sendConfirmation(claim.id, claim.nonce), delaySeconds > 0 ? { delaySeconds } : undefined);
  };
  defer(
    enqueue().catch(async (err) => {
      log.error("confirmation_enqueue_failed", { error: errorText(err) });
      await releaseConfirmation(deps.db, claim.id, claim.sentAt, mailbox);
    }),
  );
  return "queued";
}

/**
 * Sends the confirmation mail a queued message asks for, if the subscriber is still pending
 * with that nonce (a repeat after confirming, or an erased subscriber, sends nothing). The
 * link's 48 hours count from now. Throws when the transport fails (the queue retries).
 * @example await deliverConfirmation(deps, 7, nonce) // true when a mail went out
 */
export async function deliverConfirmation(deps: SubscriptionDeps, subscriberId: number, nonce: string): Promise<boolean> {
  const subscriber = await getSubscriber(deps.db, subscriberId);
  // Pending, or unsubscribed and asking to come back; a bounced or complained row has no nonce.
  if (!(subscriber?.status === "pending" || subscriber?.status === "unsubscribed") || subscriber.confirmNonce !== nonce) return false;
  const expiresAt = new Date(deps.clock().getTime() + CONFIRM_TTL_HOURS * 3_600_000);
  const url = await confirmUrl(deps.config, { subscriberId, nonce, expiresAt });
  const { title, sender } = deps.config;
  const body = renderConfirmEmail({
    title,
    email: subscriber.email,
    confirmUrl: url,
    expiresInHours: CONFIRM_TTL_HOURS,
    senderIdentity: sender.postalAddress || sender.name,
  });
  await deps.mail("transactional").send({
    from: { address: sender.address, name: sender.name },
    to: subscriber.email,
    subject: `Confirm your subscription to ${title}`,
    html: body.html,
    text: body.text,
    kind: "confirmation",
  });
  return true;
}

export type LinkCheck =
  | { ok: true; subscriber: Subscriber; nonce: string }
  | { ok: false; reason: "invalid" | "expired" | "used" | "already-active" };

/**
 * Looks at a confirmation link without changing anything (what GET /confirm shows).
 * @example const check = await inspectConfirmLink(deps, c.req.query("token"));
 */
export async function inspectConfirmLink(deps: SubscriptionDeps, token: unknown): Promise<LinkCheck> {
  const read = await readConfirmToken(deps.config, token, deps.clock());
  if (!read.ok) return read;
  const subscriber = await getSubscriber(deps.db, read.claim.subscriberId);
  if (!subscriber) return { ok: false, reason: "invalid" };
  if ((subscriber.status === "pending" || subscriber.status === "unsubscribed") && subscriber.confirmNonce === read.claim.nonce)
    return { ok: true, subscriber, nonce: read.claim.nonce };
  return { ok: false, reason: subscriber.status === "active" ? "already-active" : "used" };
}

/**
 * Confirms a subscription from a link: checks signature and expiry, then activates the
 * subscriber only if the link's nonce is still live (single use), recording the consent.
 * @example const outcome = await confirmSubscription(deps, token);
 */
export async function confirmSubscription(
  deps: SubscriptionDeps,
  token: unknown,
): Promise<"confirmed" | "invalid" | "expired" | "used" | "already-active"> {
  const read = await readConfirmToken(deps.config, token, deps.clock());
  if (!read.ok) return read.reason;
  const outcome = await confirmSubscriber(
    deps.db,
    {
      id: read.claim.subscriberId,
      nonce: read.claim.nonce,
      now: deps.clock(),
      consentPage: `${deps.config.baseUrl}/confirm`,
    },
    addressHash,
  );
  return outcome === "not-found" ? "invalid" : outcome;
}

/**
 * The subscriber an unsubscribe link names, or null for a link that is not ours.
 * @example const subscriber = await inspectUnsubscribeLink(deps, token);
 */
export async function inspectUnsubscribeLink(
  deps: SubscriptionDeps,
  token: unknown,
): Promise<{ valid: boolean; subscriber: Subscriber | null }> {
  const id = await readUnsubscribeToken(deps.config, token);
  if (id === null) return { valid: false, subscriber: null };
  return { valid: true, subscriber: await subscriberForLink(deps.db, id) };
}

/**
 * Unsubscribes at once from a signed link. A valid link always ends "unsubscribed", even when
 * it is repeated or the subscriber is gone; only a link we did not sign is refused.
 * @example await unsubscribeWithToken(deps, token, "one-click")
 */
export async function unsubscribeWithToken(
  deps: SubscriptionDeps,
  token: unknown,
  method: "one-click" | "page",
): Promise<"unsubscribed" | "invalid"> {
  const id = await readUnsubscribeToken(deps.config, token);
  if (id === null) return "invalid";
  await unsubscribeSubscriber(deps.db, { id, method, now: deps.clock() });
  return "unsubscribed";
}
