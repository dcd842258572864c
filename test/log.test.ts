// The structured logger: one JSON line per event with fixed leading fields, and no address or
// token in clear whatever field it arrives in.
import { afterEach, describe, expect, it, vi } from "vitest";
import { log, scrub } from "../src/log";

afterEach(() => vi.restoreAllMocks());

describe("log", () => {
  it("writes one JSON line with time, level and event first", () => {
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    log.info("edition_build", { slot: "2026-11-23T07:00Z", ms: 12, skipped: undefined, outcomes: { sent: 2 } });
    expect(out).toHaveBeenCalledTimes(1);
    const line = out.mock.calls[0]![0] as string;
    expect(line).not.toContain("\n");
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed).slice(0, 3)).toEqual(["time", "level", "event"]);
    expect(parsed).toMatchObject({ level: "info", event: "edition_build", slot: "2026-11-23T07:00Z", ms: 12, outcomes: { sent: 2 } });
    expect(parsed).not.toHaveProperty("skipped");
  });

  it("sends errors and warnings to their own console streams, and keeps the fixed fields fixed", () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    log.error("boom", { event: "spoofed", level: "info" });
    log.warn("odd");
    expect(JSON.parse(err.mock.calls[0]![0] as string)).toMatchObject({ level: "error", event: "boom" });
    expect(JSON.parse(warn.mock.calls[0]![0] as string)).toMatchObject({ level: "warn", event: "odd" });
  });

  it("never writes an address or a token in clear", () => {
    const out = vi.spyOn(console, "error").mockImplementation(() => {});
    const token = "dTEuNDI.0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    log.error("confirmation_send_failed", {
      error: `Resend 422: invalid recipient Ann.Lee+news@example.com; link https://x.example/unsubscribe?token=${token}`,
      header: "Authorization: Bearer re_secret_key",
      to: ["bob@example.org"],
    });
    const line = out.mock.calls[0]![0] as string;
    for (const secret of ["Ann.Lee", "bob@", token, "re_secret_key"]) expect(line).not.toContain(secret);
    expect(line).toContain("***@example.com");
    expect(scrub(`a ${token} b`)).toBe("a [token] b");
  });

  it("masks percent-encoded addresses, as a URL path carries them (issue 21, F8)", () => {
    // "/" may be part of an address's local part, so the mask takes the path before it too: safe side.
    expect(scrub("DELETE /admin/subscribers/ann%40example.com failed")).toBe("DELETE ***@example.com failed");
    expect(scrub("path Ann.Lee%2Bnews%40Example.COM")).toBe("path ***@Example.COM");
    expect(scrub("path ann%2540example.com")).toBe("path ***@example.com");
    const out = vi.spyOn(console, "error").mockImplementation(() => {});
    log.error("unhandled_error", { path: "/admin/subscribers/bob%40example.org" });
    expect(out.mock.calls[0]![0] as string).not.toContain("bob");
  });
});
