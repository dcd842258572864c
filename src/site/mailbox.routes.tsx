// The local outbox (MAIL_TRANSPORT=outbox) for `wrangler dev`, mounted at /dev/mailbox, so a new
// user can read the confirmation mail and click its link on their own machine. 404 unless
// DEV_MAILBOX is on.
import * as z from "zod/mini";
import { factory } from "../http/env";
import { HttpError, nothingHere } from "../http/errors";
import { wantsJson } from "../http/negotiate";
import { page } from "../http/page";
import { CACHE, MAILBOX_EMAIL_CSP } from "../http/policy";
import { param, type Refusal } from "../http/validate";
import { getOutboxMessage, listOutbox } from "../mail/outbox-store";

export const mailbox = factory.createApp();

mailbox.use(async (c, next) => {
  if (!c.get("config").devMailbox) throw nothingHere(c);
  await next();
});

const messageParam = z.object({
  id: z.pipe(z.string().check(z.regex(/^[1-9]\d{0,15}$/)), z.transform(Number)),
  part: z.optional(z.string()),
});
const NO_MESSAGE: Refusal = [404, "No such message", "That message is not in the outbox."];

async function messageOf(c: { env: Env }, id: number) {
  const found = await getOutboxMessage(c.env.DB, id);
  if (!found) throw new HttpError(...NO_MESSAGE);
  return found;
}

mailbox.get("/", async (c) => {
  c.header("Cache-Control", CACHE.private);
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
          <p>
            No messages yet. Subscribe on the <a href="/">home page</a>, then reload.
          </p>
        ) : (
          <ul>
            {messages.map((m) => (
              <li>
                <a href={`/dev/mailbox/${m.id}`}>{m.subject}</a>{" "}
                <span class="muted">
                  to {m.to} · {m.kind} · {m.createdAt}
                </span>
              </li>
            ))}
          </ul>
        )}
      </>,
    ),
  );
});

mailbox.get("/:id", param(messageParam, NO_MESSAGE), async (c) => {
  const message = await messageOf(c, c.req.valid("param").id);
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
          <a href={`/dev/mailbox/${message.id}/html`}>HTML version</a> · <a href={`/dev/mailbox/${message.id}/raw`}>Raw MIME</a> ·{" "}
          <a href="/dev/mailbox">All messages</a>
        </p>
        <h2>Text version</h2>
        <pre>{message.text}</pre>
      </>,
    ),
  );
});

mailbox.get("/:id/:part{html|text|raw}", param(messageParam, NO_MESSAGE), async (c) => {
  const message = await messageOf(c, c.req.valid("param").id);
  const part = c.req.param("part");
  if (part === "html") {
    // The email's own HTML, shown as a mail client would: no scripts, its inline styles allowed.
    c.header("Content-Security-Policy", MAILBOX_EMAIL_CSP);
    return c.html(message.html);
  }
  if (part === "raw") return c.body(message.raw, 200, { "content-type": "text/plain; charset=utf-8" });
  return c.text(message.text);
});
