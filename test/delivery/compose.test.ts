// Digest emails as the provider receives them: personalised, with the list headers, and encoded
// for Resend's JSON API byte for byte as a plain JSON.stringify would (retries must repeat the
// exact payload for the Idempotency-Key to dedupe them).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getConfig } from "../../src/config";
import { buildDigest } from "../../src/digest";
import { SEED_ARTICLES } from "../../src/generated/seeds";
import PostalMime from "postal-mime";
import { composeEmails, listId } from "../../src/delivery/compose";
import { buildMime } from "../../src/mail/mime";
import { encodeBatchBytes, encodeBody, toBody } from "../../src/mail/resend";
import { renderEmail, UNSUBSCRIBE_PLACEHOLDER } from "../../src/render/email";

const config = getConfig(env);

function edition(extraText = "") {
  const { digest } = buildDigest(SEED_ARTICLES, { date: "2026-11-23", title: config.title });
  if (extraText) digest.stories[0]!.summary.push(extraText);
  const rendered = renderEmail(digest, { webUrl: `${config.baseUrl}/editions/2026-11-23` });
  return { id: "2026-11-23", title: config.title, subject: `${config.title}: test`, ...rendered };
}

describe("composeEmails", () => {
  it("gives each recipient their own unsubscribe link in html, text and List-Unsubscribe", async () => {
    const emails = await composeEmails(
      edition(),
      [
        { subscriberId: 1, email: "a@example.com" },
        { subscriberId: 2, email: "b@example.com" },
      ],
      config,
    );
    const links = emails.map((e) => /^<(.+)>$/.exec(e.headers!["List-Unsubscribe"]!)![1]!);
    expect(new Set(links).size).toBe(2);
    emails.forEach((e, i) => {
      expect(e.html).not.toContain(UNSUBSCRIBE_PLACEHOLDER);
      expect(e.html).toContain(links[i]!.replaceAll("&", "&amp;"));
      expect(e.text).toContain(links[i]);
      expect(e.headers!["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    });
  });

  it("carries html and text pre-encoded so the JSON payload is exactly JSON.stringify's", async () => {
    // Quotes, backslashes, non-ASCII and line breaks all need escaping in JSON.
    const ed = edition(`He said "no" \\ and “left” — naïve, ${"\u2028"} 東京.\nNext line.`);
    const emails = await composeEmails(
      ed,
      [
        { subscriberId: 41, email: "c@example.com" },
        { subscriberId: 42, email: "d@example.com" },
      ],
      config,
    );
    for (const e of emails) {
      expect(e.json).toBeDefined();
      expect(JSON.parse(e.json!.html)).toBe(e.html);
      expect(JSON.parse(e.json!.text)).toBe(e.text);
      expect(encodeBody(e)).toBe(JSON.stringify(toBody(e)));
    }
    // The batch body assembled from byte pieces is exactly the string one, encoded.
    const bytes = encodeBatchBytes(emails);
    expect(bytes).not.toBeNull();
    expect(new TextDecoder().decode(bytes!)).toBe(`[${emails.map((e) => JSON.stringify(toBody(e))).join(",")}]`);
    expect(
      encodeBatchBytes([
        ...emails,
        { from: { address: "x@example.com" }, to: "y@example.com", subject: "S", html: "h", text: "t", kind: "confirmation" },
      ]),
    ).toBeNull();
  });

  it("encodes an email without the pre-encoded parts the plain way", () => {
    const e = {
      from: { address: "x@example.com", name: "X" },
      to: "y@example.com",
      subject: "S",
      html: '<p>"hi"</p>',
      text: "hi",
      kind: "confirmation" as const,
    };
    expect(encodeBody(e)).toBe(JSON.stringify(toBody(e)));
  });
});

describe("listId", () => {
  it("stays ASCII with its <label> readable for any title, and survives MIME as written", async () => {
    const cafe = { ...config, title: "Le Café du Matin — Édition 東京" };
    const id = listId(cafe);
    const domain = config.sender.address.split("@")[1];
    expect(id).toBe(`"Le Cafe du Matin Edition" <le-cafe-du-matin-edition.${domain}>`);
    expect(id).toMatch(/^[\x20-\x7e]+$/);
    const [email] = await composeEmails(edition(), [{ subscriberId: 3, email: "e@example.com" }], cafe);
    const parsed = await PostalMime.parse(buildMime(email!).raw);
    expect(parsed.headers.find((h) => h.key === "list-id")?.value).toBe(id);
    expect(listId({ ...config, title: "東京" })).toBe(`<digest.${domain}>`);
  });
});
