-- The edition that first carried each remembered story: an update links back to it (web, email,
-- JSON). Rows written before this column existed read as NULL (no link shown).
ALTER TABLE edition_stories ADD COLUMN first_edition_id TEXT;
