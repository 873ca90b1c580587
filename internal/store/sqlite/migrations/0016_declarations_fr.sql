-- Services' descriptions in French beside the English one. A service registered before has
-- none (''): it is read with its one description in both languages until registered again.
-- Organizations' declarations and services' retentions are JSON, whose French keys
-- (purposes_fr, retention_fr, recipients_fr) need no change of schema; the store reads a
-- JSON without them the same way.
ALTER TABLE services ADD COLUMN description_fr TEXT NOT NULL DEFAULT '';
