// verifyWebhook (WebCrypto) against the Standard Webhooks reference library's signatures.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/webhooks/service";

const SECRET = "whsec_dGVzdC13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5";
const OTHER = "whsec_b3RoZXItd2ViaG9vay1zZWNyZXQtOTg3NjU0MzIx";
const at = new Date(Date.UTC(2026, 10, 23, 7, 0, 0));
const nowMs = at.getTime();
const body = JSON.stringify({ type: "email.bounced", data: { to: ["a@example.com"] } });
const headers = (signature: string, id = "msg_1", when = at) => ({ id, timestamp: String(when.getTime() / 1000), signature });

describe("verifyWebhook", () => {
  it("accepts the reference library's signature, alone or among others, and parses the body", async () => {
    const sig = new Webhook(SECRET).sign("msg_1", at, body);
    expect(await verifyWebhook(SECRET, body, headers(sig), nowMs)).toEqual({ ok: true, id: "msg_1", payload: JSON.parse(body) });
    const wrong = new Webhook(OTHER).sign("msg_1", at, body);
    const listed = `v2,${sig.slice(3)} ${wrong} v1,not*base64 ${sig}`;
    expect((await verifyWebhook(SECRET, body, headers(listed), nowMs)).ok).toBe(true);
  });

  it("refuses another secret, another id, a changed body, and a version other than v1", async () => {
    const sig = new Webhook(SECRET).sign("msg_1", at, body);
    const bad = { ok: false, reason: "bad-signature" };
    expect(await verifyWebhook(SECRET, body, headers(new Webhook(OTHER).sign("msg_1", at, body)), nowMs)).toEqual(bad);
    expect(await verifyWebhook(SECRET, body, headers(sig, "msg_2"), nowMs)).toEqual(bad);
    expect(await verifyWebhook(SECRET, `${body} `, headers(sig), nowMs)).toEqual(bad);
    expect(await verifyWebhook(SECRET, body, headers(`v2,${sig.slice(3)}`), nowMs)).toEqual(bad);
  });

  it("takes timestamps within 5 minutes either way, and nothing further or unreadable", async () => {
    const sign = (when: Date) => headers(new Webhook(SECRET).sign("msg_1", when, body), "msg_1", when);
    for (const offset of [-299_000, 299_000]) {
      expect((await verifyWebhook(SECRET, body, sign(new Date(nowMs + offset)), nowMs)).ok).toBe(true);
    }
    for (const offset of [-301_000, 301_000]) {
      expect(await verifyWebhook(SECRET, body, sign(new Date(nowMs + offset)), nowMs)).toEqual({ ok: false, reason: "bad-signature" });
    }
    const sig = new Webhook(SECRET).sign("msg_1", at, body);
    expect(await verifyWebhook(SECRET, body, { id: "msg_1", timestamp: "soon", signature: sig }, nowMs)).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it("says which headers are missing before checking anything", async () => {
    const sig = new Webhook(SECRET).sign("msg_1", at, body);
    expect(await verifyWebhook(SECRET, body, { id: undefined, timestamp: "1", signature: sig }, nowMs)).toEqual({
      ok: false,
      reason: "missing-headers",
    });
    expect(await verifyWebhook(SECRET, body, { ...headers(sig), signature: "" }, nowMs)).toEqual({ ok: false, reason: "missing-headers" });
  });

  it("reads a signed body that is not JSON as no payload rather than failing", async () => {
    const sig = new Webhook(SECRET).sign("msg_1", at, "not json");
    expect(await verifyWebhook(SECRET, "not json", headers(sig), nowMs)).toEqual({ ok: true, id: "msg_1", payload: undefined });
  });
});
