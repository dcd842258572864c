// The admin console in workerd: the login sets a signed, HttpOnly, SameSite=Strict, expiring
// session cookie (Secure off localhost); pages need it, are no-store and carry the site CSP;
// forms need the Origin and the session's CSRF nonce; the session reads the API, never writes it.
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { PAGE_CSP } from "../../src/http/policy";
import { addSubscribers, resetDelivery } from "../delivery/helpers";

const ORIGIN = "http://localhost";
const go = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(new Request(`${ORIGIN}${path}`, { redirect: "manual", ...init }));

async function login(): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const res = await go("/admin/login", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: ORIGIN,
      "cf-connecting-ip": `10.9.${Math.floor(Math.random() * 250)}.1`,
    },
    body: new URLSearchParams({ token: env.ADMIN_TOKEN }).toString(),
  });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe("/admin");
  const setCookie = res.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0]!;
  const page = await (await go("/admin/console/subscribers", { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  expect(csrf).toBeTruthy();
  return { cookie, csrf: csrf!, setCookie };
}

const form = (path: string, cookie: string, fields: Record<string, string>, origin = ORIGIN) =>
  go(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin, cookie },
    body: new URLSearchParams(fields).toString(),
  });

beforeEach(resetDelivery);

describe("admin console", () => {
  it("sends visitors without a session to the login page, and refuses a wrong token", async () => {
    const res = await go("/admin");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/login");
    const page = await go("/admin/login");
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("content-security-policy")).toBe(PAGE_CSP);
    const wrong = await form("/admin/login", "", { token: "not-the-token-at-all-no" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    // A forged or altered cookie is no session.
    expect((await go("/admin", { headers: { cookie: "admin_session=abc.def" } })).status).toBe(303);
  });

  it("logs in with a signed, HttpOnly, SameSite=Strict, expiring cookie (Secure outside localhost)", async () => {
    const { setCookie, cookie } = await login();
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/admin/);
    expect(setCookie).toMatch(/Max-Age=28800/);
    expect(setCookie).not.toMatch(/Secure/);
    // Every character of the signature carries signature bits but the last, which also carries two
    // unused ones: alter the first (always a different MAC), and the last in every way that keeps
    // the same MAC bits (a non-canonical encoding, refused as well).
    const signature = cookie.lastIndexOf(".") + 1;
    const flip = (ch: string) => (ch === "A" ? "B" : "A");
    const altered = cookie.slice(0, signature) + flip(cookie[signature]!) + cookie.slice(signature + 1);
    expect((await go("/admin", { headers: { cookie: altered } })).status).toBe(303);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(cookie.at(-1)!);
    const sameBits = [...alphabet].filter((_ch, k) => k !== last && k >> 2 === last >> 2);
    expect(sameBits).toHaveLength(3);
    for (const ch of sameBits) expect((await go("/admin", { headers: { cookie: cookie.slice(0, -1) + ch } })).status).toBe(303);

    // Off loopback the production guards apply: real transport, no dev mailbox, long secrets.
    const strong = "x".repeat(48);
    const https = {
      ...env,
      PUBLIC_BASE_URL: "https://news.example",
      MAIL_TRANSPORT: "resend",
      DEV_MAILBOX: "off",
      SIGNING_SECRET: strong,
      ADMIN_TOKEN: strong,
      RESEND_API_KEY: `re_${strong}`,
    } as Env;
    const res = await app.fetch(
      new Request("https://news.example/admin/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://news.example", "cf-connecting-ip": "10.250.0.9" },
        body: new URLSearchParams({ token: strong }).toString(),
      }),
      https,
    );
    expect(res.status, await res.clone().text()).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/; Secure/);
  });

  it("shows counts on the dashboard, no-store with the site CSP, and GET changes nothing", async () => {
    await addSubscribers(3, "console-a-");
    await addSubscribers(2, "console-p-", "pending");
    const { cookie } = await login();
    const before = await env.DB.prepare("SELECT COUNT(*) AS n, MAX(updated_at) AS u FROM subscribers").first();
    for (const path of ["/admin", "/admin/console/editions", "/admin/console/subscribers?q=console-a", "/admin/console/sources"]) {
      const res = await go(path, { headers: { cookie } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("no-store");
      expect(res.headers.get("content-security-policy"), path).toBe(PAGE_CSP);
    }
    const html = await (await go("/admin", { headers: { cookie } })).text();
    expect(html).toMatch(/data-status="active"><strong>3<\/strong>active/);
    expect(html).toMatch(/data-status="pending"><strong>2<\/strong>pending/);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n, MAX(updated_at) AS u FROM subscribers").first()).toEqual(before);
  });

  it("shows each source with what the ingest stage stored of it on the sources page", async () => {
    const { cookie } = await login();
    const html = await (await go("/admin/console/sources", { headers: { cookie } })).text();
    // With no feed configured the seeds are the source, and the page says what is stored of them.
    expect(html).toContain("Bundled seeds");
    expect(html).toMatch(/\d+ items stored/);
  });

  it("needs the Origin and the session's CSRF nonce on every form", async () => {
    const [reader] = await addSubscribers(1, "console-erase-");
    const { cookie, csrf } = await login();
    const erase = "/admin/console/subscribers/erase";
    expect((await form(erase, cookie, { email: reader!.email })).status).toBe(403);
    expect((await form(erase, cookie, { email: reader!.email, csrf: `${csrf}x` })).status).toBe(403);
    expect((await form(erase, cookie, { email: reader!.email, csrf }, "https://evil.example")).status).toBe(403);
    expect((await form(erase, "", { email: reader!.email, csrf })).status).toBe(403);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM subscribers").first()).toEqual({ n: 1 });
    // Erasure cannot be undone: without the address typed again (or with another one), nothing happens.
    expect((await form(erase, cookie, { email: reader!.email, csrf })).status).toBe(422);
    expect((await form(erase, cookie, { email: reader!.email, csrf, confirm: "someone@else.example" })).status).toBe(422);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM subscribers").first()).toEqual({ n: 1 });
    const ok = await form(erase, cookie, { email: reader!.email, csrf, confirm: reader!.email });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/admin/console/subscribers?n=erased");
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM subscribers").first()).toEqual({ n: 0 });
  });

  it("lets the session read the API (CSV export) but never write through it, and logs out", async () => {
    const [reader] = await addSubscribers(1, "console-api-");
    const { cookie, csrf } = await login();
    const csv = await go("/admin/subscribers.csv", { headers: { cookie } });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain(reader!.email);
    const erase = await go("/admin/subscribers/erase", {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ email: reader!.email }),
    });
    expect(erase.status).toBe(401);
    const out = await form("/admin/logout", cookie, { csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/admin_session=;.*Max-Age=0/);
  });

  it("ends the session on the server at logout: the cookie kept from before no longer reads the export (issue 21, F6)", async () => {
    const [reader] = await addSubscribers(1, "console-logout-");
    const { cookie, csrf } = await login();
    expect((await go("/admin/subscribers.csv", { headers: { cookie } })).status).toBe(200);
    expect((await form("/admin/logout", cookie, { csrf })).status).toBe(303);
    // The same cookie, replayed after the logout (a copy kept by a proxy, a shared machine...).
    const csv = await go("/admin/subscribers.csv", { headers: { cookie } });
    expect(csv.status).toBe(401);
    expect(await csv.text()).not.toContain(reader!.email);
    const dashboard = await go("/admin", { headers: { cookie } });
    expect(dashboard.status).toBe(303);
    expect(dashboard.headers.get("location")).toBe("/admin/login");
    // Another session, logged in apart, is not touched by that logout.
    const other = await login();
    expect((await go("/admin/subscribers.csv", { headers: { cookie: other.cookie } })).status).toBe(200);
  });

  it("lifts a bounce from the subscribers page, an explicit form with the session's nonce", async () => {
    const [reader] = await addSubscribers(1, "console-lift-");
    await env.DB.prepare("UPDATE subscribers SET status = 'bounced', suppressed_reason = 'bounced' WHERE id = ?").bind(reader!.id).run();
    const { cookie, csrf } = await login();
    const page = await (await go(`/admin/console/subscribers?status=bounced`, { headers: { cookie } })).text();
    expect(page).toContain('action="/admin/console/subscribers/lift"');
    expect((await form("/admin/console/subscribers/lift", cookie, { email: reader!.email })).status).toBe(403);
    const ok = await form("/admin/console/subscribers/lift", cookie, { email: reader!.email, csrf });
    expect(ok.headers.get("location")).toBe("/admin/console/subscribers?n=lifted");
    expect(await env.DB.prepare("SELECT status FROM subscribers WHERE id = ?").bind(reader!.id).first()).toEqual({
      status: "unsubscribed",
    });
  });

  it("ends a session left idle for 30 minutes, however long its cookie would live", async () => {
    const { cookie } = await login();
    expect((await go("/admin", { headers: { cookie } })).status).toBe(200);
    await env.DB.prepare("UPDATE admin_sessions SET last_seen_at = ?")
      .bind(new Date(Date.now() - 31 * 60_000).toISOString())
      .run();
    expect((await go("/admin", { headers: { cookie } })).status).toBe(303);
    expect((await go("/admin/subscribers.csv", { headers: { cookie } })).status).toBe(401);
  });
});

describe("console import", () => {
  it("shows a dry run's report and changes nothing", async () => {
    const { cookie, csrf } = await login();
    const res = await form("/admin/console/subscribers/import", cookie, {
      csrf,
      dryRun: "1",
      csv: "email,consent\nnew-one@example.com,yes\n",
    });
    const html = await res.text();
    expect(res.status, html.slice(html.indexOf("<main>"), html.indexOf("<main>") + 1500)).toBe(200);
    expect(html).toContain("Dry run: what the import would do");
    expect(html).toMatch(/data-action="add-active"><strong>1<\/strong>/);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM subscribers").first()).toEqual({ n: 0 });
  });
});
