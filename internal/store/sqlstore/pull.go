package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"selfdata/internal/store"
)

// sealSecret and openSecret are the one way in and out of the database for the secrets that
// must stay usable — the OAuth2 tokens people granted selfdata at organizations and the PKCE
// verifiers of authorizations under way: sealed with the server's key (secrets.go), each
// bound to its place.
func (db *DB) sealSecret(place, plain string) string {
	if plain == "" {
		return "" // nothing to hide (a provider without refresh tokens)
	}
	return db.sealer.seal(place, []byte(plain))
}

func (db *DB) openSecret(place, stored string) (string, error) {
	b, _, err := db.sealer.open(place, stored)
	return string(b), err
}

// grantPlace is where a pull grant's token belongs: its connection, and which token.
func grantPlace(connection, which string) string {
	return "pull-grant:" + connection + ":" + which
}

// timeOrZero stores the zero time as 0, so that "unknown" survives the round trip.
func timeOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return micros(t)
}

func zeroOrTime(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return fromMicros(us)
}

// PutPullGrant stores the grant of a connection, replacing the one it had.
func (db *DB) PutPullGrant(ctx context.Context, g store.PullGrant) error {
	access := db.sealSecret(grantPlace(g.Connection, "access"), g.Tokens.Access)
	refresh := db.sealSecret(grantPlace(g.Connection, "refresh"), g.Tokens.Refresh)
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO pull_grants (connection, provider, subject, access_token, refresh_token, expiry, scope, state, fetched, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (connection) DO UPDATE SET provider = excluded.provider, subject = excluded.subject, access_token = excluded.access_token,
			refresh_token = excluded.refresh_token, expiry = excluded.expiry, scope = excluded.scope, state = excluded.state,
			fetched = CASE WHEN excluded.fetched = 0 THEN pull_grants.fetched ELSE excluded.fetched END, updated = excluded.updated`),
		g.Connection, g.Provider, g.Subject, access, refresh, timeOrZero(g.Tokens.Expiry), g.Tokens.Scope, g.State, timeOrZero(g.Fetched), micros(g.Created), micros(g.Created))
	if err != nil {
		return fmt.Errorf("store grant: %w", err)
	}
	return nil
}

const grantCols = `g.connection, c.instance, c.org, g.provider, g.subject, g.access_token, g.refresh_token, g.expiry, g.scope, g.state, g.fetched, g.created, g.updated`

func (db *DB) scanGrant(sc interface{ Scan(...any) error }) (store.PullGrant, error) {
	var g store.PullGrant
	var access, refresh string
	var expiry, fetched, created, updated int64
	if err := sc.Scan(&g.Connection, &g.Instance, &g.Org, &g.Provider, &g.Subject, &access, &refresh, &expiry, &g.Tokens.Scope, &g.State, &fetched, &created, &updated); err != nil {
		return g, err
	}
	var err error
	if g.Tokens.Access, err = db.openSecret(grantPlace(g.Connection, "access"), access); err != nil {
		return g, fmt.Errorf("grant of connection %s: %w", g.Connection, err)
	}
	if g.Tokens.Refresh, err = db.openSecret(grantPlace(g.Connection, "refresh"), refresh); err != nil {
		return g, fmt.Errorf("grant of connection %s: %w", g.Connection, err)
	}
	g.Tokens.Expiry, g.Fetched = zeroOrTime(expiry), zeroOrTime(fetched)
	g.Created, g.Updated = fromMicros(created), fromMicros(updated)
	return g, nil
}

// PullGrant reads the grant of a connection.
func (db *DB) DeletePullGrant(ctx context.Context, connection string) error {
	if _, err := db.w.ExecContext(ctx, db.q(`DELETE FROM pull_grants WHERE connection = ?`), connection); err != nil {
		return fmt.Errorf("forget the tokens of connection %s: %w", connection, err)
	}
	return nil
}

// PullGrant reads a connection's grant.
func (db *DB) PullGrant(ctx context.Context, connection string) (store.PullGrant, error) {
	g, err := db.scanGrant(db.r.QueryRowContext(ctx, db.q(`SELECT `+grantCols+` FROM pull_grants g JOIN connections c ON c.id = g.connection WHERE g.connection = ?`), connection))
	if errors.Is(err, sql.ErrNoRows) {
		return g, notFound("pull grant")
	}
	if err != nil {
		return g, fmt.Errorf("read pull grant: %w", err)
	}
	return g, nil
}

// ListPullGrants lists the grants of active connections, in a state or all.
func (db *DB) ListPullGrants(ctx context.Context, state string) ([]store.PullGrant, error) {
	where, args := `c.state = ?`, []any{store.Active}
	if state != "" {
		where, args = where+` AND g.state = ?`, append(args, state)
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+grantCols+` FROM pull_grants g JOIN connections c ON c.id = g.connection WHERE `+where+` ORDER BY g.connection`), args...)
	if err != nil {
		return nil, fmt.Errorf("list pull grants: %w", err)
	}
	defer rows.Close()
	var out []store.PullGrant
	for rows.Next() {
		g, err := db.scanGrant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// SavePullTokens replaces a grant's tokens after a refresh.
func (db *DB) SavePullTokens(ctx context.Context, connection string, t store.PullTokens, at time.Time) error {
	access := db.sealSecret(grantPlace(connection, "access"), t.Access)
	refresh := db.sealSecret(grantPlace(connection, "refresh"), t.Refresh)
	return db.execOne(ctx, "pull grant", `UPDATE pull_grants SET access_token = ?, refresh_token = ?, expiry = ?, scope = ?, updated = ? WHERE connection = ?`,
		access, refresh, timeOrZero(t.Expiry), t.Scope, micros(at), connection)
}

// SetPullGrantState moves a grant to ok or needs_action.
func (db *DB) SetPullGrantState(ctx context.Context, connection, state string, at time.Time) error {
	if state != store.GrantOK && state != store.GrantNeedsAction {
		return fmt.Errorf("%w: grant state %q", store.ErrInvalid, state)
	}
	return db.execOne(ctx, "pull grant", `UPDATE pull_grants SET state = ?, updated = ? WHERE connection = ?`, state, micros(at), connection)
}

// SetPullFetched records how far data has been stored.
func (db *DB) SetPullFetched(ctx context.Context, connection string, day, at time.Time) error {
	return db.execOne(ctx, "pull grant", `UPDATE pull_grants SET fetched = ?, updated = ? WHERE connection = ?`, micros(day), micros(at), connection)
}

// AddPullRun records one run.
func (db *DB) AddPullRun(ctx context.Context, r store.PullRun) error {
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO pull_runs (id, connection, attempt, started, finished, status, reason, records, readings, readings_added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		r.ID, r.Connection, r.Attempt, micros(r.Started), micros(r.Finished), r.Status, r.Reason, r.Records, r.Readings, r.Added)
	if err != nil {
		if db.d.IsUnique(err) {
			return fmt.Errorf("pull run %s: %w", r.ID, store.ErrExists)
		}
		return fmt.Errorf("record pull run: %w", err)
	}
	return nil
}

// ListPullRuns lists the runs of an instance's connections, newest first.
func (db *DB) ListPullRuns(ctx context.Context, instanceID string, limit int) ([]store.PullRun, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT r.id, r.connection, c.org, r.attempt, r.started, r.finished, r.status, r.reason, r.records, r.readings, r.readings_added
		FROM pull_runs r JOIN connections c ON c.id = r.connection WHERE c.instance = ? ORDER BY r.started DESC, r.id LIMIT ?`), instanceID, limit)
	if err != nil {
		return nil, fmt.Errorf("list pull runs: %w", err)
	}
	defer rows.Close()
	var out []store.PullRun
	for rows.Next() {
		var r store.PullRun
		var started, finished int64
		if err := rows.Scan(&r.ID, &r.Connection, &r.Org, &r.Attempt, &started, &finished, &r.Status, &r.Reason, &r.Records, &r.Readings, &r.Added); err != nil {
			return nil, err
		}
		r.Started, r.Finished = fromMicros(started), fromMicros(finished)
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreatePullAuthorization records an authorization under way.
func (db *DB) CreatePullAuthorization(ctx context.Context, a store.PullAuthorization) error {
	verifier := db.sealSecret("pull-authorization:"+a.StateHash, a.Verifier)
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO pull_authorizations (state_hash, instance, session_hash, org, verifier, created, expires) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		a.StateHash, a.Instance, a.SessionHash, a.Org, verifier, micros(a.Created), micros(a.Expires))
	if err != nil {
		if db.d.IsUnique(err) {
			return fmt.Errorf("authorization: %w", store.ErrExists)
		}
		return fmt.Errorf("store authorization: %w", err)
	}
	return nil
}

// TakePullAuthorization returns and deletes an unexpired authorization; expired ones are
// swept on the way.
func (db *DB) TakePullAuthorization(ctx context.Context, stateHash string, at time.Time) (store.PullAuthorization, error) {
	a := store.PullAuthorization{StateHash: stateHash}
	err := db.inTx(ctx, "take authorization", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM pull_authorizations WHERE expires <= ?`), micros(at)); err != nil {
			return fmt.Errorf("sweep authorizations: %w", err)
		}
		var verifier string
		var created, expires int64
		err := tx.QueryRowContext(ctx, db.q(`DELETE FROM pull_authorizations WHERE state_hash = ? RETURNING instance, session_hash, org, verifier, created, expires`), stateHash).
			Scan(&a.Instance, &a.SessionHash, &a.Org, &verifier, &created, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("authorization")
		}
		if err != nil {
			return fmt.Errorf("take authorization: %w", err)
		}
		if a.Verifier, err = db.openSecret("pull-authorization:"+stateHash, verifier); err != nil {
			return fmt.Errorf("take authorization: %w", err)
		}
		a.Created, a.Expires = fromMicros(created), fromMicros(expires)
		return nil
	})
	return a, err
}
