// Configuration is checked once with clear messages, and the delivery batch size var reaches the
// fan-out that the admin API starts.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../src/app";
import { ConfigError, getConfig } from "../src/config";

describe("getConfig", () => {
  it("reads the vars with their defaults", () => {
    const config = getConfig({
      ...env,
      DELIVERY_BATCH_SIZE: undefined,
      FEED_URLS: " https://a.example/feed.xml, https://b.example/rss ",
    } as unknown as Env);
    expect(config.deliveryBatchSize).toBe(100);
    expect(config.feedUrls).toEqual(["https://a.example/feed.xml", "https://b.example/rss"]);
    expect(config.baseUrl).not.toMatch(/\/$/);
    for (const ok of ["https://digest.example.com/", "http://localhost:8787", "http://127.0.0.1:9000"]) {
      expect(getConfig({ ...env, PUBLIC_BASE_URL: ok } as unknown as Env).baseUrl).toBe(ok.replace(/\/$/, ""));
    }
  });

  it("refuses a bad deployment with a message naming each problem", () => {
    for (const [name, value, message] of [
      ["DELIVERY_BATCH_SIZE", "0", /DELIVERY_BATCH_SIZE must be a whole number from 1 to 100/],
      ["DELIVERY_BATCH_SIZE", "101", /DELIVERY_BATCH_SIZE/],
      ["DELIVERY_BATCH_SIZE", "ten", /DELIVERY_BATCH_SIZE/],
      ["SIGNING_SECRET", "short", /SIGNING_SECRET must be at least 16 characters/],
      ["MAIL_TRANSPORT", "carrier-pigeon", /MAIL_TRANSPORT/],
      ["PUBLIC_BASE_URL", "not a url", /PUBLIC_BASE_URL/],
      ["PUBLIC_BASE_URL", "http://digest.example.com", /PUBLIC_BASE_URL must be an https:\/\/ URL/],
    ] as const) {
      expect(() => getConfig({ ...env, [name]: value } as unknown as Env), `${name}=${value}`).toThrow(ConfigError);
      expect(() => getConfig({ ...env, [name]: value } as unknown as Env)).toThrow(message);
    }
  });
});

describe("DELIVERY_BATCH_SIZE", () => {
  it("sets the recipients per provider batch of a send started from the admin API", async () => {
    const custom = { ...env, DELIVERY_BATCH_SIZE: "7" } as Env;
    const res = await app.fetch(
      new Request("http://localhost/admin/editions", {
        method: "POST",
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ force: true, send: true, slot: "config-test-slot" }),
      }),
      custom,
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { send: { fanout: { batchSize: number } } };
    expect(body.send.fanout.batchSize).toBe(7);
  });
});

describe("validation messages", () => {
  it("say what was expected, not just that the input is invalid", async () => {
    const res = await app.fetch(
      new Request("http://localhost/admin/editions", {
        method: "POST",
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ force: "yes" }),
      }),
      env,
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/force: .*expected boolean, received string/);
  });
});
