-- How many stored articles use each name (the capitalised words of title and lead, stemmed, as the
-- digest's grouping reads them), counted once per new item at ingest and kept past item retention.
-- The row named '' counts the articles themselves. An edition continues a remembered story only on
-- names that are rare in this history: a city's trauma hospital, named in a report a week, is no
-- evidence that two reports are of one event.
CREATE TABLE name_history (
  name TEXT PRIMARY KEY,
  articles INTEGER NOT NULL
) WITHOUT ROWID;
