// Email address validation and normalisation for signups. We write the few rules we need rather
// than use zod's z.email(): its default pattern rejects IDN domains, its unicode pattern accepts
// addresses no mail provider will send to, and neither checks RFC 5321's part lengths.
// Rules: one "@"; a dot-atom local part of 1-64 ASCII octets (case kept: it is the mailbox
// owner's business); a domain with a dot, IDN accepted and stored as punycode, lowercased;
// at most 254 octets in all; no control characters anywhere (no header injection). Also the
// canonical mailbox an address delivers to, and the hashes kept instead of addresses.
import { hexDigest } from "../hash";

export type AddressCheck = { ok: true; email: string } | { ok: false; message: string };

// The longest input we look at; anything longer is refused before any other work.
const MAX_INPUT = 512;
const atext = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Validates and normalises an address typed into the form or sent as JSON.
 * @example normalizeAddress("  Ann.Lee@Bücher.Example ") // { ok: true, email: "Ann.Lee@xn--bcher-kva.example" }
 */
export function normalizeAddress(input: unknown): AddressCheck {
  if (typeof input !== "string") return { ok: false, message: "The email address must be a string." };
  if (input.length > MAX_INPUT) return { ok: false, message: "That email address is too long (at most 254 characters)." };
  // Checked before trimming, so a trailing CR/LF is refused rather than silently cut off.
  if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(input))
    return { ok: false, message: "The email address contains control characters or line breaks." };
  const value = input.trim();
  if (value === "") return { ok: false, message: "Please enter your email address." };
  const at = value.split("@");
  if (at.length !== 2) return { ok: false, message: "An email address has exactly one @, like name@example.com." };
  const [local, domainInput] = at as [string, string];
  if (local.length === 0 || local.length > 64) return { ok: false, message: "The part before the @ must be 1 to 64 characters." };
  if (/[^\x00-\x7f]/.test(local))
    return { ok: false, message: "Letters outside ASCII before the @ are not supported; please use another address." };
  if (!local.split(".").every((part) => atext.test(part))) {
    return {
      ok: false,
      message: "The part before the @ may hold letters, digits, dots (not first, last or doubled) and !#$%&'*+/=?^_`{|}~- only.",
    };
  }
  if (domainInput.length > 253) return { ok: false, message: "That email address is too long (at most 254 characters)." };
  const domain = toAsciiDomain(domainInput);
  if (!domain) {
    // A dotted domain with an overlong label would otherwise hear it needs "a dot".
    if (domainInput.split(".").some((l) => l.length > 63))
      return { ok: false, message: "Each part of the domain between dots may be at most 63 characters." };
    return { ok: false, message: "The part after the @ must be a domain name with a dot, like example.com." };
  }
  const email = `${local}@${domain}`;
  if (email.length > 254) return { ok: false, message: "That email address is too long (at most 254 characters)." };
  return { ok: true, email };
}

/**
 * The ASCII (punycode) form of a domain name, lowercased, or null when it is not a usable
 * public mail domain (no dot, an IP address, a bad label).
 * @example toAsciiDomain("Bücher.Example") // "xn--bcher-kva.example"
 */
export function toAsciiDomain(input: string): string | null {
  // The URL parser does the IDNA mapping; characters it would treat as URL syntax, percent
  // escapes or whitespace must not reach it, or "evil.com/x.example" would parse as evil.com.
  if (input.length === 0 || input.length > 253 * 4 || /[\s/?#:@[\]\\%<>"'^`{|}]/.test(input)) return null;
  let host: string;
  try {
    host = new URL(`http://${input}`).hostname;
  } catch {
    return null;
  }
  const ascii = host.endsWith(".") ? host.slice(0, -1) : host;
  if (ascii.length === 0 || ascii.length > 253) return null;
  const labels = ascii.split(".");
  if (labels.length < 2 || !labels.every((l) => label.test(l))) return null;
  // An all-digit last label means an IP address (the URL parser turns "1.2.3.4" into one).
  if (/^\d+$/.test(labels[labels.length - 1]!)) return null;
  return ascii;
}

// Providers known to deliver "a.b.c@" and "abc@" to one mailbox.
const DOTS_IGNORED = new Set(["gmail.com", "googlemail.com"]);

/**
 * The mailbox an address delivers to, as far as we can tell: case folded, a "+tag" removed, and
 * for providers known to ignore dots in the local part, the dots too (googlemail.com is gmail.com).
 * The confirmation cooldown and weekly cap key on it, so address variants share one cap.
 * @example canonicalMailbox("Victim.Name+news@GoogleMail.com") // "victimname@gmail.com"
 */
export function canonicalMailbox(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  if (at <= 0) return lower;
  let local = lower.slice(0, at);
  let domain = lower.slice(at + 1);
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  if (DOTS_IGNORED.has(domain)) {
    local = local.replace(/\./g, "");
    domain = "gmail.com";
  }
  return `${local}@${domain}`;
}

/**
 * The SHA-256 (hex) of an address, lowercased: what is kept of an erased or suppressed address.
 * @example await addressHash("Ann@Example.com") === await addressHash("ann@example.com")
 */
export async function addressHash(email: string): Promise<string> {
  return hexDigest("SHA-256", email.trim().toLowerCase());
}

/**
 * The SHA-256 (hex) of an address's canonical mailbox: the key of its confirmation caps.
 * @example await mailboxHash("ann+a@example.com") === await mailboxHash("Ann+b@example.com")
 */
export async function mailboxHash(email: string): Promise<string> {
  return hexDigest("SHA-256", `mailbox\0${canonicalMailbox(email)}`);
}
