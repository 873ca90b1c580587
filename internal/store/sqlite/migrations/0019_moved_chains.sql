-- An instance moved from another server (selfdata instance import) brings its access log
-- with its hashes verbatim, and those hashes cover the instance id of the server it came
-- from. The head keeps the id the chain is hashed under, so that the imported entries still
-- verify and later appends continue the same chain (see sqlstore/accesslog.go). '' (every
-- instance made here) is the instance's own id.
ALTER TABLE access_log_heads ADD COLUMN chain_id TEXT NOT NULL DEFAULT '';

-- A moved instance keeps the public halves of the keys that signed its receipts there, so
-- that those receipts still verify; they are retired (private '': never used to sign), and
-- the instance makes a key of its own on first use. A key id is its public key's thumbprint,
-- so the same key is in two instances when one was moved to the server it came from: the
-- key is unique per instance, no longer across the server.
CREATE TABLE signing_keys_moved (
	id         TEXT NOT NULL,      -- the JWK kid
	instance   TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	public_key TEXT NOT NULL,      -- Ed25519 public key, base64
	private    TEXT NOT NULL,      -- Ed25519 private key, sealed; '' for a retired key
	created    INTEGER NOT NULL,
	PRIMARY KEY (instance, id)
);
INSERT INTO signing_keys_moved (id, instance, public_key, private, created)
	SELECT id, instance, public_key, private, created FROM signing_keys;
DROP TABLE signing_keys;
ALTER TABLE signing_keys_moved RENAME TO signing_keys;
CREATE INDEX signing_keys_instance ON signing_keys (instance, created);
