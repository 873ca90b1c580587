// Package pull fetches people's data from the organizations that expose an API rather than
// deposit it: Enedis Data Connect (electricity) and GRDF ADICT (gas).
//
// The person authorizes selfdata at the organization (OAuth2 authorization code with PKCE,
// selfdata being the client: Authorize, then Complete on the redirect back); the grant — the
// tokens and what was granted (a usage point, a PCE) — is kept on the person's connection to
// that organization. A River job per connection then fetches what is new, parses it with the
// organization's importer (internal/importer/enedis, internal/importer/grdf) and stores it
// through restore.Store as the organization: checked and logged by the gate, with the
// organization's provenance, idempotent. A periodic job enqueues a pull of every usable grant.
// The jobs run on the process's one runner (internal/jobs), which main opens in the store's
// own database and starts: they survive a restart.
//
// Every run is recorded: ok with its counts, error with its reason (River retries it with
// backoff; each connection is its own job, so one failing organization never holds up the
// others), or needs_action when the organization no longer honours the grant (invalid_grant
// on refresh, 401 even after a refresh, 403): the job ends without retrying and the grant
// waits for the person to authorize again. Tokens are never logged nor shown.
package pull
