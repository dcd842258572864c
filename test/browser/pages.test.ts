// A real browser (Debian chromium via playwright-core) against the real Worker under
// `wrangler dev`: /, /preview and /editions/:id at phone and desktop widths must not scroll
// sideways or log console errors (CSP violations included). Screenshots go to
// test-results/screenshots/, and to docs/screenshots/ when UPDATE_SCREENSHOTS=1.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker, type LocalWorker } from "./local-worker";
import { launchChromium } from "./chromium";

const root = fileURLToPath(new URL("../..", import.meta.url));
const shots = `${root}test-results/screenshots`;
const docs = `${root}docs/screenshots`;
/** The README's pictures. */
const README_SHOTS = new Set(["preview-375", "edition-1280"]);

let worker: LocalWorker;
let browser: Browser;
let editionId: string;

beforeAll(async () => {
  worker = await startLocalWorker();
  editionId = await worker.buildEdition();
  browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
  if (process.env.UPDATE_SCREENSHOTS === "1") mkdirSync(docs, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

describe("pages in a real browser", () => {
  const pages = () => [
    { name: "landing", path: "/" },
    { name: "preview", path: "/preview" },
    { name: "edition", path: `/editions/${encodeURIComponent(editionId)}` },
  ];

  for (const width of [375, 1280]) {
    it(`fit ${width}px with no horizontal scrolling and no console errors`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      try {
        for (const { name, path } of pages()) {
          const page = await context.newPage();
          const errors: string[] = [];
          page.on("console", (m) => {
            if (m.type() === "error") errors.push(m.text());
          });
          page.on("pageerror", (e) => errors.push(e.message));
          const res = await page.goto(worker.url + path, { waitUntil: "load" });
          expect(res?.status(), `${path} status`).toBe(200);
          const { scrollWidth, innerWidth } = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
          }));
          expect(scrollWidth, `${path} at ${width}px scrolls sideways`).toBeLessThanOrEqual(innerWidth);
          expect(errors, `${path} at ${width}px console errors:\n${errors.join("\n")}`).toEqual([]);
          const file = `${name}-${width}.png`;
          await page.screenshot({ path: `${shots}/${file}`, fullPage: true });
          if (process.env.UPDATE_SCREENSHOTS === "1" && README_SHOTS.has(`${name}-${width}`))
            await page.screenshot({ path: `${docs}/${file}` });
          await page.close();
        }
      } finally {
        await context.close();
      }
    });
  }

  it("shows the latest edition on the landing page and its sources' full text", async () => {
    const page = await browser.newPage();
    await page.goto(worker.url + "/");
    const href = await page.getAttribute(".card a[href^='/editions/']", "href");
    expect(href).toBe(`/editions/${encodeURIComponent(editionId)}`);
    await page.goto(worker.url + href!);
    const sourceLink = page.locator(".sources a").first();
    await sourceLink.click();
    await page.waitForLoadState("load");
    expect(page.url()).toMatch(/\/sources\//);
    expect((await page.locator(".article p").count()) > 0).toBe(true);
    await page.close();
  });
});
