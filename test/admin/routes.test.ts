// The admin API: bearer token required, JSON only, clear 4xx for bad input, and the build /
// send / status round trip.
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { resetDelivery } from "../delivery/helpers";

const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  const token = init.token === undefined ? env.ADMIN_TOKEN : init.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return exports.default.fetch(new Request(`http://localhost${path}`, { ...init, headers }));
};

beforeEach(resetDelivery);

describe("admin API authentication", () => {
  const routes: Array<[string, string]> = [
    ["POST", "/admin/editions"],
    ["POST", "/admin/editions/2030-01-01/send"],
    ["GET", "/admin/editions/2030-01-01"],
  ];

  it.each(routes)("%s %s answers 401 without the token and changes nothing", async (method, path) => {
    const res = await call(path, { method, token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(res.headers.get("content-type")).toMatch(/json/);
    expect(await res.json()).toMatchObject({ error: "Unauthorized" });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM editions").first()).toEqual({ n: 0 });
  });

  it("answers 401 to a wrong token and 400 to a malformed header", async () => {
    expect((await call("/admin/editions", { method: "POST", token: "not-the-admin-token-at-all" })).status).toBe(401);
    expect((await call("/admin/editions/x", { token: `${env.ADMIN_TOKEN}x` })).status).toBe(401);
    const basic = await exports.default.fetch(
      new Request("http://localhost/admin/editions/x", { headers: { authorization: "Basic abc" } }),
    );
    expect(basic.status).toBe(400);
    expect(await basic.json()).toMatchObject({ error: "Bad request" });
  });
});

describe("admin API", () => {
  it("builds an edition now, and a second call for the slot is a no-op", async () => {
    const body = JSON.stringify({ slot: "admin-test-1" });
    const first = await call("/admin/editions", { method: "POST", body, headers: { "content-type": "application/json" } });
    expect(first.status).toBe(201);
    const built = (await first.json()) as { edition: { status: string; editionId: string; created: boolean }; send: unknown };
    expect(built.edition).toMatchObject({ status: "built", created: true });
    expect(built.send).toBeNull();
    const again = await call("/admin/editions", { method: "POST", body, headers: { "content-type": "application/json" } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ edition: { editionId: built.edition.editionId, created: false } });

    const status = await call(`/admin/editions/${built.edition.editionId}`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({
      edition: { id: built.edition.editionId, slot: "admin-test-1", status: "built" },
      fanout: null,
      deliveries: { total: 0, counts: { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 }, failures: [] },
    });
  });

  it("starts sending with send: true and reports the fan-out", async () => {
    const res = await call("/admin/editions", {
      method: "POST",
      body: JSON.stringify({ slot: "admin-test-2", send: true }),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(201);
    const json = (await res.json()) as { send: { started: boolean; fanout: { status: string } } };
    expect(json.send).toMatchObject({ started: true, fanout: { status: "running" } });
  });

  it("reads the media type as the rest of the app does: case-insensitive, parameters ignored", async () => {
    const res = await call("/admin/editions", {
      method: "POST",
      body: JSON.stringify({ slot: "admin-test-3" }),
      headers: { "content-type": "Application/JSON; charset=utf-8" },
    });
    expect(res.status).toBe(201);
    const sequel = await call("/admin/editions", {
      method: "POST",
      body: JSON.stringify({ slot: "admin-test-4" }),
      headers: { "content-type": "application/json-seq" },
    });
    expect(sequel.status).toBe(415);
  });

  it.each([
    ["broken JSON", "{", "application/json", 400, "Bad JSON"],
    ["a wrong type", JSON.stringify({ force: "yes" }), "application/json", 422, "Invalid request"],
    ["an unknown field", JSON.stringify({ forse: true }), "application/json", 422, "Invalid request"],
    ["a slot with bad characters", JSON.stringify({ slot: "../../etc" }), "application/json", 422, "Invalid request"],
    ["a slot too long", JSON.stringify({ slot: "x".repeat(65) }), "application/json", 422, "Invalid request"],
    ["a JSON array", "[]", "application/json", 422, "Invalid request"],
    ["form data", "force=true", "application/x-www-form-urlencoded", 415, "Unsupported media type"],
    ["a huge body", JSON.stringify({ slot: "a", pad: "x".repeat(10_000) }), "application/json", 413, "Payload too large"],
  ])("answers %s with a clear 4xx and builds nothing", async (_name, body, type, status, error) => {
    const res = await call("/admin/editions", { method: "POST", body, headers: { "content-type": type } });
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: string; message: string };
    expect(json.error).toBe(error);
    expect(json.message.length).toBeGreaterThan(5);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM editions").first()).toEqual({ n: 0 });
  });

  it("answers unknown editions with 404 and bad ids with 400, in JSON", async () => {
    for (const [path, method, status] of [
      ["/admin/editions/2099-01-01", "GET", 404],
      ["/admin/editions/2099-01-01/send", "POST", 404],
      ["/admin/editions/bad%20id", "GET", 400],
      ["/admin/editions/bad%20id/send", "POST", 400],
      ["/admin/nothing-here", "GET", 404],
    ] as const) {
      const res = await call(path, { method });
      expect(res.status, path).toBe(status);
      expect(res.headers.get("content-type"), path).toMatch(/json/);
    }
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM fanouts").first()).toEqual({ n: 0 });
  });
});
