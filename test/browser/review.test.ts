// Review before send in a real browser (Debian chromium via playwright-core) against the real
// Worker under `wrangler dev` with its local D1 and Queue: with review on, the schedule's tick
// builds the day's edition and holds it; the operator finds it waiting, test-sends it, edits its
// subject, approves it, and watches it go out (the local queue consumer delivers to the outbox);
// the provider's signed events then show on the edition's page as engagement. No console errors
// (CSP included). Screenshots go to test-results/screenshots/, and to docs/screenshots/ (the
// README's) when UPDATE_SCREENSHOTS=1.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium";
import { type LocalWorker, startLocalWorker } from "./local-worker";

const root = fileURLToPath(new URL("../..", import.meta.url));
const shots = `${root}test-results/screenshots`;
const docs = `${root}docs/screenshots`;
const WEBHOOK_SECRET = "whsec_cmV2aWV3LWJyb3dzZXItdGVzdC1zZWNyZXQtMDEy";

let worker: LocalWorker;
let browser: Browser;

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${worker.url}${path}`, { ...init, headers: { authorization: `Bearer ${worker.adminToken}`, ...(init.headers ?? {}) } });

/** A provider event, signed as Resend signs it. */
function event(type: string, emailId: string, extra: Record<string, unknown> = {}) {
  const id = `msg_${crypto.randomUUID()}`;
  const at = new Date();
  const body = JSON.stringify({ type, created_at: at.toISOString(), data: { email_id: emailId, to: ["x@reader.example"], ...extra } });
  return fetch(`${worker.url}/webhooks/resend`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": new Webhook(WEBHOOK_SECRET).sign(id, at, body),
    },
    body,
  });
}

beforeAll(async () => {
  worker = await startLocalWorker({
    // Due a minute ago, so the first tick builds it (a tick more than 3 hours late would not).
    settings: {
      REVIEW_BEFORE_SEND: "on",
      SEND_AT: new Date(Date.now() - 60_000).toISOString().slice(11, 16),
      SEND_TIMEZONE: "UTC",
      RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
  });
  const csv = ["email,consent", "ann@reader.example,yes", "bob@reader.example,yes", "cy@reader.example,yes"].join("\n");
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

describe("review before send in a real browser", () => {
  it("holds the scheduled edition, test-sends and edits it, sends it on approval, and shows its engagement", async () => {
    // The 10-minute tick: review is on, so the day's edition is built and held.
    expect((await fetch(`${worker.url}/__scheduled?cron=${encodeURIComponent("*/10 * * * *")}`)).ok).toBe(true);
    let waiting: Array<{ editionId: string }> = [];
    for (let i = 0; i < 60 && waiting.length === 0; i++) {
      waiting = ((await (await api("/admin/editions/awaiting")).json()) as { editions: Array<{ editionId: string }> }).editions;
      if (waiting.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(waiting).toHaveLength(1);
    const id = waiting[0]!.editionId;

    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${worker.url}/admin/login`);
      await page.fill("#token", worker.adminToken);
      await page.click("button[type=submit]");
      await page.click("nav >> text=Editions");
      const row = page.locator(`tr[data-edition="${id}"]`);
      expect(await row.textContent()).toMatch(/awaiting approval since \d{4}-\d{2}-\d{2}T/);
      await row.locator(`a[href="/admin/console/editions/${id}"]`).click();
      expect(await page.locator("[data-review]").textContent()).toContain("Awaiting approval since");

      // A new subject, then a test send to the editor: the test carries it.
      await page.fill("#subject", "Reviewed: the morning's stories");
      await page.click("form[action$='/edit'] button");
      expect(await page.locator(".notice").first().textContent()).toContain("rendered again");
      await page.fill("#to", "editor@desk.example");
      await page.click("form[action$='/test'] button");
      expect(await page.locator(".notice").first().textContent()).toContain("Test mail sent");

      // Approve: it goes out; the page reloads itself until done.
      await page.click("button:has-text('Approve and send')");
      let delivery = "";
      for (let i = 0; i < 60 && delivery !== "done"; i++) {
        await page.goto(`${worker.url}/admin/console/editions/${id}`);
        delivery = (await page.locator("[data-delivery]").getAttribute("data-delivery")) ?? "";
        if (delivery !== "done") await page.waitForTimeout(500);
      }
      expect(delivery).toBe("done");
      expect(await page.locator('[data-count="sent"] strong').textContent()).toBe("3");
      expect(await api("/admin/editions/awaiting").then((r) => r.json())).toEqual({ editions: [] });
      const mailbox = await (await fetch(`${worker.url}/dev/mailbox`)).text();
      expect(mailbox).toContain("[Test] Reviewed: the morning");
      expect(mailbox.match(/>Reviewed: the morning/g) ?? []).toHaveLength(3);

      // The provider reports: every outbox id gets delivered and opened, one link clicked; ids
      // that carried no delivery (the test mail) are ignored.
      for (let n = 1; n <= 8; n++) {
        await event("email.delivered", `outbox:${n}`);
        await event("email.opened", `outbox:${n}`);
        if (n <= 2) await event("email.clicked", `outbox:${n}`, { click: { link: "https://news.example/harbour" } });
      }
      await page.goto(`${worker.url}/admin/console/editions/${id}`);
      expect(await page.locator('[data-engagement="delivered"] strong').textContent()).toBe("3");
      expect(await page.locator('[data-engagement="opened"] strong').textContent()).toBe("3");
      await page.screenshot({ path: `${shots}/admin-edition.png`, fullPage: true });
      if (process.env.UPDATE_SCREENSHOTS === "1") await page.screenshot({ path: `${docs}/admin-edition.png`, fullPage: true });
      // At 375 px nothing is cut off: the page does not scroll sideways.
      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto(`${worker.url}/admin/console/subscribers`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      expect(await page.locator("button:has-text('Erase')").first().isVisible()).toBe(true);
      await page.screenshot({ path: `${shots}/admin-subscribers-375.png`, fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
