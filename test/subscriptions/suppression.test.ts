// Issue 21, F1 and F7, through the local Worker and the provider stand-in: suppression belongs to
// the address (a stranger's signup and a later import cannot bring a complained, bounced,
// unsubscribed or erased reader back), and confirmation mails are capped per mailbox (address
// variants share one cap) and per hour across all signups.
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { DeliveryMessage } from "../../src/delivery/messages";
import { makeDeps } from "../../src/deps";
import { resendTransport } from "../../src/mail/resend";
import { canonicalMailbox } from "../../src/subscriptions/address";
import { requestSubscription } from "../../src/subscriptions/service";
import { addSubscribers, drain, fakeEmails, fakeReset, fanOut, newEdition, RecordingQueue, resetDelivery } from "../delivery/helpers";
import { confirmLinkFor, mailsTo, ORIGIN, pastCooldown, postJson, subscriberRow, uniqueEmail } from "./support";

const SCOPE = "suppression.test";
const admin = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(
    new Request(`${ORIGIN}${path}`, { ...init, headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, ...(init.headers ?? {}) } }),
  );
const importCsv = async (csv: string) =>
  (await (await admin("/admin/subscribers/import", { method: "POST", headers: { "content-type": "text/csv" }, body: csv })).json()) as {
    counts: Record<string, number>;
  };
const setStatus = (email: string, status: string) =>
  env.DB.prepare("UPDATE subscribers SET status = ?, suppressed_reason = ? WHERE email = ?").bind(status, status, email).run();

beforeEach(async () => {
  await resetDelivery();
  await fakeReset(SCOPE);
});

/** Sends a fresh edition to every active subscriber through the provider stand-in; returns who got it. */
async function sendEdition(tag: string): Promise<string[]> {
  const edition = await newEdition(tag);
  await drain(await fanOut(edition), { transport: resendTransport({ baseUrl: env.RESEND_BASE_URL, apiKey: env.RESEND_API_KEY }) });
  return (await fakeEmails(SCOPE)).emails.flatMap((e) => e.to);
}

describe("suppression belongs to the address (F1)", () => {
  for (const status of ["complained", "bounced"] as const) {
    it(`keeps a ${status} reader out: a stranger's signup and a consenting import change nothing and send nothing`, async () => {
      const [reader, other] = await addSubscribers(2, `f1-${status}-`, "active", SCOPE);
      await setStatus(reader!.email, status);

      // A stranger signs the address up: the same 202 as anyone, no pending row, no mail.
      const res = await postJson("/subscribe", { email: reader!.email });
      expect(res.status).toBe(202);
      expect(await subscriberRow(reader!.email)).toMatchObject({ status, confirm_nonce: null });
      // The operator then imports a file saying the reader consented.
      const report = await importCsv(`email,consent\n${reader!.email},yes\n`);
      expect(report.counts).toEqual({ "add-active": 0, "add-pending": 0, unchanged: 0, suppressed: 1 });
      expect((await subscriberRow(reader!.email))!.status).toBe(status);

      // No confirmation mail (the queue had nothing to send), and the next edition skips them.
      const got = await sendEdition(`f1-${status}`);
      expect(got).toEqual([other!.email]);
      expect(await mailsTo(reader!.email)).toHaveLength(0);
    });
  }

  it("keeps an erased reader out of imports even after a stranger's signup, and lets the reader's own confirmation bring them back", async () => {
    const email = uniqueEmail("f1-erased");
    await env.DB.prepare(
      "INSERT INTO subscribers (email, status, source, requested_at, created_at, updated_at) VALUES (?, 'active', 'test', 'x', 'x', 'x')",
    )
      .bind(email)
      .run();
    const erase = await admin("/admin/subscribers/erase", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email }),
    });
    expect(erase.status).toBe(200);
    expect(await subscriberRow(email)).toBeNull();

    // The signup answers 202 and mails a confirmation, but no pending row appears: the row is
    // 'unsubscribed' (out of every send) until the link is used.
    expect((await postJson("/subscribe", { email })).status).toBe(202);
    expect((await subscriberRow(email))!.status).toBe("unsubscribed");
    const report = await importCsv(`email,consent\n${email},yes\n`);
    expect(report.counts.suppressed).toBe(1);
    expect((await subscriberRow(email))!.status).toBe("unsubscribed");

    // Only the reader's own confirmation brings the address back.
    const link = await confirmLinkFor(email);
    expect((await postJson("/confirm", { token: link.searchParams.get("token") })).status).toBe(200);
    expect((await subscriberRow(email))!.status).toBe("active");
  });

  it("never activates a pending row by import, and honours the file's status for an existing row", async () => {
    const [pending, active] = await addSubscribers(2, "f1-rows-", "pending");
    await setStatus(active!.email, "active");
    const report = await importCsv(`email,consent,status\n${pending!.email},yes,\n${active!.email},yes,unsubscribed\n`);
    expect(report.counts).toEqual({ "add-active": 0, "add-pending": 0, unchanged: 1, suppressed: 1 });
    expect((await subscriberRow(pending!.email))!.status).toBe("pending");
    expect(await subscriberRow(active!.email)).toMatchObject({ status: "unsubscribed", unsubscribe_method: "import" });
    // A file row with a suppressing status for an unknown address keeps a hash of it: a later
    // consenting import does not add it.
    const unknown = uniqueEmail("f1-file");
    expect((await importCsv(`email,status\n${unknown},complained\n`)).counts.suppressed).toBe(1);
    expect(await subscriberRow(unknown)).toBeNull();
    expect((await importCsv(`email,consent\n${unknown},yes\n`)).counts).toMatchObject({ "add-active": 0, suppressed: 1 });
    expect(await subscriberRow(unknown)).toBeNull();
  });

  it("lifts a bounce only on the operator's explicit call, logged, after which the reader may opt in again", async () => {
    const [reader] = await addSubscribers(1, "f1-lift-", "active");
    await setStatus(reader!.email, "bounced");
    const res = await admin("/admin/subscribers/lift", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: reader!.email }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ lifted: "bounced" });
    expect((await subscriberRow(reader!.email))!.status).toBe("unsubscribed");
    expect((await postJson("/subscribe", { email: reader!.email })).status).toBe(202);
    expect(await mailsTo(reader!.email, 1)).toHaveLength(1);
  });
});

describe("erasure leaves nothing (F2)", () => {
  it("stores the provider's error text with the address masked", async () => {
    const [bad] = await addSubscribers(1, "invalid-f2-", "active", SCOPE);
    const [good] = await addSubscribers(1, "fine-f2-", "active", SCOPE);
    const edition = await newEdition("f2");
    await drain(await fanOut(edition), { transport: resendTransport({ baseUrl: env.RESEND_BASE_URL, apiKey: env.RESEND_API_KEY }) });
    const { results } = await env.DB.prepare("SELECT status, last_error FROM deliveries WHERE edition_id = ? ORDER BY id")
      .bind(edition)
      .all<{ status: string; last_error: string | null }>();
    // The provider refused the one address, quoting it; the stored text keeps only its domain.
    expect(results.some((r) => r.status === "failed" && /Invalid `to` field: \*\*\*@suppression\.test/.test(r.last_error ?? ""))).toBe(
      true,
    );
    // The status names the failed recipient (its row's address, until erased), never inside the error.
    const status = (await (await admin(`/admin/editions/${edition}`)).json()) as {
      deliveries: { failures: Array<{ email: string; error: string }> };
    };
    expect(status.deliveries.failures.map((f) => f.email)).toEqual([bad!.email]);
    expect(status.deliveries.failures[0]!.error).toContain("***@suppression.test");
    expect(status.deliveries.failures[0]!.error).not.toContain(bad!.email);
    expect((await fakeEmails(SCOPE)).emails.flatMap((e) => e.to)).toEqual([good!.email]);
  });
});

describe("confirmation caps per mailbox and per hour (F7)", () => {
  it("folds case, +tags and Gmail's dots into one mailbox", () => {
    expect(canonicalMailbox("Victim+0@Example.com")).toBe("victim@example.com");
    expect(canonicalMailbox("v.i.c.t.i.m+news@googlemail.com")).toBe("victim@gmail.com");
    // Dots matter elsewhere.
    expect(canonicalMailbox("a.b@example.com")).toBe("a.b@example.com");
  });

  it("gives six +tag variants of one mailbox at most three confirmation mails in a week", async () => {
    const base = `victim-${crypto.randomUUID().slice(0, 8)}`;
    const variants = Array.from({ length: 6 }, (_, i) => `${base}+${i}@example.com`);
    for (const email of variants) {
      expect((await postJson("/subscribe", { email })).status).toBe(202);
      await pastCooldown(email);
    }
    // The queue consumer sends the mails after the answers: wait for the first three variants'.
    for (const v of variants.slice(0, 3)) expect(await mailsTo(v, 1)).toHaveLength(1);
    // The other three were never queued (their claims were refused), so none can arrive later.
    expect((await Promise.all(variants.map((v) => mailsTo(v)))).flat()).toHaveLength(3);
    // The refused variants have no row either: nothing for an import to activate later.
    for (const v of variants.slice(3)) expect(await subscriberRow(v)).toBeNull();
  });

  it("queues a confirmation quietly for a later hour once the hourly budget is spent", async () => {
    const sent: Array<{ delaySeconds?: number }> = [];
    const queue = new (class extends RecordingQueue {
      override async send(body: DeliveryMessage, options?: QueueSendOptions): Promise<QueueSendResponse> {
        sent.push({ delaySeconds: options?.delaySeconds });
        return super.send(body);
      }
    })();
    const now = new Date("2031-05-05T10:20:00Z");
    const deps = makeDeps({ ...env, CONFIRMATIONS_PER_HOUR: "2" } as Env, { queue, clock: () => now });
    const deferred: Promise<unknown>[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await requestSubscription(deps, { email: uniqueEmail("budget"), source: "api", requestPage: null }, (p) =>
        deferred.push(p),
      );
      expect(outcome).toBe("queued");
    }
    await Promise.all(deferred);
    // Two now; the third waits for 11:00, 40 minutes on.
    expect(sent.map((s) => s.delaySeconds)).toEqual([undefined, undefined, 40 * 60]);
  });
});
