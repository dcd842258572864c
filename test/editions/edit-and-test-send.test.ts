// Edits before sending and the test send (issue 22, items 2 and 3), in workerd with the real local
// D1 and the provider stand-in (test/support/fake-resend.ts): a PATCHed subject, dropped and
// reordered stories reach both a test send (one address, "[Test]", no delivery recorded) and the
// real send; PATCH after the send started is a 409; a bad address is a 422 naming "to".
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { parseDocument } from "htmlparser2";
import { textContent, findAll } from "domutils";
import { beforeEach, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { makeDeps } from "../../src/deps";
import { buildEdition } from "../../src/editions/build";
import { counts, digestOf, drain, fakeEmails, fakeReset, fanOut, addSubscribers, resetDelivery } from "../delivery/helpers";

const DOMAIN = "ops-edit.test";
/** The Worker as deployed with the provider: MAIL_TRANSPORT=resend, pointed at the stand-in. */
const viaProvider = { ...env, MAIL_TRANSPORT: "resend" } as Env;

async function call(path: string, init: RequestInit = {}, testEnv: Env = viaProvider): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`http://localhost${path}`, {
      ...init,
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json", accept: "application/json" },
    }),
    testEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

/** The h2/h3 headlines of an HTML document, in order. */
function headlines(html: string): string[] {
  const doc = parseDocument(html);
  return findAll((el) => /^h[1-3]$/.test(el.name), doc.children)
    .map((el) => textContent(el).trim())
    .filter((t) => t.startsWith("Headline "));
}

beforeEach(async () => {
  await resetDelivery();
  await fakeReset(DOMAIN);
});

describe("PATCH /admin/editions/:id and POST /admin/editions/:id/test", () => {
  it("a PATCHed subject and story list reach the test send and the real send; no delivery for the test; 409 once sending", async () => {
    await addSubscribers(2, "edit-", "active", DOMAIN);
    const built = await buildEdition(makeDeps(env, { digest: digestOf(["ed-a", "ed-b", "ed-c"]) }), { slot: "edit-1", now: new Date() });
    if (built.status !== "built") throw new Error("not built");
    const id = built.editionId;

    const bad = await call(`/admin/editions/${id}`, { method: "PATCH", body: JSON.stringify({ drop: ["ed-x"] }) });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^drop: no story "ed-x"/);
    const all = await call(`/admin/editions/${id}`, { method: "PATCH", body: JSON.stringify({ drop: ["ed-a", "ed-b", "ed-c"] }) });
    expect(all.status).toBe(422);

    const subject = "Ferries, floods and a fair";
    const patched = await call(`/admin/editions/${id}`, {
      method: "PATCH",
      body: JSON.stringify({ subject, drop: ["ed-b"], order: ["ed-c"] }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual({
      editionId: id,
      subject,
      stories: [
        { id: "ed-c", headline: "Headline ed-c" },
        { id: "ed-a", headline: "Headline ed-a" },
      ],
    });
    // The web page shows the new order, without the dropped story.
    const page = await app.fetch(new Request(`http://localhost/editions/${id}`), viaProvider, createExecutionContext());
    expect(headlines(await page.text())).toEqual(["Headline ed-c", "Headline ed-a"]);

    // Test send: one mail, to one address, "[Test]" and the PATCHed subject; no delivery row.
    const badTo = await call(`/admin/editions/${id}/test`, { method: "POST", body: JSON.stringify({ to: "editor@@ops-edit.test" }) });
    expect(badTo.status).toBe(422);
    expect(((await badTo.json()) as { message: string }).message.startsWith("to: ")).toBe(true);
    const test = await call(`/admin/editions/${id}/test`, { method: "POST", body: JSON.stringify({ to: `editor@${DOMAIN}` }) });
    expect(test.status).toBe(202);
    const tested = (await fakeEmails(DOMAIN)).emails;
    expect(tested).toHaveLength(1);
    expect(tested[0]!.to).toEqual([`editor@${DOMAIN}`]);
    expect(tested[0]!.subject).toBe(`[Test] ${subject}`);
    expect(headlines(tested[0]!.html!)).toEqual(["Headline ed-c", "Headline ed-a"]);
    expect(await counts(id)).toEqual({});
    const status = (await (await call(`/admin/editions/${id}`)).json()) as { delivery: string };
    expect(status.delivery).toBe("not started");

    // The real send: the same subject, to each subscriber.
    await drain(await fanOut(id), {}, { testEnv: viaProvider });
    const sent = (await fakeEmails(DOMAIN)).emails.filter((e) => !e.to.includes(`editor@${DOMAIN}`));
    expect(sent.map((e) => e.subject)).toEqual([subject, subject]);
    expect(headlines(sent[0]!.html!)).toEqual(["Headline ed-c", "Headline ed-a"]);
    expect(await counts(id)).toEqual({ sent: 2 });

    const late = await call(`/admin/editions/${id}`, { method: "PATCH", body: JSON.stringify({ subject: "Too late" }) });
    expect(late.status).toBe(409);
  });

  it("limits test sends to a few a minute", async () => {
    const built = await buildEdition(makeDeps(env, { digest: digestOf(["rl-a"]) }), { slot: "edit-2", now: new Date() });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await call(`/admin/editions/${built.editionId}/test`, {
        method: "POST",
        body: JSON.stringify({ to: `limit${i}@${DOMAIN}` }),
      });
      statuses.push(r.status);
    }
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(5);
    expect(statuses).toContain(429);
    expect(await counts(built.editionId)).toEqual({});
  });
});
