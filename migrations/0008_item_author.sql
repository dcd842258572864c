-- Who wrote a feed item (RSS author / dc:creator, Atom author name, JSON Feed authors), when the
-- feed says so: shown beside the source in the web edition and the digest's JSON (issue 23).
ALTER TABLE items ADD COLUMN author TEXT;
