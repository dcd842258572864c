// SQL for the operator's settings: one row per setting name, its value as JSON. Nothing else
// reads or writes this table.

/**
 * The stored settings, name to parsed value (names never stored are absent).
 * @example const stored = await readSettings(env.DB); stored.sendAt // "07:30"
 */
export async function readSettings(db: D1Database): Promise<Record<string, unknown>> {
  const { results } = await db.prepare("SELECT name, value FROM settings").all<{ name: string; value: string }>();
  const out: Record<string, unknown> = {};
  for (const r of results) {
    try {
      out[r.name] = JSON.parse(r.value);
    } catch {
      // an unreadable value falls back to its default
    }
  }
  return out;
}

/**
 * Stores the given settings (each as JSON), in one transaction.
 * @example await writeSettings(env.DB, { sendAt: "07:30" }, new Date());
 */
export async function writeSettings(db: D1Database, values: Record<string, unknown>, now: Date): Promise<void> {
  const entries = Object.entries(values);
  if (entries.length === 0) return;
  await db.batch(
    entries.map(([name, value]) =>
      db
        .prepare(
          `INSERT INTO settings (name, value, updated_at) VALUES (?1, ?2, ?3)
           ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        )
        .bind(name, JSON.stringify(value), now.toISOString()),
    ),
  );
}
