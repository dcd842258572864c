// Signing-secret rotation: links are signed with the newest secret (a key derived per purpose)
// and accepted under every listed secret, so a link mailed before a rotation still unsubscribes;
// a secret dropped from the list stops working; stored unsubscribe tokens are re-signed when
// the signing key changes.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { getConfig } from "../../src/config";
import { startSend } from "../../src/delivery/fanout";
import { fanoutWithEdition } from "../../src/delivery/store";
import { makeDeps } from "../../src/deps";
import { buildEdition } from "../../src/editions/build";
import { resendTransport } from "../../src/mail/resend";
import { readConfirmToken, readUnsubscribeToken, signFor, signToken, signingKid, unsubscribeUrl } from "../../src/subscriptions/tokens";
import { addSubscribers, digestOf, drain, fakeEmails, fakeReset, RecordingQueue, resetDelivery } from "../delivery/helpers";

const OLD = "old-signing-secret-0123456789abcdef-leaked";
const NEW = "new-signing-secret-0123456789abcdef-fresh";
const before = { ...env, SIGNING_SECRET: OLD } as Env;
const afterRotation = { ...env, SIGNING_SECRET: NEW, SIGNING_SECRET_PREVIOUS: OLD } as Env;
const asList = { ...env, SIGNING_SECRETS: `${NEW}, ${OLD}` } as Env;
const oldDropped = { ...env, SIGNING_SECRET: NEW } as Env;

const status = async (id: number) =>
  (await env.DB.prepare("SELECT status FROM subscribers WHERE id = ?").bind(id).first<{ status: string }>())!.status;

const oneClick = (url: string, e: Env) =>
  app.fetch(
    new Request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    }),
    e,
  );

beforeEach(resetDelivery);

describe("signing secret rotation", () => {
  it("a link signed with the old secret still unsubscribes after rotation", async () => {
    const [sub] = await addSubscribers(1, "rot-a-");
    const mailed = await unsubscribeUrl(getConfig(before), sub!.id);
    expect(getConfig(afterRotation).signingSecrets).toEqual([NEW, OLD]);
    const res = await oneClick(mailed, afterRotation);
    expect(res.status).toBeLessThan(300);
    expect(await status(sub!.id)).toBe("unsubscribed");
  });

  it("SIGNING_SECRETS lists them newest first; new links use the newest; a dropped secret's links stop working", async () => {
    const [sub] = await addSubscribers(1, "rot-b-");
    const oldLink = await unsubscribeUrl(getConfig(before), sub!.id);
    const newLink = await unsubscribeUrl(getConfig(asList), sub!.id);
    const token = (u: string) => new URL(u).searchParams.get("token");
    expect(await readUnsubscribeToken(getConfig(asList), token(oldLink))).toBe(sub!.id);
    expect(await readUnsubscribeToken(getConfig(oldDropped), token(newLink))).toBe(sub!.id);
    expect(await readUnsubscribeToken(getConfig(oldDropped), token(oldLink))).toBeNull();
    expect((await oneClick(oldLink, oldDropped)).status).toBe(400);
    expect(await status(sub!.id)).toBe("active");
  });

  it("keys are per purpose: an unsubscribe signature never passes as a confirmation", async () => {
    const config = getConfig(afterRotation);
    const crossed = await signFor(config, "unsubscribe", "c1.7.9999999999.abcdefgh12");
    expect(await readConfirmToken(config, crossed, new Date())).toEqual({ ok: false, reason: "invalid" });
    expect((await readConfirmToken(config, await signFor(config, "confirm", "c1.7.9999999999.abcdefgh12"), new Date())).ok).toBe(true);
    // Links mailed before per-purpose keys (signed with the secret itself) keep working.
    expect(await readUnsubscribeToken(config, await signToken(OLD, "u1.7"))).toBe(7);
  });

  it("stored unsubscribe tokens are signed once, reused, and signed again after a rotation", async () => {
    const SCOPE = "rotation.test";
    await fakeReset(SCOPE);
    const subs = await addSubscribers(3, "rot-c-", "active", SCOPE);
    const transport = resendTransport({ baseUrl: env.RESEND_BASE_URL, apiKey: env.RESEND_API_KEY });
    const send = async (e: Env, slot: string) => {
      const built = await buildEdition(makeDeps(e, { digest: digestOf([slot]) }), {
        slot,
        now: new Date(),
        alongside: fanoutWithEdition(100),
      });
      const queue = new RecordingQueue();
      await startSend(env.DB, queue, built.editionId);
      await drain(queue, { transport }, { testEnv: e });
    };
    await send(before, "rot-1");
    const stored = async () =>
      (
        await env.DB.prepare(
          "SELECT unsubscribe_token AS t, unsubscribe_kid AS kid FROM subscribers WHERE email LIKE 'rot-c-%' ORDER BY id",
        ).all<{ t: string; kid: string }>()
      ).results;
    const first = await stored();
    expect(first.every((r) => r.t && r.kid === first[0]!.kid)).toBe(true);
    expect(first[0]!.kid).toBe(await signingKid(getConfig(before)));

    await send(before, "rot-2");
    expect(await stored()).toEqual(first);

    await send(afterRotation, "rot-3");
    const rotated = await stored();
    expect(rotated[0]!.kid).toBe(await signingKid(getConfig(afterRotation)));
    for (const [i, r] of rotated.entries()) {
      expect(r.t).not.toBe(first[i]!.t);
      expect(await readUnsubscribeToken(getConfig(oldDropped), r.t)).toBe(subs[i]!.id);
    }
    // The third edition's mail carries the new links.
    const { emails } = await fakeEmails(SCOPE);
    const links = emails.slice(-3).map((e) => new URL(e.headers["List-Unsubscribe"]!.slice(1, -1)).searchParams.get("token"));
    expect(links.sort()).toEqual(rotated.map((r) => r.t).sort());
  });
});
