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
import { deliveryReport, getFanout } from "../delivery/store";
import { EDITION_ID_PATTERN, getEditionRecord } from "../editions/store";
import { buildEdition, SLOT_PATTERN, slotOf } from "../editions/build";
import { startSend } from "../delivery/fanout";
import type { Producer } from "../delivery/messages";
import { mediaType } from "../http/respond";

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
  const result = await buildEdition(c.env.DB, c.get("config"), { slot: parsed.data.slot ?? slotOf(now), now, force });
  let sending = null;
  if (send && result.status === "built") sending = await startSend(c.env.DB, c.env.DELIVERIES as Producer, result.editionId, { batchSize: c.get("config").deliveryBatchSize });
  return c.json({ edition: result, send: sending && { started: sending.created, fanout: sending.state } }, result.created ? 201 : 200);
});

// Send (or resume sending) an edition: POST /admin/editions/:id/send
admin.post("/admin/editions/:id/send", async (c) => {
  const id = c.req.param("id");
  if (!EDITION_ID_PATTERN.test(id)) return fail(c, 400, "Bad edition id", "Edition ids hold letters, digits and ._- only.");
  const record = await getEditionRecord(c.env.DB, id);
  if (!record) return fail(c, 404, "Not found", `No edition with id ${id}.`);
  if (record.status !== "built") {
    return fail(c, 409, "Edition was skipped", `Slot ${record.slot} was skipped (${record.skipReason ?? "no reason"}); build it with {"force": true, "slot": "${record.slot}"} first.`);
  }
  const { created, state } = await startSend(c.env.DB, c.env.DELIVERIES as Producer, id, { batchSize: c.get("config").deliveryBatchSize });
  return c.json({ editionId: id, started: created, fanout: state }, 202);
});

// Status: GET /admin/editions/:id -> the edition, its fan-out and delivery counts and failures.
admin.get("/admin/editions/:id", async (c) => {
  const id = c.req.param("id");
  if (!EDITION_ID_PATTERN.test(id)) return fail(c, 400, "Bad edition id", "Edition ids hold letters, digits and ._- only.");
  const record = await getEditionRecord(c.env.DB, id);
  if (!record) return fail(c, 404, "Not found", `No edition with id ${id}.`);
  const [fanout, deliveries] = await Promise.all([getFanout(c.env.DB, id), deliveryReport(c.env.DB, id, 50)]);
  return c.json({ edition: record, fanout, deliveries });
});

admin.all("/admin/*", (c) => fail(c, 404, "Not found", `No admin endpoint ${c.req.method} ${c.req.path}.`));

// JSON errors only here, keeping the bearer middleware's WWW-Authenticate challenge.
admin.onError((err, c) => {
  if (err instanceof HTTPException && err.status < 500) return err.getResponse();
  console.error(JSON.stringify({ event: "admin_error", path: c.req.path, error: String(err) }));
  return fail(c, 500, "Something went wrong", "The admin request could not be completed.");
});
