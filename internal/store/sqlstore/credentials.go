package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"selfdata/internal/store"
)

// PassphraseHash returns the stored argon2id hash of the instance's passphrase.
func (db *DB) PassphraseHash(ctx context.Context, instanceID string) (string, error) {
	var h string
	err := db.r.QueryRowContext(ctx, db.q(`SELECT pass FROM instances WHERE id = ?`), instanceID).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("instance")
	}
	return h, err
}

// SetPassphraseHash replaces the passphrase hash.
func (db *DB) SetPassphraseHash(ctx context.Context, instanceID, hash string) error {
	return db.execOne(ctx, "instance", `UPDATE instances SET pass = ? WHERE id = ?`, hash, instanceID)
}

// CreateSession records a session by the hash of its secret.
func (db *DB) CreateSession(ctx context.Context, s store.Session) error {
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO sessions (hash, instance, created, expires) VALUES (?, ?, ?, ?)`),
		s.Hash, s.Instance, micros(s.Created), micros(s.Expires))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Session finds a session by the hash of its secret, expired or not.
func (db *DB) Session(ctx context.Context, hash string) (store.Session, error) {
	s := store.Session{Hash: hash}
	var created, expires int64
	err := db.readRow(ctx, `SELECT instance, created, expires FROM sessions WHERE hash = ?`, hash).Scan(&s.Instance, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return s, notFound("session")
	}
	if err != nil {
		return s, fmt.Errorf("read session: %w", err)
	}
	s.Created, s.Expires = fromMicros(created), fromMicros(expires)
	return s, nil
}

// DeleteSession ends one session; ending an unknown session is not an error.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE hash = ?`), hash)
	return err
}

// DeleteSessions ends every session of an instance.
func (db *DB) DeleteSessions(ctx context.Context, instanceID string) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE instance = ?`), instanceID)
	return err
}

// DeleteExpiredSessions forgets sessions that expired before t.
func (db *DB) DeleteExpiredSessions(ctx context.Context, t time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE expires < ?`), micros(t))
	return err
}

// CreateToken records a personal access token by its hash.
func (db *DB) CreateToken(ctx context.Context, t store.Token) error {
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO tokens (id, instance, hash, label, scopes, created) VALUES (?, ?, ?, ?, ?, ?)`),
		t.ID, t.Instance, t.Hash, t.Label, t.Scopes, micros(t.Created))
	if err != nil {
		if db.d.IsUnique(err) {
			return fmt.Errorf("token %s: %w", t.ID, store.ErrExists)
		}
		return fmt.Errorf("create token: %w", err)
	}
	return nil
}

const tokenCols = `id, instance, hash, label, scopes, created, revoked`

func scanToken(sc interface{ Scan(...any) error }) (store.Token, error) {
	var t store.Token
	var created int64
	var revoked sql.NullInt64
	if err := sc.Scan(&t.ID, &t.Instance, &t.Hash, &t.Label, &t.Scopes, &created, &revoked); err != nil {
		return t, err
	}
	t.Created = fromMicros(created)
	if revoked.Valid {
		r := fromMicros(revoked.Int64)
		t.Revoked = &r
	}
	return t, nil
}

// TokenByHash finds a token by the hash of its secret.
func (db *DB) TokenByHash(ctx context.Context, hash string) (store.Token, error) {
	t, err := scanToken(db.readRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFound("token")
	}
	return t, err
}

// ListTokens lists an instance's tokens, newest first.
func (db *DB) ListTokens(ctx context.Context, instanceID string) ([]store.Token, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+tokenCols+` FROM tokens WHERE instance = ? ORDER BY created DESC, id`), instanceID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []store.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken marks a token revoked; it stops working on the next request.
func (db *DB) RevokeToken(ctx context.Context, instanceID, tokenID string, at time.Time) error {
	return db.execOne(ctx, "token "+tokenID, `UPDATE tokens SET revoked = ? WHERE instance = ? AND id = ? AND revoked IS NULL`, micros(at), instanceID, tokenID)
}

// execOne runs a write that must touch exactly one row, else reports what was not found.
func (db *DB) execOne(ctx context.Context, what, query string, args ...any) error {
	res, err := db.w.ExecContext(ctx, db.q(query), args...)
	if err != nil {
		return fmt.Errorf("update %s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return notFound(what)
	}
	return nil
}

// AddLoginFailure counts a failure in one statement, so that servers failing logins of one
// key at once all count; windows over for every key are swept on the way.
func (db *DB) AddLoginFailure(ctx context.Context, key string, now time.Time, window time.Duration) (store.LoginWindow, error) {
	var w store.LoginWindow
	over := micros(now.Add(-window))
	if _, err := db.w.ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE start <= ?`), over); err != nil {
		return w, fmt.Errorf("sweep login failures: %w", err)
	}
	var start int64
	err := db.w.QueryRowContext(ctx, db.q(`INSERT INTO login_failures (key, start, count) VALUES (?, ?, 1)
		ON CONFLICT (key) DO UPDATE SET
			count = CASE WHEN login_failures.start <= ? THEN 1 ELSE login_failures.count + 1 END,
			start = CASE WHEN login_failures.start <= ? THEN excluded.start ELSE login_failures.start END
		RETURNING start, count`), key, micros(now), over, over).Scan(&start, &w.Count)
	if err != nil {
		return w, fmt.Errorf("count login failure: %w", err)
	}
	w.Start = fromMicros(start)
	return w, nil
}

// LoginFailures reads the key's live window.
func (db *DB) LoginFailures(ctx context.Context, key string, now time.Time, window time.Duration) (store.LoginWindow, error) {
	var w store.LoginWindow
	var start int64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT start, count FROM login_failures WHERE key = ? AND start > ?`), key, micros(now.Add(-window))).Scan(&start, &w.Count)
	if errors.Is(err, sql.ErrNoRows) {
		return w, nil
	}
	if err != nil {
		return w, fmt.Errorf("read login failures: %w", err)
	}
	w.Start = fromMicros(start)
	return w, nil
}

// ResetLoginFailures forgets the key's failures.
func (db *DB) ResetLoginFailures(ctx context.Context, key string) error {
	if _, err := db.w.ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE key = ?`), key); err != nil {
		return fmt.Errorf("reset login failures: %w", err)
	}
	return nil
}
