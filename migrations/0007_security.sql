-- Security hardening (issue 21): confirmation mails capped per mailbox and per hour, and admin
-- console sessions that a logout or an idle timeout ends on the server.

-- The cooldown and weekly cap of confirmation mails, per canonical mailbox (case folded, +tag
-- removed, dots removed where the provider ignores them), so address variants share one cap.
-- Kept as a SHA-256 of the canonical mailbox, never the address; rows past their week are purged.
CREATE TABLE mailbox_caps (
  mailbox_hash    TEXT PRIMARY KEY,
  last_sent_at    TEXT NOT NULL,           -- the last confirmation mail claimed for this mailbox
  week_started_at TEXT NOT NULL,           -- start of the current week of mails (its first mail)
  week_count      INTEGER NOT NULL,        -- mails claimed in that week
  claim           TEXT NOT NULL            -- the request that made the last claim (ties the signup to it)
);

-- Confirmation mails per hour across all mailboxes (the global budget); a signup over budget
-- reserves a slot in a later hour and its mail waits in the queue until then.
CREATE TABLE confirmation_budget (
  hour TEXT PRIMARY KEY,                   -- "2026-11-23T07" (UTC)
  sent INTEGER NOT NULL
);

-- One row per admin console session: the cookie names the row, and a logout (revoked_at) or an
-- idle timeout (last_seen_at) ends it whatever copy of the cookie is still around.
CREATE TABLE admin_sessions (
  id           TEXT PRIMARY KEY,           -- random, in the signed cookie
  created_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  revoked_at   TEXT
);
