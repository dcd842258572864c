// The admin console's page bodies (hono/jsx, inside the site's page shell; no client script).
// Every form posts with the session's CSRF nonce; links only read.
import type { Child } from "hono/jsx";
import type { SourceState } from "../sources/status";
import type { ImportReport } from "../subscriptions/lifecycle";
import type { Subscriber, SubscriberStatus } from "../subscriptions/store";

/** One edition's line in the console: its record, delivery word and counts. */
export interface EditionLine {
  id: string;
  title: string;
  date: string;
  delivery: string;
  pause: { since: string; reason: string | null } | null;
  total: number;
  counts: Record<string, number>;
  reported: { bounced: number; complained: number };
  /** Held for approval (review before send) since then, or null. */
  waitingSince?: string | null;
}

const Csrf = ({ token }: { token: string }) => <input type="hidden" name="csrf" value={token} />;

/** A one-button form: POST to `action` with the CSRF field and any hidden fields. */
function Action({ action, csrf, label, fields = {} }: { action: string; csrf: string; label: string; fields?: Record<string, string> }) {
  return (
    <form method="post" action={action}>
      <Csrf token={csrf} />
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit">{label}</button>
    </form>
  );
}

export function LoginForm({ error }: { error?: string }) {
  return (
    <>
      <h1>Admin</h1>
      <form method="post" action="/admin/login">
        <label for="token">Admin token</label>
        <input type="password" id="token" name="token" required autocomplete="current-password" />
        <button type="submit">Log in</button>
      </form>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <p class="muted">The ADMIN_TOKEN secret. The session lasts 8 hours.</p>
    </>
  );
}

/** The console's frame: navigation, log out, a notice, then the page. */
export function Console({ csrf, notice, children }: { csrf: string; notice?: string; children?: Child }) {
  return (
    <>
      <nav class="admin-nav" aria-label="Admin">
        <a href="/admin">Dashboard</a>
        <a href="/admin/console/editions">Editions</a>
        <a href="/admin/console/subscribers">Subscribers</a>
        <a href="/admin/console/sources">Sources</a>
        <a href="/admin/console/next">Next edition</a>
        <a href="/admin/console/settings">Settings</a>
        <Action action="/admin/logout" csrf={csrf} label="Log out" />
      </nav>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {children}
    </>
  );
}

export function StatusCounts({ counts }: { counts: Record<SubscriberStatus, number> }) {
  return (
    <ul class="counts" aria-label="Subscribers by status">
      {Object.entries(counts).map(([status, n]) => (
        <li data-status={status}>
          <strong>{n}</strong>
          {status}
        </li>
      ))}
    </ul>
  );
}

function Progress({ e }: { e: EditionLine }) {
  const sent = e.counts.sent ?? 0;
  const failed = e.counts.failed ?? 0;
  const skipped = e.counts.skipped ?? 0;
  return (
    <>
      {e.delivery}
      {e.waitingSince ? ` since ${e.waitingSince}` : ""}
      {e.total > 0 ? ` · ${sent}/${e.total} sent` : ""}
      {failed ? ` · ${failed} failed` : ""}
      {skipped ? ` · ${skipped} skipped` : ""}
      {e.reported.bounced ? ` · ${e.reported.bounced} bounced` : ""}
      {e.reported.complained ? ` · ${e.reported.complained} complained` : ""}
      {e.pause ? ` · paused since ${e.pause.since}: ${e.pause.reason ?? "no reason"}` : ""}
    </>
  );
}

export function Dashboard({ counts, editions }: { counts: Record<SubscriberStatus, number>; editions: EditionLine[] }) {
  return (
    <>
      <h1>Dashboard</h1>
      <h2>Subscribers</h2>
      <StatusCounts counts={counts} />
      <h2>Latest editions</h2>
      {editions.length === 0 ? <p class="muted">No edition built yet.</p> : null}
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>Edition</th>
              <th>Delivery</th>
            </tr>
          </thead>
          <tbody>
            {editions.map((e) => (
              <tr data-edition={e.id}>
                <td>
                  <a href={`/editions/${encodeURIComponent(e.id)}`}>{e.id}</a>
                </td>
                <td>
                  <Progress e={e} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function EditionsPage({ csrf, editions }: { csrf: string; editions: EditionLine[] }) {
  return (
    <>
      <h1>Editions</h1>
      <p>
        <a href="/admin/console/next">The next edition</a>: what a build now would contain (or that nothing is new), and{" "}
        <a href="/preview">as the email renders</a>.
      </p>
      <form method="post" action="/admin/console/build">
        <Csrf token={csrf} />
        <label>
          <input type="checkbox" name="force" value="1" /> Build even if nothing is new (a second edition today)
        </label>
        <button type="submit">Build now</button>
      </form>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>Edition</th>
              <th>Delivery</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {editions.map((e) => (
              <tr data-edition={e.id}>
                <td>
                  <a href={`/admin/console/editions/${encodeURIComponent(e.id)}`}>{e.id}</a>
                  <br />
                  <span class="muted">{e.title}</span>
                </td>
                <td>
                  <Progress e={e} />
                </td>
                <td class="row-actions">
                  {/* Send before anything was sent, Resume only when something waits to be resumed. */}
                  {e.delivery === "not started" || e.delivery === "awaiting approval" || e.delivery === "paused" ? (
                    <Action
                      action={`/admin/console/editions/${encodeURIComponent(e.id)}/send`}
                      csrf={csrf}
                      label={e.delivery === "paused" ? "Resume" : e.delivery === "awaiting approval" ? "Approve and send" : "Send"}
                    />
                  ) : null}
                  {(e.counts.failed ?? 0) > 0 ? (
                    <Action
                      action={`/admin/console/editions/${encodeURIComponent(e.id)}/resend-failed`}
                      csrf={csrf}
                      label="Resend failed"
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function SubscribersPage(p: {
  csrf: string;
  counts: Record<SubscriberStatus, number>;
  statuses: readonly SubscriberStatus[];
  q: string;
  status: string;
  subscribers: Subscriber[];
  report?: ImportReport;
  errors?: Array<{ line: number; message: string }>;
  csv?: string;
}) {
  return (
    <>
      <h1>Subscribers</h1>
      <StatusCounts counts={p.counts} />
      <SubscriberSearch q={p.q} status={p.status} statuses={p.statuses} />
      <SubscriberTable csrf={p.csrf} subscribers={p.subscribers} />
      <h2>Export</h2>
      <p>
        <a href="/admin/subscribers.csv" download>
          Download every subscriber as CSV
        </a>{" "}
        (status, dates, consent source).
      </p>
      <h2>Import</h2>
      <ImportForm csrf={p.csrf} csv={p.csv ?? ""} />
      <p class="muted">
        Unsubscribed, bounced, complained and erased addresses are never subscribed again, and no import activates an existing row. Lifting
        a bounce or a complaint makes the reader unsubscribed: they may then opt in again themselves.
      </p>
      {p.errors ? <ImportErrors errors={p.errors} /> : null}
      {p.report ? <ImportResult report={p.report} /> : null}
    </>
  );
}

function SubscriberSearch(p: { q: string; status: string; statuses: readonly SubscriberStatus[] }) {
  return (
    <form method="get" action="/admin/console/subscribers">
      <label for="q">Search addresses</label>
      <input type="search" id="q" name="q" value={p.q} maxlength={254} />
      <select name="status" aria-label="Status">
        <option value="">any status</option>
        {p.statuses.map((s) => (
          <option value={s} selected={s === p.status}>
            {s}
          </option>
        ))}
      </select>
      <button type="submit">Search</button>
    </form>
  );
}

function SubscriberTable({ csrf, subscribers }: { csrf: string; subscribers: Subscriber[] }) {
  return (
    <>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>Address</th>
              <th>Status</th>
              <th>Source</th>
              <th>Since</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {subscribers.map((s) => (
              <tr data-email={s.email}>
                <td>
                  <a href={`/admin/console/subscribers/${s.id}`}>{s.email}</a>
                </td>
                <td>{s.status}</td>
                <td>{s.source}</td>
                <td>{(s.confirmedAt ?? s.createdAt).slice(0, 10)}</td>
                <td>
                  {/* Erasure cannot be undone: the operator types the address to confirm. */}
                  <form method="post" action="/admin/console/subscribers/erase" class="row-actions">
                    <Csrf token={csrf} />
                    <input type="hidden" name="email" value={s.email} />
                    <input
                      type="text"
                      name="confirm"
                      required
                      autocomplete="off"
                      placeholder="type the address"
                      aria-label={`Type ${s.email} to erase it`}
                    />
                    <button type="submit">Erase</button>
                  </form>
                  {s.status === "bounced" || s.status === "complained" ? (
                    <Action action="/admin/console/subscribers/lift" csrf={csrf} label="Lift suppression" fields={{ email: s.email }} />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {subscribers.length === 0 ? <p class="muted">No subscriber matches.</p> : null}
    </>
  );
}

function ImportForm({ csrf, csv }: { csrf: string; csv: string }) {
  return (
    <form method="post" action="/admin/console/subscribers/import">
      <Csrf token={csrf} />
      <label for="csv">CSV with a header row: email, and optionally consent (yes/no), consent_at, consent_page</label>
      <textarea id="csv" name="csv" rows={6} required>
        {csv}
      </textarea>
      <label>
        <input type="checkbox" name="dryRun" value="1" checked /> Dry run: only show what would change
      </label>
      <button type="submit">Import</button>
    </form>
  );
}

function ImportErrors({ errors }: { errors: Array<{ line: number; message: string }> }) {
  return (
    <div class="error" role="alert">
      <p>Nothing was imported: {errors.length} row(s) could not be read.</p>
      <ul>
        {errors.map((e) => (
          <li>
            Line {e.line}: {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ImportResult({ report }: { report: ImportReport }) {
  return (
    <section aria-label="Import result">
      <h2>{report.dryRun ? "Dry run: what the import would do" : "Imported"}</h2>
      <ul class="counts">
        {Object.entries(report.counts).map(([action, n]) => (
          <li data-action={action}>
            <strong>{n}</strong>
            {action}
          </li>
        ))}
      </ul>
      <div class="scroll">
        <table>
          <tbody>
            {report.rows.map((r) => (
              <tr>
                <td>line {r.line}</td>
                <td>{r.email}</td>
                <td>{r.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function SourcesPage({ sources }: { sources: SourceState[] }) {
  return (
    <>
      <h1>Sources</h1>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>Source</th>
              <th>State</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => (
              <tr>
                <td>
                  {s.name}
                  <br />
                  <span class="muted">{s.detail}</span>
                </td>
                <td>{s.state}</td>
                <td>{s.lastError ?? "none recorded"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
