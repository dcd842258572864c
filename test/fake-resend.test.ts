// The fake provider is reachable from inside workerd and keeps Resend's idempotency promise.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";

const base = () => env.RESEND_BASE_URL;
const send = (body: unknown, key?: string) =>
  fetch(`${base()}/emails/batch`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.RESEND_API_KEY}`, "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
    body: JSON.stringify(body),
  });

describe("fake Resend server", () => {
  beforeEach(async () => {
    await fetch(`${base()}/__reset`, { method: "POST" });
  });

  it("accepts a batch once per idempotency key", async () => {
    const batch = [{ from: "a@example.com", to: ["b@example.com"], subject: "Hi", text: "x" }];
    const first = await send(batch, "k1");
    const again = await send(batch, "k1");
    expect(first.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    const { emails } = (await (await fetch(`${base()}/__emails`)).json()) as { emails: unknown[] };
    expect(emails).toHaveLength(1);
    expect((await send([{ ...batch[0], subject: "Other" }], "k1")).status).toBe(409);
  });

  it("fails on demand and rejects invalid recipients permanently", async () => {
    await fetch(`${base()}/__control`, { method: "POST", body: JSON.stringify({ failRate: 1, modes: ["429"] }) });
    expect((await send([{ from: "a@example.com", to: ["b@example.com"], subject: "s", text: "t" }])).status).toBe(429);
    await fetch(`${base()}/__control`, { method: "POST", body: JSON.stringify({ failRate: 0 }) });
    expect((await send([{ from: "a@example.com", to: ["invalid@example.com"], subject: "s", text: "t" }])).status).toBe(422);
  });
});
