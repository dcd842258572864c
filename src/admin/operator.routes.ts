// The operator's control in the admin API (issue 22), mounted at /admin before the rest of the
// API (src/admin/routes.ts), so /editions/next is not read as an edition id; the same access
// (bearer token, JSON answers): the next edition as a build now would make it, a test send, edits
// before sending, unpublishing, and the settings (schedule, review, event retention).
import * as z from "zod/mini";
import { factory } from "../http/env";
import { ADMIN_JSON, adminAccess } from "./auth";
import { HttpError } from "../http/errors";
import { CACHE } from "../http/policy";
import { body, limitBody } from "../http/validate";
import { sendTestEdition } from "../delivery/test-send";
import { editEdition } from "../editions/edit";
import { nextEdition } from "../editions/next";
import { waitingEditions } from "../editions/review";
import { readerHistory } from "../delivery/service";
import { removeEdition } from "../editions/unpublish";
import { errorText, log } from "../log";
import { AccountMailError, PermanentMailError } from "../mail/types";
import { normalizeAddress } from "../subscriptions/address";
import { editionId } from "../editions/types";
import { param, type Refusal } from "../http/validate";
import { currentSettings, updateSettings } from "../settings/service";

const SMALL_BODY = limitBody(16 * 1024, [413, "Payload too large", "The body may hold at most 16 KB of JSON."]);

// Each field is checked by the settings' own rules (which name it); here only which fields exist.
const settingsBody = z.strictObject({
  sendAt: z.optional(z.unknown()),
  timezone: z.optional(z.unknown()),
  days: z.optional(z.unknown()),
  review: z.optional(z.unknown()),
  reviewDeadlineMinutes: z.optional(z.unknown()),
  eventRetentionDays: z.optional(z.unknown()),
});

export const operator = factory.createApp();
operator.use("/settings", adminAccess);
operator.use("/editions/*", adminAccess);
operator.use("/subscribers/:id/history", adminAccess);
// Settings: GET /admin/settings -> {sendAt, timezone, days, review, reviewDeadlineMinutes, eventRetentionDays}
operator.get("/settings", async (c) => {
  c.header("Cache-Control", CACHE.private);
  return c.json(await currentSettings(c.var.deps));
});
// PUT /admin/settings with any of those fields; 422 names each bad field and stores nothing.
operator.put("/settings", SMALL_BODY, body(settingsBody, ADMIN_JSON), async (c) => {
  const r = await updateSettings(c.var.deps, c.req.valid("json"));
  if (!r.ok) throw new HttpError(422, "Invalid settings", r.problems.join("; "), { fields: { problems: r.problems } });
  return c.json(r.settings);
});

const idParam = z.object({ id: editionId });
const BAD_ID: Refusal = [400, "Bad edition id", "Edition ids hold letters, digits and ._- only."];
const notFound = (id: string) => new HttpError(404, "Not found", `No edition with id ${id}.`);

// The next edition: GET /admin/editions/next -> {"status": "would-build" | "nothing-new", "reason", "asOf", "stories"}:
// what a build now would contain, by the build's own code path, nothing stored or cached.
operator.get("/editions/next", async (c) => {
  c.header("Cache-Control", CACHE.private);
  return c.json(await nextEdition(c.var.deps));
});

// Review: GET /admin/editions/awaiting -> {"editions": [{editionId, title, waitingSince, deadlineAt}]},
// the editions held for approval; POST /admin/editions/:id/send approves (sends) one.
operator.get("/editions/awaiting", async (c) => {
  c.header("Cache-Control", CACHE.private);
  return c.json({ editions: await waitingEditions(c.var.deps.db) });
});

// Take back: DELETE /admin/editions/:id -> {"outcome": "deleted"} for one never sent, or
// {"outcome": "unpublished", "unpublishedAt"} for a sent one (page 410, off the archive and feed).
operator.delete("/editions/:id", param(idParam, BAD_ID), async (c) => {
  const { id } = c.req.valid("param");
  const r = await removeEdition(c.var.deps, id);
  if (r.outcome === "missing") throw notFound(id);
  return c.json({ editionId: id, ...r });
});

const testBody = z.strictObject({ to: z.string() });

// Test send: POST /admin/editions/:id/test {"to": "editor@example.com"} -> 202 {to, subject}.
// The stored edition, "[Test]" before its subject, to one address through the configured
// transport; no delivery is recorded. A few per minute (the same limiter as signups, its own key).
operator.post("/editions/:id/test", param(idParam, BAD_ID), SMALL_BODY, body(testBody, ADMIN_JSON), async (c) => {
  const { id } = c.req.valid("param");
  const to = normalizeAddress(c.req.valid("json").to);
  if (!to.ok) throw new HttpError(422, "Invalid request", `to: ${to.message}`);
  const { success } = await c.env.SUBSCRIBE_LIMITER.limit({ key: "admin:test-send" });
  if (!success) {
    throw new HttpError(429, "Too many test sends", "At most 5 test sends a minute; try again in a minute.", {
      headers: { "Retry-After": "60" },
    });
  }
  const { deps } = c.var;
  try {
    const sent = await sendTestEdition({ db: deps.db, config: deps.config, transport: deps.mail("bulk") }, id, to.email);
    if (!sent) throw notFound(id);
    log.info("test_send", { editionId: id, transport: deps.config.mailTransport });
    return c.json({ editionId: id, to: to.email, subject: sent.subject, recorded: false }, 202);
  } catch (err) {
    if (err instanceof HttpError) throw err;
    log.warn("test_send_failed", { editionId: id, error: errorText(err) });
    const why =
      err instanceof AccountMailError ? "refuses the account" : err instanceof PermanentMailError ? "refused the mail" : "did not answer";
    throw new HttpError(502, "Test send failed", `The mail provider ${why}: ${errorText(err).slice(0, 300)}`);
  }
});

const storyIds = z.array(z.string().check(z.maxLength(200))).check(z.maxLength(500));
const editBody = z.strictObject({ subject: z.optional(z.string()), drop: z.optional(storyIds), order: z.optional(storyIds) });

// Edit before sending: PATCH /admin/editions/:id {"subject"?, "drop"?: [storyId], "order"?: [storyId]}
// -> the edition rendered again; 409 once its delivery has started.
operator.patch("/editions/:id", param(idParam, BAD_ID), SMALL_BODY, body(editBody, ADMIN_JSON), async (c) => {
  const { id } = c.req.valid("param");
  const r = await editEdition(c.var.deps, id, c.req.valid("json"));
  if (r.outcome === "missing") throw notFound(id);
  if (r.outcome === "started") {
    throw new HttpError(409, "Sending started", `Edition ${id} has started sending; what subscribers get can no longer change.`);
  }
  if (r.outcome === "invalid") throw new HttpError(422, "Invalid edit", r.problems.join("; "), { fields: { problems: r.problems } });
  return c.json({ editionId: id, subject: r.subject, stories: r.stories });
});

// A reader's history: GET /admin/subscribers/:id/history -> {sent, delivered, opened, clicked, bounced, complained}
// (editions; the provider's events within retention). The id is the one GET /admin/subscribers lists.
operator.get(
  "/subscribers/:id/history",
  param(z.object({ id: z.string().check(z.regex(/^[1-9]\d{0,15}$/)) }), [
    400,
    "Bad subscriber id",
    "A subscriber id is a positive whole number.",
  ]),
  async (c) => {
    c.header("Cache-Control", CACHE.private);
    return c.json({
      subscriberId: Number(c.req.valid("param").id),
      ...(await readerHistory(c.var.deps.db, Number(c.req.valid("param").id))),
    });
  },
);
