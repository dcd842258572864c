-- Review before send (issue 22): a scheduled edition built while the review setting is on waits
-- here until the operator sends it (POST /admin/editions/:id/send), or until its deadline, if set.
-- It waits while it has no fan-out; the row then stays as the record of how it was released.
CREATE TABLE edition_reviews (
  edition_id    TEXT PRIMARY KEY,
  waiting_since TEXT NOT NULL,
  deadline_at   TEXT,                 -- sent automatically at the first tick after this (NULL: never)
  released_by   TEXT                  -- 'deadline' when the deadline sent it; NULL otherwise
);
CREATE INDEX edition_reviews_by_deadline ON edition_reviews (deadline_at) WHERE deadline_at IS NOT NULL AND released_by IS NULL;
