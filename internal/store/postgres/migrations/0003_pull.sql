-- Pull connectors: organizations whose API selfdata calls with the OAuth2 grant the person
-- gave it. Tokens and PKCE verifiers pass through sqlstore's sealSecret/openSecret.
CREATE TABLE pull_grants (
	connection    TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
	provider      TEXT NOT NULL,     -- the connector: enedis, grdf
	subject       TEXT NOT NULL,     -- what is pulled at the provider: usage point, PCE
	access_token  TEXT NOT NULL,
	refresh_token TEXT NOT NULL,
	expiry        BIGINT NOT NULL,   -- of the access token; 0 when unknown
	scope         TEXT NOT NULL,
	state         TEXT NOT NULL,     -- ok, needs_action
	fetched       BIGINT NOT NULL,   -- data stored up to this day (exclusive); 0 before the first pull
	created       BIGINT NOT NULL,
	updated       BIGINT NOT NULL
);

CREATE TABLE pull_runs (
	id             TEXT PRIMARY KEY,
	connection     TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	attempt        BIGINT NOT NULL,
	started        BIGINT NOT NULL,
	finished       BIGINT NOT NULL,
	status         TEXT NOT NULL,    -- ok, error, needs_action
	reason         TEXT NOT NULL,
	records        BIGINT NOT NULL,
	readings       BIGINT NOT NULL,
	readings_added BIGINT NOT NULL
);
CREATE INDEX pull_runs_connection ON pull_runs (connection, started);

-- Authorizations the person started and the organization has not answered yet.
CREATE TABLE pull_authorizations (
	state_hash   TEXT PRIMARY KEY,  -- sha256 of the state sent to the organization
	instance     TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	session_hash TEXT NOT NULL,     -- the session that started it, which alone may finish it
	org          TEXT NOT NULL,
	verifier     TEXT NOT NULL,     -- PKCE code verifier
	created      BIGINT NOT NULL,
	expires      BIGINT NOT NULL
);
