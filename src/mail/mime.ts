// Builds the raw RFC 5322 message for an OutgoingEmail with mimetext: multipart/alternative
// (text then HTML), Date, Message-ID, From, To, RFC 2047 encoded subject, and extra headers.
// The outbox and the send_email transport both send exactly these bytes.
import { createMimeMessage } from "mimetext/browser";
import { PermanentMailError, type OutgoingEmail } from "./types";

export interface BuiltMessage {
  raw: string;
  messageId: string;
}

const utf8 = new TextEncoder();

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
// Two base64 characters per 12 bits: a table lookup per 3 bytes. Measured ~10x faster than
// String.fromCharCode(...bytes) + btoa on a 90 KB digest, which dominated buildMime.
const pairs: string[] = [];
for (let i = 0; i < 4096; i++) pairs.push(alphabet[i >> 6]! + alphabet[i & 63]!);

/** Base64 of the UTF-8 bytes of a string (btoa alone only takes Latin-1). */
export function base64Utf8(s: string): string {
  const bytes = utf8.encode(s);
  const parts: string[] = [];
  let out = "";
  const whole = bytes.length - (bytes.length % 3);
  for (let i = 0; i < whole; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += pairs[v >> 12]! + pairs[v & 4095]!;
    if (out.length >= 8192) {
      parts.push(out);
      out = "";
    }
  }
  const rest = bytes.length - whole;
  if (rest === 1) {
    const v = bytes[whole]! << 16;
    out += pairs[v >> 12]! + "==";
  } else if (rest === 2) {
    const v = (bytes[whole]! << 16) | (bytes[whole + 1]! << 8);
    out += pairs[v >> 12]! + alphabet[(v >> 6) & 63]! + "=";
  }
  parts.push(out);
  return parts.join("");
}

/** Base64 folded to 76-character lines, as RFC 2045 asks of a base64 body. */
function base64Body(s: string): string {
  const b64 = base64Utf8(s);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join("\r\n");
}

/**
 * RFC 2047 encoding for a header value: plain ASCII stays readable; anything else becomes
 * B-encoded words of at most 75 characters, split on code points and folded onto new lines.
 */
export function encodeHeaderWords(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value) && !value.includes("=?")) return value;
  const words: string[] = [];
  let chunk = "";
  for (const ch of value) {
    // 45 bytes of UTF-8 become 60 base64 characters; with "=?utf-8?B?" and "?=" that is 72.
    if (utf8.encode(chunk + ch).length > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?utf-8?B?${base64Utf8(w)}?=`).join("\r\n ");
}

const headerName = /^[!-9;-~]+$/;
// Headers the builder owns; an extra header may not replace them.
const reserved = new Set([
  "from",
  "sender",
  "reply-to",
  "to",
  "cc",
  "bcc",
  "subject",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
]);

function checkLine(what: string, value: string) {
  // A CR or LF in a header value would let the caller add headers or a body: header injection.
  if (/[\r\n\0]/.test(value)) throw new PermanentMailError(`${what} contains a line break or NUL`);
}

/**
 * Builds the raw MIME message for one email.
 * @example const { raw, messageId } = buildMime({
 *   from: { address: "a@example.com", name: "Digest" }, to: "b@example.org",
 *   subject: "Hi", html: "<p>Hi</p>", text: "Hi", kind: "confirmation",
 * });
 */
export function buildMime(email: OutgoingEmail, options: { now?: Date; messageId?: string } = {}): BuiltMessage {
  checkLine("From", email.from.address + (email.from.name ?? ""));
  checkLine("To", email.to);
  checkLine("Subject", email.subject);
  const domain = email.from.address.split("@")[1] || "localhost";
  const messageId = options.messageId ?? `<${crypto.randomUUID()}@${domain}>`;
  checkLine("Message-ID", messageId);

  const msg = createMimeMessage();
  msg.setSender(email.from.name ? { addr: email.from.address, name: email.from.name } : { addr: email.from.address });
  msg.setTo({ addr: email.to });
  msg.setSubject(email.subject);
  // mimetext writes the subject as one encoded word of any length; RFC 2047 caps words at 75
  // characters, so the field's dump is replaced by the folding encoder above.
  const subjectField = msg.headers.fields.find((f) => f.name === "Subject");
  if (subjectField) subjectField.dump = (v) => (typeof v === "string" ? encodeHeaderWords(v) : "");
  msg.setHeader("Date", (options.now ?? new Date()).toUTCString().replace("GMT", "+0000"));
  msg.setHeader("Message-ID", messageId);
  for (const [name, value] of Object.entries(email.headers ?? {})) {
    if (!headerName.test(name) || reserved.has(name.toLowerCase()))
      throw new PermanentMailError(`Header name not allowed: ${JSON.stringify(name)}`);
    checkLine(`Header ${name}`, value);
    msg.setHeader(name, encodeHeaderWords(value));
  }
  // Base64 bodies keep UTF-8 text and long HTML lines (over SMTP's 998) intact in transit.
  msg.addMessage({ contentType: "text/plain", charset: "UTF-8", encoding: "base64", data: base64Body(email.text) });
  msg.addMessage({ contentType: "text/html", charset: "UTF-8", encoding: "base64", data: base64Body(email.html) });
  return { raw: msg.asRaw() + "\r\n", messageId };
}

/** "Name <address>" for provider APIs, quoting the name when it holds specials. */
export function formatMailbox(m: { address: string; name?: string }): string {
  if (!m.name) return m.address;
  const name = /[()<>\[\]:;@\\,."]/.test(m.name) ? `"${m.name.replace(/["\\]/g, "\\$&")}"` : m.name;
  return `${name} <${m.address}>`;
}
