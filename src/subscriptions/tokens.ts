// Signed tokens for the links in our mails: HMAC-SHA256 with Web Crypto over a small typed
// payload. Confirmation tokens carry the subscriber id, an expiry and a single-use nonce;
// unsubscribe tokens carry the id only and never expire (an old mail must still unsubscribe).
// Verification uses crypto.subtle.verify, which compares in constant time.
import type { Config } from "../config";
import { fromBase64Url, toBase64Url } from "../base64url";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
// Longest token we will even try to decode; real ones are about 100 characters.
const MAX_TOKEN_LENGTH = 512;

// Importing a key costs more than signing with it; unsubscribe links are made per recipient.
const keys = new Map<string, Promise<CryptoKey>>();
function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

/**
 * Signs a payload: "<base64url payload>.<base64url HMAC-SHA256>".
 * @example const token = await signToken(secret, "u1.42");
 */
export async function signToken(secret: string, payload: string): Promise<string> {
  const data = encoder.encode(payload);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await keyFor(secret), data));
  return `${toBase64Url(data)}.${toBase64Url(mac)}`;
}

/**
 * The payload of a token whose signature checks out, or null for anything else (malformed,
 * truncated, altered, signed with another secret).
 * @example const payload = await verifyToken(secret, token); // "u1.42" or null
 */
export async function verifyToken(secret: string, token: unknown): Promise<string | null> {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const data = fromBase64Url(parts[0]!);
  const mac = fromBase64Url(parts[1]!);
  if (!data || !mac || mac.length !== 32) return null;
  const ok = await crypto.subtle.verify("HMAC", await keyFor(secret), mac, data);
  if (!ok) return null;
  try {
    return decoder.decode(data);
  } catch {
    return null;
  }
}

/** How long a confirmation link stays valid. */
export const CONFIRM_TTL_HOURS = 48;

export interface ConfirmClaim {
  subscriberId: number;
  nonce: string;
  expiresAt: Date;
}

export type TokenCheck<T> = { ok: true; claim: T } | { ok: false; reason: "invalid" | "expired" };

const idPattern = /^[1-9]\d{0,15}$/;
const noncePattern = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * A confirmation token for a pending subscriber ("c1.<id>.<expiry seconds>.<nonce>").
 * @example const token = await confirmToken(config, { subscriberId: 7, nonce, expiresAt });
 */
export function confirmToken(config: Config, claim: ConfirmClaim): Promise<string> {
  return signToken(config.signingSecret, `c1.${claim.subscriberId}.${Math.floor(claim.expiresAt.getTime() / 1000)}.${claim.nonce}`);
}

/**
 * Checks a confirmation token: signature, shape, then expiry. Single use is checked against
 * the stored nonce by the caller.
 * @example const check = await readConfirmToken(config, token, new Date());
 */
export async function readConfirmToken(config: Config, token: unknown, now: Date): Promise<TokenCheck<ConfirmClaim>> {
  const payload = await verifyToken(config.signingSecret, token);
  const parts = payload?.split(".") ?? [];
  const [kind, id, exp, nonce] = parts;
  if (parts.length !== 4 || kind !== "c1" || !idPattern.test(id!) || !/^\d{1,12}$/.test(exp!) || !noncePattern.test(nonce!)) {
    return { ok: false, reason: "invalid" };
  }
  const expiresAt = new Date(Number(exp) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, claim: { subscriberId: Number(id), nonce: nonce!, expiresAt } };
}

/** A token that unsubscribes one subscriber, forever ("u1.<id>"). */
function unsubscribeToken(config: Config, subscriberId: number | string): Promise<string> {
  return signToken(config.signingSecret, `u1.${subscriberId}`);
}

/**
 * The subscriber id an unsubscribe token names, or null when it is not a valid one.
 * @example const id = await readUnsubscribeToken(config, c.req.query("token"));
 */
export async function readUnsubscribeToken(config: Config, token: unknown): Promise<number | null> {
  const payload = await verifyToken(config.signingSecret, token);
  const match = payload ? /^u1\.([1-9]\d{0,15})$/.exec(payload) : null;
  return match ? Number(match[1]) : null;
}

/**
 * The one-click unsubscribe URL for a subscriber, for List-Unsubscribe and the footer link.
 * @example headers["List-Unsubscribe"] = `<${await unsubscribeUrl(config, 42)}>`;
 */
export async function unsubscribeUrl(config: Config, subscriberId: number | string): Promise<string> {
  return `${config.baseUrl}/unsubscribe?token=${await unsubscribeToken(config, subscriberId)}`;
}

/**
 * The confirmation link for a pending subscriber.
 * @example const url = await confirmUrl(config, { subscriberId: 7, nonce, expiresAt });
 */
export async function confirmUrl(config: Config, claim: ConfirmClaim): Promise<string> {
  return `${config.baseUrl}/confirm?token=${await confirmToken(config, claim)}`;
}

/** A fresh random nonce for single-use confirmation links. */
export function newNonce(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(12)));
}
