// The admin API (JSON only, bearer token): build an edition now, send one, and see how its
// delivery is going. `npm run admin -- ...` (scripts/admin.ts) calls it from the command line.
import { Hono, type Context } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { HTTPException } from "hono/http-exception";
import { timingSafeEqual } from "hono/utils/buffer";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as z from "zod/mini";
import "../validation";
import type { AppEnv } from "../app";
import { deliveryReport, getFanout } from "../db/deliveries";
import { EDITION_ID_PATTERN, getEditionRecord } from "../db/editions";
import { buildEdition, SLOT_PATTERN, slotOf } from "../jobs/build-edition";
import { resumeSend, startSend } from "../jobs/fanout";
import { heldBefore, type Producer } from "../jobs/messages";
import { resendEdition } from "../jobs/resend";
import { mediaType } from "../http";

const fail = (c: Context, status: ContentfulStatusCode, error: string, message: string) => c.json({ error, message }, status);

const buildBody = z.strictObject({
  force: z.optional(z.boolean()),
  slot: z.optional(z.string().check(z.regex(SLOT_PATTERN, "slot: 1-64 letters, digits and :._- (e.g. 2026-11-23T07:00Z)"))),
  send: z.optional(z.boolean()),
});

/** A JSON body, `{}` when empty; anything else is the caller's mistake, answered with a 4xx. */
async function jsonBody(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; res: Response }> {
  const raw = await c.req.text();
  if (raw.length > 4096) return { ok: false, res: fail(c, 413, "Payload too large", "The body may hold at most 4 KB of JSON.") };
  if (raw.trim() === "") return { ok: true, value: {} };
  const type = mediaType(c);
  if (type && type !== "application/json") return { ok: false, res: fail(c, 415, "Unsupported media type", "Send JSON (Content-Type: application/json).") };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, res: fail(c, 400, "Bad JSON", "The body is not valid JSON.") };
  }
}

export const admin = new Hono<AppEnv>();

admin.use(
  "/admin/*",
  bearerAuth({
    verifyToken: (token, c) => timingSafeEqual(token, (c as Context<AppEnv>).get("config").adminToken),
    noAuthenticationHeader: { message: { error: "Unauthorized", message: "Send Authorization: Bearer <ADMIN_TOKEN>." } },
    invalidAuthenticationHeader: { message: { error: "Bad request", message: "The Authorization header must be 'Bearer <token>'." } },
    invalidToken: { message: { error: "Unauthorized", message: "That admin token is not valid." } },
  }),
);

// Build now: POST /admin/editions {"force"?: bool, "slot"?: string, "send"?: bool}
admin.post("/admin/editions", async (c) => {
  const body = await jsonBody(c);
  if (!body.ok) return body.res;
  const parsed = buildBody.safeParse(body.value);
  if (!parsed.success) return fail(c, 422, "Invalid request", parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  const { force = false, send = false } = parsed.data;
  const now = new Date();
  const batchSize = c.get("config").deliveryBatchSize;
  // With send, the fan-out is recorded with the edition (one transaction): it cannot be stranded.
  const result = await buildEdition(c.env.DB, c.get("config"), { slot: parsed.data.slot ?? slotOf(now), now, force, send: send ? { batchSize } : undefined });
  let sending = null;
  if (send && result.status === "built") sending = await startSend(c.env.DB, c.env.DELIVERIES as Producer, result.editionId, { batchSize });
  return c.json({ edition: result, send: sending && { started: sending.created || result.created, fanout: sending.state } }, result.created ? 201 : 200);
});

/** The built edition :id, or the 4xx answer saying why not. */
async function builtEdition(c: Context<AppEnv>): Promise<{ id: string } | { res: Response }> {
  const id = c.req.param("id") ?? "";
  if (!EDITION_ID_PATTERN.test(id)) return { res: fail(c, 400, "Bad edition id", "Edition ids hold letters, digits and ._- only.") };
  const record = await getEditionRecord(c.env.DB, id);
  if (!record) return { res: fail(c, 404, "Not found", `No edition with id ${id}.`) };
  if (record.status !== "built") {
    return { res: fail(c, 409, "Edition was skipped", `Slot ${record.slot} was skipped (${record.skipReason ?? "no reason"}); build it with {"force": true, "slot": "${record.slot}"} first.`) };
  }
  return { id };
}

// Send, or resume sending (after a pause, a failed fan-out or lost messages): POST /admin/editions/:id/send
admin.post("/admin/editions/:id/send", async (c) => {
  const edition = await builtEdition(c);
  if ("res" in edition) return edition.res;
  const { created, state, wasPaused, units } = await resumeSend(c.env.DB, c.env.DELIVERIES as Producer, edition.id, { batchSize: c.get("config").deliveryBatchSize });
  return c.json({ editionId: edition.id, started: created, resumed: wasPaused, unitsEnqueued: units, fanout: state }, 202);
});

// Resend, under new Idempotency-Keys, the recipients whose failures were final (after a fix), or
// the rows held because their key outlived the provider's memory (an operator's decision):
// POST /admin/editions/:id/resend-failed, POST /admin/editions/:id/resend-held
for (const which of ["failed", "held"] as const) {
  admin.post(`/admin/editions/:id/resend-${which}`, async (c) => {
    const edition = await builtEdition(c);
    if ("res" in edition) return edition.res;
    const result = await resendEdition(c.env.DB, c.env.DELIVERIES as Producer, edition.id, which);
    if (!result) return fail(c, 409, "Fan-out not finished", "The edition's recipients are still being enqueued; try again when its fan-out is done.");
    return c.json({ editionId: edition.id, resent: which, unitsEnqueued: result.units }, 202);
  });
}

// Status: GET /admin/editions/:id -> the edition, its fan-out and delivery counts and failures.
admin.get("/admin/editions/:id", async (c) => {
  const id = c.req.param("id");
  if (!EDITION_ID_PATTERN.test(id)) return fail(c, 400, "Bad edition id", "Edition ids hold letters, digits and ._- only.");
  const record = await getEditionRecord(c.env.DB, id);
  if (!record) return fail(c, 404, "Not found", `No edition with id ${id}.`);
  const [fanout, deliveries] = await Promise.all([getFanout(c.env.DB, id), deliveryReport(c.env.DB, id, 50, heldBefore(Date.now()))]);
  const open = deliveries.counts.pending + deliveries.counts.sending + deliveries.counts.failed - deliveries.failedFinal;
  // One word for the operator: paused (the provider refuses the account: fix, then send), held
  // (rows await resend-held), sending, done, or not started.
  const delivery = !fanout ? "not started" : fanout.pausedAt ? "paused" : open > deliveries.held || fanout.status === "running" ? "sending" : deliveries.held > 0 ? "held" : "done";
  return c.json({ edition: record, delivery, pause: fanout?.pausedAt ? { since: fanout.pausedAt, reason: fanout.pauseReason } : null, fanout, deliveries });
});

admin.all("/admin/*", (c) => fail(c, 404, "Not found", `No admin endpoint ${c.req.method} ${c.req.path}.`));

// JSON errors only here, keeping the bearer middleware's WWW-Authenticate challenge.
admin.onError((err, c) => {
  if (err instanceof HTTPException && err.status < 500) return err.getResponse();
  console.error(JSON.stringify({ event: "admin_error", path: c.req.path, error: String(err) }));
  return fail(c, 500, "Something went wrong", "The admin request could not be completed.");
});
