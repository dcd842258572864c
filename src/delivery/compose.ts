// Per-recipient emails from a stored edition: personalise the rendering (two string replaces)
// and add the list headers every digest carries. Pure and deterministic: a retried batch must
// produce byte-identical emails for the provider's Idempotency-Key to dedupe it.
import type { Config } from "../config";
import type { SendableEdition } from "../editions/types";
import { unsubscribeUrl, unsubscribeUrlOf } from "../subscriptions/tokens";
import { concatBytes } from "../mail/bytes";
import type { OutgoingEmail } from "../mail/types";
import { personalise, UNSUBSCRIBE_PLACEHOLDER } from "../render/email";

/** The parts of a stored edition an email is made from. */
export type ComposableEdition = Pick<SendableEdition, "id" | "title" | "subject" | "html" | "text">;

export interface Recipient {
  subscriberId: number;
  email: string;
  /** The subscriber's stored unsubscribe token; signed here when absent. */
  unsubscribeToken?: string | null;
}

/** Printable ASCII without `"` or a backslash: substituted inside a JSON string literal, it needs no escaping. */
const JSON_SAFE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

/** ASCII letters for a header: accents dropped ("Café" -> "Cafe"), anything else removed. */
function asciiFold(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, "");
}

/**
 * RFC 2919 List-Id: an optional phrase and a dotted label under the sender's domain. Both stay
 * ASCII: the `<label>` may not sit inside an RFC 2047 encoded word, and a mail system that
 * encodes a non-ASCII header does so to the whole value.
 * @example listId(config) // '"Le Cafe du Matin" <le-cafe-du-matin.example.com>'
 */
export function listId(config: Config): string {
  const domain = config.sender.address.split("@")[1] ?? "localhost";
  const title = asciiFold(config.title);
  const label =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "digest";
  const phrase = title
    .replace(/[\r\n"<>\\]/g, " ")
    .replace(/\s+/g, " ")
    .replace(/=\?/g, "= ?")
    .trim();
  return phrase ? `"${phrase}" <${label}.${domain}>` : `<${label}.${domain}>`;
}

/**
 * One email per recipient, in the recipients' order.
 * @example const emails = await composeEmails(edition, [{ subscriberId: 7, email: "a@example.com" }], config);
 *          emails[0].headers["List-Unsubscribe-Post"] // "List-Unsubscribe=One-Click"
 */
export async function composeEmails(edition: ComposableEdition, recipients: Recipient[], config: Config): Promise<OutgoingEmail[]> {
  const stored = { html: edition.html, text: edition.text };
  const pieces = jsonPieces(edition);
  const list = listId(config);
  const archivedAt = `<${config.baseUrl}/editions/${edition.id}>`;
  const urls = await Promise.all(
    recipients.map((r) => (r.unsubscribeToken ? unsubscribeUrlOf(config, r.unsubscribeToken) : unsubscribeUrl(config, r.subscriberId))),
  );
  return recipients.map((r, i) => {
    const url = urls[i]!;
    // What the placeholder becomes in each part (the HTML one attribute-escaped).
    const filled = personalise({ html: UNSUBSCRIBE_PLACEHOLDER, text: UNSUBSCRIBE_PLACEHOLDER }, url);
    let plain: { html: string; text: string } | undefined;
    const personalised = () => (plain ??= personalise(stored, url));
    const email: OutgoingEmail = {
      from: { address: config.sender.address, name: config.sender.name },
      to: r.email,
      subject: edition.subject,
      // Only transports that need them as strings (the outbox, MIME) pay for them.
      get html() {
        return personalised().html;
      },
      get text() {
        return personalised().text;
      },
      headers: {
        // RFC 8058: the HTTPS URL takes a bare POST "List-Unsubscribe=One-Click".
        "List-Unsubscribe": `<${url}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": list,
        // RFC 5064: where the web version of this message lives.
        "Archived-At": archivedAt,
      },
      kind: "digest",
    };
    // A signed https URL never holds a character that JSON escapes, so the splice is exact.
    if (JSON_SAFE.test(url)) {
      const html = utf8.encode(filled.html);
      const text = html.length === filled.text.length && filled.html === filled.text ? html : utf8.encode(filled.text);
      email.jsonBytes = { html: interleave(pieces.html, html), text: interleave(pieces.text, text) };
      Object.defineProperty(email, "json", {
        enumerable: true,
        get: () => ({ html: decoder.decode(concatBytes(email.jsonBytes!.html)), text: decoder.decode(concatBytes(email.jsonBytes!.text)) }),
      });
    }
    return email;
  });
}

const utf8 = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The edition's html and text as JSON string literals in UTF-8, split at the unsubscribe
 * placeholder: encoded once per edition (editions never change), so a recipient's provider
 * payload is a few shared byte pieces around their link, not 100 KB of fresh string.
 */
const piecesCache = new WeakMap<ComposableEdition, { html: Uint8Array[]; text: Uint8Array[] }>();
function jsonPieces(edition: ComposableEdition): { html: Uint8Array[]; text: Uint8Array[] } {
  let hit = piecesCache.get(edition);
  if (!hit) {
    const split = (s: string) =>
      JSON.stringify(s)
        .split(UNSUBSCRIBE_PLACEHOLDER)
        .map((p) => utf8.encode(p));
    hit = { html: split(edition.html), text: split(edition.text) };
    piecesCache.set(edition, hit);
  }
  return hit;
}

/** [a, b, c] with `x` between each: the stored pieces around a recipient's link. */
function interleave(pieces: Uint8Array[], x: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [pieces[0]!];
  for (let i = 1; i < pieces.length; i++) out.push(x, pieces[i]!);
  return out;
}
