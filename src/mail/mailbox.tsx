// GET /dev/mailbox: the local outbox (MAIL_TRANSPORT=outbox) for `wrangler dev`, so a new user can
// read the confirmation mail and click its link on their own machine. 404 unless DEV_MAILBOX is on.
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { getOutboxMessage, listOutbox } from "./outbox-store";
import { problem, wantsJson } from "../http/respond";
import { page } from "../subscriptions/views";

export const devMailbox = new Hono<AppEnv>();

devMailbox.use("/dev/mailbox/*", async (c, next) => {
  if (!c.get("config").devMailbox) return problem(c, 404, "Not found", `Nothing lives at ${c.req.path}.`);
  await next();
});
devMailbox.use("/dev/mailbox", async (c, next) => {
  if (!c.get("config").devMailbox) return problem(c, 404, "Not found", `Nothing lives at ${c.req.path}.`);
  await next();
  c.res.headers.set("Cache-Control", "no-store");
});

const messageId = (raw: string) => (/^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null);

devMailbox.get("/dev/mailbox", async (c) => {
  const to = c.req.query("to");
  const messages = await listOutbox(c.env.DB, { limit: 100, ...(to ? { to } : {}) });
  if (wantsJson(c)) return c.json({ messages });
  return c.html(
    page(
      c.get("config").title,
      "Dev mailbox",
      <>
        <h1>Dev mailbox</h1>
        <p class="muted">Mail the Worker would have sent (MAIL_TRANSPORT=outbox), newest first. Off in production.</p>
        {messages.length === 0 ? (
          <p>No messages yet. Subscribe on the <a href="/">home page</a>, then reload.</p>
        ) : (
          <ul>
            {messages.map((m) => (
              <li>
                <a href={`/dev/mailbox/${m.id}`}>{m.subject}</a> <span class="muted">to {m.to} · {m.kind} · {m.createdAt}</span>
              </li>
            ))}
          </ul>
        )}
      </>,
    ),
  );
});

devMailbox.get("/dev/mailbox/:id", async (c) => {
  const id = messageId(c.req.param("id"));
  const message = id === null ? null : await getOutboxMessage(c.env.DB, id);
  if (!message) return problem(c, 404, "No such message", "That message is not in the outbox.");
  if (wantsJson(c)) return c.json(message);
  // The links in the text part, as plain anchors: the quickest way to click "confirm".
  const links = [...new Set(message.text.match(/https?:\/\/[^\s<>"]+/g) ?? [])];
  return c.html(
    page(
      c.get("config").title,
      message.subject,
      <>
        <h1>{message.subject}</h1>
        <p class="muted">
          From {message.from} to {message.to} · {message.kind} · {message.createdAt}
          <br />
          Message-ID {message.messageId}
        </p>
        {links.length > 0 ? (
          <>
            <h2>Links</h2>
            <ul>
              {links.map((l) => (
                <li>
                  <a href={l}>{l}</a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p>
          <a href={`/dev/mailbox/${message.id}/html`}>HTML version</a> · <a href={`/dev/mailbox/${message.id}/raw`}>Raw MIME</a> · <a href="/dev/mailbox">All messages</a>
        </p>
        <h2>Text version</h2>
        <pre>{message.text}</pre>
      </>,
    ),
  );
});

devMailbox.get("/dev/mailbox/:id/:part{html|text|raw}", async (c) => {
  const id = messageId(c.req.param("id"));
  const message = id === null ? null : await getOutboxMessage(c.env.DB, id);
  if (!message) return problem(c, 404, "No such message", "That message is not in the outbox.");
  const part = c.req.param("part");
  if (part === "html") {
    // The email's own HTML, shown as a mail client would: no scripts, its inline styles allowed.
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'");
    return c.html(message.html);
  }
  if (part === "raw") return c.body(message.raw, 200, { "content-type": "text/plain; charset=utf-8" });
  return c.text(message.text);
});
