// Per-recipient emails from a stored edition: personalise the rendering (two string replaces)
// and add the list headers every digest carries. Pure and deterministic: a retried batch must
// produce byte-identical emails for the provider's Idempotency-Key to dedupe it.
import type { Config } from "../config";
import { unsubscribeUrl } from "../subscriptions/tokens";
import type { SendableEdition } from "../editions/types";
import type { OutgoingEmail } from "../mail/types";
import { personalise } from "../render/email";

/** The parts of a stored edition an email is made from. */
export type ComposableEdition = Pick<SendableEdition, "id" | "title" | "subject" | "html" | "text">;

export interface Recipient {
  subscriberId: number;
  email: string;
}

/** Printable ASCII without `"` or a backslash: substituted inside a JSON string literal, it needs no escaping. */
const JSON_SAFE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

/** ASCII letters for a header: accents dropped ("Café" -> "Cafe"), anything else removed. */
function asciiFold(s: string): string {
  return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\x20-\x7e]/g, "");
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
  const label = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "digest";
  const phrase = title.replace(/[\r\n"<>\\]/g, " ").replace(/\s+/g, " ").replace(/=\?/g, "= ?").trim();
  return phrase ? `"${phrase}" <${label}.${domain}>` : `<${label}.${domain}>`;
}

/**
 * One email per recipient, in the recipients' order.
 * @example const emails = await composeEmails(edition, [{ subscriberId: 7, email: "a@example.com" }], config);
 *          emails[0].headers["List-Unsubscribe-Post"] // "List-Unsubscribe=One-Click"
 */
export async function composeEmails(edition: ComposableEdition, recipients: Recipient[], config: Config): Promise<OutgoingEmail[]> {
  const stored = { html: edition.html, text: edition.text };
  // Encoded for JSON once per batch, then personalised like the plain copy: the provider
  // payload then costs a splice per recipient, not an escape of the whole email.
  const storedJson = { html: JSON.stringify(stored.html), text: JSON.stringify(stored.text) };
  const list = listId(config);
  const archivedAt = `<${config.baseUrl}/editions/${edition.id}>`;
  const urls = await Promise.all(recipients.map((r) => unsubscribeUrl(config, r.subscriberId)));
  return recipients.map((r, i) => {
    const url = urls[i]!;
    const { html, text } = personalise(stored, url);
    return {
      // A signed https URL never holds a character that JSON escapes, so the splice is exact.
      ...(JSON_SAFE.test(url) ? { json: personalise(storedJson, url) } : {}),
      from: { address: config.sender.address, name: config.sender.name },
      to: r.email,
      subject: edition.subject,
      html,
      text,
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
  });
}
