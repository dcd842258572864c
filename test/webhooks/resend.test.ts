// POST /webhooks/resend in workerd with the real local D1: events signed with the Standard
// Webhooks reference library (the fake provider's role for webhooks; the Worker verifies with WebCrypto),
// suppression of permanent bounces and complaints, what is only recorded, and what is refused.
import { env, exports } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { beforeEach, describe, expect, it } from "vitest";
import { addSubscribers, drain, fanOut, newEdition, resetDelivery } from "../delivery/helpers";

const SECRET = env.RESEND_WEBHOOK_SECRET as string;

/** A request as the provider sends it: svix-* headers, signed over id, timestamp and the raw body. */
function signed(payload: unknown, opts: { id?: string; at?: Date; secret?: string; signature?: string } = {}): Request {
  const body = JSON.stringify(payload);
  const id = opts.id ?? `msg_${crypto.randomUUID()}`;
  const at = opts.at ?? new Date();
  const signature = opts.signature ?? new Webhook(opts.secret ?? SECRET).sign(id, at, body);
  return new Request("http://localhost/webhooks/resend", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": signature,
    },
    body,
  });
}

const post = (req: Request) => exports.default.fetch(req);

const bounce = (to: string, type: string, emailId = `re_${crypto.randomUUID()}`) => ({
  type: "email.bounced",
  created_at: new Date().toISOString(),
  data: { email_id: emailId, to: [to], subject: "x", bounce: { type, subType: "General", message: "550 no such user" } },
});
const complaint = (to: string, emailId = `re_${crypto.randomUUID()}`) => ({
  type: "email.complained",
  created_at: new Date().toISOString(),
  data: { email_id: emailId, to: [to] },
});

const statusOf = async (email: string) =>
  (await env.DB.prepare("SELECT status FROM subscribers WHERE email = ?").bind(email).first<{ status: string }>())?.status;
const eventCount = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM mail_events").first<{ n: number }>())!.n;
const providerIdOf = async (editionId: string, email: string) =>
  (await env.DB.prepare("SELECT provider_id AS p FROM deliveries WHERE edition_id = ? AND email = ?")
    .bind(editionId, email)
    .first<{ p: string }>())!.p;

beforeEach(resetDelivery);

describe("provider webhooks", () => {
  it("suppresses permanent bounces and complaints, records soft bounces and delays, counts them per edition, and the next fan-out skips the suppressed", async () => {
    const [a, b, c, d] = await addSubscribers(4, "hook-");
    const first = await newEdition("hooks");
    await drain(await fanOut(first));
    const pa = await providerIdOf(first, a!.email);
    expect(pa).toBeTruthy();

    expect((await post(signed(bounce(a!.email, "Permanent", pa)))).status).toBe(200);
    expect((await post(signed(complaint(b!.email, await providerIdOf(first, b!.email))))).status).toBe(200);
    const soft = await post(signed(bounce(c!.email, "Transient", await providerIdOf(first, c!.email))));
    expect(await soft.json()).toEqual({ received: true, outcome: "applied" });
    const delayed = { type: "email.delivery_delayed", data: { email_id: await providerIdOf(first, d!.email), to: [d!.email] } };
    expect((await post(signed(delayed))).status).toBe(200);

    expect(await statusOf(a!.email)).toBe("bounced");
    expect(await statusOf(b!.email)).toBe("complained");
    expect(await statusOf(c!.email)).toBe("active");
    expect(await statusOf(d!.email)).toBe("active");
    expect(await eventCount()).toBe(4);

    const status = await exports.default.fetch(
      new Request(`http://localhost/admin/editions/${first}`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } }),
    );
    const json = (await status.json()) as { deliveries: { reported: unknown; counts: { sent: number } } };
    expect(json.deliveries.reported).toEqual({ bounced: 1, complained: 1, softBounced: 1, delayed: 1 });
    expect(json.deliveries.counts.sent).toBe(4);

    // The next edition goes to the two readers still active, and only them.
    const second = await newEdition("hooks");
    await drain(await fanOut(second));
    const { results } = await env.DB.prepare("SELECT email, status FROM deliveries WHERE edition_id = ? ORDER BY subscriber_id")
      .bind(second)
      .all<{ email: string; status: string }>();
    expect(results).toEqual([
      { email: c!.email, status: "sent" },
      { email: d!.email, status: "sent" },
    ]);
  });

  it("applies a complaint to the address in any case, and never softens a complaint to a bounce", async () => {
    const [a] = await addSubscribers(1, "Hook-Case-");
    await post(signed(complaint(a!.email.toUpperCase().replace("@EXAMPLE.COM", "@example.com"))));
    expect(await statusOf(a!.email)).toBe("complained");
    await post(signed(bounce(a!.email, "Permanent")));
    expect(await statusOf(a!.email)).toBe("complained");
  });

  it("refuses a forged signature, a stale timestamp and missing headers, and writes nothing", async () => {
    const [a] = await addSubscribers(1, "hook-forged-");
    const forged = await post(signed(bounce(a!.email, "Permanent"), { secret: "whsec_b3RoZXItc2VjcmV0LW5vdC1vdXJzLTAxMjM0NQ==" }));
    expect(forged.status).toBe(401);
    // Signed correctly, but 10 minutes old: outside the 5-minute window.
    const stale = await post(signed(bounce(a!.email, "Permanent"), { at: new Date(Date.now() - 10 * 60_000) }));
    expect(stale.status).toBe(401);
    // A body changed after signing.
    const good = signed(bounce(`x${a!.email}`, "Permanent"));
    const tampered = new Request(good, { body: JSON.stringify(bounce(a!.email, "Permanent")) });
    expect((await post(tampered)).status).toBe(401);
    const bare = await post(
      new Request("http://localhost/webhooks/resend", { method: "POST", body: JSON.stringify(bounce(a!.email, "Permanent")) }),
    );
    expect(bare.status).toBe(400);
    expect(await statusOf(a!.email)).toBe("active");
    expect(await eventCount()).toBe(0);
  });

  it("applies each webhook id once: a replay changes nothing, even after the reader came back", async () => {
    const [a] = await addSubscribers(1, "hook-replay-");
    const id = `msg_${crypto.randomUUID()}`;
    const event = bounce(a!.email, "Permanent");
    expect(await (await post(signed(event, { id }))).json()).toEqual({ received: true, outcome: "applied" });
    expect(await statusOf(a!.email)).toBe("bounced");
    // The reader subscribes again and confirms (the mailbox works again).
    await env.DB.prepare("UPDATE subscribers SET status = 'active' WHERE email = ?").bind(a!.email).run();
    // The provider (or an attacker holding a captured request) sends the same id again, freshly signed.
    const replay = await post(signed(event, { id }));
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true, outcome: "replay" });
    expect(await statusOf(a!.email)).toBe("active");
    expect(await eventCount()).toBe(1);
  });

  it("answers 2xx to unknown event types and records nothing", async () => {
    const [a] = await addSubscribers(1, "hook-unknown-");
    const res = await post(signed({ type: "contact.created", data: { to: [a!.email] } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, outcome: "ignored" });
    expect(await eventCount()).toBe(0);
    expect(await statusOf(a!.email)).toBe("active");
  });
});
