// src/http/secure-headers.ts against hono/secure-headers with its defaults: the same headers,
// the same values, on answers that set some of them themselves.
import { Hono } from "hono";
import { secureHeaders as library } from "hono/secure-headers";
import { describe, expect, it } from "vitest";
import { secureHeaders } from "../../src/http/secure-headers";

function appWith(middleware: ReturnType<typeof secureHeaders>) {
  return new Hono()
    .use(middleware)
    .get("/plain", (c) => c.text("ok"))
    .get("/own", (c) => {
      c.header("Referrer-Policy", "same-origin");
      c.header("X-Powered-By", "Hono");
      c.header("X-Frame-Options", "DENY");
      c.header("Content-Security-Policy", "default-src 'none'");
      return c.html("<p>ok</p>", 201);
    });
}

const headersOf = async (app: Hono, path: string) => [...(await app.request(path)).headers].sort();

describe("secureHeaders", () => {
  it("sets what hono/secure-headers sets by default, replacing a route's values and dropping X-Powered-By", async () => {
    const ours = appWith(secureHeaders());
    const theirs = appWith(library());
    for (const path of ["/plain", "/own", "/missing"]) expect(await headersOf(ours, path)).toEqual(await headersOf(theirs, path));
    const own = new Headers(await headersOf(ours, "/own"));
    expect(own.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(own.get("x-powered-by")).toBeNull();
    expect(own.get("content-security-policy")).toBe("default-src 'none'");
  });
});
