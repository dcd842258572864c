// The project's own MIME writer against a real MIME parser (postal-mime): what a mail client
// reads back must be exactly what was sent, and the message must keep MIME's line rules.
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { buildMime, encodeHeaderWords, foldHeader } from "../../src/mail/mime";
import type { OutgoingEmail } from "../../src/mail/types";

const email = (over: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  from: { address: "digest@example.com", name: "Le Café du Matin" },
  to: "reader@example.org",
  subject: "Le Café du Matin: ministre démissionne",
  html: "<p>Bonjour</p>",
  text: "Bonjour",
  kind: "digest",
  ...over,
});

const headOf = (raw: string) => raw.slice(0, raw.indexOf("\r\n\r\n"));
/** Unfolds a header block (RFC 5322 2.2.3): CRLF followed by a blank is removed. */
const unfold = (head: string) => head.replace(/\r\n(?=[ \t])/g, "");
const header = (parsed: Awaited<ReturnType<typeof PostalMime.parse>>, name: string) => parsed.headers.find((h) => h.key === name)?.value;

describe("the MIME writer", () => {
  it("writes multipart/alternative, text then HTML, each read back exactly", async () => {
    // Long lines, every script, characters that look like MIME syntax, and a body of a digest's size.
    const html = `<html><body>${'<p style="margin:0">Zürich — 東京 — Αθήνα — 👋 =?utf-8?B?x?= --boundary</p>'.repeat(2000)}</body></html>`;
    const text = `Grüße\r\n\r\n${"a".repeat(5000)}\nNo trailing newline — 🚀`;
    const { raw } = buildMime(email({ html, text }));
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;\s+boundary="[^"]+"/m);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.html).toBe(html);
    expect(parsed.text).toBe(text);
    // Text first: clients show the last alternative they can, the richest.
    expect(raw.indexOf("Content-Type: text/plain")).toBeLessThan(raw.indexOf("Content-Type: text/html"));
    expect(parsed.attachments).toEqual([]);
  });

  it("keeps every line within 76 characters and the whole message 7-bit", () => {
    const { raw } = buildMime(
      email({
        html: `<p>${"é".repeat(30_000)}</p>`,
        text: "x".repeat(3000),
        subject: "Ein sehr langer Betreff über alles, was heute in Zürich, Genève und Lugano geschah — 🚀".repeat(2),
        headers: { "X-Note": "words ".repeat(40).trim() },
      }),
    );
    expect(/^[\x00-\x7f]*$/.test(raw)).toBe(true);
    expect(raw.endsWith("\r\n")).toBe(true);
    // Every line ends in CRLF: no bare CR or LF anywhere.
    expect(raw.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of raw.split("\r\n")) expect(line.length).toBeLessThanOrEqual(76);
  });

  it("encodes non-ASCII subjects and names as RFC 2047 words a parser decodes", async () => {
    const subject = "Ihre Übersicht für Montag — 3 Geschichten, 9 Quellen, ein langer Betreff 🚀 ".repeat(3).trim();
    const { raw } = buildMime(email({ subject, from: { address: "d@example.com", name: "Die Tägliche Übersicht 東京" } }));
    const head = headOf(raw);
    for (const word of head.match(/=\?[^?]+\?[BQ]\?[^?]*\?=/gi) ?? []) expect(word.length).toBeLessThanOrEqual(75);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe(subject);
    expect(parsed.from).toMatchObject({ address: "d@example.com", name: "Die Tägliche Übersicht 東京" });
  });

  it("quotes an ASCII display name that holds specials, and leaves a plain one readable", async () => {
    const quoted = await PostalMime.parse(buildMime(email({ from: { address: "d@example.com", name: 'Digest, "Daily" (news)' } })).raw);
    expect(quoted.from).toMatchObject({ address: "d@example.com", name: 'Digest, "Daily" (news)' });
    const plain = buildMime(email({ from: { address: "d@example.com", name: "The Daily Digest" } })).raw;
    expect(headOf(plain)).toMatch(/^From: The Daily Digest <d@example\.com>$/m);
    const bare = await PostalMime.parse(buildMime(email({ from: { address: "d@example.com" } })).raw);
    expect(bare.from?.address).toBe("d@example.com");
  });

  it("keeps List-Unsubscribe and List-Unsubscribe-Post as given, a long URL whole", async () => {
    const url = `https://digest.example.com/unsubscribe?token=${"A1b2C3d4".repeat(20)}`;
    const { raw } = buildMime(
      email({
        headers: {
          "List-Unsubscribe": `<${url}>`,
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
          "List-Id": '"Le Cafe du Matin" <le-cafe-du-matin.example.com>',
        },
      }),
    );
    const head = headOf(raw);
    // A URL has no space to fold at: its line is longer than 76 but far within 998.
    for (const line of head.split("\r\n")) expect(line.length).toBeLessThanOrEqual(998);
    expect(unfold(head)).toContain(`List-Unsubscribe: <${url}>`);
    const parsed = await PostalMime.parse(raw);
    expect(header(parsed, "list-unsubscribe")).toBe(`<${url}>`);
    expect(header(parsed, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(header(parsed, "list-id")).toBe('"Le Cafe du Matin" <le-cafe-du-matin.example.com>');
  });

  it("gives each message a boundary of its own that no body line can match", () => {
    const a = buildMime(email()).raw;
    const b = buildMime(email()).raw;
    const boundary = (raw: string) => /boundary="([^"]+)"/.exec(raw)![1]!;
    expect(boundary(a)).not.toBe(boundary(b));
    const body = a.slice(a.indexOf("\r\n\r\n"));
    const delimiters = body.split("\r\n").filter((l) => l.startsWith("--"));
    expect(delimiters).toEqual([`--${boundary(a)}`, `--${boundary(a)}`, `--${boundary(a)}--`]);
  });
});

describe("foldHeader", () => {
  it("folds at spaces within 76 characters, and unfolding gives the value back", () => {
    const value = "one two three four five six seven eight nine ten ".repeat(6).trim();
    const folded = foldHeader("X-Long", value);
    expect(folded.endsWith("\r\n")).toBe(true);
    const lines = folded.slice(0, -2).split("\r\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(76);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ \S/);
    expect(unfold(folded.slice(0, -2))).toBe(`X-Long: ${value}`);
  });

  it("puts each encoded word on a line of its own", () => {
    const folded = foldHeader("Subject", encodeHeaderWords("é".repeat(100)));
    const lines = folded.slice(0, -2).split("\r\n");
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).toMatch(/^(Subject:)?( =\?utf-8\?B\?[A-Za-z0-9+/=]+\?=)?$/);
    }
  });

  it("leaves a short field on one line", () => {
    expect(foldHeader("MIME-Version", "1.0")).toBe("MIME-Version: 1.0\r\n");
  });
});
