// Mail: real MIME parsed back with postal-mime, the D1 outbox (batch, idempotency), and the Resend
// transport against the local fake Resend server (success, retryable and permanent failures).
import { env } from "cloudflare:workers";
import PostalMime from "postal-mime";
import { afterEach, describe, expect, it } from "vitest";
import { getConfig } from "../../src/config";
import { mailTransport } from "../../src/mail";
import { base64Utf8, buildMime, encodeHeaderWords } from "../../src/mail/mime";
import { outboxTransport } from "../../src/mail/outbox";
import { getOutboxMessage } from "../../src/mail/outbox-store";
import { parseRetryAfter, resendTransport } from "../../src/mail/resend";
import {
  AccountMailError,
  IdempotencyConflictError,
  PermanentMailError,
  TransientMailError,
  type OutgoingEmail,
} from "../../src/mail/types";

/** This file's recipient domain: the fake provider keeps faults and mail per domain. */
const SCOPE = "mail.test";

const uid = () => crypto.randomUUID().slice(0, 8);
const email = (over: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  from: { address: "digest@example.com", name: "Die Tägliche Übersicht" },
  to: `reader-${uid()}@${SCOPE}`,
  subject: "Ihre Übersicht für Montag — 3 Geschichten, 9 Quellen, ein langer Betreff 🚀",
  html: "<p>Grüße aus <b>Zürich</b> 👋</p>",
  text: "Grüße aus Zürich 👋",
  kind: "digest",
  headers: { "List-Unsubscribe": "<https://example.com/unsubscribe?token=abc>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  ...over,
});

describe("buildMime", () => {
  it("builds multipart/alternative MIME that a real parser reads back intact", async () => {
    const e = email();
    const now = new Date(Date.UTC(2026, 10, 23, 7, 0, 0));
    const { raw, messageId } = buildMime(e, { now });
    expect(raw).toMatch(/^Date: Mon, 23 Nov 2026 07:00:00 \+0000\r\n/m);
    expect(raw).toMatch(/Content-Type: multipart\/alternative; boundary=/);
    expect(raw).toMatch(/^MIME-Version: 1\.0\r$/m);
    // Every header line is 7-bit ASCII: the UTF-8 subject and sender name are RFC 2047 encoded.
    const head = raw.split("\r\n\r\n")[0]!;
    expect(/^[\x00-\x7f]*$/.test(head)).toBe(true);
    for (const line of head.split("\r\n")) expect(line.length).toBeLessThanOrEqual(998);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe(e.subject);
    expect(parsed.from).toMatchObject({ address: "digest@example.com", name: "Die Tägliche Übersicht" });
    expect(parsed.to?.[0]?.address).toBe(e.to);
    expect(parsed.messageId).toBe(messageId);
    expect(messageId).toMatch(/^<[0-9a-f-]{36}@example\.com>$/);
    expect(parsed.date).toBe(now.toISOString());
    expect(parsed.html).toContain("<b>Zürich</b> 👋");
    expect(parsed.text?.trim()).toBe("Grüße aus Zürich 👋");
    const header = (name: string) => parsed.headers.find((h) => h.key === name)?.value;
    expect(header("list-unsubscribe")).toBe("<https://example.com/unsubscribe?token=abc>");
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
  });

  it("encodes UTF-8 base64 exactly like btoa over the UTF-8 bytes", () => {
    const reference = (s: string) => btoa(Array.from(new TextEncoder().encode(s), (b) => String.fromCharCode(b)).join(""));
    for (const s of ["", "a", "ab", "abc", "abcd", "é", "Grüße 👋", "\u0000\u00ff\uffff", "x".repeat(9000) + "ü"]) {
      expect(base64Utf8(s)).toBe(reference(s));
    }
  });

  it("keeps encoded words within RFC 2047's 75 characters", () => {
    const words = encodeHeaderWords("é".repeat(200)).split("\r\n ");
    expect(words.length).toBeGreaterThan(1);
    for (const w of words) expect(w.length).toBeLessThanOrEqual(75);
    expect(encodeHeaderWords("Plain ASCII subject")).toBe("Plain ASCII subject");
  });

  it("refuses header injection in the subject, recipient and extra headers", () => {
    expect(() => buildMime(email({ subject: "Hi\r\nBcc: victim@example.com" }))).toThrow(PermanentMailError);
    expect(() => buildMime(email({ to: "a@example.com\nBcc: b@example.com" }))).toThrow(PermanentMailError);
    expect(() => buildMime(email({ headers: { "X-Note": "a\r\nBcc: b@example.com" } }))).toThrow(PermanentMailError);
    expect(() => buildMime(email({ headers: { "Bad Name": "x" } }))).toThrow(PermanentMailError);
    expect(() => buildMime(email({ headers: { Subject: "override" } }))).toThrow(PermanentMailError);
  });
});

describe("outbox transport", () => {
  it("stores real MIME in D1 and reads it back", async () => {
    const e = email({ kind: "confirmation" });
    const sent = await outboxTransport(env.DB).send(e);
    expect(sent.providerId).toMatch(/^outbox:\d+$/);
    const row = await getOutboxMessage(env.DB, Number(sent.providerId.slice(7)));
    expect(row).toMatchObject({ to: e.to, subject: e.subject, kind: "confirmation", html: e.html, text: e.text });
    const parsed = await PostalMime.parse(row!.raw);
    expect(parsed.subject).toBe(e.subject);
    expect(parsed.messageId).toBe(row!.messageId);
  });

  it("stores a batch once per idempotency key and returns ids in order", async () => {
    const batch = [email(), email(), email()];
    const key = `edition-${uid()}`;
    const t = outboxTransport(env.DB);
    const first = await t.sendBatch(batch, { idempotencyKey: key });
    const again = await t.sendBatch(batch, { idempotencyKey: key });
    expect(first).toHaveLength(3);
    expect(new Set(first.map((s) => s.providerId)).size).toBe(3);
    expect(again).toEqual(first);
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM outbox WHERE idempotency_key LIKE ?")
      .bind(`${key}#%`)
      .first<{ n: number }>();
    expect(count!.n).toBe(3);
    for (const [i, s] of first.entries()) {
      const row = await getOutboxMessage(env.DB, Number(s.providerId.slice(7)));
      expect(row!.to).toBe(batch[i]!.to);
    }
  });

  it("is what mailTransport picks when MAIL_TRANSPORT=outbox, for both purposes", () => {
    const config = getConfig(env);
    expect(config.mailTransport).toBe("outbox");
    expect(mailTransport(env, config, "bulk").name).toBe("outbox");
    expect(mailTransport(env, config, "transactional").name).toBe("outbox");
  });

  it("sends transactional mail through send_email and bulk through Resend when configured for cloudflare", () => {
    const config = { ...getConfig(env), mailTransport: "cloudflare" as const };
    expect(mailTransport(env, config, "transactional").name).toBe("cloudflare");
    expect(mailTransport(env, config, "bulk").name).toBe("resend");
    expect(mailTransport(env, { ...config, mailTransport: "resend" }, "transactional").name).toBe("resend");
  });
});

describe("cloudflare transport", () => {
  it("hands a raw MIME message to the local send_email binding", async () => {
    const config = { ...getConfig(env), mailTransport: "cloudflare" as const };
    const sent = await mailTransport(env, config, "transactional").send(email({ kind: "confirmation" }));
    expect(sent.providerId.length).toBeGreaterThan(0);
  });
});

describe("resend transport", () => {
  const base = () => env.RESEND_BASE_URL;
  const control = (plan: object) => fetch(`${base()}/__control`, { method: "POST", body: JSON.stringify({ scope: SCOPE, ...plan }) });
  const accepted = async () =>
    (
      (await (await fetch(`${base()}/__emails?scope=${SCOPE}`)).json()) as {
        emails: Array<{ to: string[]; subject: string; headers: Record<string, string>; idempotencyKey?: string; from: string }>;
      }
    ).emails;
  const transport = (timeoutMs = 2000) => resendTransport({ baseUrl: base(), apiKey: env.RESEND_API_KEY, timeoutMs });

  // The fake server is shared by every test file: faults are set for this file's recipient
  // domain (its scope) only, and each test looks at its own recipients.
  const mine = async (tos: string[]) => (await accepted()).filter((m) => tos.includes(m.to[0]!));
  afterEach(async () => {
    await control({ failRate: 0 });
  });

  it("sends one email and a batch, with the idempotency key and headers", async () => {
    const one = email();
    const k1 = `single-${uid()}`;
    const k2 = `batch-${uid()}`;
    const sent = await transport().send(one, { idempotencyKey: k1 });
    expect(sent.providerId).toMatch(/^fake_/);
    const batch = [email(), email()];
    const ids = await transport().sendBatch(batch, { idempotencyKey: k2 });
    expect(ids).toHaveLength(2);
    const tos = [one.to, batch[0]!.to, batch[1]!.to];
    const mails = await mine(tos);
    expect(mails.map((m) => m.to[0])).toEqual(tos);
    expect(mails.map((m) => m.idempotencyKey)).toEqual([k1, k2, k2]);
    expect(mails[0]!.from).toBe("Die Tägliche Übersicht <digest@example.com>");
    expect(mails[0]!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    // A retry with the same key sends nothing new and returns the same ids.
    expect(await transport().sendBatch(batch, { idempotencyKey: k2 })).toEqual(ids);
    expect(await mine(tos)).toHaveLength(3);
  });

  it("maps 429 to a transient error carrying Retry-After", async () => {
    await control({ failRate: 1, modes: ["429"] });
    const err = await transport()
      .sendBatch([email()], { idempotencyKey: `k429-${uid()}` })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientMailError);
    expect((err as TransientMailError).retryAfterSeconds).toBe(1);
  });

  it("maps 500 to a transient error", async () => {
    await control({ failRate: 1, modes: ["500"] });
    await expect(transport().send(email())).rejects.toBeInstanceOf(TransientMailError);
  });

  it("maps a timeout to a transient error, and the retry with the same key does not send twice", async () => {
    await control({ failRate: 1, modes: ["timeout"], timeoutMs: 1500 });
    const batch = [email()];
    const key = `kt-${uid()}`;
    await expect(transport(300).sendBatch(batch, { idempotencyKey: key })).rejects.toBeInstanceOf(TransientMailError);
    await control({ failRate: 0 });
    const retry = await transport().sendBatch(batch, { idempotencyKey: key });
    expect(retry).toHaveLength(1);
    expect(await mine([batch[0]!.to])).toHaveLength(1);
  });

  it("reports a reused idempotency key with another payload as an IdempotencyConflictError", async () => {
    const key = `conflict-${uid()}`;
    await transport().sendBatch([email({ subject: "First" })], { idempotencyKey: key });
    const err = await transport()
      .sendBatch([email({ subject: "Second" })], { idempotencyKey: key })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdempotencyConflictError);
    expect(err).toBeInstanceOf(PermanentMailError);
  });

  it("maps a network failure to a transient error", async () => {
    const t = resendTransport({ baseUrl: "http://127.0.0.1:1", apiKey: "re_x", timeoutMs: 1000 });
    await expect(t.send(email())).rejects.toBeInstanceOf(TransientMailError);
  });

  it("maps 422 to a permanent error, and a wrong, missing or placeholder key to an account error", async () => {
    await expect(
      transport().sendBatch([email({ to: `invalid-user@${SCOPE}` })], { idempotencyKey: `k422-${uid()}` }),
    ).rejects.toBeInstanceOf(PermanentMailError);
    const wrongKey = resendTransport({ baseUrl: base(), apiKey: "re_wrong" });
    const refused = await wrongKey.send(email()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AccountMailError);
    expect(refused).not.toBeInstanceOf(PermanentMailError);
    expect(String(refused)).toMatch(/403 invalid_api_key/);
    for (const apiKey of ["", "re_local_unused"]) {
      await expect(resendTransport({ baseUrl: "http://127.0.0.1:1", apiKey }).send(email())).rejects.toBeInstanceOf(AccountMailError);
    }
    await expect(
      transport().sendBatch(
        Array.from({ length: 101 }, () => email()),
        { idempotencyKey: `big-${uid()}` },
      ),
    ).rejects.toBeInstanceOf(PermanentMailError);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("120")).toBe(120);
    expect(parseRetryAfter(new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(30);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
