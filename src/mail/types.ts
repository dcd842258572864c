// What the app asks of any mail transport (outbox, Cloudflare send_email, email provider API).
import { MAX_BATCH_EMAILS } from "../config";

/** Most emails one provider call may carry (Resend's /emails/batch limit); see src/config.ts. */
export { MAX_BATCH_EMAILS };

export interface Mailbox {
  address: string;
  name?: string;
}

/** One email, already rendered and personalised. */
export interface OutgoingEmail {
  from: Mailbox;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers, e.g. List-Unsubscribe, List-Unsubscribe-Post, List-Id. */
  headers?: Record<string, string>;
  /** Kind of mail, for the outbox and logs. */
  kind: "confirmation" | "digest" | "test";
  /**
   * `html` and `text` already encoded as JSON string literals, when the sender has them for less
   * than encoding them again (a digest's are encoded once per edition, then personalised). JSON
   * transports use them verbatim; they must decode to exactly `html` and `text`.
   */
  json?: { html: string; text: string };
  /**
   * The same JSON string literals as UTF-8 byte pieces (concatenated, they are `json`): a digest's
   * pieces are shared by every recipient but for the link, so a batch payload is assembled by
   * copying bytes instead of building and encoding a megabyte of string.
   */
  jsonBytes?: { html: Uint8Array[]; text: Uint8Array[] };
}

export interface SentEmail {
  /** The provider's message id (or the outbox row id / Message-ID). */
  providerId: string;
}

/** Retrying may succeed: 429, 5xx, timeouts, network errors. */
export class TransientMailError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "TransientMailError";
  }
}

/** 429: the provider refused the call for now and accepted none of it; wait for Retry-After. */
export class RateLimitedMailError extends TransientMailError {
  constructor(message: string, retryAfterSeconds?: number) {
    super(message, retryAfterSeconds);
    this.name = "RateLimitedMailError";
  }
}

/** Retrying cannot succeed: invalid address, rejected content, other 4xx. */
export class PermanentMailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentMailError";
  }
}

/**
 * The provider refuses the whole account, not this mail: a missing, revoked or invalid API key
 * (401/403), an unverified sending domain or sender. Every recipient would get the same answer,
 * so the edition's sending pauses until an operator fixes it; no recipient is failed for it.
 * The provider accepted nothing in the call.
 */
export class AccountMailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccountMailError";
  }
}

/**
 * The provider has seen this idempotency key with a different payload. Resending under new keys
 * (splitting the batch) could then send twice, so the caller must not.
 */
export class IdempotencyConflictError extends PermanentMailError {
  constructor(message: string) {
    super(message);
    this.name = "IdempotencyConflictError";
  }
}

/** What a mail is for: transactional mail (confirmations) may take another transport than bulk (digests). */
export type MailPurpose = "transactional" | "bulk";

export interface MailTransport {
  readonly name: string;
  /** Sends one email; throws TransientMailError or PermanentMailError. */
  send(email: OutgoingEmail, options?: { idempotencyKey?: string }): Promise<SentEmail>;
  /**
   * Sends up to 100 emails in one call where the transport can (Resend's /emails/batch).
   * All-or-nothing: it resolves with one SentEmail per input, in order, or throws.
   */
  sendBatch(emails: OutgoingEmail[], options: { idempotencyKey: string }): Promise<SentEmail[]>;
}
