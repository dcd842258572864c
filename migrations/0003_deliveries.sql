-- Delivery of editions: one row per (edition, recipient), snapshotted from the active
-- subscribers when the edition is sent, and the fan-out's progress per edition.
--
-- Recipients are grouped into provider batches of up to 100 (batch_no). A batch is what one
-- queue message carries and what one provider call sends, under an Idempotency-Key derived from
-- (edition, batch_no, part). `part` is '' until the provider rejects a whole batch permanently
-- (one bad address fails a Resend batch); the batch is then split in halves ('0', '1', '00', ...)
-- until the bad address stands alone.
CREATE TABLE deliveries (
  id            INTEGER PRIMARY KEY,
  edition_id    TEXT NOT NULL REFERENCES editions (id),
  subscriber_id INTEGER NOT NULL,                 -- no FK: erasing a subscriber must not be blocked by history
  email         TEXT NOT NULL,                    -- snapshot: a retried batch must carry the same payload
  batch_no      INTEGER NOT NULL,
  part          TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  final         INTEGER NOT NULL DEFAULT 0,       -- 1: failed for good (permanent error or retries exhausted)
  attempts      INTEGER NOT NULL DEFAULT 0,       -- provider calls made for this row; > 0 freezes the batch's payload
  claim_token   TEXT,                             -- which consumer holds the 'sending' lease
  claimed_at    INTEGER,                          -- lease start, ms since epoch
  provider_id   TEXT,
  last_error    TEXT,
  sent_at       TEXT,
  updated_at    TEXT NOT NULL,
  UNIQUE (edition_id, subscriber_id)
);

CREATE INDEX deliveries_by_unit ON deliveries (edition_id, batch_no, part);
CREATE INDEX deliveries_by_status ON deliveries (edition_id, status);
-- Only the rows still to be sent: what the cron's sweep for lost queue messages reads.
CREATE INDEX deliveries_open ON deliveries (updated_at) WHERE status IN ('pending', 'sending', 'failed') AND final = 0;

-- One fan-out per edition. `cursor` is the last subscriber id snapshotted (keyset paging);
-- `batches` how many provider batches the snapshot holds so far; `enqueued` how many of them
-- have been handed to the queue. The fan-out runs from queue messages and resumes from here.
CREATE TABLE fanouts (
  edition_id    TEXT PRIMARY KEY REFERENCES editions (id),
  status        TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  cursor        INTEGER NOT NULL DEFAULT 0,
  batches       INTEGER NOT NULL DEFAULT 0,
  enqueued      INTEGER NOT NULL DEFAULT 0,
  snapshot_done INTEGER NOT NULL DEFAULT 0,
  batch_size    INTEGER NOT NULL DEFAULT 100,
  last_error    TEXT,
  started_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  done_at       TEXT
);
