// Liveness and readiness: answers without touching the digest, and checks D1 is reachable.
import { Hono } from "hono";
import type { AppEnv } from "../app";

export const health = new Hono<AppEnv>()
  // A bare route with no I/O: the baseline the benchmark compares /preview's throughput against.
  .get("/ping", (c) => c.text("ok"))
  .get("/healthz", async (c) => {
    const started = Date.now();
    const db = await c.env.DB.prepare("SELECT 1 AS ok")
      .first<{ ok: number }>()
      .then((r) => r?.ok === 1)
      .catch(() => false);
    return c.json({ status: db ? "ok" : "degraded", db, ms: Date.now() - started }, db ? 200 : 503);
  });
