// Subscriptions in workerd against local D1, the rate limiter and the outbox: the double opt-in
// round trip, no enumeration, tokens, cooldown, rate limit, honeypot, CSRF and the dev mailbox.
import { env } from "cloudflare:workers";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { confirmToken, unsubscribeUrl } from "../../src/subscriptions/tokens";
import { getConfig } from "../../src/config";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { handleDeliveryBatch } from "../../src/jobs/queue";
import { DELIVERIES_QUEUE } from "../../src/delivery/messages";
import { makeDeps } from "../../src/deps";
import { requestSubscription } from "../../src/subscriptions/service";
import { RecordingQueue } from "../delivery/helpers";
import {
  call,
  confirmLinkFor,
  freshIp,
  mailsTo,
  ORIGIN,
  pastCooldown,
  pathOf,
  postForm,
  postJson,
  subscriberRow,
  uniqueEmail,
} from "./support";

const config = () => getConfig(env);

describe("the double opt-in round trip", () => {
  it("subscribes from the landing form, confirms by POST only, and leaves with a one-click POST", async () => {
    const email = uniqueEmail("round");
    const res = await postForm("/subscribe", { email, website: "", source: "landing" }, { referer: `${ORIGIN}/?utm=x` });
    expect(res.status).toBe(202);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await res.text()).toContain("Check your inbox");

    const pending = await subscriberRow(email);
    expect(pending).toMatchObject({ status: "pending", source: "landing", request_page: `${ORIGIN}/`, confirmations_sent: 1 });

    // The confirmation mail, parsed from the stored raw MIME.
    const [mail, ...more] = await mailsTo(email, 1);
    expect(more).toHaveLength(0);
    const parsed = await PostalMime.parse(mail!.raw);
    expect(parsed.to?.[0]?.address).toBe(email);
    expect(parsed.from?.address).toBe(env.SENDER_ADDRESS);
    expect(parsed.subject).toBe(`Confirm your subscription to ${env.NEWSLETTER_TITLE}`);
    expect(parsed.messageId).toMatch(/^<.+@example\.com>$/);
    const link = await confirmLinkFor(email);
    expect(link.origin).toBe(config().baseUrl);
    // The HTML part's button carries the same link (Mustache escapes "=" and "/" as entities).
    const hrefs = [...(parsed.html ?? "").matchAll(/href="([^"]+)"/g)].map((m) =>
      m[1]!.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/&amp;/g, "&"),
    );
    expect(hrefs).toContain(link.href);

    // A link scanner's GET shows a page with a button and changes nothing.
    const shown = await call(pathOf(link), { headers: { accept: "text/html" } });
    expect(shown.status).toBe(200);
    const page = await shown.text();
    expect(page).toMatch(/<form method="post" action="\/confirm">/);
    expect(page).toContain(email);
    expect(await subscriberRow(email)).toMatchObject({ status: "pending", confirmed_at: null });

    // The button's POST activates and records the consent.
    const token = link.searchParams.get("token")!;
    const confirmed = await postForm("/confirm", { token });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("You are subscribed");
    const active = await subscriberRow(email);
    expect(active).toMatchObject({ status: "active", confirm_nonce: null, consent_page: `${config().baseUrl}/confirm` });
    expect(active!.consent_at).toBe(active!.confirmed_at);
    expect(Date.parse(active!.consent_at!)).toBeGreaterThan(Date.now() - 60_000);

    // RFC 8058 one-click: bare POST, no cookies, no Origin, no CSRF token; 200 and no redirect.
    const unsub = new URL(await unsubscribeUrl(config(), active!.id));
    const oneClick = await call(pathOf(unsub), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect(oneClick.headers.get("location")).toBeNull();
    expect(await subscriberRow(email)).toMatchObject({ status: "unsubscribed", unsubscribe_method: "one-click" });
  });

  it("accepts JSON and multipart signups, and a multipart one-click unsubscribe", async () => {
    const a = uniqueEmail("json");
    const res = await postJson("/subscribe", { email: a });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: "check-your-inbox" });
    expect(await subscriberRow(a)).toMatchObject({ status: "pending", source: "api" });

    const b = uniqueEmail("multi");
    const form = new FormData();
    form.set("email", b);
    form.set("source", "landing");
    const multi = await call("/subscribe", { method: "POST", headers: { origin: ORIGIN }, body: form });
    expect(multi.status).toBe(202);
    expect(await subscriberRow(b)).toMatchObject({ status: "pending", source: "landing" });

    // Confirm b via JSON, then one-click unsubscribe sent as multipart (as some providers do).
    const link = await confirmLinkFor(b);
    const ok = await postJson("/confirm", { token: link.searchParams.get("token") });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "active" });
    const row = await subscriberRow(b);
    const oneClick = new FormData();
    oneClick.set("List-Unsubscribe", "One-Click");
    const unsub = await call(pathOf(new URL(await unsubscribeUrl(config(), row!.id))), { method: "POST", body: oneClick });
    expect(unsub.status).toBe(200);
    expect(await subscriberRow(b)).toMatchObject({ status: "unsubscribed", unsubscribe_method: "one-click" });
  });

  it("unsubscribes an API caller who sends the token in a JSON body", async () => {
    const email = uniqueEmail("jsonunsub");
    await postJson("/subscribe", { email });
    await postJson("/confirm", { token: (await confirmLinkFor(email)).searchParams.get("token") });
    const row = await subscriberRow(email);
    const token = new URL(await unsubscribeUrl(config(), row!.id)).searchParams.get("token");
    const res = await postJson("/unsubscribe", { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "unsubscribed" });
    expect(await subscriberRow(email)).toMatchObject({ status: "unsubscribed" });
    expect((await postJson("/unsubscribe", { token: `${token}x` })).status).toBe(400);
  });

  it("shows an unsubscribe page on GET that changes nothing, and its button unsubscribes", async () => {
    const email = uniqueEmail("page");
    await postJson("/subscribe", { email });
    await postJson("/confirm", { token: (await confirmLinkFor(email)).searchParams.get("token") });
    const row = await subscriberRow(email);
    const url = new URL(await unsubscribeUrl(config(), row!.id));
    const shown = await call(pathOf(url), { headers: { accept: "text/html" } });
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain(email);
    const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, "&");
    expect((await subscriberRow(email))!.status).toBe("active");
    const done = await call(action, { method: "POST", headers: { accept: "text/html" } });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("You are unsubscribed");
    expect(await subscriberRow(email)).toMatchObject({ status: "unsubscribed", unsubscribe_method: "page" });
    // Repeating it is harmless.
    expect((await call(action, { method: "POST" })).status).toBe(200);
  });

  it("lets an unsubscribed reader come back with a fresh double opt-in, the row staying unsubscribed until they confirm", async () => {
    const email = uniqueEmail("again");
    await postJson("/subscribe", { email });
    const first = await confirmLinkFor(email);
    await postJson("/confirm", { token: first.searchParams.get("token") });
    const row = await subscriberRow(email);
    await call(pathOf(new URL(await unsubscribeUrl(config(), row!.id))), { method: "POST" });
    // Past the cooldown since the first mail.
    await pastCooldown(email);
    expect((await postJson("/subscribe", { email })).status).toBe(202);
    // The request alone changes nothing a send reads: the reader is out until they confirm.
    expect(await subscriberRow(email)).toMatchObject({ id: row!.id, status: "unsubscribed" });
    const second = await confirmLinkFor(email, 2);
    expect(second.searchParams.get("token")).not.toBe(first.searchParams.get("token"));
    // The old link stays dead; the new one works.
    expect((await postJson("/confirm", { token: first.searchParams.get("token") })).status).toBe(409);
    expect((await postJson("/confirm", { token: second.searchParams.get("token") })).status).toBe(200);
    expect((await subscriberRow(email))!.status).toBe("active");
  });
});

describe("no enumeration", () => {
  it("answers a new, a pending and an active address identically (HTML and JSON)", async () => {
    const fresh = uniqueEmail("new");
    const pending = uniqueEmail("pending");
    const active = uniqueEmail("active");
    await postJson("/subscribe", { email: pending });
    await postJson("/subscribe", { email: active });
    await postJson("/confirm", { token: (await confirmLinkFor(active)).searchParams.get("token") });
    expect((await subscriberRow(active))!.status).toBe("active");

    const answers = async (send: (email: string) => Promise<Response>) =>
      Promise.all(
        [fresh, pending, active].map(async (e) => {
          const r = await send(e);
          return { status: r.status, type: r.headers.get("content-type"), body: await r.text() };
        }),
      );
    const html = await answers((e) => postForm("/subscribe", { email: e, website: "", source: "landing" }));
    expect(html[0]!.status).toBe(202);
    expect(html[1]).toEqual(html[0]);
    expect(html[2]).toEqual(html[0]);
    const json = await answers((e) => postJson("/subscribe", { email: e }));
    expect(json[0]!.status).toBe(202);
    expect(json[1]).toEqual(json[0]);
    expect(json[2]).toEqual(json[0]);
    // An active subscriber is neither mailed again nor moved back to pending.
    expect(await mailsTo(active)).toHaveLength(1);
    expect((await subscriberRow(active))!.status).toBe("active");
  });
});

describe("tokens", () => {
  async function pendingSubscriber() {
    const email = uniqueEmail("tok");
    await postJson("/subscribe", { email });
    const link = await confirmLinkFor(email);
    return { email, link, token: link.searchParams.get("token")!, row: (await subscriberRow(email))! };
  }

  it("refuses an expired confirmation link with a clear page, on GET and POST", async () => {
    const { email, row } = await pendingSubscriber();
    const expired = await confirmToken(config(), {
      subscriberId: row.id,
      nonce: row.confirm_nonce!,
      expiresAt: new Date(Date.now() - 1000),
    });
    const get = await call(`/confirm?token=${expired}`, { headers: { accept: "text/html" } });
    expect(get.status).toBe(410);
    expect(await get.text()).toContain("This link has expired");
    const post = await postForm("/confirm", { token: expired });
    expect(post.status).toBe(410);
    expect((await subscriberRow(email))!.status).toBe("pending");
  });

  it("refuses altered links: payload, signature, truncation, another secret, wrong purpose", async () => {
    const { email, token, row } = await pendingSubscriber();
    const [payload, sig] = token.split(".") as [string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const forged = [
      `${flip(payload, 3)}.${sig}`,
      `${payload}.${flip(sig, 5)}`,
      `${payload}.${sig.slice(0, -2)}`,
      payload,
      `${btoa(`c1.${row.id}.99999999999.${row.confirm_nonce}`).replace(/=+$/, "")}.${sig}`,
      (await unsubscribeUrl(config(), row.id)).split("token=")[1]!,
      "",
      "x".repeat(600),
      "%00%0d%0a",
    ];
    for (const bad of forged) {
      const get = await call(`/confirm?token=${encodeURIComponent(bad)}`, { headers: { accept: "application/json" } });
      expect(get.status, bad).toBe(400);
      expect(((await get.json()) as { message: string }).message.length).toBeGreaterThan(10);
      const post = await postForm("/confirm", { token: bad });
      expect(post.status, bad).toBe(400);
    }
    // A confirmation token is not an unsubscribe token either.
    expect((await call(`/unsubscribe?token=${token}`, { method: "POST" })).status).toBe(400);
    expect((await subscriberRow(email))!.status).toBe("pending");
  });

  it("makes confirmation links single-use", async () => {
    const { email, token } = await pendingSubscriber();
    expect((await postForm("/confirm", { token })).status).toBe(200);
    const again = await postForm("/confirm", { token });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already been used");
    const get = await call(`/confirm?token=${token}`, { headers: { accept: "text/html" } });
    expect(get.status).toBe(409);
    expect((await subscriberRow(email))!.status).toBe("active");
  });

  it("keeps unsubscribe links valid forever and refuses forged ones", async () => {
    const { email, row } = await pendingSubscriber();
    const url = await unsubscribeUrl(config(), row.id);
    // The token holds no expiry: it is the same string whenever it is made.
    expect(await unsubscribeUrl(config(), row.id)).toBe(url);
    const token = url.split("token=")[1]!;
    // One character of the signature changed (not the last: its low bits may be padding a decoder drops).
    const forged = `${token.slice(0, -5)}${token.at(-5) === "A" ? "B" : "A"}${token.slice(-4)}`;
    expect((await call(`/unsubscribe?token=${forged}`, { method: "POST" })).status).toBe(400);
    expect(
      (
        await call(`/unsubscribe`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "List-Unsubscribe=One-Click",
        })
      ).status,
    ).toBe(400);
    expect((await subscriberRow(email))!.status).toBe("pending");
    expect((await call(`/unsubscribe?token=${token}`, { method: "POST" })).status).toBe(200);
    expect((await subscriberRow(email))!.status).toBe("unsubscribed");
  });
});

describe("abuse limits", () => {
  it("sends at most one confirmation per address per cooldown, however many requests arrive", async () => {
    const email = uniqueEmail("cool");
    const answers = await Promise.all(Array.from({ length: 12 }, () => postJson("/subscribe", { email })));
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(202));
    expect(await mailsTo(email, 1)).toHaveLength(1);
    for (let i = 0; i < 5; i++) expect((await postForm("/subscribe", { email })).status).toBe(202);
    expect(await mailsTo(email)).toHaveLength(1);
    expect((await subscriberRow(email))!.confirmations_sent).toBe(1);

    // After the cooldown one more mail goes out, carrying the same still-valid nonce.
    const first = await confirmLinkFor(email);
    await pastCooldown(email);
    await Promise.all(Array.from({ length: 4 }, () => postJson("/subscribe", { email })));
    expect(await mailsTo(email, 2)).toHaveLength(2);
    const second = await confirmLinkFor(email, 2);
    expect((await postJson("/confirm", { token: first.searchParams.get("token") })).status).toBe(200);
    expect((await postJson("/confirm", { token: second.searchParams.get("token") })).status).toBe(409);
  });

  it("rate-limits one IP with 429 and Retry-After, without touching other IPs", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 8; i++) {
      const r = await postJson("/subscribe", { email: uniqueEmail("rl") }, {}, ip);
      statuses.push(r.status);
      if (r.status === 429) limited ??= r;
    }
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses).toContain(429);
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited!.json()).toMatchObject({ error: "Too many requests" });
    const html = await postForm("/subscribe", { email: uniqueEmail("rl") }, {}, ip);
    expect(html.status).toBe(429);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    expect((await postJson("/subscribe", { email: uniqueEmail("rl") })).status).toBe(202);
  });

  it("answers a filled honeypot like a real signup but stores and sends nothing", async () => {
    const email = uniqueEmail("bot");
    const bot = await postForm("/subscribe", { email, website: "http://spam.example", source: "landing" });
    const human = await postForm("/subscribe", { email: uniqueEmail("human"), website: "", source: "landing" });
    expect(bot.status).toBe(202);
    expect(await bot.text()).toBe(await human.text());
    expect(await subscriberRow(email)).toBeNull();
    expect(await mailsTo(email)).toHaveLength(0);
    expect((await postJson("/subscribe", { email, website: "x" })).status).toBe(202);
    expect(await subscriberRow(email)).toBeNull();
  });

  it("refuses form posts from other sites but lets JSON API calls without an Origin through", async () => {
    const email = uniqueEmail("csrf");
    const cross = await postForm("/subscribe", { email }, { origin: "https://evil.example" });
    expect(cross.status).toBe(403);
    expect(await cross.text()).toContain("not sent from our own page");
    const noOrigin = await call("/subscribe", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `email=${encodeURIComponent(email)}`,
    });
    expect(noOrigin.status).toBe(403);
    expect(await subscriberRow(email)).toBeNull();
    // Browsers that send Sec-Fetch-Site but no Origin still work from our own page.
    const fetchSite = await call("/subscribe", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
      body: `email=${encodeURIComponent(email)}`,
    });
    expect(fetchSite.status).toBe(202);
    // The configured public origin counts as ours too.
    expect((await postForm("/subscribe", { email: uniqueEmail("csrf") }, { origin: config().baseUrl })).status).toBe(202);
    // JSON from a non-browser client has no Origin; hono/csrf only checks form content types.
    expect((await postJson("/subscribe", { email: uniqueEmail("api") })).status).toBe(202);
    // Confirm forms are guarded too; the one-click unsubscribe is not (tested above).
    const crossConfirm = await postForm("/confirm", { token: "x" }, { origin: "https://evil.example" });
    expect(crossConfirm.status).toBe(403);
    // The hint fits the form: a confirmation is not a new signup.
    expect(await crossConfirm.text()).toContain("confirmation email");
  });
});

describe("validation and normalisation", () => {
  it("stores IDN domains as punycode, lowercases the domain and keeps the local part's case", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const res = await postJson("/subscribe", { email: `  Ann.Lee+${tag}@Bücher.EXAMPLE  ` });
    expect(res.status).toBe(202);
    const row = await subscriberRow(`Ann.Lee+${tag}@xn--bcher-kva.example`);
    expect(row).not.toBeNull();
    expect(await mailsTo(`Ann.Lee+${tag}@xn--bcher-kva.example`, 1)).toHaveLength(1);
    // The same address typed differently is the same subscriber.
    await postJson("/subscribe", { email: `Ann.Lee+${tag}@xn--BCHER-kva.example` });
    const { results } = await env.DB.prepare("SELECT id FROM subscribers WHERE email LIKE ?").bind(`%+${tag}@%`).all();
    expect(results).toHaveLength(1);
  });

  it("re-renders the form with the typed value and a clear message for a bad address", async () => {
    const res = await postForm("/subscribe", { email: "someone@localhost", website: "", source: "landing" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('value="someone@localhost"');
    expect(html).toContain("must be a domain name with a dot");
    expect(html).toContain('name="source" value="landing"');
    const json = await postJson("/subscribe", { email: "a".repeat(65) + "@example.com" });
    expect(json.status).toBe(422);
    expect(await json.json()).toMatchObject({ error: "Invalid email address", field: "email", message: expect.stringContaining("64") });
  });
});

describe("dev mailbox", () => {
  it("lists the outbox and shows a message with its confirm link, text, HTML and raw MIME", async () => {
    const email = uniqueEmail("mailbox");
    await postJson("/subscribe", { email });
    const [mail] = await mailsTo(email, 1);
    const list = await call(`/dev/mailbox?to=${encodeURIComponent(email)}`, { headers: { accept: "application/json" } });
    expect(((await list.json()) as { messages: Array<{ id: number }> }).messages.map((m) => m.id)).toEqual([mail!.id]);
    const listPage = await (await call("/dev/mailbox", { headers: { accept: "text/html" } })).text();
    expect(listPage).toContain(`/dev/mailbox/${mail!.id}`);
    const one = await call(`/dev/mailbox/${mail!.id}`, { headers: { accept: "text/html" } });
    expect(one.status).toBe(200);
    const link = await confirmLinkFor(email);
    expect(await one.text()).toContain(`href="${link.href.replace(/&/g, "&amp;")}"`);
    const raw = await (await call(`/dev/mailbox/${mail!.id}/raw`)).text();
    expect((await PostalMime.parse(raw)).to?.[0]?.address).toBe(email);
    expect(await (await call(`/dev/mailbox/${mail!.id}/html`)).text()).toBe(mail!.html);
    expect((await call(`/dev/mailbox/999999999`, { headers: { accept: "application/json" } })).status).toBe(404);
    expect((await call(`/dev/mailbox/abc`, { headers: { accept: "application/json" } })).status).toBe(404);
  });

  it("is a 404 when DEV_MAILBOX is off", async () => {
    const off = { ...env, DEV_MAILBOX: "off" } as Env;
    for (const path of ["/dev/mailbox", "/dev/mailbox/1", "/dev/mailbox/1/raw"]) {
      const res = await app.fetch(new Request(`${ORIGIN}${path}`, { headers: { accept: "application/json" } }), off);
      expect(res.status, path).toBe(404);
    }
  });
});

describe("mail failures", () => {
  it("answers 202 at once and leaves the mail to the queue: a failed send is retried, and the retry sends it once", async () => {
    const resendEnv = { ...env, MAIL_TRANSPORT: "resend" } as Env;
    // A recipient domain of its own: the fake provider applies faults per domain, so this
    // test's failures cannot reach other test files sending at the same time.
    const scope = "subscribe-fail.test";
    const email = uniqueEmail("fail").replace(/@.*$/, `@${scope}`);
    const control = (plan: object) =>
      fetch(`${env.RESEND_BASE_URL}/__control`, { method: "POST", body: JSON.stringify({ scope, ...plan }) });
    const queue = new RecordingQueue();
    const deferred: Promise<unknown>[] = [];
    const outcome = await requestSubscription(makeDeps(resendEnv, { queue }), { email, source: "api", requestPage: null }, (p) =>
      deferred.push(p),
    );
    expect(outcome).toBe("queued");
    await Promise.all(deferred);
    const [message] = queue.pending;
    expect(message?.body).toMatchObject({ kind: "confirm", subscriberId: (await subscriberRow(email))!.id });
    const run = async () => {
      const batch = createMessageBatch<unknown>(DELIVERIES_QUEUE, [
        { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: message!.body },
      ]);
      await handleDeliveryBatch(batch, resendEnv);
      return getQueueResult(batch, createExecutionContext());
    };
    await control({ failRate: 1, modes: ["500"] });
    let failed: Awaited<ReturnType<typeof run>>;
    try {
      failed = await run();
    } finally {
      await control({ failRate: 0 });
    }
    expect(failed.retryMessages).toHaveLength(1);
    expect((await run()).explicitAcks).toHaveLength(1);
    const { emails } = (await (await fetch(`${env.RESEND_BASE_URL}/__emails?scope=${scope}`)).json()) as {
      emails: Array<{ to: string[]; text?: string }>;
    };
    const mine = emails.filter((e) => e.to[0] === email);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.text).toMatch(/\/confirm\?token=/);
    // Once confirmed, a late redelivery of the message sends nothing.
    const token = /\/confirm\?token=([A-Za-z0-9._-]+)/.exec(mine[0]!.text!)![1]!;
    expect((await postJson("/confirm", { token })).status).toBe(200);
    await run();
    const after = (await (await fetch(`${env.RESEND_BASE_URL}/__emails?scope=${scope}`)).json()) as { emails: Array<{ to: string[] }> };
    expect(after.emails.filter((e) => e.to[0] === email)).toHaveLength(1);
  });
});
