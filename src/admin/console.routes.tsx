// The admin console, mounted at /admin next to the admin API: server-rendered pages in the
// site's shell (no script), behind a login with ADMIN_TOKEN that sets a signed session cookie
// (session.ts). GET never changes anything; every form is a POST checked twice for CSRF (the
// Origin header, by hono/csrf, and the session's nonce in a hidden field), and answered with a
// 303 back to a page. Nothing is cached (no-store); pages get the site CSP from the app.
//   /admin                          dashboard: subscribers by status, latest editions' delivery
//   /admin/login, /admin/logout     the session
//   /admin/console/editions         preview link, build, send or resume, resend failed
//   /admin/console/subscribers      search, status, erase, export (the API's CSV), import with dry run
//   /admin/console/sources          the sources and their state
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { timingSafeEqual } from "hono/utils/buffer";
import { editionStatus, resendStoredEdition, sendStoredEdition } from "../delivery/service";
import { forcedSlot, recentEditions, slotOf } from "../editions/service";
import { eraseSubscriber } from "../jobs/erase";
import { buildAndSend } from "../jobs/publish";
import { editionId } from "../editions/types";
import { clientKey } from "../http/client";
import { factory, type AppEnv } from "../http/env";
import { HttpError } from "../http/errors";
import { sameOriginForms } from "../http/same-origin";
import { page } from "../http/page";
import { limitBody } from "../http/validate";
import { log } from "../log";
import { consoleSources } from "../sources/status";
import { countByStatus, importCsv, liftAddress, SUBSCRIBER_STATUSES, searchSubscribers } from "../subscriptions/lifecycle";
import type { SubscriberStatus } from "../subscriptions/store";
import { consolePage, formOf, noStore, sessionOf, signedIn } from "./console-kit";
import { Dashboard, type EditionLine, EditionsPage, LoginForm, SourcesPage, SubscribersPage } from "./console.views";
import { endSession, readSession, type Session, startSession } from "./session";

type C = Context<AppEnv>;

/** What a 303 back to a page may say; only these texts are shown (no text from the URL). */
const NOTICES = {
  built: "Edition built.",
  unchanged: "Nothing new to build: the slot's edition already exists (tick the box to build another).",
  skipped: "The sources held nothing new, so the slot was recorded as skipped.",
  sent: "Sending started or resumed.",
  resent: "The failed recipients are being sent again.",
  busy: "The edition's recipients are still being enqueued; try again in a minute.",
  missing: "No such edition.",
  erased: "The address was erased.",
  "not-found": "No subscriber had that address; any traces of it were erased anyway.",
  lifted: "The suppression was lifted: the reader is unsubscribed, and may opt in again.",
  "not-suppressed": "That address was neither bounced nor complained; nothing changed.",
  "logged-out": "Logged out.",
} as const;
type Notice = keyof typeof NOTICES;

const sameOrigin = sameOriginForms("This form was not sent from the admin console.");

function render(c: C, title: string, session: Session, body: Child, status: 200 | 401 | 422 = 200) {
  const n = c.req.query("n") as Notice | undefined;
  return consolePage(c, title, session, body, n && n in NOTICES ? NOTICES[n] : undefined, status);
}

const back = (c: C, path: string, n: Notice) => c.redirect(`${path}?n=${n}`, 303);

async function editionLines(c: C, limit: number): Promise<EditionLine[]> {
  const deps = c.var.deps;
  const editions = await recentEditions(deps, limit);
  const lines = await Promise.all(
    editions.map(async (e) => {
      const s = await editionStatus(deps, e.id);
      return {
        id: e.id,
        // Rows are told apart by their top story, not the newsletter's name.
        title: e.digest.stories[0]?.headline ?? e.title,
        date: e.date,
        delivery: s?.delivery ?? "not started",
        pause: s?.pause ?? null,
        total: s?.deliveries.total ?? 0,
        counts: s?.deliveries.counts ?? {},
        reported: s?.deliveries.reported ?? { bounced: 0, complained: 0 },
        waitingSince: s?.review?.waitingSince ?? null,
      };
    }),
  );
  return lines;
}

const idOf = (c: C) => {
  const parsed = editionId.safeParse(c.req.param("id"));
  if (!parsed.success) throw new HttpError(400, "Bad edition id", "Edition ids hold letters, digits and ._- only.");
  return parsed.data;
};

export const adminConsole = factory.createApp();

for (const path of ["/", "/login", "/logout", "/console/*"]) adminConsole.use(path, noStore);
adminConsole.use("/login", async (c, next) => {
  if (c.req.method === "POST") return sameOrigin(c, next);
  await next();
});
adminConsole.use("/logout", sameOrigin);
adminConsole.on("POST", "/console/*", sameOrigin);

adminConsole.get("/", signedIn, async (c) => {
  const session = sessionOf(c);
  const [counts, editions] = await Promise.all([countByStatus(c.var.deps.db), editionLines(c, 10)]);
  return render(c, "Dashboard", session, <Dashboard counts={counts} editions={editions} />);
});

adminConsole.get("/login", async (c) => {
  if (await readSession(c)) return c.redirect("/admin", 303);
  return c.html(page(c.get("config").title, "Admin login", <LoginForm />));
});

adminConsole.post("/login", limitBody(4096, [413, "Request too large", "The login form is small."]), async (c) => {
  // Guessing the token is limited like signups: per client (IPv4 address or IPv6 /64).
  const ip = c.req.header("cf-connecting-ip") ?? "local";
  const { success } = await c.env.SUBSCRIBE_LIMITER.limit({ key: `admin-login:${clientKey(ip)}` });
  if (!success) throw new HttpError(429, "Too many attempts", "Too many login attempts. Please wait a minute.");
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const token = typeof body.token === "string" ? body.token : "";
  if (!token || !(await timingSafeEqual(token, c.get("config").adminToken))) {
    log.warn("admin_login_failed", {});
    return c.html(page(c.get("config").title, "Admin login", <LoginForm error="That is not the admin token." />), 401);
  }
  await startSession(c);
  log.info("admin_login", {});
  return c.redirect("/admin", 303);
});

adminConsole.post("/logout", signedIn, async (c) => {
  const { session } = await formOf(c);
  await endSession(c, session);
  log.info("admin_logout", {});
  return c.redirect("/admin/login", 303);
});

adminConsole.get("/console/editions", signedIn, async (c) => {
  const session = sessionOf(c);
  return render(c, "Editions", session, <EditionsPage csrf={session.csrf} editions={await editionLines(c, 30)} />);
});

adminConsole.post("/console/build", signedIn, async (c) => {
  const { fields } = await formOf(c);
  const now = c.var.deps.clock();
  const force = fields.force === "1";
  // A forced build always builds: its own slot, even within the minute of an earlier one.
  const slot = force ? forcedSlot(now) : slotOf(now);
  const { build } = await buildAndSend(c.var.deps, { slot, now, force, send: false });
  return back(c, "/admin/console/editions", build.status === "skipped" ? "skipped" : build.created ? "built" : "unchanged");
});

adminConsole.post("/console/editions/:id/send", signedIn, async (c) => {
  await formOf(c);
  const r = await sendStoredEdition(c.var.deps, idOf(c));
  return back(c, "/admin/console/editions", r.outcome === "started" ? "sent" : r.outcome === "missing" ? "missing" : "skipped");
});

adminConsole.post("/console/editions/:id/resend-failed", signedIn, async (c) => {
  await formOf(c);
  const r = await resendStoredEdition(c.var.deps, idOf(c), "failed");
  const n: Notice = r.outcome === "resent" ? "resent" : r.outcome === "busy" ? "busy" : r.outcome === "missing" ? "missing" : "skipped";
  return back(c, "/admin/console/editions", n);
});

const statusOf = (v: string | undefined): SubscriberStatus | undefined =>
  SUBSCRIBER_STATUSES.includes(v as SubscriberStatus) ? (v as SubscriberStatus) : undefined;

async function subscribersPage(
  c: C,
  session: Session,
  extra: Partial<Parameters<typeof SubscribersPage>[0]> = {},
  status: 200 | 422 = 200,
) {
  const q = (c.req.query("q") ?? "").slice(0, 254);
  const wanted = statusOf(c.req.query("status"));
  const [counts, subscribers] = await Promise.all([
    countByStatus(c.var.deps.db),
    searchSubscribers(c.var.deps.db, { q: q || undefined, status: wanted, limit: 100 }),
  ]);
  const body = (
    <SubscribersPage
      csrf={session.csrf}
      counts={counts}
      statuses={SUBSCRIBER_STATUSES}
      q={q}
      status={wanted ?? ""}
      subscribers={subscribers}
      {...extra}
    />
  );
  return render(c, "Subscribers", session, body, status);
}

adminConsole.get("/console/subscribers", signedIn, async (c) => {
  const session = sessionOf(c);
  return subscribersPage(c, session);
});

adminConsole.post("/console/subscribers/erase", signedIn, async (c) => {
  const { fields } = await formOf(c);
  if ((fields.confirm ?? "").trim().toLowerCase() !== (fields.email ?? "").trim().toLowerCase()) {
    throw new HttpError(422, "Not confirmed", "Type the address exactly to erase it; nothing was erased.");
  }
  const r = await eraseSubscriber(c.var.deps, fields.email ?? "");
  if (!r) throw new HttpError(400, "Bad address", "That is not an email address.");
  return back(c, "/admin/console/subscribers", r.erased ? "erased" : "not-found");
});

adminConsole.post("/console/subscribers/lift", signedIn, async (c) => {
  const { fields } = await formOf(c);
  const r = await liftAddress(c.var.deps, fields.email ?? "");
  if (!r) throw new HttpError(400, "Bad address", "That is not an email address.");
  return back(c, "/admin/console/subscribers", r.lifted || r.entry ? "lifted" : "not-suppressed");
});

adminConsole.post(
  "/console/subscribers/import",
  limitBody(768 * 1024, [413, "Import too large", "An import may be at most 512 KB of CSV."]),
  signedIn,
  async (c) => {
    const { session, fields } = await formOf(c);
    const csv = fields.csv ?? "";
    const result = await importCsv(c.var.deps, csv, { dryRun: fields.dryRun === "1" });
    // The result is shown at once (not a 303): it is the answer to this form, and repeating
    // a real import changes nothing more (imported rows are then "unchanged").
    if (!result.ok) return subscribersPage(c, session, { errors: result.errors, csv }, 422);
    return subscribersPage(c, session, { report: result.report, csv: result.report.dryRun ? csv : "" });
  },
);

adminConsole.get("/console/sources", signedIn, async (c) => {
  const session = sessionOf(c);
  return render(c, "Sources", session, <SourcesPage sources={await consoleSources(c.var.deps)} />);
});
