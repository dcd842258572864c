// SQL for admin console sessions (migration 0007): one row per login, so that a logout or an idle
// timeout ends a session on the server, whatever copy of its cookie is still around.

/** Records a new session. Sessions past their expiry are deleted on the way (logins are rare). */
export async function insertSession(db: D1Database, s: { id: string; now: Date; expiresAt: Date }): Promise<void> {
  const now = s.now.toISOString();
  await db.batch([
    db.prepare("DELETE FROM admin_sessions WHERE expires_at <= ?").bind(now),
    db
      .prepare("INSERT INTO admin_sessions (id, created_at, last_seen_at, expires_at) VALUES (?1, ?2, ?2, ?3)")
      .bind(s.id, now, s.expiresAt.toISOString()),
  ]);
}

/**
 * Whether a session is live (not revoked, not expired, used within the idle limit), and if so
 * marks it used now (at most once a minute, to spare writes).
 * @example if (!(await touchSession(env.DB, id, new Date(), 30 * 60_000))) return null;
 */
export async function touchSession(db: D1Database, id: string, now: Date, idleMs: number): Promise<boolean> {
  const iso = now.toISOString();
  const idleCut = new Date(now.getTime() - idleMs).toISOString();
  const row = await db
    .prepare(
      `SELECT last_seen_at AS lastSeenAt FROM admin_sessions
       WHERE id = ?1 AND revoked_at IS NULL AND expires_at > ?2 AND last_seen_at > ?3`,
    )
    .bind(id, iso, idleCut)
    .first<{ lastSeenAt: string }>();
  if (!row) return false;
  if (now.getTime() - Date.parse(row.lastSeenAt) > 60_000) {
    await db.prepare("UPDATE admin_sessions SET last_seen_at = ?2 WHERE id = ?1 AND revoked_at IS NULL").bind(id, iso).run();
  }
  return true;
}

/** Ends a session for good (a logout). */
export async function revokeSession(db: D1Database, id: string, now: Date): Promise<void> {
  await db.prepare("UPDATE admin_sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL").bind(id, now.toISOString()).run();
}
