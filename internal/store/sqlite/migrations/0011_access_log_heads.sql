-- The access log's heads become authenticated and every instance has one (see
-- sqlstore/accesslog.go): the head is made with the instance, so a missing head shows that
-- it was deleted, and it carries a MAC under a key derived from the key file, outside the
-- database, that the Go step of this migration computes for the heads as they are now.
ALTER TABLE access_log_heads ADD COLUMN mac TEXT NOT NULL DEFAULT '';
INSERT INTO access_log_heads (instance, pos, hash, legacy)
	SELECT id, 0, '', 0 FROM instances WHERE id NOT IN (SELECT instance FROM access_log_heads);

-- An entry's number as the person sees it is its position in their own log, not a row id
-- shared by everyone. Entries from before the chain (position 0) are numbered 0, -1, -2...
-- backwards from the newest, so that they keep a number of their own and sort before it.
UPDATE access_log SET pos = 1 - r.n
	FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY instance ORDER BY id DESC) AS n FROM access_log WHERE pos = 0) AS r
	WHERE access_log.id = r.id;

-- The log is listed and verified by position now; the index by row id only cost appends.
DROP INDEX access_log_instance;
