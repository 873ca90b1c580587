-- OAuth 2.0 state for services (internal/oauth, built on fosite): authorization codes, PKCE
-- challenges, access and refresh tokens. A token is stored under its signature, an HMAC of
-- its random part, never as itself, so the table gives no usable token away. Each row
-- belongs to a grant: withdrawing it deletes the grant's rows in the same transaction.
CREATE TABLE oauth_tokens (
	kind       TEXT NOT NULL,      -- code, pkce, access, refresh
	signature  TEXT NOT NULL,
	request_id TEXT NOT NULL,      -- the authorization, kept across refreshes
	grant_id   TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
	instance   TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	service    TEXT NOT NULL,      -- services.id (the OAuth client)
	active     INTEGER NOT NULL,     -- false: a used code, a rotated refresh token
	expires    INTEGER NOT NULL,
	request    TEXT NOT NULL,      -- JSON: scopes, form and session fosite needs back
	PRIMARY KEY (kind, signature)
);
CREATE INDEX oauth_tokens_request ON oauth_tokens (request_id);
CREATE INDEX oauth_tokens_grant ON oauth_tokens (grant_id);
CREATE INDEX oauth_tokens_expires ON oauth_tokens (expires);

-- The server's own secrets, made once: the HMAC key of OAuth tokens.
CREATE TABLE server_secrets (
	name    TEXT PRIMARY KEY,
	value   BLOB NOT NULL,
	created INTEGER NOT NULL
);
