// Answers 503 to every request while the deployment is refused (see src/deploy-guard.ts);
// /healthz names the settings, other routes say nothing about them.
import type { MiddlewareHandler } from "hono";
import { type GuardEnv, refusedDeployment } from "../deploy-guard";
import { CACHE } from "./policy";

/**
 * Hono middleware: answers 503 to everything while the deployment is refused; /healthz names
 * the settings (operators and uptime checks read it), other routes say nothing about them.
 * @example app.use(deploymentGuard());
 */
export function deploymentGuard(): MiddlewareHandler<{ Bindings: GuardEnv }> {
  return async (c, next) => {
    // The host the request came to: a loopback PUBLIC_BASE_URL is only fine when it is loopback too.
    const problems = refusedDeployment(c.env, new URL(c.req.url).hostname);
    if (problems.length === 0) return next();
    c.header("Cache-Control", CACHE.private);
    if (c.req.path === "/healthz") return c.json({ status: "refused", problems }, 503);
    return c.text("Service unavailable", 503);
  };
}
