-- Consent: the grants people give to services, the append-only record of every change to
-- them (ISO/IEC TS 27560 fields, as JSON at the time of the event), and each instance's
-- Ed25519 key that signs consent receipts.
CREATE TABLE grants (
	id          TEXT PRIMARY KEY,
	instance    TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	service     TEXT NOT NULL,     -- services.id; no foreign key: the record outlives the catalog entry
	doctypes    TEXT NOT NULL,     -- JSON array
	verbs       TEXT NOT NULL,     -- JSON array
	purpose     TEXT NOT NULL,     -- W3C DPV purpose
	legal_basis TEXT NOT NULL,
	state       TEXT NOT NULL,     -- active, withdrawn, expired
	created     BIGINT NOT NULL,
	expires     BIGINT             -- NULL: until withdrawn
);
CREATE INDEX grants_instance ON grants (instance, created);

CREATE TABLE consent_records (
	instance TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
	seq      INTEGER NOT NULL,     -- 1, 2, ... within the grant
	at       BIGINT NOT NULL,
	event    TEXT NOT NULL,        -- given, narrowed, renewed, withdrawn
	record   TEXT NOT NULL,        -- JSON: the consent record's fields at that time
	PRIMARY KEY (grant_id, seq)
);

CREATE TABLE signing_keys (
	id         TEXT PRIMARY KEY,   -- the JWK kid
	instance   TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	public_key TEXT NOT NULL,      -- Ed25519 public key, base64
	private    TEXT NOT NULL,      -- Ed25519 private key, sealed (see sqlstore/consent.go), base64
	created    BIGINT NOT NULL
);
CREATE INDEX signing_keys_instance ON signing_keys (instance, created);
