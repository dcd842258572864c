// The admin API, mounted at /admin (JSON only, bearer token): build an edition now, send or
// resume one, resend its failed or held rows, and see how its delivery is going; search, erase,
// export and import subscribers. `npm run admin -- ...` (scripts/admin.ts) calls it.
import * as z from "zod/mini";
import { editionStatus, resendStoredEdition, sendStoredEdition } from "../delivery/service";
import { forcedSlot, slotOf } from "../editions/service";
import { eraseSubscriber } from "../jobs/erase";
import { buildAndSend } from "../jobs/publish";
import { editionId, SLOT_PATTERN, type EditionRecord } from "../editions/types";
import { factory } from "../http/env";
import { sourceStates } from "../sources/service";
import { HttpError } from "../http/errors";
import { ADMIN_JSON, adminAccess } from "./auth";
import { CACHE } from "../http/policy";
import { body, limitBody, param, query, type Refusal } from "../http/validate";
import {
  countByStatus,
  exportCsv,
  importCsv,
  liftAddress,
  MAX_IMPORT_ROWS,
  SUBSCRIBER_STATUSES,
  searchSubscribers,
} from "../subscriptions/lifecycle";

const buildBody = z.strictObject({
  force: z.optional(z.boolean()),
  slot: z.optional(z.string().check(z.regex(SLOT_PATTERN, "slot: 1-64 letters, digits and :._- (e.g. 2026-11-23T07:00Z)"))),
  send: z.optional(z.boolean()),
});

const idParam = z.object({ id: editionId });
const BAD_ID: Refusal = [400, "Bad edition id", "Edition ids hold letters, digits and ._- only."];
const notFound = (id: string) => new HttpError(404, "Not found", `No edition with id ${id}.`);

export const admin = factory.createApp();

// JSON answers; the bearer token, or the console's session for reads (./auth.ts).
admin.use(adminAccess);

// Build now: POST /admin/editions {"force"?: bool, "slot"?: string, "send"?: bool}
admin.post(
  "/editions",
  limitBody(4096, [413, "Payload too large", "The body may hold at most 4 KB of JSON."]),
  body(buildBody, ADMIN_JSON),
  async (c) => {
    const { force = false, send = false, slot } = c.req.valid("json");
    const now = c.var.deps.clock();
    // Forced without a slot: a slot of its own, so a forced build always builds.
    const result = await buildAndSend(c.var.deps, { slot: slot ?? (force ? forcedSlot(now) : slotOf(now)), now, force, send });
    const sending = result.send && { started: result.send.created, fanout: result.send.state };
    return c.json({ edition: result.build, send: sending }, result.build.created ? 201 : 200);
  },
);

/** The 409 for a slot that was skipped: there is nothing to send. */
function skipped(record: EditionRecord): HttpError {
  const { slot, skipReason } = record;
  const fix = `build it with {"force": true, "slot": "${slot}"} first.`;
  return new HttpError(409, "Edition was skipped", `Slot ${slot} was skipped (${skipReason ?? "no reason"}); ${fix}`);
}

// Send, or resume sending (after a pause, a failed fan-out or lost messages): POST /admin/editions/:id/send
admin.post("/editions/:id/send", param(idParam, BAD_ID), async (c) => {
  const { id } = c.req.valid("param");
  const r = await sendStoredEdition(c.var.deps, id);
  if (r.outcome === "missing") throw notFound(id);
  if (r.outcome === "skipped") throw skipped(r.record);
  return c.json({ editionId: id, started: r.created, resumed: r.wasPaused, unitsEnqueued: r.units, fanout: r.state }, 202);
});

// Resend, under new Idempotency-Keys, the recipients whose failures were final (after a fix), or
// the rows held because their key outlived the provider's memory (an operator's decision):
// POST /admin/editions/:id/resend-failed, POST /admin/editions/:id/resend-held
for (const which of ["failed", "held"] as const) {
  admin.post(`/editions/:id/resend-${which}`, param(idParam, BAD_ID), async (c) => {
    const { id } = c.req.valid("param");
    const r = await resendStoredEdition(c.var.deps, id, which);
    if (r.outcome === "missing") throw notFound(id);
    if (r.outcome === "skipped") throw skipped(r.record);
    if (r.outcome === "busy") {
      throw new HttpError(
        409,
        "Fan-out not finished",
        "The edition's recipients are still being enqueued; try again when its fan-out is done.",
      );
    }
    return c.json({ editionId: id, resent: which, unitsEnqueued: r.units }, 202);
  });
}

// Status: GET /admin/editions/:id -> the edition, its fan-out and delivery counts and failures.
admin.get("/editions/:id", param(idParam, BAD_ID), async (c) => {
  const { id } = c.req.valid("param");
  const status = await editionStatus(c.var.deps, id);
  if (!status) throw notFound(id);
  return c.json(status);
});

// Subscribers: GET /admin/subscribers?q=&status= -> counts by status and up to 100 matches.
const searchQuery = z.object({
  q: z.optional(z.string().check(z.maxLength(254))),
  status: z.optional(z.enum(SUBSCRIBER_STATUSES as [string, ...string[]])),
});
admin.get(
  "/subscribers",
  query(searchQuery, [400, "Bad query", `q: at most 254 characters; status: one of ${SUBSCRIBER_STATUSES.join(", ")}.`]),
  async (c) => {
    const { q, status } = c.req.valid("query");
    const [counts, subscribers] = await Promise.all([
      countByStatus(c.var.deps.db),
      searchSubscribers(c.var.deps.db, { q: q || undefined, status: status as never, limit: 100 }),
    ]);
    c.header("Cache-Control", CACHE.private);
    return c.json({ counts, subscribers: subscribers.map(({ confirmNonce: _n, ...s }) => s) });
  },
);

// Export: GET /admin/subscribers.csv -> every subscriber with status, dates and consent source.
admin.get("/subscribers.csv", async (c) => {
  const csv = await exportCsv(c.var.deps);
  const name = `subscribers-${c.var.deps.clock().toISOString().slice(0, 10)}.csv`;
  return c.body(csv, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${name}"`,
    "Cache-Control": CACHE.private,
  });
});

// Import: POST /admin/subscribers/import[?dryRun=1] with a CSV body. 422 lists bad rows by line.
admin.post(
  "/subscribers/import",
  limitBody(512 * 1024, [413, "Payload too large", `An import may be at most 512 KB (and ${MAX_IMPORT_ROWS} rows).`]),
  async (c) => {
    const dryRun = ["1", "true", "yes"].includes(c.req.query("dryRun") ?? "");
    const result = await importCsv(c.var.deps, await c.req.text(), { dryRun });
    if (!result.ok) {
      throw new HttpError(422, "Bad CSV rows", `${result.errors.length} row(s) could not be read; nothing was imported.`, {
        fields: { errors: result.errors },
      });
    }
    return c.json(result.report);
  },
);

// An address travels in a JSON body, never in a URL: URLs reach request logs.
const addressBody = z.strictObject({ email: z.string().check(z.maxLength(512)) });
const smallBody = limitBody(4096, [413, "Payload too large", "The body may hold at most 4 KB of JSON."]);

// Erasure: POST /admin/subscribers/erase {"email": "..."} -> the address is in no table afterwards.
admin.post("/subscribers/erase", smallBody, body(addressBody, ADMIN_JSON), async (c) => {
  const r = await eraseSubscriber(c.var.deps, c.req.valid("json").email);
  if (!r) throw new HttpError(400, "Bad address", 'Send the address to erase as {"email": "ann@example.com"}.');
  return c.json(r);
});

// The old erasure route put the address in the URL (and so in request logs): gone, with a pointer.
admin.delete("/subscribers/:email", () => {
  throw new HttpError(
    410,
    "Gone",
    'Erasure moved to POST /admin/subscribers/erase with a JSON body {"email": "..."}, so the address stays out of URLs and logs.',
  );
});

// Lifting a bounce or a complaint, an operator's explicit decision (logged): POST /admin/subscribers/lift {"email": "..."}
admin.post("/subscribers/lift", smallBody, body(addressBody, ADMIN_JSON), async (c) => {
  const r = await liftAddress(c.var.deps, c.req.valid("json").email);
  if (!r) throw new HttpError(400, "Bad address", 'Send the address as {"email": "ann@example.com"}.');
  return c.json(r);
});

// Sources: GET /admin/sources -> each configured source's state (last fetch, status, items, last error).
admin.get("/sources", async (c) => {
  return c.json({ sources: await sourceStates(c.var.deps) });
});

admin.all("*", (c) => {
  throw new HttpError(404, "Not found", `No admin endpoint ${c.req.method} ${c.req.path}.`);
});
