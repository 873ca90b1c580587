-- Failed logins per key (an instance name, or a passphrase change), in fixed windows, in the
-- database so that every server on it counts the same: guessing one person's passphrase is
-- limited however many servers answer.
CREATE TABLE login_failures (
	key   TEXT PRIMARY KEY,
	start BIGINT NOT NULL,          -- the window's first failure
	count INTEGER NOT NULL
);
CREATE INDEX login_failures_start ON login_failures (start);
