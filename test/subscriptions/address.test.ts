// Address validation and normalisation (src/subscribers/address.ts), and why it is not z.email().
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { normalizeAddress, toAsciiDomain } from "../../src/subscriptions/address";

describe("normalizeAddress", () => {
  it.each([
    ["  Ann.Lee@Example.COM ", "Ann.Lee@example.com"],
    ["user+tag@sub.example.co.uk", "user+tag@sub.example.co.uk"],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ["a@Bücher.example", "a@xn--bcher-kva.example"],
    ["a@例え.テスト", "a@xn--r8jz45g.xn--zckzah"],
    ["a@xn--bcher-kva.example", "a@xn--bcher-kva.example"],
    ["a@ｅｘａｍｐｌｅ.com", "a@example.com"],
    ["a@example.com.", "a@example.com"],
    [`${"a".repeat(64)}@example.com`, `${"a".repeat(64)}@example.com`],
  ])("accepts %j as %j", (input, expected) => {
    expect(normalizeAddress(input)).toEqual({ ok: true, email: expected });
  });

  it.each([
    ["", "Please enter"],
    ["a", "exactly one @"],
    ["a@b@c.com", "exactly one @"],
    [`${"a".repeat(65)}@example.com`, "1 to 64"],
    ["ä@example.com", "ASCII"],
    ["a..b@example.com", "before the @"],
    ["a@localhost", "domain name with a dot"],
    ["a@1.2.3.4", "domain name with a dot"],
    ["a@example.com/x.y", "domain name with a dot"],
    [`${"a".repeat(60)}@${"b".repeat(236)}.com`, "at most 63 characters"],
    [`${"a".repeat(10)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.${"e".repeat(54)}.com`, "too long"],
    [`a@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.${"e".repeat(60)}.com`, "too long"],
    ["a@example.com\r\nBcc: x@example.com", "control characters"],
    ["a\u200b@example.com", "control characters"],
  ])("refuses %j with a message about %j", (input, words) => {
    const check = normalizeAddress(input);
    expect(check.ok).toBe(false);
    expect(check.ok ? "" : check.message).toContain(words);
  });

  it("refuses values that are not strings", () => {
    for (const v of [undefined, null, 1, true, ["a@example.com"], { email: "a@example.com" }]) {
      expect(normalizeAddress(v)).toMatchObject({ ok: false, message: "The email address must be a string." });
    }
  });

  it("never returns an address over 254 characters or with a long local part", () => {
    for (let n = 1; n <= 300; n += 7) {
      const check = normalizeAddress(`${"x".repeat(n)}@${"d".repeat(Math.min(63, n))}.example.com`);
      if (check.ok) {
        expect(check.email.length).toBeLessThanOrEqual(254);
        expect(check.email.split("@")[0]!.length).toBeLessThanOrEqual(64);
      }
    }
  });

  it("is needed because z.email() refuses IDN domains we accept and checks no part lengths", () => {
    expect(z.email().safeParse("a@bücher.example").success).toBe(false);
    expect(normalizeAddress("a@bücher.example").ok).toBe(true);
    expect(normalizeAddress(`${"a".repeat(65)}@example.com`).ok).toBe(false);
  });
});

describe("toAsciiDomain", () => {
  it("keeps URL syntax from smuggling another host past the parser", () => {
    for (const d of [
      "evil.com/x.example",
      "evil.com?x.example",
      "evil.com#x",
      "evil.com:80",
      "user@evil.com",
      "%65vil.com",
      "evil.com\\x.com",
    ]) {
      expect(toAsciiDomain(d), d).toBeNull();
    }
    expect(toAsciiDomain("EXAMPLE.com")).toBe("example.com");
  });
});
