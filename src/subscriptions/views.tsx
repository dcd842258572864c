// The subscription pages' bodies (hono/jsx; src/http/page.tsx puts them in the site's shell): the
// form with its error, "check your inbox", the confirm and unsubscribe buttons, and their
// outcomes. No client script.
import { COOLDOWN_MINUTES } from "./service";
import { CONFIRM_TTL_HOURS } from "./tokens";

/**
 * The signup form; re-rendered with the typed value and the error after a bad submission.
 * Field names are the landing page's contract: email, honeypot website, hidden source.
 */
export function SubscribeForm({ value = "", error, source = "form" }: { value?: string; error?: string; source?: string }) {
  return (
    <>
      <h1>Subscribe</h1>
      <form method="post" action="/subscribe">
        <label for="email">Email address</label>
        <input
          type="email"
          id="email"
          name="email"
          required
          autocomplete="email"
          maxlength={254}
          value={value}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? "email-error" : undefined}
        />
        <div class="hp" aria-hidden="true">
          <label for="website">Leave this empty</label>
          <input type="text" id="website" name="website" tabindex={-1} autocomplete="off" />
        </div>
        <input type="hidden" name="source" value={source} />
        <button type="submit">Subscribe</button>
      </form>
      {error ? (
        <p id="email-error" class="error" role="alert">
          {error}
        </p>
      ) : null}
      <p class="muted">We send one email to confirm the address. Nothing more until you confirm.</p>
    </>
  );
}

export function CheckInbox() {
  return (
    <>
      <h1>Check your inbox</h1>
      <p>
        If that address can subscribe, we have sent it an email with a link to confirm. The link is valid for {CONFIRM_TTL_HOURS} hours.
      </p>
      <p class="muted">Nothing there? Look in the spam folder, or try again in {COOLDOWN_MINUTES} minutes.</p>
    </>
  );
}

export function ConfirmButton({ token, email }: { token: string; email: string }) {
  return (
    <>
      <h1>Confirm your subscription</h1>
      <p>
        Confirm that you want the newsletter at <strong>{email}</strong>.
      </p>
      <form method="post" action="/confirm">
        <input type="hidden" name="token" value={token} />
        <button type="submit">Confirm subscription</button>
      </form>
    </>
  );
}

export function Confirmed({ email }: { email?: string }) {
  return (
    <>
      <h1>You are subscribed</h1>
      <p>
        {email ? <>The next edition goes to {email}.</> : <>The next edition is on its way to you.</>} Every email has a one-click
        unsubscribe link.
      </p>
    </>
  );
}

export function UnsubscribeButton({ token, email }: { token: string; email: string | null }) {
  return (
    <>
      <h1>Unsubscribe</h1>
      <p>
        {email ? (
          <>
            Stop sending the newsletter to <strong>{email}</strong>?
          </>
        ) : (
          <>Stop sending the newsletter to this address?</>
        )}
      </p>
      {/* The token rides in the query string, exactly as in the RFC 8058 one-click POST. */}
      <form method="post" action={`/unsubscribe?token=${encodeURIComponent(token)}`}>
        <button type="submit">Unsubscribe</button>
      </form>
    </>
  );
}

export function Unsubscribed() {
  return (
    <>
      <h1>You are unsubscribed</h1>
      <p>
        You will get no more editions. Changed your mind? Subscribe again on the <a href="/">home page</a>.
      </p>
    </>
  );
}
