// Bad input cannot hurt the subscription endpoints: hundreds of malformed requests (broken JSON,
// wrong types, huge bodies, control characters, header injection, 300-character addresses,
// wrong methods and content types, forged tokens), each answered with a 4xx carrying a clear
// message and no stack trace, with no subscriber row written and an active subscriber unharmed.
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../src/subscriptions/tokens";
import { call, confirmLinkFor, ORIGIN, postJson, subscriberRow } from "./support";

// Every address a case could possibly store carries this marker, so "no row written" can be
// checked even while other test files share the database.
const MARK = `badinput${crypto.randomUUID().slice(0, 6)}`;
const active = `active-${MARK}@example.com`;
let activeRow: Record<string, unknown> | null = null;
let activeId = 0;

interface Case {
  name: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit | (() => BodyInit);
  /** Token cases build their (possibly signed) token lazily, once the active subscriber exists. */
  token?: () => Promise<string>;
}

const json = (body: string, extra: Record<string, string> = {}) => ({ headers: { "content-type": "application/json", ...extra }, body });
const form = (fields: Record<string, string>) => ({
  headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
  body: new URLSearchParams(fields).toString(),
});

// Addresses that must all be refused. Built from the marker so a wrongly accepted one is found.
const m = MARK;
const badAddresses: Array<[string, string]> = [
  ["empty", ""],
  ["spaces only", "   "],
  ["no at", `plain${m}example.com`],
  ["no local part", "@example.com"],
  ["no domain", `${m}@`],
  ["two ats", `${m}@@example.com`],
  ["at in domain", `${m}@a@example.com`],
  ["domain without dot", `${m}@localhost`],
  ["domain starting with dot", `${m}@.example.com`],
  ["domain ending with two dots", `${m}@example..com`],
  ["label starting with hyphen", `${m}@-example.com`],
  ["label ending with hyphen", `${m}@example-.com`],
  ["underscore in domain", `${m}@ex_ample.com`],
  ["leading dot in local", `.${m}@example.com`],
  ["trailing dot in local", `${m}.@example.com`],
  ["double dot in local", `a..${m}@example.com`],
  ["space in local", `a ${m}@example.com`],
  ["space in domain", `${m}@exa mple.com`],
  ["angle brackets", `<${m}@example.com>`],
  ["display name", `Name <${m}@example.com>`],
  ["IP literal", `${m}@[127.0.0.1]`],
  ["bare IPv4", `${m}@127.0.0.1`],
  ["hex IP", `${m}@0x7f.1`],
  ["path after domain", `${m}@example.com/evil.example`],
  ["query after domain", `${m}@example.com?x=1`],
  ["fragment after domain", `${m}@example.com#x`],
  ["port", `${m}@example.com:25`],
  ["percent in domain", `${m}@%65xample.com`],
  ["backslash in domain", `${m}@example.com\\evil.com`],
  ["quoted local part", `"${m} x"@example.com`],
  ["non-ASCII local part", `ä${m}@example.com`],
  ["comment", `${m}(comment)@example.com`],
  ["two addresses with comma", `${m}@example.com,other@example.com`],
  ["two addresses with semicolon", `${m}@example.com;other@example.com`],
  ["script tag", `<script>${m}</script>@example.com`],
  ["javascript scheme", `javascript:${m}@example.com`],
  ["local part of 65", `${"a".repeat(65 - m.length)}${m}@example.com`],
  ["300-character address", `${m}${"a".repeat(300 - m.length - 12)}@example.com`],
  ["255-character address with valid parts", `${m}${"a".repeat(64 - m.length)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(58)}.com`],
  ["label of 64", `${m}@${"x".repeat(64)}.com`],
  ["1000-character address", `${m}@${"x".repeat(990)}.com`],
  ["CRLF header injection", `${m}@example.com\r\nBcc: victim@example.com`],
  ["LF header injection", `${m}@example.com\nSubject: free money`],
  ["CR only", `${m}@example.com\rX: y`],
  ["trailing newline", `${m}@example.com\n`],
  ["NUL byte", `${m}\u0000@example.com`],
  ["tab", `${m}\t@example.com`],
  ["bell", `${m}\u0007@example.com`],
  ["DEL", `${m}\u007f@example.com`],
  ["escape sequence", `${m}\u001b[31m@example.com`],
  ["line separator", `${m}@example.com\u2028Bcc: x@example.com`],
  ["zero-width space", `${m}\u200b@example.com`],
  ["right-to-left override", `${m}\u202e@example.com`],
  ["all-numeric TLD", `${m}@example.123`],
];

const wrongTypes: Array<[string, string]> = [
  ["null", "null"],
  ["number", "123"],
  ["boolean", "true"],
  ["array", `["${m}@example.com"]`],
  ["object", `{"$gt": ""}`],
  ["nested", `{"address": "${m}@example.com"}`],
];

function subscribeCases(): Case[] {
  const cases: Case[] = [];
  for (const [name, address] of badAddresses) {
    cases.push({ name: `JSON address: ${name}`, path: "/subscribe", method: "POST", ...json(JSON.stringify({ email: address })) });
    cases.push({
      name: `form address: ${name}`,
      path: "/subscribe",
      method: "POST",
      ...form({ email: address, website: "", source: "landing" }),
    });
  }
  for (const [name, value] of wrongTypes)
    cases.push({ name: `JSON email of wrong type: ${name}`, path: "/subscribe", method: "POST", ...json(`{"email": ${value}}`) });
  const broken = [
    "{",
    '{"email":',
    `{"email": "${m}@example.com"`,
    `{'email': '${m}@example.com'}`,
    `{"email": "${m}@example.com",}`,
    "",
    " ",
    "null",
    "[]",
    `"${m}@example.com"`,
    "42",
    "true",
    "{}",
    '{"mail": "x@example.com"}',
    "\u0000",
    "\ufeff{}",
    "NaN",
    `{"email": "\\ud800@example.com"}`,
    "[".repeat(1500) + "]".repeat(1500),
    `{"email": "${m}@example.com"} trailing`,
    "<xml/>",
    "email=x@example.com",
  ];
  broken.forEach((body, i) =>
    cases.push({ name: `broken JSON #${i + 1}: ${JSON.stringify(body.slice(0, 30))}`, path: "/subscribe", method: "POST", ...json(body) }),
  );
  // Huge bodies, with and without a Content-Length (a stream is read only up to the limit).
  for (const size of [4097, 8_000, 64_000, 1_000_000]) {
    cases.push({
      name: `JSON body of ${size} bytes`,
      path: "/subscribe",
      method: "POST",
      ...json(JSON.stringify({ email: `${m}@example.com`, pad: "x".repeat(size) })),
    });
    cases.push({
      name: `form body of ${size} bytes`,
      path: "/subscribe",
      method: "POST",
      ...form({ email: `${m}@example.com`, pad: "x".repeat(size) }),
    });
  }
  cases.push({
    name: "streamed body over the limit without Content-Length",
    path: "/subscribe",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: () =>
      new ReadableStream({
        start(controller) {
          const chunk = new TextEncoder().encode(" ".repeat(1024));
          for (let i = 0; i < 16; i++) controller.enqueue(chunk);
          controller.close();
        },
      }),
  });
  // Wrong and malformed content types.
  const types = [
    "text/plain",
    "text/html",
    "application/xml",
    "application/octet-stream",
    "application/json-patch+json",
    "image/png",
    "application/javascript",
    "x/y",
    "application/x-www-form-urlencodedx",
    "multipart/mixed",
  ];
  for (const type of types)
    cases.push({
      name: `content type ${type}`,
      path: "/subscribe",
      method: "POST",
      headers: { "content-type": type, origin: ORIGIN },
      body: `email=${m}@example.com`,
    });
  cases.push({
    name: "no content type",
    path: "/subscribe",
    method: "POST",
    headers: { origin: ORIGIN },
    body: `{"email": "${m}@example.com"}`,
  });
  cases.push({
    name: "multipart without boundary",
    path: "/subscribe",
    method: "POST",
    headers: { "content-type": "multipart/form-data", origin: ORIGIN },
    body: `email=${m}@example.com`,
  });
  cases.push({
    name: "multipart with a broken body",
    path: "/subscribe",
    method: "POST",
    headers: { "content-type": "multipart/form-data; boundary=XYZ", origin: ORIGIN },
    body: `--XYZ\r\nContent-Disposition: form-data; name="email"\r\n\r\n${m}@example.com`,
  });
  cases.push({
    name: "multipart with the email as a file",
    path: "/subscribe",
    method: "POST",
    headers: { origin: ORIGIN },
    body: () => {
      const f = new FormData();
      f.set("email", new File([`${m}@example.com`], "email.txt", { type: "text/plain" }));
      return f;
    },
  });
  cases.push({ name: "form without an email field", path: "/subscribe", method: "POST", ...form({ website: "", source: "landing" }) });
  cases.push({
    name: "form with broken percent-encoding",
    path: "/subscribe",
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
    body: "email=%zz%E0%A4%A&source=%",
  });
  cases.push({
    name: "form from another site",
    path: "/subscribe",
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
    body: `email=${m}x@example.com`,
  });
  cases.push({
    name: "form with a null Origin",
    path: "/subscribe",
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "null" },
    body: `email=${m}x@example.com`,
  });
  cases.push({
    name: "form with a cross-site Sec-Fetch-Site",
    path: "/subscribe",
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site" },
    body: `email=${m}x@example.com`,
  });
  cases.push({
    name: "header injection on the active address",
    path: "/subscribe",
    method: "POST",
    ...json(JSON.stringify({ email: `${active}\r\nBcc: victim@example.com` })),
  });
  return cases;
}

function tokenCases(path: "/confirm" | "/unsubscribe"): Case[] {
  const tokens: Array<[string, string | (() => Promise<string>)]> = [
    ["empty", ""],
    ["garbage", "not-a-token"],
    ["one dot", "."],
    ["many dots", "a.b.c.d"],
    ["non-base64", "***.***"],
    ["5000 characters", "A".repeat(5000)],
    ["control characters", "abc\u0000\r\n.def"],
    ["percent-encoded CRLF", "%0d%0aSet-Cookie:%20x"],
    ["unicode", "tökén.sïg"],
    ["SQL", "1' OR '1'='1"],
    [
      "signed with another secret",
      () => signToken("another-secret-0123456789", path === "/confirm" ? `c1.${activeId}.9999999999.abcdefgh12` : `u1.${activeId}`),
    ],
    ["other purpose", () => signToken(env.SIGNING_SECRET, path === "/confirm" ? `u1.${activeId}` : `c1.${activeId}.9999999999.abcdefgh12`)],
    ["unknown kind", () => signToken(env.SIGNING_SECRET, `x1.${activeId}`)],
    ["negative id", () => signToken(env.SIGNING_SECRET, path === "/confirm" ? "c1.-1.9999999999.abcdefgh12" : "u1.-1")],
    [
      "id with leading zero",
      () => signToken(env.SIGNING_SECRET, path === "/confirm" ? `c1.0${activeId}.9999999999.abcdefgh12` : `u1.0${activeId}`),
    ],
    [
      "huge id",
      () =>
        signToken(env.SIGNING_SECRET, path === "/confirm" ? "c1.99999999999999999999.9999999999.abcdefgh12" : "u1.99999999999999999999"),
    ],
    ["signature truncated", async () => (await signToken(env.SIGNING_SECRET, `u1.${activeId}`)).slice(0, -3)],
  ];
  if (path === "/confirm") {
    tokens.push(["nonce not live", () => signToken(env.SIGNING_SECRET, `c1.${activeId}.9999999999.abcdefgh12`)]);
    tokens.push(["expired", () => signToken(env.SIGNING_SECRET, `c1.${activeId}.1000.abcdefgh12`)]);
    tokens.push(["expiry not a number", () => signToken(env.SIGNING_SECRET, `c1.${activeId}.soon.abcdefgh12`)]);
  }
  const cases: Case[] = [];
  for (const [name, token] of tokens) {
    const q = async () => encodeURIComponent(typeof token === "string" ? token : await token());
    cases.push({ name: `GET ${path} token ${name}`, path: `${path}?token=__T__`, method: "GET", token: q });
    cases.push({
      name: `POST ${path} token ${name}`,
      path: `${path}?token=__T__`,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
      body: "",
      token: q,
    });
  }
  cases.push({ name: `GET ${path} without a token`, path, method: "GET" });
  cases.push({ name: `POST ${path} without a token`, path, method: "POST", ...form({}) });
  cases.push({ name: `GET ${path} with two tokens`, path: `${path}?token=a&token=b`, method: "GET" });
  cases.push({ name: `POST ${path} with a huge body`, path: `${path}?token=x`, method: "POST", ...form({ pad: "x".repeat(10_000) }) });
  cases.push({
    name: `POST ${path} one-click with a bad token`,
    path: `${path}?token=bad.bad`,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });
  cases.push({
    name: `POST ${path} with a 6000-character query`,
    path: `${path}?token=${"q".repeat(6000)}`,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
    body: "",
  });
  if (path === "/confirm") {
    cases.push({ name: "POST /confirm JSON with a wrong-typed token", path, method: "POST", ...json(`{"token": 12345}`) });
    cases.push({ name: "POST /confirm JSON broken", path, method: "POST", ...json(`{"token": `) });
    cases.push({ name: "POST /confirm JSON array", path, method: "POST", ...json(`["x"]`) });
    cases.push({
      name: "POST /confirm with text/xml",
      path,
      method: "POST",
      headers: { "content-type": "text/xml", origin: ORIGIN },
      body: "<token/>",
    });
    cases.push({
      name: "POST /confirm form from another site",
      path,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: "token=x",
    });
  }
  return cases;
}

function otherCases(): Case[] {
  const cases: Case[] = [];
  for (const path of ["/subscribe", "/confirm", "/unsubscribe"]) {
    for (const method of ["PUT", "PATCH", "DELETE", "OPTIONS"])
      cases.push({ name: `${method} ${path}`, path, method, ...json(`{"email": "${m}@example.com"}`) });
  }
  for (const id of ["abc", "-1", "0", "99999999999999999999", "1e3", "1.5", "%00", "999999999"]) {
    cases.push({ name: `GET /dev/mailbox/${id}`, path: `/dev/mailbox/${id}`, method: "GET" });
    cases.push({ name: `GET /dev/mailbox/${id}/raw`, path: `/dev/mailbox/${id}/raw`, method: "GET" });
  }
  cases.push({ name: "GET /dev/mailbox/1/other", path: "/dev/mailbox/1/other", method: "GET" });
  cases.push({ name: "POST /dev/mailbox", path: "/dev/mailbox", method: "POST", ...json("{}") });
  return cases;
}

async function send(c: Case, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept, ...(c.headers ?? {}) };
  const path = c.token ? c.path.replace("__T__", await c.token()) : c.path;
  const body = c.method === "GET" || c.method === undefined ? undefined : typeof c.body === "function" ? c.body() : c.body;
  return call(path, { method: c.method ?? "GET", headers, ...(body !== undefined ? { body } : {}) });
}

async function expectClear4xx(c: Case, res: Response, accept: string) {
  const text = await res.text();
  expect(res.status, `${c.name}: status`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${c.name}: status`).toBeLessThan(500);
  // No stack trace or internals in the answer.
  expect(text, c.name).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|TypeError|SyntaxError|stack/);
  const type = res.headers.get("content-type") ?? "";
  if (accept === "application/json") {
    expect(type, c.name).toMatch(/^application\/json/);
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    expect(typeof body.error, c.name).toBe("string");
    expect(typeof body.message === "string" && body.message.length >= 15, `${c.name}: clear message`).toBe(true);
  } else {
    expect(type, c.name).toMatch(/^text\/html/);
    expect(text, c.name).toMatch(/<h1>[^<]{4,}<\/h1>/);
  }
}

const cases = [...subscribeCases(), ...tokenCases("/confirm"), ...tokenCases("/unsubscribe"), ...otherCases()];

describe("bad input", () => {
  beforeAll(async () => {
    await postJson("/subscribe", { email: active });
    const link = await confirmLinkFor(active);
    expect((await postJson("/confirm", { token: link.searchParams.get("token") })).status).toBe(200);
    activeRow = (await subscriberRow(active)) as Record<string, unknown> | null;
    expect(activeRow).toMatchObject({ status: "active" });
    activeId = activeRow!.id as number;
  });

  it("has at least 200 distinct cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  // Each case is sent twice: once as an API client (JSON answers), once as a browser (HTML).
  for (const c of cases) {
    it(c.name, async () => {
      for (const accept of ["application/json", "text/html"]) {
        const res = await send(c, accept);
        await expectClear4xx(c, res, accept);
      }
    });
  }

  afterAll(async () => {
    // No row was written for any case, and no mail went out for one.
    const rows = await env.DB.prepare("SELECT email FROM subscribers WHERE email LIKE ? AND email <> ?")
      .bind(`%${MARK}%`, active)
      .all<{ email: string }>();
    expect(rows.results).toEqual([]);
    const mails = await env.DB.prepare("SELECT to_address FROM outbox WHERE to_address LIKE ? AND to_address <> ?")
      .bind(`%${MARK}%`, active)
      .all();
    expect(mails.results).toEqual([]);
    // The active subscriber is untouched, field for field.
    expect(await subscriberRow(active)).toEqual(activeRow);
  });
});
