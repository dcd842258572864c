// The console pages for the operator's control (issue 22), mounted at /admin beside the console:
//   /admin/console/editions/:id     one edition: progress (reloads while sending), engagement,
//                                   test send, edit before sending, send or approve, delete or unpublish
//   /admin/console/next             what a build now would contain
//   /admin/console/settings         schedule, review before send, event retention
//   /admin/console/subscribers/:id  a reader's history: editions sent, delivered, opened, bounced
// The same services as the admin API; every page and form behind signedIn (./console-kit.tsx),
// the session's CSRF nonce on every form, no-store, the site CSP.
import type { Context } from "hono";
import { editionStatus, readerHistory } from "../delivery/service";
import { sendTestEdition } from "../delivery/test-send";
import { editableEdition, editEdition } from "../editions/edit";
import { nextEdition } from "../editions/next";
import { editionId } from "../editions/types";
import { removeEdition } from "../editions/unpublish";
import { factory, type AppEnv } from "../http/env";
import { HttpError } from "../http/errors";
import { sameOriginForms } from "../http/same-origin";
import { limitBody } from "../http/validate";
import { errorText, log } from "../log";
import { currentSettings, updateSettings } from "../settings/service";
import { normalizeAddress } from "../subscriptions/address";
import { findSubscriber } from "../subscriptions/lifecycle";
import { consolePage, formOf, noStore, sessionOf, signedIn } from "./console-kit";
import { EditionDetail, NextEditionPage, ReaderHistory, SettingsPage } from "./operator-console.views";

type C = Context<AppEnv>;

/** What a 303 back to a page may say; only these texts are shown (no text from the URL). */
const NOTICES = {
  tested: "Test mail sent to the address given.",
  edited: "The edition was changed and rendered again.",
  started: "Sending has started; nothing can be edited any more.",
  deleted: "The edition was deleted.",
  unpublished: "The edition was unpublished.",
  saved: "Settings saved.",
} as const;
type Notice = keyof typeof NOTICES;

const noticeOf = (c: C) => {
  const n = c.req.query("n") as Notice | undefined;
  return n && n in NOTICES ? NOTICES[n] : undefined;
};
const idOf = (c: C) => {
  const parsed = editionId.safeParse(c.req.param("id"));
  if (!parsed.success) throw new HttpError(400, "Bad edition id", "Edition ids hold letters, digits and ._- only.");
  return parsed.data;
};
const editionPath = (id: string) => `/admin/console/editions/${encodeURIComponent(id)}`;
const FORM_LIMIT = limitBody(32 * 1024, [413, "Request too large", "The form is small."]);

export const operatorConsole = factory.createApp();
operatorConsole.use("/console/*", noStore);
operatorConsole.on("POST", "/console/*", sameOriginForms("This form was not sent from the admin console."), FORM_LIMIT);

operatorConsole.get("/console/editions/:id", signedIn, async (c) => {
  const session = sessionOf(c);
  const id = idOf(c);
  const [status, editable] = await Promise.all([editionStatus(c.var.deps, id), editableEdition(c.var.deps, id)]);
  if (!status) throw new HttpError(404, "Not found", `No edition with id ${id}.`);
  // Live progress without script: the page asks to be reloaded while the edition is sending.
  if (status.delivery === "sending") c.header("Refresh", "5");
  const stories = editable?.stories ?? [];
  const view = {
    id,
    title: status.edition.title,
    subject: editable?.subject ?? status.edition.title,
    headline: stories[0]?.headline ?? null,
    status: status.edition.status,
    delivery: status.delivery,
    counts: status.deliveries.counts,
    total: status.deliveries.total,
    failedFinal: status.deliveries.failedFinal,
    review: status.review,
    unpublishedAt: status.edition.unpublishedAt,
    engagement: status.engagement,
    stories,
  };
  return consolePage(c, `Edition ${id}`, session, <EditionDetail csrf={session.csrf} e={view} />, noticeOf(c));
});

operatorConsole.post("/console/editions/:id/test", signedIn, async (c) => {
  const { fields } = await formOf(c);
  const id = idOf(c);
  const to = normalizeAddress(fields.to ?? "");
  if (!to.ok) throw new HttpError(422, "Bad address", `to: ${to.message}`);
  const { success } = await c.env.SUBSCRIBE_LIMITER.limit({ key: "admin:test-send" });
  if (!success) throw new HttpError(429, "Too many test sends", "At most 5 test sends a minute; try again in a minute.");
  const { deps } = c.var;
  try {
    const sent = await sendTestEdition({ db: deps.db, config: deps.config, transport: deps.mail("bulk") }, id, to.email);
    if (!sent) throw new HttpError(404, "Not found", `No edition with id ${id}.`);
  } catch (err) {
    if (err instanceof HttpError) throw err;
    log.warn("test_send_failed", { editionId: id, error: errorText(err) });
    throw new HttpError(502, "Test send failed", `The mail provider did not take the mail: ${errorText(err).slice(0, 300)}`);
  }
  return c.redirect(`${editionPath(id)}?n=tested`, 303);
});

operatorConsole.post("/console/editions/:id/edit", signedIn, async (c) => {
  const { fields, all } = await formOf(c);
  const id = idOf(c);
  // Positions come as pos:<storyId> = n; the new order sorts by them (ties keep the old order).
  const positions = Object.entries(fields)
    .filter(([k]) => k.startsWith("pos:"))
    .map(([k, v], i) => ({ id: k.slice(4), n: Number(v), i }))
    .sort((a, b) => (Number.isFinite(a.n) ? a.n : 1e9) - (Number.isFinite(b.n) ? b.n : 1e9) || a.i - b.i);
  const drop = all.drop ?? [];
  const order = positions.map((p) => p.id).filter((s) => !drop.includes(s));
  const r = await editEdition(c.var.deps, id, { subject: fields.subject ?? "", drop, order });
  if (r.outcome === "missing") throw new HttpError(404, "Not found", `No edition with id ${id}.`);
  if (r.outcome === "invalid") throw new HttpError(422, "Invalid edit", r.problems.join("; "));
  return c.redirect(`${editionPath(id)}?n=${r.outcome === "started" ? "started" : "edited"}`, 303);
});

operatorConsole.post("/console/editions/:id/delete", signedIn, async (c) => {
  const { fields } = await formOf(c);
  const id = idOf(c);
  if ((fields.confirm ?? "").trim() !== id) throw new HttpError(422, "Not confirmed", `Type the edition's id (${id}) to confirm.`);
  const r = await removeEdition(c.var.deps, id);
  if (r.outcome === "missing") throw new HttpError(404, "Not found", `No edition with id ${id}.`);
  return r.outcome === "deleted" ? c.redirect("/admin/console/editions", 303) : c.redirect(`${editionPath(id)}?n=unpublished`, 303);
});

operatorConsole.get("/console/next", signedIn, async (c) => {
  const session = sessionOf(c);
  return consolePage(c, "Next edition", session, <NextEditionPage next={await nextEdition(c.var.deps)} />);
});

operatorConsole.get("/console/settings", signedIn, async (c) => {
  const session = sessionOf(c);
  const settings = await currentSettings(c.var.deps);
  return consolePage(c, "Settings", session, <SettingsPage csrf={session.csrf} settings={settings} />, noticeOf(c));
});

operatorConsole.post("/console/settings", signedIn, async (c) => {
  const { session, fields, all } = await formOf(c);
  const deadline = (fields.reviewDeadlineMinutes ?? "").trim();
  const r = await updateSettings(c.var.deps, {
    sendAt: fields.sendAt ?? "",
    timezone: (fields.timezone ?? "").trim(),
    days: all.days ?? [],
    review: fields.review === "1",
    reviewDeadlineMinutes: deadline === "" ? null : Number(deadline),
    eventRetentionDays: Number(fields.eventRetentionDays ?? ""),
  });
  if (!r.ok) {
    const settings = await currentSettings(c.var.deps);
    return consolePage(
      c,
      "Settings",
      session,
      <SettingsPage csrf={session.csrf} settings={settings} problems={r.problems} />,
      undefined,
      422,
    );
  }
  return c.redirect("/admin/console/settings?n=saved", 303);
});

operatorConsole.get("/console/subscribers/:id", signedIn, async (c) => {
  const session = sessionOf(c);
  const id = Number(c.req.param("id"));
  const reader = Number.isSafeInteger(id) && id > 0 ? await findSubscriber(c.var.deps, id) : null;
  if (!reader) throw new HttpError(404, "Not found", "No subscriber with that id.");
  const history = await readerHistory(c.var.deps.db, id);
  return consolePage(c, reader.email, session, <ReaderHistory id={id} email={reader.email} status={reader.status} history={history} />);
});
