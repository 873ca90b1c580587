-- Ids compare bytewise (COLLATE "C") so that keyset pagination is stable.
-- Times are integer microseconds since the Unix epoch (readings: milliseconds).
CREATE TABLE instances (
	id      TEXT PRIMARY KEY,
	name    TEXT NOT NULL UNIQUE,
	pass    TEXT NOT NULL,
	created BIGINT NOT NULL,
	seq     BIGINT NOT NULL DEFAULT 0 -- last number of the instance's change feed
);

CREATE TABLE sessions (
	hash     TEXT PRIMARY KEY,
	instance TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	created  BIGINT NOT NULL,
	expires  BIGINT NOT NULL
);
CREATE INDEX sessions_instance ON sessions (instance);

CREATE TABLE tokens (
	id       TEXT PRIMARY KEY,
	instance TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	hash     TEXT NOT NULL UNIQUE,
	label    TEXT NOT NULL,
	scopes   TEXT NOT NULL,
	created  BIGINT NOT NULL,
	revoked  BIGINT
);
CREATE INDEX tokens_instance ON tokens (instance);

CREATE TABLE docs (
	instance  TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	doctype   TEXT NOT NULL,
	id        TEXT COLLATE "C" NOT NULL,
	rev       BIGINT NOT NULL,
	seq       BIGINT NOT NULL,
	created   BIGINT NOT NULL,
	updated   BIGINT NOT NULL,
	src_kind  TEXT NOT NULL,
	src_id    TEXT NOT NULL,
	src_name  TEXT NOT NULL,
	src_batch TEXT NOT NULL,
	src_at    BIGINT NOT NULL,
	data      JSONB NOT NULL,
	PRIMARY KEY (instance, doctype, id)
);
CREATE INDEX docs_seq ON docs (instance, seq);
CREATE INDEX docs_source ON docs (instance, src_kind, src_id, doctype);

CREATE TABLE tombstones (
	instance TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	seq      BIGINT NOT NULL,
	doctype  TEXT NOT NULL,
	id       TEXT NOT NULL,
	PRIMARY KEY (instance, seq)
);

CREATE TABLE series (
	instance  TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	id        TEXT NOT NULL,
	doctype   TEXT NOT NULL,
	name      TEXT NOT NULL,
	quantity  TEXT NOT NULL,
	unit      TEXT NOT NULL,
	meter     TEXT NOT NULL,
	src_kind  TEXT NOT NULL,
	src_id    TEXT NOT NULL,
	src_name  TEXT NOT NULL,
	src_batch TEXT NOT NULL,
	src_at    BIGINT NOT NULL,
	created   BIGINT NOT NULL,
	PRIMARY KEY (instance, id)
);

-- One row per series per UTC day: the readings as a blob and their stats.
CREATE TABLE chunks (
	instance TEXT NOT NULL,
	series   TEXT NOT NULL,
	day      BIGINT NOT NULL, -- Unix seconds of the UTC day
	n        BIGINT NOT NULL,
	sum      DOUBLE PRECISION NOT NULL,
	min      DOUBLE PRECISION NOT NULL,
	max      DOUBLE PRECISION NOT NULL,
	first    BIGINT NOT NULL, -- Unix milliseconds
	last     BIGINT NOT NULL,
	data     BYTEA NOT NULL,
	PRIMARY KEY (instance, series, day),
	FOREIGN KEY (instance, series) REFERENCES series (instance, id) ON DELETE CASCADE
);

-- Blob contents are kept in the data column.
CREATE TABLE blobs (
	instance TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	sha256   TEXT NOT NULL,
	size     BIGINT NOT NULL,
	created  BIGINT NOT NULL,
	data     BYTEA NOT NULL,
	PRIMARY KEY (instance, sha256)
);

CREATE TABLE access_log (
	id         BIGSERIAL PRIMARY KEY,
	instance   TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	at         BIGINT NOT NULL,
	principal  TEXT NOT NULL,
	actor_id   TEXT NOT NULL,
	actor_name TEXT NOT NULL,
	doctype    TEXT NOT NULL,
	verb       TEXT NOT NULL,
	count      BIGINT NOT NULL,
	purpose    TEXT NOT NULL
);
CREATE INDEX access_log_instance ON access_log (instance, id);
