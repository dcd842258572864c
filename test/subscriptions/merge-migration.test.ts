// Migration 0005 on a database that still has the old subscribers table with case duplicates:
// one row per address remains, the most recent explicit choice wins (a later unsubscribe beats
// an earlier confirmation, and the reverse), every merge is logged with the id it went into, old
// links of merged ids act on the survivor, and no id is ever handed out again. Storage is per
// test file, so this file may rebuild the table freely.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "../../src/config";
import { unsubscribeUrl } from "../../src/subscriptions/tokens";
import { call, pathOf } from "./support";

// The subscribers table as migrations 0002 and 0004 left it.
const OLD_SCHEMA = `CREATE TABLE subscribers (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'unsubscribed')),
  source TEXT NOT NULL, requested_at TEXT NOT NULL, request_page TEXT, consent_at TEXT, consent_page TEXT, confirm_nonce TEXT,
  last_confirmation_sent_at TEXT, confirmations_sent INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  confirmed_at TEXT, unsubscribed_at TEXT, unsubscribe_method TEXT, unsubscribe_token TEXT, unsubscribe_kid TEXT)`;

type Row = [id: number, email: string, status: string, confirmedAt: string | null, unsubscribedAt: string | null, updatedAt: string];
const ROWS: Row[] = [
  // Confirmed in January, unsubscribed (as another spelling) in February: unsubscribed wins.
  [1, "Ann@merge.example", "active", "2026-01-01T00:00:00.000Z", null, "2026-01-01T00:00:00.000Z"],
  [2, "ann@merge.example", "unsubscribed", "2025-12-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"],
  // Unsubscribed in January, confirmed again (another spelling) in March: active wins.
  [3, "Bob@merge.example", "unsubscribed", "2025-12-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"],
  [4, "BOB@merge.example", "active", "2026-03-01T00:00:00.000Z", null, "2026-03-01T00:00:00.000Z"],
  // No choice at all: the most recently updated request.
  [5, "cy@merge.example", "pending", null, null, "2026-01-01T00:00:00.000Z"],
  [6, "CY@merge.example", "pending", null, null, "2026-04-01T00:00:00.000Z"],
  // A choice beats a later bare request; the merged row holds the largest id.
  [7, "Zed@merge.example", "active", "2026-05-01T00:00:00.000Z", null, "2026-05-01T00:00:00.000Z"],
  [12, "zed@merge.example", "pending", null, null, "2026-06-01T00:00:00.000Z"],
  [9, "dee@merge.example", "active", "2026-01-01T00:00:00.000Z", null, "2026-01-01T00:00:00.000Z"],
];

beforeAll(async () => {
  const db = env.DB;
  await db.batch(
    [
      "DROP TABLE IF EXISTS subscribers",
      "DROP TABLE IF EXISTS subscriber_aliases",
      "DROP TABLE IF EXISTS suppressions",
      "DROP TABLE IF EXISTS mail_events",
      "DROP INDEX IF EXISTS deliveries_by_provider_id",
      OLD_SCHEMA,
    ].map((q) => db.prepare(q)),
  );
  await db.batch(
    ROWS.map(([id, email, status, confirmed, unsubscribed, updated]) =>
      db
        .prepare(
          `INSERT INTO subscribers (id, email, status, source, requested_at, created_at, updated_at, confirmed_at, consent_at, unsubscribed_at)
           VALUES (?1, ?2, ?3, 'form', ?4, ?4, ?4, ?5, ?5, ?6)`,
        )
        .bind(id, email, status, updated, confirmed, unsubscribed),
    ),
  );
  const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0005"));
  if (!migration) throw new Error("migration 0005 not found");
  await db.batch(migration.queries.map((q) => db.prepare(q)));
});

describe("migration 0005: case duplicates merged", () => {
  it("keeps one row per address, the most recent explicit choice winning", async () => {
    const { results } = await env.DB.prepare("SELECT id, email, status FROM subscribers ORDER BY id").all();
    expect(results).toEqual([
      { id: 2, email: "ann@merge.example", status: "unsubscribed" },
      { id: 4, email: "BOB@merge.example", status: "active" },
      { id: 6, email: "CY@merge.example", status: "pending" },
      { id: 7, email: "Zed@merge.example", status: "active" },
      { id: 9, email: "dee@merge.example", status: "active" },
    ]);
  });

  it("logs every merge: the merged id, its status, and the id it went into", async () => {
    const { results } = await env.DB.prepare(
      "SELECT id, subscriber_id AS intoId, old_status AS status FROM subscriber_aliases ORDER BY id",
    ).all();
    expect(results).toEqual([
      { id: 1, intoId: 2, status: "active" },
      { id: 3, intoId: 4, status: "unsubscribed" },
      { id: 5, intoId: 6, status: "pending" },
      { id: 12, intoId: 7, status: "pending" },
    ]);
  });

  it("lets a merged id's old unsubscribe link act on the survivor, and never reuses an id", async () => {
    const link = pathOf(new URL(await unsubscribeUrl(getConfig(env), 3)));
    expect((await call(link, { method: "POST" })).status).toBe(200);
    expect(await env.DB.prepare("SELECT status FROM subscribers WHERE id = 4").first()).toEqual({ status: "unsubscribed" });
    const now = new Date().toISOString();
    const added = await env.DB.prepare(
      "INSERT INTO subscribers (email, source, requested_at, created_at, updated_at) VALUES ('new@merge.example', 'form', ?1, ?1, ?1) RETURNING id",
    )
      .bind(now)
      .first<{ id: number }>();
    expect(added!.id).toBe(13);
  });
});
