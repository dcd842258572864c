// Every HTML answer carries a CSP: the site's (no script, the one stylesheet by hash) on pages
// and error pages, and the email policy where an email's own HTML is shown.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runScheduled } from "../../src/jobs/scheduled";
import { PAGE_CSP } from "../../src/http/policy";

const get = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(new Request(`http://localhost${path}`, { headers: { accept: "text/html" }, ...init }));

describe("Content-Security-Policy", () => {
  it("is the site policy on every page, error page and subscription page", async () => {
    const { build } = await runScheduled(env, new Date("2026-11-20T07:00:00Z"), "0 7 * * *");
    const id = build.editionId;
    const form = new URLSearchParams({ email: "csp-reader@example.com", source: "landing" });
    const pages: [string, Response][] = [
      ["/", await get("/")],
      ["/editions", await get("/editions")],
      [`/editions/${id}`, await get(`/editions/${id}`)],
      [`/editions/${id}/sources/000_b1cf72ef45b43b21.txt`, await get(`/editions/${id}/sources/000_b1cf72ef45b43b21.txt`)],
      ["/no/such/page (404)", await get("/no/such/page")],
      ["POST /preview (405)", await get("/preview", { method: "POST" })],
      [
        "POST /subscribe",
        await get("/subscribe", {
          method: "POST",
          headers: {
            accept: "text/html",
            origin: "http://localhost",
            "content-type": "application/x-www-form-urlencoded",
            "cf-connecting-ip": "198.51.100.77",
          },
          body: form,
        }),
      ],
      ["/confirm (bad link)", await get("/confirm?token=nope")],
      ["/dev/mailbox", await get("/dev/mailbox")],
    ];
    for (const [what, res] of pages) {
      expect(res.headers.get("content-type"), what).toMatch(/^text\/html/);
      expect(res.headers.get("content-security-policy"), what).toBe(PAGE_CSP);
    }
  });

  it("is on the 500 page too", async () => {
    const { app } = await import("../../src/app");
    const broken = {
      ...env,
      DB: {
        prepare: () => {
          throw new Error("broken database");
        },
      },
    } as unknown as Env;
    const res = await app.fetch(new Request("http://localhost/editions", { headers: { accept: "text/html" } }), broken);
    expect(res.status).toBe(500);
    expect(res.headers.get("content-security-policy")).toBe(PAGE_CSP);
  });

  it("is the email policy where an email's own HTML is shown", async () => {
    const preview = await get("/preview");
    const csp = preview.headers.get("content-security-policy") ?? "";
    expect(csp).not.toBe(PAGE_CSP);
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).not.toContain("script-src");
  });
});
