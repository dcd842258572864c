// The admin console in a real browser (Debian chromium via playwright-core) against the real
// Worker under `wrangler dev` with its local D1 and Queue: log in, see the counts, search a
// subscriber, erase one, export CSV, import with a dry run, build and send an edition (the
// local queue consumer delivers it to the outbox), log out. No console errors (CSP included).
// The dashboard screenshot goes to test-results/screenshots/, and to docs/screenshots/ (the
// README's) when UPDATE_SCREENSHOTS=1.
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "./local-worker";
import { launchChromium } from "./chromium";

const root = fileURLToPath(new URL("../..", import.meta.url));
const shots = `${root}test-results/screenshots`;
const docs = `${root}docs/screenshots`;

let worker: LocalWorker;
let browser: Browser;

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${worker.url}${path}`, { ...init, headers: { authorization: `Bearer ${worker.adminToken}`, ...(init.headers ?? {}) } });

beforeAll(async () => {
  worker = await startLocalWorker();
  // Three readers who consented elsewhere, one invited (pending), through the admin API.
  const csv = [
    "email,consent,consent_at",
    "ann@reader.example,yes,2026-01-05T10:00:00Z",
    "bob@reader.example,yes,2026-01-06T10:00:00Z",
    "cy@reader.example,yes,2026-01-07T10:00:00Z",
    "dee@reader.example,no,",
  ].join("\n");
  const res = await api("/admin/subscribers/import", { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
  if (!res.ok) throw new Error(`seed import answered ${res.status}: ${await res.text()}`);
  browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
  if (process.env.UPDATE_SCREENSHOTS === "1") mkdirSync(docs, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

const count = (page: Page, status: string) => page.locator(`.counts li[data-status="${status}"] strong`).first().textContent();
const notice = (page: Page) => page.locator(".notice").textContent();

describe("admin console in a real browser", () => {
  it("logs in, counts, searches, erases, exports, imports with a dry run, builds and sends, and logs out", async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      // Log in.
      await page.goto(`${worker.url}/admin`);
      expect(new URL(page.url()).pathname).toBe("/admin/login");
      await page.fill("#token", "not-the-admin-token");
      await page.click("button[type=submit]");
      expect(await page.locator(".error").textContent()).toContain("not the admin token");
      // That 401 is logged by the browser as a failed load; only errors after it count.
      errors.length = 0;
      await page.fill("#token", worker.adminToken);
      await page.click("button[type=submit]");
      expect(new URL(page.url()).pathname).toBe("/admin");
      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === "admin_session");
      expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/admin" });

      // The counts.
      expect(await count(page, "active")).toBe("3");
      expect(await count(page, "pending")).toBe("1");

      // Search a subscriber, then erase it.
      await page.click("nav >> text=Subscribers");
      await page.fill("#q", "ann@");
      await page.click("form[method=get] button");
      const rows = page.locator("tbody tr[data-email]");
      expect(await rows.count()).toBe(1);
      expect(await rows.first().getAttribute("data-email")).toBe("ann@reader.example");
      // Erasure asks for the address typed again.
      await rows.first().locator("input[name=confirm]").fill("ann@reader.example");
      await rows.first().locator("button", { hasText: "Erase" }).click();
      expect(await notice(page)).toContain("erased");
      expect(await page.locator('tbody tr[data-email="ann@reader.example"]').count()).toBe(0);
      expect(await count(page, "active")).toBe("2");

      // Export CSV.
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=Download every subscriber as CSV")]);
      const csv = readFileSync((await download.path())!, "utf8");
      expect(csv.split("\r\n")[0]).toBe("email,status,source,created_at,confirmed_at,consent_at,consent_page,unsubscribed_at");
      expect(csv).toContain("bob@reader.example,active,import");
      expect(csv).not.toContain("ann@reader.example");

      // Import with a dry run: the erased reader is not brought back, nothing changes.
      await page.fill("#csv", "email,consent\nann@reader.example,yes\neve@reader.example,yes\n");
      expect(await page.isChecked("input[name=dryRun]")).toBe(true);
      await page.click("form[action$='/import'] button");
      expect(await page.locator("section[aria-label='Import result'] h2").textContent()).toContain("Dry run");
      expect(await page.locator("[data-action=suppressed] strong").textContent()).toBe("1");
      expect(await page.locator("[data-action=add-active] strong").textContent()).toBe("1");
      const after = (await (await api("/admin/subscribers")).json()) as { counts: Record<string, number> };
      expect(after.counts).toMatchObject({ active: 2, pending: 1 });

      // Build and send an edition.
      await page.click("nav >> text=Editions");
      await page.check("input[name=force]");
      await page.click("form[action$='/build'] button");
      expect(await notice(page)).toMatch(/built/i);
      const row = page.locator("tbody tr[data-edition]").first();
      const editionId = await row.getAttribute("data-edition");
      await row.locator("button", { hasText: "Send" }).click();
      expect(await notice(page)).toContain("Sending started");
      // The local queue consumer delivers it: the dashboard shows the progress.
      let progress = "";
      for (let i = 0; i < 60 && !/done · 2\/2 sent/.test(progress); i++) {
        await page.goto(`${worker.url}/admin`);
        progress = (await page.locator(`tr[data-edition="${editionId}"] td`).nth(1).textContent()) ?? "";
        if (!/done · 2\/2 sent/.test(progress)) await page.waitForTimeout(500);
      }
      expect(progress).toContain("done · 2/2 sent");
      await page.screenshot({ path: `${shots}/admin-dashboard.png`, fullPage: true });
      if (process.env.UPDATE_SCREENSHOTS === "1") await page.screenshot({ path: `${docs}/admin-dashboard.png`, fullPage: true });

      // Log out: the console is closed again.
      await page.click("nav button:has-text('Log out')");
      expect(new URL(page.url()).pathname).toBe("/admin/login");
      await page.goto(`${worker.url}/admin`);
      expect(new URL(page.url()).pathname).toBe("/admin/login");
      expect(errors, errors.join("\n")).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
