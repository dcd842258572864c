// Replays four days of two feeds built from ../shared/eval/duc2003.jsonl (each article with its
// own publisher and date), one edition a day for past slots, through POST /admin/editions on the
// Worker configured with the two feeds (the cron runs the same service): ingest (conditional GET,
// stored items), then the build from what is new since the previous edition, with memory of the
// stories already sent.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Digest } from "../../src/digest/types";
import { getEdition } from "../../src/editions/store";
import { SEED_ARTICLES } from "../../src/generated/seeds";
import worker from "../../src/index";
import { getSources } from "../../src/sources/store";
import { evalAbsent } from "../support/eval-present";

const ns = `replay-${crypto.randomUUID().slice(0, 8)}`;
const feed = (p: string) => `${env.TEST_FIXTURES_URL}/duc/${ns}/${p}.xml`;
const FEEDS = [feed("ap"), feed("nyt")];
const feedEnv = { ...env, FEED_URLS: FEEDS.join(","), FULL_TEXT_PER_RUN: "0" };

/** POST /admin/editions on the Worker configured with the two feeds (ingest, then build). */
async function buildSlot(slot: string): Promise<{ status: string; editionId: string; reason?: string }> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request("http://localhost/admin/editions", {
      method: "POST",
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ slot }),
    }),
    feedEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  expect(res.status).toBeLessThan(300);
  return ((await res.json()) as { edition: { status: string; editionId: string; reason?: string } }).edition;
}

/** Moves the feeds' clock: they list the articles published from `from` up to `at`. */
async function feedsAt(at: string): Promise<void> {
  const res = await fetch(`${env.TEST_FIXTURES_URL}/duc/${ns}/clock?from=1998-10-03T00:00:00Z&at=${encodeURIComponent(at)}`, {
    method: "POST",
  });
  expect(res.status).toBe(204);
}

const DAYS = ["1998-10-04", "1998-10-05", "1998-10-06", "1998-10-07"];
const editions: { slot: string; id: string; digest: Digest; articleIds: string[] }[] = [];
const results: { slot: string; status: string; reason?: string }[] = [];

const absent = evalAbsent(env.EVAL_FILES, "duc2003.jsonl", "the duc2003 feed replay");

beforeAll(async () => {
  if (absent) return;
  for (const day of DAYS) {
    const slot = `${day}T07:00Z`;
    await feedsAt(`${day}T07:00:00Z`);
    // The slot is in the past: the Worker builds it as if run at the slot's time.
    const build = await buildSlot(slot);
    results.push({ slot, status: build.status, ...(build.status === "skipped" ? { reason: build.reason } : {}) });
    if (build.status === "built") {
      const e = (await getEdition(env.DB, build.editionId))!;
      editions.push({ slot, id: e.id, digest: e.digest, articleIds: e.articles.map((a) => a.id) });
    }
  }
}, 120_000);

describe.skipIf(absent)("a replay of four days of two duc2003 feeds", () => {
  it("builds one edition a day, dated by its slot, from the two feeds only", () => {
    expect(results.map((r) => r.status)).toEqual(["built", "built", "built", "built"]);
    expect(editions.map((e) => e.digest.date)).toEqual(DAYS);
    for (const e of editions) {
      for (const s of e.digest.stories)
        for (const src of s.sources) expect(["Associated Press", "New York Times"]).toContain(src.publisher);
    }
  });

  it("never puts an article in two editions", () => {
    const seen = new Map<string, string>();
    const stored = new Set<string>();
    for (const e of editions) {
      const sources = e.digest.stories.flatMap((s) => s.sources.map((x) => x.id));
      expect(new Set(sources).size).toBe(sources.length);
      for (const id of sources) {
        expect(seen.get(id), `${id} in ${seen.get(id)} and ${e.id}`).toBeUndefined();
        seen.set(id, e.id);
      }
      // The stored source texts are this edition's new articles only, never an earlier edition's.
      for (const id of e.articleIds) {
        expect(stored.has(id), `${id} stored with two editions`).toBe(false);
        stored.add(id);
      }
    }
    expect(seen.size).toBeGreaterThan(10);
  });

  it("shows a continuing story as an update: same id, only sentences not sent before, its new sources", () => {
    const sent = new Map<string, string[]>();
    const updates: { id: string; summary: string[] }[] = [];
    for (const e of editions) {
      for (const s of e.digest.stories) {
        if (s.update) {
          expect(sent.has(s.id), `update ${s.id} continues a story sent before`).toBe(true);
          for (const sentence of s.summary) expect(sent.get(s.id)).not.toContain(sentence);
          expect(s.sources.length).toBeGreaterThan(0);
          updates.push({ id: s.id, summary: s.summary });
        } else {
          expect(sent.has(s.id), `${s.id} is new, so never sent before`).toBe(false);
        }
        sent.set(s.id, [...(sent.get(s.id) ?? []), ...s.summary]);
      }
    }
    expect(updates.length).toBeGreaterThan(0);
  });

  it("puts no seeds in feed editions", async () => {
    const seedIds = new Set(SEED_ARTICLES.map((a) => a.id));
    for (const e of editions) {
      for (const s of e.digest.stories) for (const src of s.sources) expect(seedIds.has(src.id)).toBe(false);
      for (const id of e.articleIds) expect(seedIds.has(id)).toBe(false);
    }
  });

  it("fetches unchanged feeds conditionally, gets a 304, stores nothing, and skips the slot", async () => {
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM items WHERE source_url IN (?, ?)")
      .bind(...FEEDS)
      .first<{ n: number }>();
    const build = await buildSlot("1998-10-07T19:00Z");
    expect(build).toMatchObject({ status: "skipped", reason: expect.stringMatching(/^nothing new since edition 1998-10-07/) });
    const log = (await (await fetch(`${env.TEST_FIXTURES_URL}/duc/${ns}/log`)).json()) as {
      path: string;
      status: number;
      ifNoneMatch: string | null;
    }[];
    const last = log.slice(-2);
    expect(last.map((l) => l.status)).toEqual([304, 304]);
    for (const l of last) expect(l.ifNoneMatch).toMatch(/^"[0-9a-f]+"$/);
    const after = await env.DB.prepare("SELECT COUNT(*) AS n FROM items WHERE source_url IN (?, ?)")
      .bind(...FEEDS)
      .first<{ n: number }>();
    expect(after).toEqual(before);
    const states = await getSources(env.DB, FEEDS);
    expect(states.map((s) => s.lastStatus)).toEqual(["not-modified", "not-modified"]);
  });

  it("serves an edition's digest as JSON (the CLI's shape with `update`), and labels updates on its page", async () => {
    const withUpdate = editions.find((e) => e.digest.stories.some((s) => s.update))!;
    const res = await exports.default.fetch(
      new Request(`http://localhost/editions/${withUpdate.id}`, { headers: { accept: "application/json" } }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("vary")).toContain("Accept");
    const json = (await res.json()) as Digest;
    expect(json).toEqual(withUpdate.digest);
    for (const s of json.stories) {
      // An update names the edition that first carried its story.
      const keys = ["headline", "id", "sources", "summary", "update", ...(s.update ? ["firstEdition"] : [])].sort();
      expect(Object.keys(s).sort()).toEqual(keys);
      if (s.update) expect(s.firstEdition).toBe(editions.find((e) => e.digest.stories.some((x) => x.id === s.id))!.id);
    }
    const page = await (await exports.default.fetch(new Request(`http://localhost/editions/${withUpdate.id}`))).text();
    const update = withUpdate.digest.stories.find((s) => s.update)!;
    expect(page).toContain(`Update: ${update.headline.replace(/&/g, "&amp;").replace(/'/g, "&#39;").replace(/"/g, "&quot;")}`);
  });

  it("shows each source's state on GET /admin/sources", async () => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request("http://localhost/admin/sources", { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } }),
      feedEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
    const { sources } = (await res.json()) as { sources: { url: string; lastStatus: string; items: number; lastError: string | null }[] };
    expect(sources.map((s) => s.url)).toEqual(FEEDS);
    for (const s of sources) expect(s).toMatchObject({ lastStatus: "not-modified", lastError: null, items: expect.any(Number) });
    expect(sources.reduce((n, s) => n + s.items, 0)).toBeGreaterThan(10);
  });
});
