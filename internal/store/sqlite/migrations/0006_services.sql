-- The services catalog: re-users registered by the operator, each an OAuth client (client id =
-- id) asking for some access that people may grant, narrow or refuse.
CREATE TABLE services (
	id             TEXT PRIMARY KEY,  -- short identifier chosen by the operator, also the OAuth client id
	name           TEXT NOT NULL,
	company        TEXT NOT NULL,
	description    TEXT NOT NULL,
	privacy_policy TEXT NOT NULL,     -- address of the service's privacy policy
	redirect_uris  TEXT NOT NULL,     -- JSON array of the OAuth redirect URIs, matched exactly
	access         TEXT NOT NULL,     -- JSON: doctypes, verbs, purpose, legal basis, retention, leaves_store
	secret_hash    TEXT,              -- hash of the client secret; NULL for a public client (PKCE only)
	created        INTEGER NOT NULL
);
