// Engagement from the provider's events (issue 22, item 6), in workerd with the real local D1:
// signed delivered / opened / clicked events count once per recipient per edition (replays and
// repeats included), GET /admin/editions/:id reports them with the most clicked links, erasure
// drops a reader's rows but keeps the counts, and the sweep's fold past retention does too.
import { env, exports } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { beforeEach, describe, expect, it } from "vitest";
import { foldExpiredEngagement } from "../../src/webhooks/engagement";
import { addSubscribers, drain, fanOut, newEdition, resetDelivery } from "../delivery/helpers";

const SECRET = env.RESEND_WEBHOOK_SECRET as string;

function signed(payload: unknown, id = `msg_${crypto.randomUUID()}`): Request {
  const body = JSON.stringify(payload);
  const at = new Date();
  return new Request("http://localhost/webhooks/resend", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": new Webhook(SECRET).sign(id, at, body),
    },
    body,
  });
}

const event = (type: string, emailId: string, to: string, extra: Record<string, unknown> = {}) => ({
  type,
  created_at: new Date().toISOString(),
  data: { email_id: emailId, to: [to], subject: "x", ...extra },
});

const post = async (req: Request) => {
  const res = await exports.default.fetch(req);
  expect(res.status).toBe(200);
  return (await res.json()) as { outcome: string };
};

const providerIdOf = async (editionId: string, email: string) =>
  (await env.DB.prepare("SELECT provider_id AS p FROM deliveries WHERE edition_id = ? AND email = ?")
    .bind(editionId, email)
    .first<{ p: string }>())!.p;

interface Status {
  engagement: { delivered: number; opened: number; clicked: number; bounced: number; complained: number; topLinks: unknown[] };
}
const status = async (id: string) =>
  (await (
    await exports.default.fetch(
      new Request(`http://localhost/admin/editions/${id}`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } }),
    )
  ).json()) as Status;

const rowsOf = async (editionId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM engagement_events WHERE edition_id = ?").bind(editionId).first<{ n: number }>())!.n;

beforeEach(async () => {
  await resetDelivery();
  await env.DB.batch(["engagement_events", "engagement_counts", "engagement_editions"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
});

describe("engagement from the provider's events", () => {
  it("counts delivered 2, opened 2, clicked 1 for two recipients with a replay and a second open", async () => {
    const [a, b] = await addSubscribers(2, "engage-");
    const id = await newEdition("engage");
    await drain(await fanOut(id));
    const pa = await providerIdOf(id, a!.email);
    const pb = await providerIdOf(id, b!.email);

    const deliveredA = `msg_${crypto.randomUUID()}`;
    expect(await post(signed(event("email.delivered", pa, a!.email), deliveredA))).toMatchObject({ outcome: "counted" });
    expect(await post(signed(event("email.delivered", pb, b!.email)))).toMatchObject({ outcome: "counted" });
    // The provider retries the same webhook id (freshly signed): no second count.
    expect(await post(signed(event("email.delivered", pa, a!.email), deliveredA))).toMatchObject({ outcome: "repeat" });
    expect(await post(signed(event("email.opened", pa, a!.email)))).toMatchObject({ outcome: "counted" });
    // A second open by the same reader is a new event, and still one reader.
    expect(await post(signed(event("email.opened", pa, a!.email)))).toMatchObject({ outcome: "repeat" });
    expect(await post(signed(event("email.opened", pb, b!.email)))).toMatchObject({ outcome: "counted" });
    const click = { click: { link: "https://news.example/story-1", ipAddress: "192.0.2.1", timestamp: new Date().toISOString() } };
    expect(await post(signed(event("email.clicked", pa, a!.email, click)))).toMatchObject({ outcome: "counted" });
    expect(await post(signed(event("email.clicked", pa, a!.email, click)))).toMatchObject({ outcome: "repeat" });

    const s = await status(id);
    expect(s.engagement).toMatchObject({ delivered: 2, opened: 2, clicked: 1, bounced: 0, complained: 0 });
    expect(s.engagement.topLinks).toEqual([{ url: "https://news.example/story-1", recipients: 1 }]);
    // The reader's history: sent, and what the provider reported.
    const history = await exports.default.fetch(
      new Request(`http://localhost/admin/subscribers/${a!.id}/history`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } }),
    );
    expect(await history.json()).toEqual({ subscriberId: a!.id, sent: 1, delivered: 1, opened: 1, clicked: 1, bounced: 0, complained: 0 });
    // No webhook-id row per engagement event: the counts' own key dedupes.
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM mail_events").first<{ n: number }>())!.n).toBe(0);
  });

  it("counts a permanent bounce and a complaint once each, and ignores events for mail no delivery carried", async () => {
    const [a, b] = await addSubscribers(2, "engage-bc-");
    const id = await newEdition("engage");
    await drain(await fanOut(id));
    const bounce = event("email.bounced", await providerIdOf(id, a!.email), a!.email, { bounce: { type: "Permanent" } });
    await post(signed(bounce));
    await post(signed(bounce));
    await post(signed(event("email.complained", await providerIdOf(id, b!.email), b!.email)));
    // A test send or a confirmation mail: no delivery row has its id.
    expect(await post(signed(event("email.opened", "re_not_ours", a!.email)))).toMatchObject({ outcome: "ignored" });
    expect((await status(id)).engagement).toMatchObject({ delivered: 0, opened: 0, bounced: 1, complained: 1 });
  });

  it("keeps the counts when a reader is erased or the events pass retention, and counts nothing for a folded edition", async () => {
    const [a, b] = await addSubscribers(2, "engage-ret-");
    const id = await newEdition("engage");
    await drain(await fanOut(id));
    const pa = await providerIdOf(id, a!.email);
    const pb = await providerIdOf(id, b!.email);
    for (const [p, s] of [
      [pa, a!],
      [pb, b!],
    ] as const) {
      await post(signed(event("email.delivered", p, s.email)));
      await post(signed(event("email.opened", p, s.email)));
    }
    expect(await rowsOf(id)).toBe(4);

    const erased = await exports.default.fetch(
      new Request("http://localhost/admin/subscribers/erase", {
        method: "POST",
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ email: a!.email }),
      }),
    );
    expect(erased.status).toBe(200);
    expect(
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM engagement_events WHERE subscriber_id = ?").bind(a!.id).first<{ n: number }>())!.n,
    ).toBe(0);
    expect(await rowsOf(id)).toBe(2);
    expect((await status(id)).engagement).toMatchObject({ delivered: 2, opened: 2 });

    // Not yet past retention: nothing folds.
    expect(await foldExpiredEngagement(env.DB, new Date(Date.now() + 89 * 86_400_000), 90)).toEqual({ editions: 0, rows: 0 });
    expect(await foldExpiredEngagement(env.DB, new Date(Date.now() + 91 * 86_400_000), 90)).toEqual({ editions: 1, rows: 2 });
    expect(await rowsOf(id)).toBe(0);
    expect((await status(id)).engagement).toMatchObject({ delivered: 2, opened: 2 });
    // A late click can no longer be told from a repeat: not counted.
    const late = await post(signed(event("email.clicked", pb, b!.email, { click: { link: "https://news.example/x" } })));
    expect(late.outcome).toBe("ignored");
    expect((await status(id)).engagement).toMatchObject({ clicked: 0 });
  });
});
