-- Times are integer microseconds since the Unix epoch (readings: milliseconds).
CREATE TABLE instances (
	id      TEXT PRIMARY KEY,
	name    TEXT NOT NULL UNIQUE,
	pass    TEXT NOT NULL,
	created INTEGER NOT NULL,
	seq     INTEGER NOT NULL DEFAULT 0 -- last number of the instance's change feed
);

CREATE TABLE sessions (
	hash     TEXT PRIMARY KEY,
	instance TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	created  INTEGER NOT NULL,
	expires  INTEGER NOT NULL
);
CREATE INDEX sessions_instance ON sessions (instance);

CREATE TABLE tokens (
	id       TEXT PRIMARY KEY,
	instance TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	hash     TEXT NOT NULL UNIQUE,
	label    TEXT NOT NULL,
	scopes   TEXT NOT NULL,
	created  INTEGER NOT NULL,
	revoked  INTEGER
);
CREATE INDEX tokens_instance ON tokens (instance);

CREATE TABLE docs (
	instance  TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	doctype   TEXT NOT NULL,
	id        TEXT NOT NULL,
	rev       INTEGER NOT NULL,
	seq       INTEGER NOT NULL,
	created   INTEGER NOT NULL,
	updated   INTEGER NOT NULL,
	src_kind  TEXT NOT NULL,
	src_id    TEXT NOT NULL,
	src_name  TEXT NOT NULL,
	src_batch TEXT NOT NULL,
	src_at    INTEGER NOT NULL,
	data      TEXT NOT NULL,
	PRIMARY KEY (instance, doctype, id)
);
CREATE INDEX docs_seq ON docs (instance, seq);
CREATE INDEX docs_source ON docs (instance, src_kind, src_id, doctype);

CREATE TABLE tombstones (
	instance TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	seq      INTEGER NOT NULL,
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
	src_at    INTEGER NOT NULL,
	created   INTEGER NOT NULL,
	PRIMARY KEY (instance, id)
);

-- One row per series per UTC day: the readings as a blob and their stats.
CREATE TABLE chunks (
	instance TEXT NOT NULL,
	series   TEXT NOT NULL,
	day      INTEGER NOT NULL, -- Unix seconds of the UTC day
	n        INTEGER NOT NULL,
	sum      REAL NOT NULL,
	min      REAL NOT NULL,
	max      REAL NOT NULL,
	first    INTEGER NOT NULL, -- Unix milliseconds
	last     INTEGER NOT NULL,
	data     BLOB NOT NULL,
	PRIMARY KEY (instance, series, day),
	FOREIGN KEY (instance, series) REFERENCES series (instance, id) ON DELETE CASCADE
);

-- Blob contents live in files under the data directory; this table says which exist.
CREATE TABLE blobs (
	instance TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	sha256   TEXT NOT NULL,
	size     INTEGER NOT NULL,
	created  INTEGER NOT NULL,
	PRIMARY KEY (instance, sha256)
);

CREATE TABLE access_log (
	id         INTEGER PRIMARY KEY,
	instance   TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	at         INTEGER NOT NULL,
	principal  TEXT NOT NULL,
	actor_id   TEXT NOT NULL,
	actor_name TEXT NOT NULL,
	doctype    TEXT NOT NULL,
	verb       TEXT NOT NULL,
	count      INTEGER NOT NULL,
	purpose    TEXT NOT NULL
);
CREATE INDEX access_log_instance ON access_log (instance, id);
