// Liveness and readiness, mounted at /: answers without touching the digest, and checks D1 is reachable.
import { factory } from "../http/env";
import { d1Reachable } from "./health-store";

export const health = factory
  .createApp()
  // A bare route with no I/O: the baseline the benchmark compares /preview's throughput against.
  .get("/ping", (c) => c.text("ok"))
  .get("/healthz", async (c) => {
    const started = Date.now();
    const db = await d1Reachable(c.env.DB);
    return c.json({ status: db ? "ok" : "degraded", db, ms: Date.now() - started }, db ? 200 : 503);
  });
