// Signed tokens for the links in our mails: HMAC-SHA256 with Web Crypto over a small typed
// payload. Confirmation tokens carry the subscriber id, an expiry and a single-use nonce;
// unsubscribe tokens carry the id only and never expire (an old mail must still unsubscribe).
// Verification uses crypto.subtle.verify, which compares in constant time.
//
// Rotation: config.signingSecrets lists every accepted secret, newest first. New links are signed
// with a key derived (HKDF) from the newest secret for their purpose alone, so a confirmation
// signature can never pass as an unsubscribe one; links are accepted when any secret's purpose key
// verifies them, or the secret itself (links signed before per-purpose keys existed).
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

/** What a link is for; each purpose has its own key derived from each secret. */
export type LinkPurpose = "confirm" | "unsubscribe" | "admin-session";

const derived = new Map<string, Promise<CryptoKey>>();
/** The HMAC key for one purpose, derived from a secret with HKDF-SHA256 (cached per isolate). */
function purposeKey(secret: string, purpose: LinkPurpose): Promise<CryptoKey> {
  const id = `${purpose}\0${secret}`;
  let key = derived.get(id);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: encoder.encode("newsletter-digest links"), info: encoder.encode(`${purpose}/v2`) },
          base,
          { name: "HMAC", hash: "SHA-256", length: 256 },
          false,
          ["sign", "verify"],
        ),
      );
    derived.set(id, key);
  }
  return key;
}

/**
 * Signs a payload for a purpose with the newest secret's key for it.
 * @example const token = await signFor(config, "unsubscribe", "u1.42");
 */
export async function signFor(config: Pick<Config, "signingSecrets">, purpose: LinkPurpose, payload: string): Promise<string> {
  const data = encoder.encode(payload);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await purposeKey(config.signingSecrets[0]!, purpose), data));
  return `${toBase64Url(data)}.${toBase64Url(mac)}`;
}

/**
 * The payload of a token signed for `purpose` by any accepted secret (or, from before per-purpose
 * keys, by the secret itself), or null.
 * @example const payload = await verifyFor(config, "unsubscribe", token); // "u1.42" or null
 */
export async function verifyFor(config: Pick<Config, "signingSecrets">, purpose: LinkPurpose, token: unknown): Promise<string | null> {
  const parsed = parseToken(token);
  if (!parsed) return null;
  for (const secret of config.signingSecrets) {
    for (const key of [purposeKey(secret, purpose), keyFor(secret)]) {
      if (await crypto.subtle.verify("HMAC", await key, parsed.mac, parsed.data)) return decodePayload(parsed.data);
    }
  }
  return null;
}

function parseToken(token: unknown): { data: Uint8Array<ArrayBuffer>; mac: Uint8Array<ArrayBuffer> } | null {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const data = fromBase64Url(parts[0]!);
  const mac = fromBase64Url(parts[1]!);
  if (!data || !mac || mac.length !== 32) return null;
  return { data, mac };
}

function decodePayload(data: Uint8Array): string | null {
  try {
    return decoder.decode(data);
  } catch {
    return null;
  }
}

const kids = new Map<string, Promise<string>>();
/**
 * A short public id of the key that signs unsubscribe links now (no secret can be learnt from
 * it): stored with each subscriber's token, so tokens of a rotated-out secret are signed again.
 * @example await signingKid(config) // "3f9a0c1e5b7d2a64"
 */
export function signingKid(config: Pick<Config, "signingSecrets">): Promise<string> {
  const secret = config.signingSecrets[0]!;
  let kid = kids.get(secret);
  if (!kid) {
    kid = crypto.subtle
      .digest("SHA-256", encoder.encode(`newsletter-digest kid\0${secret}`))
      .then((d) => Array.from(new Uint8Array(d).slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join(""));
    kids.set(secret, kid);
  }
  return kid;
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
  const parsed = parseToken(token);
  if (!parsed) return null;
  const ok = await crypto.subtle.verify("HMAC", await keyFor(secret), parsed.mac, parsed.data);
  return ok ? decodePayload(parsed.data) : null;
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
  return signFor(config, "confirm", `c1.${claim.subscriberId}.${Math.floor(claim.expiresAt.getTime() / 1000)}.${claim.nonce}`);
}

/**
 * Checks a confirmation token: signature, shape, then expiry. Single use is checked against
 * the stored nonce by the caller.
 * @example const check = await readConfirmToken(config, token, new Date());
 */
export async function readConfirmToken(config: Config, token: unknown, now: Date): Promise<TokenCheck<ConfirmClaim>> {
  const payload = await verifyFor(config, "confirm", token);
  const parts = payload?.split(".") ?? [];
  const [kind, id, exp, nonce] = parts;
  if (parts.length !== 4 || kind !== "c1" || !idPattern.test(id!) || !/^\d{1,12}$/.test(exp!) || !noncePattern.test(nonce!)) {
    return { ok: false, reason: "invalid" };
  }
  const expiresAt = new Date(Number(exp) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, claim: { subscriberId: Number(id), nonce: nonce!, expiresAt } };
}

/**
 * A token that unsubscribes one subscriber, forever ("u1.<id>"). Made once per subscriber and
 * stored (subscribers.unsubscribe_token), not per recipient per send.
 * @example const token = await unsubscribeToken(config, 42);
 */
export function unsubscribeToken(config: Pick<Config, "signingSecrets">, subscriberId: number | string): Promise<string> {
  return signFor(config, "unsubscribe", `u1.${subscriberId}`);
}

/**
 * The subscriber id an unsubscribe token names, or null when it is not a valid one.
 * @example const id = await readUnsubscribeToken(config, c.req.query("token"));
 */
export async function readUnsubscribeToken(config: Config, token: unknown): Promise<number | null> {
  const payload = await verifyFor(config, "unsubscribe", token);
  const match = payload ? /^u1\.([1-9]\d{0,15})$/.exec(payload) : null;
  return match ? Number(match[1]) : null;
}

/**
 * The one-click unsubscribe URL for a subscriber, for List-Unsubscribe and the footer link.
 * @example headers["List-Unsubscribe"] = `<${await unsubscribeUrl(config, 42)}>`;
 */
export async function unsubscribeUrl(config: Config, subscriberId: number | string): Promise<string> {
  return unsubscribeUrlOf(config, await unsubscribeToken(config, subscriberId));
}

/** The unsubscribe URL for a token made earlier (a subscriber's stored token). */
export function unsubscribeUrlOf(config: Pick<Config, "baseUrl">, token: string): string {
  return `${config.baseUrl}/unsubscribe?token=${token}`;
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
