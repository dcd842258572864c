-- Editions: a Digest frozen at one schedule slot, rendered once, then served and sent as stored.
-- A slot that had nothing new is recorded too (status 'skipped' with the reason), so a second
-- cron firing for that slot is a no-op and the admin can see why nothing went out.
CREATE TABLE editions (
  id            TEXT PRIMARY KEY,                 -- URL id, e.g. 2026-11-23 (2026-11-23-2 for a second that day)
  slot          TEXT NOT NULL UNIQUE,             -- schedule slot this edition belongs to, e.g. 2026-11-23T07:00Z
  status        TEXT NOT NULL CHECK (status IN ('built', 'skipped')),
  skip_reason   TEXT,                             -- why the slot was skipped (or, once forced, why it had been)
  title         TEXT NOT NULL,
  subject       TEXT,                             -- the email's subject line
  edition_date  TEXT NOT NULL,                    -- YYYY-MM-DD
  content_hash  TEXT,                             -- SHA-256 of the sorted story ids, to skip repeats
  story_ids     TEXT,                             -- JSON array of the digest's story ids
  digest_json   TEXT,
  articles_json TEXT,                             -- cleaned source texts, for the web edition
  html          TEXT,                             -- rendered once, unsubscribe link as placeholder
  text          TEXT,
  created_at    TEXT NOT NULL
);

CREATE INDEX editions_by_created ON editions (status, created_at DESC);
