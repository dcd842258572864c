// Issue 22's "Done when", in one flow through the Worker (workerd, real local D1) and the provider
// stand-in (test/support/fake-resend.ts): build without sending, GET /admin/editions/next, a
// PATCHed subject reaching a test send (one address, no delivery recorded) and the real send;
// signed delivered/opened/clicked events for two recipients with a replay and a second open giving
// delivered 2, opened 2, clicked 1; DELETE making the page 410 and taking it off /feed.xml while
// its delivery records stay; PUT /admin/settings round-tripping, and 25:00 or Mars/Olympus a 422.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { beforeEach, describe, expect, it } from "vitest";
import { app } from "../src/app";
import { addSubscribers, counts, drain, fakeEmails, fakeReset, RecordingQueue, resetDelivery } from "./delivery/helpers";

const DOMAIN = "ops-done.test";

async function call(path: string, init: RequestInit = {}, extra: Partial<Env> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const testEnv = { ...env, MAIL_TRANSPORT: "resend", ...extra } as Env;
  const headers = { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json", ...(init.headers as object) };
  const res = await app.fetch(new Request(`http://localhost${path}`, { ...init, headers }), testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

function signedEvent(type: string, emailId: string, id = `msg_${crypto.randomUUID()}`, extra: Record<string, unknown> = {}): RequestInit {
  const at = new Date();
  const body = JSON.stringify({ type, created_at: at.toISOString(), data: { email_id: emailId, to: ["x@ops-done.test"], ...extra } });
  return {
    method: "POST",
    headers: {
      "svix-id": id,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": new Webhook(env.RESEND_WEBHOOK_SECRET as string).sign(id, at, body),
    },
    body,
  };
}

beforeEach(async () => {
  await resetDelivery();
  await env.DB.batch(
    ["settings", "engagement_events", "engagement_counts", "engagement_editions"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
  );
  await fakeReset(DOMAIN);
});

describe("issue 22, done when", () => {
  it("holds end to end", async () => {
    const [a, b] = await addSubscribers(2, "done-", "active", DOMAIN);
    expect(((await (await call("/admin/editions/next")).json()) as { status: string }).status).toBe("would-build");

    // Build without sending.
    const built = await call("/admin/editions", { method: "POST", body: "{}" });
    expect(built.status).toBe(201);
    const id = ((await built.json()) as { edition: { editionId: string } }).edition.editionId;
    expect(await counts(id)).toEqual({});
    expect(((await (await call("/admin/editions/next")).json()) as { status: string }).status).toBe("nothing-new");

    // A PATCHed subject reaches the test send (one address, nothing recorded) and the real send.
    const subject = "Done when: the operator's subject";
    expect((await call(`/admin/editions/${id}`, { method: "PATCH", body: JSON.stringify({ subject }) })).status).toBe(200);
    expect((await call(`/admin/editions/${id}/test`, { method: "POST", body: JSON.stringify({ to: `editor@${DOMAIN}` }) })).status).toBe(
      202,
    );
    expect((await fakeEmails(DOMAIN)).emails.map((e) => [e.to, e.subject])).toEqual([[[`editor@${DOMAIN}`], `[Test] ${subject}`]]);
    expect(await counts(id)).toEqual({});
    const queue = new RecordingQueue();
    expect((await call(`/admin/editions/${id}/send`, { method: "POST" }, { DELIVERIES: queue as unknown as Queue })).status).toBe(202);
    await drain(queue, {}, { testEnv: { ...env, MAIL_TRANSPORT: "resend" } as Env });
    expect(await counts(id)).toEqual({ sent: 2 });
    const real = (await fakeEmails(DOMAIN)).emails.filter((e) => !e.to.includes(`editor@${DOMAIN}`));
    expect(real.map((e) => e.subject)).toEqual([subject, subject]);

    // Signed events: delivered (one replayed), opened twice by one reader, clicked once.
    const providerId = async (email: string) =>
      (await env.DB.prepare("SELECT provider_id AS p FROM deliveries WHERE edition_id = ? AND email = ?")
        .bind(id, email)
        .first<{ p: string }>())!.p;
    const [pa, pb] = [await providerId(a!.email), await providerId(b!.email)];
    const replayed = `msg_${crypto.randomUUID()}`;
    for (const init of [
      signedEvent("email.delivered", pa, replayed),
      signedEvent("email.delivered", pa, replayed),
      signedEvent("email.delivered", pb),
      signedEvent("email.opened", pa),
      signedEvent("email.opened", pa),
      signedEvent("email.opened", pb),
      signedEvent("email.clicked", pa, undefined, { click: { link: "https://news.example/a" } }),
    ]) {
      expect((await call("/webhooks/resend", init)).status).toBe(200);
    }
    const status = (await (await call(`/admin/editions/${id}`)).json()) as { engagement: Record<string, number> };
    expect(status.engagement).toMatchObject({ delivered: 2, opened: 2, clicked: 1 });

    // DELETE: the page answers 410 and leaves the feed; the delivery records stay.
    expect(await (await call("/feed.xml")).text()).toContain(`/editions/${id}`);
    expect(((await (await call(`/admin/editions/${id}`, { method: "DELETE" })).json()) as { outcome: string }).outcome).toBe("unpublished");
    expect((await call(`/editions/${id}`, { headers: { accept: "text/html" } })).status).toBe(410);
    expect(await (await call("/feed.xml")).text()).not.toContain(`/editions/${id}`);
    expect(await counts(id)).toEqual({ sent: 2 });

    // Settings round-trip; an impossible time or zone is a 422 naming the field.
    const put = await call("/admin/settings", {
      method: "PUT",
      body: JSON.stringify({ sendAt: "06:15", timezone: "Europe/Berlin", days: ["mon", "thu"] }),
    });
    expect(await put.json()).toMatchObject({ sendAt: "06:15", timezone: "Europe/Berlin", days: ["mon", "thu"] });
    expect(await (await call("/admin/settings")).json()).toMatchObject({
      sendAt: "06:15",
      timezone: "Europe/Berlin",
      days: ["mon", "thu"],
    });
    const badTime = await call("/admin/settings", { method: "PUT", body: JSON.stringify({ sendAt: "25:00" }) });
    const badZone = await call("/admin/settings", { method: "PUT", body: JSON.stringify({ timezone: "Mars/Olympus" }) });
    expect([badTime.status, badZone.status]).toEqual([422, 422]);
    expect(((await badTime.json()) as { message: string }).message).toMatch(/^sendAt: /);
    expect(((await badZone.json()) as { message: string }).message).toMatch(/^timezone: /);
  });
});
