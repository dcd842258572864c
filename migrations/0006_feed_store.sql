-- Feeds as a stored, incremental stage (issue 13): each source's fetch state, each feed item
-- stored once with its analysis, the stories each edition carried (memory across editions),
-- and each edition's source texts in their own rows (an edition row stays far under 2 MB).

-- One row per configured source (FEED_URLS, and the bundled seeds when they are on): fetch state only.
CREATE TABLE sources (
  url             TEXT PRIMARY KEY,        -- the feed's URL ("seeds:" for the bundled seeds)
  name            TEXT,                    -- display name from the configuration (overrides the feed's title)
  etag            TEXT,                    -- what the source last answered, for If-None-Match
  last_modified   TEXT,                    -- for If-Modified-Since
  last_fetch_at   TEXT,
  last_status     TEXT,                    -- 'fetched', 'not-modified' or 'failed'
  last_success_at TEXT,
  last_error      TEXT,
  last_warnings   TEXT,                    -- JSON array of the last fetch's warnings (caps, skipped items)
  items           INTEGER NOT NULL DEFAULT 0
);

-- Feed items, each stored once (deduplicated by guid, canonical URL and content fingerprint).
CREATE TABLE items (
  id            INTEGER PRIMARY KEY,
  source_url    TEXT NOT NULL,
  guid          TEXT NOT NULL,             -- the article id everywhere else (story sources, memory)
  url           TEXT,
  title         TEXT,
  publisher     TEXT,
  published_at  TEXT,
  text          TEXT NOT NULL,             -- cleaned paragraphs, blank-line separated
  fingerprint   TEXT NOT NULL,             -- hash of the normalised cleaned text
  analysis      TEXT NOT NULL,             -- JSON: the analysed sentences the digest core needs
  first_seen_at TEXT NOT NULL
);
CREATE UNIQUE INDEX items_by_guid ON items (guid);
CREATE UNIQUE INDEX items_by_url ON items (url);            -- NULLs are distinct in SQLite
CREATE UNIQUE INDEX items_by_fingerprint ON items (fingerprint);
CREATE INDEX items_by_first_seen ON items (first_seen_at);

-- The stories an edition carried: what the next builds remember (their articles, sentences sent).
CREATE TABLE edition_stories (
  edition_id  TEXT NOT NULL,
  story_id    TEXT NOT NULL,
  as_of       TEXT NOT NULL,               -- the edition's build time
  article_ids TEXT NOT NULL,               -- JSON array: every article of the story so far
  sentences   TEXT NOT NULL,               -- JSON array: every sentence sent for it so far
  PRIMARY KEY (edition_id, story_id)
);
CREATE INDEX edition_stories_by_time ON edition_stories (as_of);

-- Each built edition's source texts, one row each (the web edition's source pages).
CREATE TABLE edition_articles (
  edition_id   TEXT NOT NULL,
  article_id   TEXT NOT NULL,
  article_json TEXT NOT NULL,
  PRIMARY KEY (edition_id, article_id)
);

-- The time an edition was built as of (its slot's time on a replay): the next edition draws on
-- the items first seen after it.
ALTER TABLE editions ADD COLUMN as_of TEXT;
CREATE INDEX editions_by_as_of ON editions (status, as_of);
