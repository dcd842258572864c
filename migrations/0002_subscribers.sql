-- Subscribers with their double opt-in state and consent record, and the local mail outbox.
-- Times are ISO 8601 UTC strings (toISOString), which sort and compare as text.
CREATE TABLE subscribers (
  id                        INTEGER PRIMARY KEY,
  email                     TEXT NOT NULL UNIQUE,       -- normalised: trimmed, domain lowercased, IDN as punycode
  status                    TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'unsubscribed')),
  source                    TEXT NOT NULL,              -- where the signup came from: landing, form, api
  requested_at              TEXT NOT NULL,              -- last subscribe request
  request_page              TEXT,                       -- page the request was posted from (Referer, no query)
  consent_at                TEXT,                       -- when the confirm button was pressed (the consent)
  consent_page              TEXT,                       -- the confirmation page URL the consent was given on
  confirm_nonce             TEXT,                       -- makes a confirmation link single-use; NULL once used
  last_confirmation_sent_at TEXT,                       -- per-address cooldown for confirmation mails
  confirmations_sent        INTEGER NOT NULL DEFAULT 0,
  created_at                TEXT NOT NULL,
  updated_at                TEXT NOT NULL,
  confirmed_at              TEXT,
  unsubscribed_at           TEXT,
  unsubscribe_method        TEXT                        -- one-click (RFC 8058) or page
);

CREATE INDEX subscribers_by_status ON subscribers (status, id);

-- Local mail outbox (MAIL_TRANSPORT=outbox): every message the Worker would have sent, as real
-- MIME, shown at /dev/mailbox. Never used in production.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  message_id      TEXT NOT NULL,
  idempotency_key TEXT UNIQUE,                          -- "<key>#<index>" for batch sends; NULL otherwise
  kind            TEXT NOT NULL,
  from_address    TEXT NOT NULL,
  to_address      TEXT NOT NULL,
  subject         TEXT NOT NULL,
  html            TEXT NOT NULL,
  text            TEXT NOT NULL,
  raw             TEXT NOT NULL,
  created_at      TEXT NOT NULL
);

CREATE INDEX outbox_by_to ON outbox (to_address, id);
