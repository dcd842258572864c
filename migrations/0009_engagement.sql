-- Engagement from the provider's events (issue 22): who of an edition's recipients had a mail
-- delivered, opened it, clicked in it, bounced or complained, each once per recipient per edition
-- however often the provider reports it; the per-edition counts of those, which outlive the
-- per-recipient rows; and which editions' rows were already folded into the counts.

-- One row per (edition, recipient, kind[, link]). kind: delivered, opened, clicked, bounced,
-- complained, and 'link' (one row per distinct link a recipient clicked). No address: the
-- subscriber id, as in deliveries. Kept for the retention period (setting eventRetentionDays).
CREATE TABLE engagement_events (
  edition_id    TEXT NOT NULL,
  subscriber_id INTEGER NOT NULL,
  kind          TEXT NOT NULL,
  link          TEXT NOT NULL DEFAULT '',
  at            INTEGER NOT NULL,           -- first time the provider reported it, unix seconds (smaller than ISO text)
  PRIMARY KEY (edition_id, subscriber_id, kind, link)
) WITHOUT ROWID;
CREATE INDEX engagement_by_subscriber ON engagement_events (subscriber_id);

-- Unique recipients per (edition, kind[, link]). Kept up to date by the trigger below, so the
-- counts stay when per-recipient rows go (retention, erasure).
CREATE TABLE engagement_counts (
  edition_id TEXT NOT NULL,
  kind       TEXT NOT NULL,
  link       TEXT NOT NULL DEFAULT '',
  recipients INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (edition_id, kind, link)
) WITHOUT ROWID;

-- Per edition: its first event, and when its per-recipient rows were folded away (retention
-- counts from the first event). Events for a folded edition are no longer counted: they could not
-- be told apart from repeats.
CREATE TABLE engagement_editions (
  edition_id TEXT PRIMARY KEY,
  first_at   INTEGER NOT NULL,               -- unix seconds
  folded_at  TEXT
);
CREATE INDEX engagement_editions_open ON engagement_editions (first_at) WHERE folded_at IS NULL;

CREATE TRIGGER engagement_count AFTER INSERT ON engagement_events
BEGIN
  INSERT INTO engagement_counts (edition_id, kind, link, recipients) VALUES (NEW.edition_id, NEW.kind, NEW.link, 1)
  ON CONFLICT (edition_id, kind, link) DO UPDATE SET recipients = recipients + 1;
  INSERT OR IGNORE INTO engagement_editions (edition_id, first_at) VALUES (NEW.edition_id, NEW.at);
END;

-- Key-value operator settings (schedule, review, retention); defaults live in the code and vars.
CREATE TABLE settings (
  name       TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- The sweep's prune of webhook ids past retention reads by time.
CREATE INDEX mail_events_by_time ON mail_events (received_at);
