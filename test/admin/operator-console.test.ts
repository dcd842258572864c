// The console pages of the operator's control (issue 22) in workerd: an edition's page (progress
// that reloads while sending, engagement, test send, edit, delete with the id typed), the next
// edition and the settings; every form carries the session's nonce, answers are no-store with the
// site CSP (no script), and a form without the nonce changes nothing.
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { makeDeps } from "../../src/deps";
import { buildEdition } from "../../src/editions/build";
import { PAGE_CSP } from "../../src/http/policy";
import { addSubscribers, digestOf, drain, fanOut, resetDelivery } from "../delivery/helpers";

const ORIGIN = "http://localhost";
const go = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(new Request(`${ORIGIN}${path}`, { redirect: "manual", ...init }));

async function login(): Promise<{ cookie: string; csrf: string }> {
  const res = await go("/admin/login", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: ORIGIN,
      "cf-connecting-ip": `10.8.${Math.floor(Math.random() * 250)}.1`,
    },
    body: new URLSearchParams({ token: env.ADMIN_TOKEN }).toString(),
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  const page = await (await go("/admin/console/settings", { headers: { cookie } })).text();
  return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page)![1]! };
}

const form = (path: string, cookie: string, fields: Array<[string, string]>) =>
  go(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie },
    body: new URLSearchParams(fields).toString(),
  });

async function built(slot: string, stories: string[]): Promise<string> {
  const r = await buildEdition(makeDeps(env, { digest: digestOf(stories) }), { slot, now: new Date() });
  return r.editionId;
}

/** Every form on the page carries the CSRF field. */
function everyFormHasNonce(html: string, csrf: string) {
  const forms = html.match(/<form[^>]*method="post"[\s\S]*?<\/form>/g) ?? [];
  expect(forms.length).toBeGreaterThan(0);
  for (const f of forms) expect(f).toContain(`name="csrf" value="${csrf}"`);
}

beforeEach(async () => {
  await resetDelivery();
  await env.DB.prepare("DELETE FROM settings").run();
});

describe("console: the operator's control", () => {
  it("shows an edition with its engagement; edits, test-sends and deletes it through forms with the nonce", async () => {
    const { cookie, csrf } = await login();
    const id = await built("console-op-1", ["cs-a", "cs-b"]);
    const res = await go(`/admin/console/editions/${id}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-security-policy")).toBe(PAGE_CSP);
    expect(res.headers.get("refresh")).toBeNull();
    const html = await res.text();
    expect(html).not.toContain("<script");
    expect(html).toContain('data-delivery="not started"');
    expect(html).toMatch(/data-engagement="opened"><strong>0<\/strong>/);
    everyFormHasNonce(html, csrf);

    // Without the nonce nothing changes.
    expect((await form(`/admin/console/editions/${id}/edit`, cookie, [["subject", "Nope"]])).status).toBe(403);
    const edited = await form(`/admin/console/editions/${id}/edit`, cookie, [
      ["csrf", csrf],
      ["subject", "Edited in the console"],
      ["pos:cs-a", "2"],
      ["pos:cs-b", "1"],
    ]);
    expect(edited.status).toBe(303);
    expect(edited.headers.get("location")).toBe(`/admin/console/editions/${id}?n=edited`);
    const row = await env.DB.prepare("SELECT subject, story_ids AS s FROM editions WHERE id = ?")
      .bind(id)
      .first<{ subject: string; s: string }>();
    expect(row).toEqual({ subject: "Edited in the console", s: JSON.stringify(["cs-b", "cs-a"]) });

    const tested = await form(`/admin/console/editions/${id}/test`, cookie, [
      ["csrf", csrf],
      ["to", "editor@console.example"],
    ]);
    expect(tested.status).toBe(303);
    const outbox = await env.DB.prepare("SELECT kind, subject FROM outbox WHERE to_address = ?").bind("editor@console.example").all();
    expect(outbox.results).toEqual([{ kind: "test", subject: "[Test] Edited in the console" }]);
    expect(
      (
        await form(`/admin/console/editions/${id}/test`, cookie, [
          ["csrf", csrf],
          ["to", "not an address"],
        ])
      ).status,
    ).toBe(422);

    expect(
      (
        await form(`/admin/console/editions/${id}/delete`, cookie, [
          ["csrf", csrf],
          ["confirm", "wrong"],
        ])
      ).status,
    ).toBe(422);
    const deleted = await form(`/admin/console/editions/${id}/delete`, cookie, [
      ["csrf", csrf],
      ["confirm", id],
    ]);
    expect(deleted.status).toBe(303);
    expect((await env.DB.prepare("SELECT status FROM editions WHERE id = ?").bind(id).first()) ?? null).toBeNull();
  });

  it("reloads an edition's page while it is sending and stops when done; Resume shows only when something can resume", async () => {
    const { cookie } = await login();
    await addSubscribers(2, "console-op-");
    const id = await built("console-op-2", ["cs-c"]);
    const queue = await fanOut(id);
    const sending = await go(`/admin/console/editions/${id}`, { headers: { cookie } });
    expect(sending.headers.get("refresh")).toBe("5");
    expect(await sending.text()).toContain('data-delivery="sending"');
    await drain(queue);
    const done = await go(`/admin/console/editions/${id}`, { headers: { cookie } });
    expect(done.headers.get("refresh")).toBeNull();
    const html = await done.text();
    expect(html).toContain('data-delivery="done"');
    expect(html).toMatch(/data-count="sent"><strong>2<\/strong>/);
    expect(html).not.toMatch(/>(Resume|Send to subscribers)</);
    // The editions list offers no Resume for a finished edition, and titles rows by their top story.
    // Each reader's page shows their history.
    const [reader] = (await env.DB.prepare("SELECT id FROM subscribers WHERE email LIKE 'console-op-%' ORDER BY id").all<{ id: number }>())
      .results;
    const history = await (await go(`/admin/console/subscribers/${reader!.id}`, { headers: { cookie } })).text();
    expect(history).toMatch(/data-history="sent"><strong>1<\/strong>/);
    expect((await go("/admin/console/subscribers/999999", { headers: { cookie } })).status).toBe(404);
    const list = await (await go("/admin/console/editions", { headers: { cookie } })).text();
    const line = list.slice(list.indexOf(`data-edition="${id}"`), list.indexOf("</tr>", list.indexOf(`data-edition="${id}"`)));
    expect(line).toContain("Headline cs-c");
    expect(line).not.toContain("Resume");
  });

  it("saves the settings, and shows what is wrong with a bad time or zone without storing anything", async () => {
    const { cookie, csrf } = await login();
    const page = await (await go("/admin/console/settings", { headers: { cookie } })).text();
    everyFormHasNonce(page, csrf);
    const bad = await form("/admin/console/settings", cookie, [
      ["csrf", csrf],
      ["sendAt", "25:00"],
      ["timezone", "Mars/Olympus"],
      ["days", "mon"],
      ["eventRetentionDays", "90"],
    ]);
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain("sendAt: a time of day");
    expect(badHtml).toContain("timezone: &quot;Mars/Olympus&quot; is not an IANA time zone name");
    const ok = await form("/admin/console/settings", cookie, [
      ["csrf", csrf],
      ["sendAt", "06:30"],
      ["timezone", "America/New_York"],
      ["days", "mon"],
      ["days", "fri"],
      ["review", "1"],
      ["reviewDeadlineMinutes", ""],
      ["eventRetentionDays", "30"],
    ]);
    expect(ok.status).toBe(303);
    const api = await go("/admin/settings", { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } });
    expect(await api.json()).toEqual({
      sendAt: "06:30",
      timezone: "America/New_York",
      days: ["mon", "fri"],
      review: true,
      reviewDeadlineMinutes: null,
      eventRetentionDays: 30,
    });
    const next = await go("/admin/console/next", { headers: { cookie } });
    expect(next.status).toBe(200);
    expect(await next.text()).toMatch(/data-next="(would-build|nothing-new)"/);
  });

  it("sends a page without a session to the login page, and refuses a form once the session was logged out (signedIn)", async () => {
    const id = await built("cs-auth", ["cs-auth-a"]);
    for (const path of [
      `/admin/console/editions/${id}`,
      "/admin/console/next",
      "/admin/console/settings",
      "/admin/console/subscribers/1",
    ]) {
      const res = await go(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location"), path).toBe("/admin/login");
      expect(res.headers.get("cache-control"), path).toBe("no-store");
    }
    const { cookie, csrf } = await login();
    expect(
      (
        await go("/admin/logout", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie },
          body: new URLSearchParams({ csrf }).toString(),
        })
      ).status,
    ).toBe(303);
    // The revoked session's cookie and nonce no longer change anything.
    const refused = await form(`/admin/console/editions/${id}/edit`, cookie, [
      ["csrf", csrf],
      ["subject", "After logout"],
    ]);
    expect(refused.status).toBe(403);
    expect((await go(`/admin/console/settings`, { headers: { cookie } })).headers.get("location")).toBe("/admin/login");
    const stored = await env.DB.prepare("SELECT subject FROM editions WHERE id = ?").bind(id).first<{ subject: string }>();
    expect(stored?.subject).not.toBe("After logout");
  });
});
