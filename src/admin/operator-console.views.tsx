// The console's pages for the operator's control (issue 22): one edition (its progress, its
// engagement, a test send, edits before sending, send or approve, delete or unpublish), the next
// edition, and the settings. Server-rendered, no script; every form carries the session's nonce.
import type { Story } from "../digest/types";
import type { Settings } from "../settings/schedule";
import { WEEKDAYS } from "../settings/schedule";

const Csrf = ({ token }: { token: string }) => <input type="hidden" name="csrf" value={token} />;

/** What the edition page shows, from the admin status (GET /admin/editions/:id). */
export interface EditionView {
  id: string;
  title: string;
  subject: string;
  headline: string | null;
  status: "built" | "skipped";
  delivery: string;
  counts: Record<string, number>;
  total: number;
  failedFinal: number;
  review: { waitingSince: string; deadlineAt: string | null } | null;
  unpublishedAt: string | null;
  engagement: {
    delivered: number;
    opened: number;
    clicked: number;
    bounced: number;
    complained: number;
    topLinks: Array<{ url: string; recipients: number }>;
  };
  stories: Story[];
}

const path = (id: string, action = "") => `/admin/console/editions/${encodeURIComponent(id)}${action}`;

export function EditionDetail({ csrf, e }: { csrf: string; e: EditionView }) {
  const sent = e.counts.sent ?? 0;
  const pending = (e.counts.pending ?? 0) + (e.counts.sending ?? 0);
  const failed = e.counts.failed ?? 0;
  const editable = e.delivery === "not started" || e.delivery === "awaiting approval";
  const canSend = editable || e.delivery === "paused";
  const engaged = e.engagement;
  return (
    <>
      <h1>Edition {e.id}</h1>
      <p>
        <strong>{e.headline ?? e.title}</strong>
        <br />
        <span class="muted">Subject: {e.subject}</span>
      </p>
      {e.unpublishedAt ? (
        <p class="notice">Unpublished at {e.unpublishedAt}: its page answers 410 and it is off the archive and feed.</p>
      ) : null}
      {e.review ? (
        <p class="notice" data-review>
          Awaiting approval since {e.review.waitingSince}
          {e.review.deadlineAt ? `; sent automatically after ${e.review.deadlineAt}` : "; nothing is sent until you approve"}.
        </p>
      ) : null}
      <h2>Delivery</h2>
      <ul class="counts" aria-label="Delivery" data-delivery={e.delivery}>
        <li>
          <strong>{e.delivery}</strong>state
        </li>
        <li data-count="sent">
          <strong>{sent}</strong>sent
        </li>
        <li data-count="pending">
          <strong>{pending}</strong>pending
        </li>
        <li data-count="failed">
          <strong>{failed}</strong>failed
        </li>
        <li>
          <strong>{e.total}</strong>recipients
        </li>
      </ul>
      {e.delivery === "sending" ? <p class="muted">This page reloads every 5 seconds while the edition is sending.</p> : null}
      <h2>Engagement</h2>
      <ul class="counts" aria-label="Engagement">
        {(["delivered", "opened", "clicked", "bounced", "complained"] as const).map((k) => (
          <li data-engagement={k}>
            <strong>{engaged[k]}</strong>
            {k}
          </li>
        ))}
      </ul>
      <p class="muted">Unique recipients, from the provider's events. Opens are a lower bound (images blocked, tracking off).</p>
      {engaged.topLinks.length > 0 ? (
        <div class="scroll">
          <table aria-label="Most clicked links">
            <thead>
              <tr>
                <th>Link</th>
                <th>Readers</th>
              </tr>
            </thead>
            <tbody>
              {engaged.topLinks.map((l) => (
                <tr>
                  <td class="wrap">{l.url}</td>
                  <td>{l.recipients}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <h2>Actions</h2>
      <div class="row-actions">
        <a href={`/editions/${encodeURIComponent(e.id)}`}>Web version</a>
        {canSend && e.status === "built" ? (
          <form method="post" action={path(e.id, "/send")}>
            <Csrf token={csrf} />
            <button type="submit">{e.delivery === "paused" ? "Resume" : e.review ? "Approve and send" : "Send to subscribers"}</button>
          </form>
        ) : null}
      </div>
      {e.status === "built" ? (
        <form method="post" action={path(e.id, "/test")}>
          <Csrf token={csrf} />
          <label for="to">Test send to one address (subject marked [Test]; nothing is recorded)</label>
          <input type="email" id="to" name="to" required maxlength={254} autocomplete="email" />
          <button type="submit">Send test</button>
        </form>
      ) : null}
      {editable && e.status === "built" ? (
        <form method="post" action={path(e.id, "/edit")}>
          <Csrf token={csrf} />
          <h3>Edit before sending</h3>
          <label for="subject">Subject</label>
          <input type="text" id="subject" name="subject" value={e.subject} maxlength={200} required />
          <div class="scroll">
            <table aria-label="Stories">
              <thead>
                <tr>
                  <th>Position</th>
                  <th>Story</th>
                  <th>Drop</th>
                </tr>
              </thead>
              <tbody>
                {e.stories.map((s, i) => (
                  <tr>
                    <td>
                      <input
                        type="number"
                        name={`pos:${s.id}`}
                        value={String(i + 1)}
                        min={1}
                        max={e.stories.length}
                        aria-label={`Position of ${s.headline}`}
                      />
                    </td>
                    <td class="wrap">{s.headline}</td>
                    <td>
                      <input type="checkbox" name="drop" value={s.id} aria-label={`Drop ${s.headline}`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="submit">Save and render again</button>
        </form>
      ) : null}
      <form method="post" action={path(e.id, "/delete")}>
        <Csrf token={csrf} />
        <h3>{e.delivery === "not started" || e.delivery === "awaiting approval" ? "Delete" : "Unpublish"}</h3>
        <label for="confirm">
          {e.delivery === "not started" || e.delivery === "awaiting approval"
            ? "Delete this edition (never sent). Type its id to confirm:"
            : "Take this sent edition off the web (its delivery records stay). Type its id to confirm:"}
        </label>
        <input type="text" id="confirm" name="confirm" required autocomplete="off" />
        <button type="submit">{e.delivery === "not started" || e.delivery === "awaiting approval" ? "Delete" : "Unpublish"}</button>
      </form>
    </>
  );
}

export function NextEditionPage({ next }: { next: { status: string; reason: string | null; asOf: string; stories: Story[] } }) {
  return (
    <>
      <h1>The next edition</h1>
      {next.status === "would-build" ? (
        <p data-next="would-build">
          A build now would make an edition of {next.stories.length} stories (as of {next.asOf}):
        </p>
      ) : (
        <p class="notice" data-next="nothing-new">
          Nothing new: a build now would be skipped ({next.reason}).
        </p>
      )}
      <ol>
        {next.stories.map((s) => (
          <li>
            {s.update ? "Update: " : ""}
            {s.headline} <span class="muted">({s.sources.length} sources)</span>
          </li>
        ))}
      </ol>
      <p>
        <a href="/preview">See it as the email renders</a>.
      </p>
    </>
  );
}

export function SettingsPage({ csrf, settings, problems = [] }: { csrf: string; settings: Settings; problems?: string[] }) {
  return (
    <>
      <h1>Settings</h1>
      {problems.length > 0 ? (
        <div class="error" role="alert">
          <ul>
            {problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action="/admin/console/settings">
        <Csrf token={csrf} />
        <h2>Schedule</h2>
        <label for="sendAt">Send at (HH:MM, local time)</label>
        <input type="time" id="sendAt" name="sendAt" value={settings.sendAt} required />
        <label for="timezone">Time zone (IANA name, e.g. Europe/Berlin)</label>
        <input type="text" id="timezone" name="timezone" value={settings.timezone} required maxlength={64} />
        <fieldset>
          <legend>Days</legend>
          {WEEKDAYS.map((d) => (
            <label>
              <input type="checkbox" name="days" value={d} checked={settings.days.includes(d)} /> {d}
            </label>
          ))}
        </fieldset>
        <h2>Review before send</h2>
        <label>
          <input type="checkbox" name="review" value="1" checked={settings.review} /> Scheduled editions wait for my approval
        </label>
        <label for="reviewDeadlineMinutes">Send anyway after (minutes; empty: never)</label>
        <input
          type="number"
          id="reviewDeadlineMinutes"
          name="reviewDeadlineMinutes"
          min={10}
          max={10080}
          value={settings.reviewDeadlineMinutes === null ? "" : String(settings.reviewDeadlineMinutes)}
        />
        <h2>Engagement</h2>
        <label for="eventRetentionDays">Keep per-reader events (days)</label>
        <input
          type="number"
          id="eventRetentionDays"
          name="eventRetentionDays"
          min={1}
          max={3650}
          value={String(settings.eventRetentionDays)}
          required
        />
        <button type="submit">Save</button>
      </form>
    </>
  );
}

export function ReaderHistory({
  id,
  email,
  status,
  history,
}: {
  id: number;
  email: string;
  status: string;
  history: Record<string, number>;
}) {
  return (
    <>
      <h1>{email}</h1>
      <p class="muted">
        Subscriber {id}, {status}.
      </p>
      <h2>History</h2>
      <ul class="counts" aria-label="History">
        {(["sent", "delivered", "opened", "clicked", "bounced", "complained"] as const).map((k) => (
          <li data-history={k}>
            <strong>{history[k] ?? 0}</strong>
            {k}
          </li>
        ))}
      </ul>
      <p class="muted">Editions sent to this reader, and what the provider reported about them within the retention period.</p>
    </>
  );
}
