// The security headers every answer carries: what hono/secure-headers sets with its default
// options (the app uses no other), written out so its option and CSP machinery stays out of the
// bundle. The pages' CSP is set per response by the app. test/node/secure-headers.test.ts holds
// the result to the library's.
import type { MiddlewareHandler } from "hono";

const HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Origin-Agent-Cluster", "?1"],
  ["Referrer-Policy", "no-referrer"],
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-DNS-Prefetch-Control", "off"],
  ["X-Download-Options", "noopen"],
  ["X-Frame-Options", "SAMEORIGIN"],
  ["X-Permitted-Cross-Domain-Policies", "none"],
  ["X-XSS-Protection", "0"],
];

/**
 * Sets the headers on every response (replacing what a route set) and drops X-Powered-By.
 * @example app.use(secureHeaders());
 */
export function secureHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [name, value] of HEADERS) c.res.headers.set(name, value);
    c.res.headers.delete("X-Powered-By");
  };
}
