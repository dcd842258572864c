// The foundation slice in workerd: health, preview, 404s and the cron handler against local D1.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { SEED_ARTICLES } from "../src/generated/seeds";

const get = (path: string, headers: Record<string, string> = {}) =>
  exports.default.fetch(new Request(`http://localhost${path}`, { headers }));

describe("GET /healthz", () => {
  it("answers ok with D1 reachable", async () => {
    const res = await get("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", db: true });
  });
});

describe("GET /preview", () => {
  it("renders the seeds' digest as MJML email HTML", async () => {
    const res = await get("/preview");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    // MJML's output shape: an XHTML doctype with Outlook conditional comments and layout tables.
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain("<!--[if mso | IE]>");
    expect(html).toMatch(/<table[^>]*role="presentation"/);
    // Computed from the bundled seeds, not hard-coded: text from both seed files shows up.
    expect(SEED_ARTICLES.map((a) => a.id).sort()).toEqual(["000_b1cf72ef45b43b21.txt", "004_18b38c35d2686478.txt"]);
    expect(html).toMatch(/Blinken/);
    expect(html).toMatch(/Lavrov/);
  });

  it("serves the Digest as JSON with the CLI's shape", async () => {
    const res = await get("/preview?format=json");
    const digest = (await res.json()) as {
      title: string;
      date: string;
      stories: { id: string; headline: string; summary: string[]; sources: { id: string }[] }[];
    };
    expect(digest.title).toBe(env.NEWSLETTER_TITLE);
    expect(digest.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(digest.stories.length).toBeGreaterThan(0);
    for (const story of digest.stories) {
      expect(typeof story.id).toBe("string");
      expect(story.headline.length).toBeGreaterThan(0);
      expect(Array.isArray(story.summary)).toBe(true);
      expect(story.sources.length).toBeGreaterThan(0);
    }
    const sourceIds = digest.stories.flatMap((s) => s.sources.map((x) => x.id)).sort();
    expect(sourceIds).toEqual(SEED_ARTICLES.map((a) => a.id).sort());
  });
});

describe("wrong methods", () => {
  it("get 405 with an Allow header naming what the path does answer", async () => {
    for (const [method, path, allow] of [
      ["POST", "/preview", "GET, HEAD"],
      ["DELETE", "/editions/2026-11-23", "GET, HEAD"],
      ["PUT", "/subscribe", "GET, HEAD, POST"],
      ["PATCH", "/unsubscribe", "GET, HEAD, POST"],
      ["POST", "/feed.xml", "GET, HEAD"],
    ] as const) {
      const res = await exports.default.fetch(new Request(`http://localhost${path}`, { method, headers: { accept: "application/json" } }));
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(await res.json()).toMatchObject({ error: "Method not allowed" });
    }
  });

  it("leave unknown paths a 404", async () => {
    const res = await exports.default.fetch(
      new Request("http://localhost/editions/2026-11-23/nothing/here", { method: "POST", headers: { accept: "application/json" } }),
    );
    expect(res.status).toBe(404);
  });
});

describe("unknown routes", () => {
  it("get an HTML 404 page for browsers", async () => {
    const res = await get("/no/such/page", { accept: "text/html" });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("Not found");
    // Same CSP as every page; the page's only style is the site stylesheet it allows by hash.
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    const hash = /'sha256-([^']+)'/.exec(csp)?.[1];
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(css)));
    expect(btoa(String.fromCharCode(...digest))).toBe(hash);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it("get a JSON 404 for API clients", async () => {
    const res = await get("/no/such/page", { accept: "application/json" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: "Not found" });
    // Media types are case-insensitive.
    const shouted = await get("/no/such/page", { accept: "Application/JSON" });
    expect(shouted.headers.get("content-type")).toMatch(/^application\/json/);
  });
});

describe("unhandled errors", () => {
  it("answer 500 in the caller's format with no stack trace or internals", async () => {
    const { app } = await import("../src/app");
    // A D1 binding that throws like a broken database would, with a path and stack in its message.
    const broken = {
      ...env,
      DB: {
        prepare: () => {
          throw new Error("boom at src/db/archive.ts:12");
        },
      },
    } as unknown as Env;
    for (const accept of ["text/html", "application/json"]) {
      const res = await app.fetch(new Request("http://localhost/editions", { headers: { accept } }), broken, createExecutionContext());
      expect(res.status).toBe(500);
      expect(res.headers.get("content-type")).toMatch(accept === "text/html" ? /^text\/html/ : /^application\/json/);
      const body = await res.text();
      expect(body).toContain("Something went wrong");
      expect(body).not.toMatch(/boom|archive\.ts|\n\s+at /);
    }
  });
});

describe("scheduled handler", () => {
  it("builds and stores the slot's edition in D1", async () => {
    const scheduledTime = Date.UTC(2026, 10, 23, 7, 0);
    const controller = createScheduledController({ scheduledTime, cron: "0 7 * * *" });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);
    const row = await env.DB.prepare("SELECT id, slot, html, digest_json FROM editions WHERE slot = ?")
      .bind("2026-11-23T07:00Z")
      .first<{ id: string; slot: string; html: string; digest_json: string }>();
    expect(row).not.toBeNull();
    expect(row!.html).toContain("Blinken");
    expect(JSON.parse(row!.digest_json).stories.length).toBeGreaterThan(0);
  });
});
