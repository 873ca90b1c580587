-- The access log becomes a hash chain per instance, so that a change made to it directly in
-- the database shows (selfdata audit verify). Each entry keeps its position in its instance's
-- chain (from 1), the hash of the entry before it ('' for the first) and its own hash, a
-- SHA-256 over a canonical encoding of the instance, the position, the previous hash and the
-- entry's fields (see sqlstore/accesslog.go). Entries written before this migration keep
-- position 0 and no hash: they are not covered, and verify reports how many there are.
ALTER TABLE access_log ADD COLUMN pos BIGINT NOT NULL DEFAULT 0;
ALTER TABLE access_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE access_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE INDEX access_log_chain ON access_log (instance, pos, id);

-- The head of each instance's chain: the last position and its hash. Appends update it in
-- their transaction, which serializes the appends of one instance (its row is locked) and lets
-- verify see entries removed from the end. The row is created by the first append.
CREATE TABLE access_log_heads (
	instance TEXT PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
	pos      BIGINT NOT NULL,
	hash     TEXT NOT NULL,
	legacy   BIGINT NOT NULL DEFAULT 0 -- entries the instance had before the chain began
);
INSERT INTO access_log_heads (instance, pos, hash, legacy)
	SELECT instance, 0, '', COUNT(*) FROM access_log GROUP BY instance;
