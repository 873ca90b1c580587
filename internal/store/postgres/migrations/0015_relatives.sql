-- The relatives a person shares signs of life with (the built-in service Sign of life): who
-- they are, what is shared with them, and their own credentials. The one-time code of an
-- invitation and the passphrase are kept hashed only (SHA-256 of a random code; argon2id).
CREATE TABLE relatives (
	id             TEXT PRIMARY KEY,
	instance       TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	name           TEXT NOT NULL,
	person_name    TEXT NOT NULL,
	expect         INTEGER NOT NULL,           -- hour of the day, Europe/Paris
	signals        TEXT NOT NULL,              -- the signals shared, joined by ","
	email          TEXT NOT NULL DEFAULT '',
	login          TEXT UNIQUE,                -- lower case; NULL until redeemed and once ended
	pass           TEXT NOT NULL DEFAULT '',
	invite         TEXT UNIQUE,                -- SHA-256 of the code; NULL once redeemed or ended
	invite_expires BIGINT NOT NULL,
	created        BIGINT NOT NULL,
	joined         BIGINT,
	ended          BIGINT
);
CREATE INDEX relatives_instance ON relatives (instance, created);

CREATE TABLE relative_sessions (
	hash     TEXT PRIMARY KEY,
	instance TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	relative TEXT NOT NULL REFERENCES relatives (id) ON DELETE CASCADE,
	created  BIGINT NOT NULL,
	expires  BIGINT NOT NULL
);
CREATE INDEX relative_sessions_relative ON relative_sessions (relative);
CREATE INDEX relative_sessions_expires ON relative_sessions (expires);

-- One decision a day per relative, so that a notice is raised once however many checks run.
CREATE TABLE relative_checks (
	instance TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	relative TEXT NOT NULL REFERENCES relatives (id) ON DELETE CASCADE,
	day      TEXT NOT NULL,                    -- YYYY-MM-DD, Europe/Paris
	quiet    BOOLEAN NOT NULL,
	at       BIGINT NOT NULL,
	emailed  BOOLEAN NOT NULL DEFAULT false,
	PRIMARY KEY (relative, day)
);
CREATE INDEX relative_checks_day ON relative_checks (day);
