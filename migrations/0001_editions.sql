-- Editions: a Digest frozen at one schedule slot, rendered once, then served and sent as stored.
CREATE TABLE editions (
  id            TEXT PRIMARY KEY,                 -- URL id, e.g. 2026-11-23
  slot          TEXT NOT NULL UNIQUE,             -- schedule slot (UTC) this edition belongs to
  status        TEXT NOT NULL CHECK (status IN ('built', 'skipped')),
  skip_reason   TEXT,
  title         TEXT NOT NULL,
  edition_date  TEXT NOT NULL,                    -- YYYY-MM-DD
  content_hash  TEXT,                             -- what the digest was built from, to skip repeats
  digest_json   TEXT,
  articles_json TEXT,                             -- cleaned source texts, for the web edition
  html          TEXT,                             -- rendered once, unsubscribe link as placeholder
  text          TEXT,
  created_at    TEXT NOT NULL
);

CREATE INDEX editions_by_created ON editions (status, created_at DESC);
