-- File contents in chunks of 1 MiB rather than one bytea value per file, so that storing and
-- reading a file streams it: a bytea value is written and read whole, and a 100 MB file was
-- 100 MB in the server's memory, and as much again in the driver's buffers. Like every
-- table, the chunks are keyed by instance first (Citus distributes by it) and go with it.
-- A blob's chunks are named by its sha256 and numbered from 0; blobs.size tells where they
-- end.
CREATE TABLE blob_chunks (
	instance TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	sha256   TEXT NOT NULL,
	seq      INTEGER NOT NULL,
	data     BYTEA NOT NULL,
	PRIMARY KEY (instance, sha256, seq)
);

INSERT INTO blob_chunks (instance, sha256, seq, data)
	SELECT b.instance, b.sha256, s.seq, substring(b.data FROM s.seq * 1048576 + 1 FOR 1048576)
	FROM blobs b, generate_series(0, (length(b.data) + 1048575) / 1048576 - 1) AS s (seq);

ALTER TABLE blobs DROP COLUMN data;
