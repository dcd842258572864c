-- Subscriber lifecycle (issue 12): one subscriber per address whatever its case, ids that are
-- never reused, bounce and complaint suppression, erasure with a hashed suppression entry, the
-- weekly cap on confirmation mails, and the provider's webhook events (each applied once).
--
-- SQLite cannot add AUTOINCREMENT, a collation or a wider CHECK to an existing table, so
-- `subscribers` is rebuilt. Its one data step merges addresses that differ only in case (they
-- were separate subscribers before): of each group, the row with the most recent explicit choice
-- (a confirmation or an unsubscribe, whichever is later) is kept as it is, so a later
-- unsubscribe beats an earlier confirmation and the reverse; a group with no choice at all keeps
-- its most recently updated row. Every merged row is logged in `subscriber_aliases` (its id,
-- status and time, and the id it went into), and its old unsubscribe links keep working through
-- that table. No other row or column changes.

-- The address compares case-insensitively (NOCASE folds ASCII, and stored addresses are ASCII:
-- the local part by the address rules, the domain as lowercased punycode).
CREATE TABLE subscribers_v5 (
  id                        INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: old unsubscribe links name an id
  email                     TEXT NOT NULL COLLATE NOCASE UNIQUE,
  status                    TEXT NOT NULL DEFAULT 'pending'
                              CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'complained')),
  source                    TEXT NOT NULL,              -- landing, form, api, import
  requested_at              TEXT NOT NULL,
  request_page              TEXT,
  consent_at                TEXT,
  consent_page              TEXT,                       -- for source 'import': the consent the file recorded
  confirm_nonce             TEXT,
  last_confirmation_sent_at TEXT,
  confirmations_sent        INTEGER NOT NULL DEFAULT 0,
  created_at                TEXT NOT NULL,
  updated_at                TEXT NOT NULL,
  confirmed_at              TEXT,
  unsubscribed_at           TEXT,
  unsubscribe_method        TEXT,
  unsubscribe_token         TEXT,
  unsubscribe_kid           TEXT,
  week_started_at           TEXT,                       -- start of the current week of confirmation mails
  week_confirmations        INTEGER NOT NULL DEFAULT 0, -- confirmation mails in that week (capped)
  suppressed_at             TEXT,                       -- when a permanent bounce or a complaint stopped mail
  suppressed_reason         TEXT
);

CREATE TABLE merge_ranked (id INTEGER PRIMARY KEY, k TEXT NOT NULL, rn INTEGER NOT NULL);
INSERT INTO merge_ranked (id, k, rn)
SELECT id, lower(email),
       ROW_NUMBER() OVER (
         PARTITION BY lower(email)
         ORDER BY MAX(COALESCE(confirmed_at, ''), COALESCE(unsubscribed_at, '')) DESC, updated_at DESC, id DESC)
FROM subscribers;

-- Merged ids, for old links and as the merge's log.
CREATE TABLE subscriber_aliases (
  id            INTEGER PRIMARY KEY,      -- the merged (removed) subscriber id
  subscriber_id INTEGER NOT NULL,         -- the subscriber it was merged into
  old_status    TEXT NOT NULL,
  merged_at     TEXT NOT NULL
);
CREATE INDEX subscriber_aliases_by_subscriber ON subscriber_aliases (subscriber_id);

INSERT INTO subscriber_aliases (id, subscriber_id, old_status, merged_at)
SELECT r.id, w.id, s.status, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM merge_ranked r
JOIN merge_ranked w ON w.k = r.k AND w.rn = 1
JOIN subscribers s ON s.id = r.id
WHERE r.rn > 1;

INSERT INTO subscribers_v5 (id, email, status, source, requested_at, request_page, consent_at, consent_page, confirm_nonce,
  last_confirmation_sent_at, confirmations_sent, created_at, updated_at, confirmed_at, unsubscribed_at, unsubscribe_method,
  unsubscribe_token, unsubscribe_kid)
SELECT id, email, status, source, requested_at, request_page, consent_at, consent_page, confirm_nonce,
  last_confirmation_sent_at, confirmations_sent, created_at, updated_at, confirmed_at, unsubscribed_at, unsubscribe_method,
  unsubscribe_token, unsubscribe_kid
FROM subscribers WHERE id IN (SELECT id FROM merge_ranked WHERE rn = 1);

-- AUTOINCREMENT continues after the largest id it has seen: make that the largest id that ever
-- existed here (a merged row's id may be the largest), by inserting and removing a placeholder.
INSERT OR IGNORE INTO subscribers_v5 (id, email, source, requested_at, created_at, updated_at)
SELECT MAX(id), '(id reservation)', 'migration', '', '', '' FROM subscribers HAVING MAX(id) IS NOT NULL;
DELETE FROM subscribers_v5 WHERE email = '(id reservation)';

DROP TABLE merge_ranked;
DROP TABLE subscribers;
ALTER TABLE subscribers_v5 RENAME TO subscribers;
CREATE INDEX subscribers_by_status ON subscribers (status, id);
-- Pending rows by age, for the purge.
CREATE INDEX subscribers_pending ON subscribers (requested_at) WHERE status = 'pending';

-- Erased or suppressed addresses an import must never bring back, kept only as a SHA-256 of the
-- lowercased address (README, "Privacy"): no address, no id, no dates beyond when.
CREATE TABLE suppressions (
  email_hash TEXT PRIMARY KEY,
  reason     TEXT NOT NULL,               -- unsubscribed, bounced, complained, erased
  created_at TEXT NOT NULL
);

-- The provider's webhook events, by their webhook id: each is applied once (a replay finds its
-- id here). No address: the subscriber id, and the edition when the mail was one of its sends.
CREATE TABLE mail_events (
  webhook_id    TEXT PRIMARY KEY,
  type          TEXT NOT NULL,            -- email.bounced, email.complained, email.delivery_delayed
  bounce_type   TEXT,                     -- Permanent, Transient, Undetermined (bounces only)
  suppressed    INTEGER NOT NULL DEFAULT 0,
  subscriber_id INTEGER,
  edition_id    TEXT,
  provider_id   TEXT,                     -- the provider's email id
  apply_token   TEXT NOT NULL,            -- ties the status change to this insert (see store.ts)
  received_at   TEXT NOT NULL
);
CREATE INDEX mail_events_by_edition ON mail_events (edition_id, type);
CREATE INDEX mail_events_by_subscriber ON mail_events (subscriber_id);
CREATE INDEX deliveries_by_provider_id ON deliveries (provider_id) WHERE provider_id IS NOT NULL;
