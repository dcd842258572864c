// A new reader's whole round trip in a real browser against `wrangler dev` with the local
// outbox: subscribe on the landing page, open the confirmation in /dev/mailbox, confirm, receive
// the next edition, and leave with the RFC 8058 one-click unsubscribe its headers carry.
import type { Browser, Page } from "playwright-core";
import PostalMime from "postal-mime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker, type LocalWorker } from "./local-worker";
import { launchChromium } from "./chromium";

let worker: LocalWorker;
let browser: Browser;

beforeAll(async () => {
  worker = await startLocalWorker();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

/** A page that records console errors (CSP violations included) for the whole visit. */
async function watchedPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
  return { page, errors };
}

interface MailboxEntry {
  id: number;
  kind: string;
  to: string;
  subject: string;
}

async function mailFor(address: string, kind: string): Promise<MailboxEntry> {
  for (let i = 0; i < 100; i++) {
    const { messages } = (await (await fetch(`${worker.url}/dev/mailbox`, { headers: { accept: "application/json" } })).json()) as {
      messages: MailboxEntry[];
    };
    const hit = messages.find((m) => m.to === address && m.kind === kind);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no ${kind} email for ${address} in the outbox`);
}

describe("a reader's round trip in the browser", () => {
  it("subscribes, confirms from the mailbox, gets the edition and unsubscribes in one click", async () => {
    const address = `reader-${Date.now()}@example.com`;
    const { page, errors } = await watchedPage();

    await page.goto(worker.url + "/");
    await page.fill('input[name="email"]', address);
    await Promise.all([
      page.waitForURL(/\/subscribe$/),
      page.click('form[action="/subscribe"] button[type="submit"], form[action="/subscribe"] button'),
    ]);
    expect(await page.textContent("h1")).toMatch(/check your inbox/i);

    const confirmation = await mailFor(address, "confirmation");
    await page.goto(`${worker.url}/dev/mailbox/${confirmation.id}`);
    const confirmUrl = await page.getAttribute('a[href*="/confirm?token="]', "href");
    expect(confirmUrl).toBeTruthy();
    await page.goto(confirmUrl!);
    // A link scanner's GET changes nothing; the person presses the button.
    await Promise.all([page.waitForLoadState("load"), page.click("form button")]);
    expect(await page.textContent("main")).toMatch(/subscribed/i);

    const build = await fetch(`${worker.url}/admin/editions`, {
      method: "POST",
      headers: { authorization: `Bearer ${worker.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ force: true, send: true }),
    });
    expect(build.status).toBe(201);
    const digest = await mailFor(address, "digest");
    const raw = await (await fetch(`${worker.url}/dev/mailbox/${digest.id}/raw`)).text();
    const parsed = await PostalMime.parse(raw);
    const header = (name: string) => parsed.headers.find((h) => h.key === name)?.value ?? "";
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const oneClick = /<(https?:\/\/[^>]+\/unsubscribe\?token=[^>]+)>/.exec(header("list-unsubscribe"))?.[1];
    expect(oneClick).toBeTruthy();
    expect(parsed.html).toContain(oneClick!.replaceAll("&", "&amp;"));

    await page.goto(`${worker.url}/dev/mailbox/${digest.id}`);
    await page.goto(`${worker.url}/dev/mailbox/${digest.id}/html`);
    expect(await page.textContent("body")).toMatch(/Blinken/);

    // What a mail client does for the one-click button: a bare POST, no cookies, no redirect.
    const res = await fetch(oneClick!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
      redirect: "manual",
    });
    expect(res.status).toBe(200);

    // The next edition skips the person who left.
    const next = await fetch(`${worker.url}/admin/editions`, {
      method: "POST",
      headers: { authorization: `Bearer ${worker.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ force: true, send: true, slot: "2099-01-01T07:00Z" }),
    });
    expect(next.status).toBe(201);
    const { edition } = (await next.json()) as { edition: { editionId: string } };
    for (let i = 0; i < 50; i++) {
      const status = (await (
        await fetch(`${worker.url}/admin/editions/${edition.editionId}`, { headers: { authorization: `Bearer ${worker.adminToken}` } })
      ).json()) as { fanout?: { status: string } };
      if (status.fanout?.status === "done") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const { messages } = (await (await fetch(`${worker.url}/dev/mailbox`, { headers: { accept: "application/json" } })).json()) as {
      messages: MailboxEntry[];
    };
    expect(messages.filter((m) => m.to === address && m.kind === "digest")).toHaveLength(1);

    expect(errors).toEqual([]);
    await page.close();
  });
});
