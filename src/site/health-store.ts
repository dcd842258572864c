// The database half of the health check.

/** True when D1 answers a trivial query. @example if (!(await d1Reachable(env.DB))) return c.json({}, 503); */
export async function d1Reachable(db: D1Database): Promise<boolean> {
  return db
    .prepare("SELECT 1 AS ok")
    .first<{ ok: number }>()
    .then((r) => r?.ok === 1)
    .catch(() => false);
}
