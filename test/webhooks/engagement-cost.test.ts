// What per-recipient engagement costs in D1 (issue 22: "what a year of events costs, measured"):
// one edition's events for 10,000 recipients (each delivered, 30% opened, 5% clicked one link)
// are inserted through the real schema and trigger, and the database's size before and after
// (D1's meta.size_after) gives bytes per row. The README's year figures come from this output.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const RECIPIENTS = 10_000;

const sizeNow = async () => (await env.DB.prepare("SELECT 1").run()).meta.size_after;
const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n;

describe("engagement storage cost", () => {
  it("measures bytes per event row and per edition", async () => {
    await env.DB.prepare("VACUUM")
      .run()
      .catch(() => undefined);
    const before = await sizeNow();
    const at = Math.floor(Date.UTC(2026, 10, 23, 7, 5) / 1000);
    const seq = `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${RECIPIENTS})`;
    const insert = (kind: string, link: string, every: number) =>
      env.DB.prepare(
        `${seq} INSERT INTO engagement_events (edition_id, subscriber_id, kind, link, at)
         SELECT '2026-11-23', 50000 + i, ?1, ?2, ?3 + i FROM seq WHERE i % ?4 = 0`,
      ).bind(kind, link, at, every);
    const link = "https://news.example.com/2026/11/23/harbour-council-approves-new-ferry-route";
    await env.DB.batch([insert("delivered", "", 1), insert("opened", "", 3), insert("clicked", "", 20), insert("link", link, 20)]);
    const after = await sizeNow();
    const rows = await count("SELECT COUNT(*) AS n FROM engagement_events");
    const countRows = await count("SELECT COUNT(*) AS n FROM engagement_counts");
    // 10,000 delivered + 3,333 opened + 500 clicked + 500 link rows.
    expect(rows).toBe(RECIPIENTS + Math.floor(RECIPIENTS / 3) + 2 * (RECIPIENTS / 20));
    expect(await count("SELECT recipients AS n FROM engagement_counts WHERE kind = 'opened'")).toBe(Math.floor(RECIPIENTS / 3));
    const bytesPerRow = (after - before) / rows;
    const perEdition100k = (bytesPerRow * rows * 100_000) / RECIPIENTS;
    console.log(
      JSON.stringify({
        rows,
        countRows,
        bytes: after - before,
        bytesPerRow: Math.round(bytesPerRow),
        rowsPerEditionAt100k: (rows * 100_000) / RECIPIENTS,
        mbPerEditionAt100k: +(perEdition100k / 1e6).toFixed(1),
        // Daily editions, 90 days of per-recipient rows kept, the rest folded into counts.
        liveRowsAt90Days: (rows * 100_000 * 90) / RECIPIENTS,
        liveGbAt90Days: +((perEdition100k * 90) / 1e9).toFixed(2),
        rowsWrittenPerYear: (rows * 100_000 * 365) / RECIPIENTS,
      }),
    );
    // Sanity bounds, not a timing: a row is its key, an integer and the index entry.
    expect(bytesPerRow).toBeGreaterThan(10);
    expect(bytesPerRow).toBeLessThan(200);
  });
});
