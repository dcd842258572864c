-- Unpublishing a sent edition (issue 22): its row, memory and delivery records stay; it leaves
-- the web (its page answers 410, the archive, landing page and feed skip it).
ALTER TABLE editions ADD COLUMN unpublished_at TEXT;
