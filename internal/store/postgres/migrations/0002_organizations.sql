-- Organizations that hold data on people and restore it, and their connections to people.
CREATE TABLE organizations (
	id          TEXT PRIMARY KEY,  -- short identifier chosen by the operator, e.g. "enedis"
	name        TEXT NOT NULL,
	website     TEXT NOT NULL,
	contact     TEXT NOT NULL,
	dpo         TEXT NOT NULL,     -- data protection officer's contact
	declaration TEXT NOT NULL,     -- JSON processing record: purposes, legal basis, doctypes, retention, recipients
	key_hash    TEXT NOT NULL UNIQUE,
	created     BIGINT NOT NULL
);

CREATE TABLE connections (
	id         TEXT PRIMARY KEY,
	instance   TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	org        TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	doctypes   TEXT NOT NULL,      -- comma-separated doctypes the organization will deposit
	state      TEXT NOT NULL,      -- pending, active, paused, refused, revoked
	cred_hash  TEXT UNIQUE,        -- hash of the deposit credential, once the organization has claimed it
	created    BIGINT NOT NULL,
	updated    BIGINT NOT NULL
);
CREATE INDEX connections_instance ON connections (instance);
CREATE INDEX connections_org ON connections (org);
