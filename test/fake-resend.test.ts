// The fake provider is reachable from inside workerd and keeps Resend's idempotency promise.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";

const base = () => env.RESEND_BASE_URL;
/** This file's recipient domain: the fake keeps faults, mail and idempotency memory per domain. */
const SCOPE = "fake-resend.test";
const send = (body: unknown, key?: string) =>
  fetch(`${base()}/emails/batch`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${env.RESEND_API_KEY}`,
      "content-type": "application/json",
      ...(key ? { "idempotency-key": key } : {}),
    },
    body: JSON.stringify(body),
  });

describe("fake Resend server", () => {
  beforeEach(async () => {
    await fetch(`${base()}/__reset?scope=${SCOPE}`, { method: "POST" });
    await fetch(`${base()}/__control`, { method: "POST", body: JSON.stringify({ scope: SCOPE }) });
  });

  it("accepts a batch once per idempotency key", async () => {
    const batch = [{ from: "a@example.com", to: [`b@${SCOPE}`], subject: "Hi", text: "x" }];
    const first = await send(batch, "k1");
    const again = await send(batch, "k1");
    expect(first.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    const { emails } = (await (await fetch(`${base()}/__emails?scope=${SCOPE}`)).json()) as { emails: unknown[] };
    expect(emails).toHaveLength(1);
    expect((await send([{ ...batch[0], subject: "Other" }], "k1")).status).toBe(409);
  });

  it("keeps faults to their scope", async () => {
    await fetch(`${base()}/__control`, { method: "POST", body: JSON.stringify({ scope: SCOPE, failRate: 1, modes: ["500"] }) });
    expect((await send([{ from: "a@example.com", to: [`x@${SCOPE}`], subject: "s", text: "t" }])).status).toBe(500);
    expect((await send([{ from: "a@example.com", to: ["x@elsewhere.example"], subject: "s", text: "t" }])).status).toBe(200);
  });

  it("fails on demand and rejects invalid recipients permanently", async () => {
    await fetch(`${base()}/__control`, { method: "POST", body: JSON.stringify({ scope: SCOPE, failRate: 1, modes: ["429"] }) });
    expect((await send([{ from: "a@example.com", to: [`b@${SCOPE}`], subject: "s", text: "t" }])).status).toBe(429);
    await fetch(`${base()}/__control`, { method: "POST", body: JSON.stringify({ scope: SCOPE, failRate: 0 }) });
    expect((await send([{ from: "a@example.com", to: [`invalid@${SCOPE}`], subject: "s", text: "t" }])).status).toBe(422);
  });
});
