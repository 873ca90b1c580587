package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"selfdata/internal/store"
)

// CreateOAuthToken stores a piece of OAuth state of one of the instance's active grants:
// the insert selects the grant, so a piece can never name another person's grant, nor one
// withdrawn or ended.
func (db *DB) CreateOAuthToken(ctx context.Context, t store.OAuthToken) error {
	res, err := db.w.ExecContext(ctx, db.q(`INSERT INTO oauth_tokens (kind, signature, request_id, grant_id, instance, service, active, expires, request)
		SELECT ?, ?, ?, id, instance, ?, ?, ?, ? FROM grants WHERE instance = ? AND id = ? AND state = ?`),
		t.Kind, t.Signature, t.RequestID, t.Service, t.Active, micros(t.Expires), string(t.Request), t.Instance, t.Grant, store.GrantActive)
	if err != nil {
		if db.d.IsUnique(err) {
			return fmt.Errorf("oauth %s: %w", t.Kind, store.ErrExists)
		}
		return fmt.Errorf("create oauth %s: %w", t.Kind, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return notFound(fmt.Sprintf("grant %q", t.Grant))
	}
	return nil
}

// OAuthToken finds a piece of OAuth state by kind and signature.
func (db *DB) OAuthToken(ctx context.Context, kind, signature string) (store.OAuthToken, error) {
	t := store.OAuthToken{Kind: kind, Signature: signature}
	var expires int64
	var request string
	err := db.r.QueryRowContext(ctx, db.q(`SELECT request_id, grant_id, instance, service, active, expires, request FROM oauth_tokens WHERE kind = ? AND signature = ?`), kind, signature).
		Scan(&t.RequestID, &t.Grant, &t.Instance, &t.Service, &t.Active, &expires, &request)
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFound("oauth " + kind)
	}
	if err != nil {
		return t, fmt.Errorf("oauth %s: %w", kind, err)
	}
	t.Expires, t.Request = fromMicros(expires), []byte(request)
	return t, nil
}

// DeactivateOAuthToken marks an active piece used; of two concurrent uses, one finds it
// already used (ErrNotFound), so a code is exchanged, or a refresh token rotated, once.
func (db *DB) DeactivateOAuthToken(ctx context.Context, kind, signature string) error {
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE oauth_tokens SET active = ? WHERE kind = ? AND signature = ? AND active = ?`), false, kind, signature, true)
	if err != nil {
		return fmt.Errorf("deactivate oauth %s: %w", kind, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return notFound("oauth " + kind)
	}
	return nil
}

// DeleteOAuthToken deletes one piece.
func (db *DB) DeleteOAuthToken(ctx context.Context, kind, signature string) error {
	if _, err := db.w.ExecContext(ctx, db.q(`DELETE FROM oauth_tokens WHERE kind = ? AND signature = ?`), kind, signature); err != nil {
		return fmt.Errorf("delete oauth %s: %w", kind, err)
	}
	return nil
}

// DeleteOAuthRequest deletes every piece of a kind from one authorization.
func (db *DB) DeleteOAuthRequest(ctx context.Context, kind, requestID string) error {
	if _, err := db.w.ExecContext(ctx, db.q(`DELETE FROM oauth_tokens WHERE kind = ? AND request_id = ?`), kind, requestID); err != nil {
		return fmt.Errorf("delete oauth %s: %w", kind, err)
	}
	return nil
}

// DeleteExpiredOAuth deletes what expired before t.
func (db *DB) DeleteExpiredOAuth(ctx context.Context, t time.Time) (int, error) {
	res, err := db.w.ExecContext(ctx, db.q(`DELETE FROM oauth_tokens WHERE expires < ?`), micros(t))
	if err != nil {
		return 0, fmt.Errorf("delete expired oauth: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// ServerSecret returns the named secret, storing mk's on first use, sealed. The insert does
// nothing when another process stored one first; the read then returns the winner's.
func (db *DB) ServerSecret(ctx context.Context, name string, mk func() ([]byte, error)) ([]byte, error) {
	if name == keyCheck {
		return nil, fmt.Errorf("%w: %q is not a server secret's name", store.ErrInvalid, name)
	}
	v, err := db.serverSecret(ctx, db.r, name)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return v, err
	}
	fresh, err := mk()
	if err != nil {
		return nil, err
	}
	if _, err := db.w.ExecContext(ctx, db.q(`INSERT INTO server_secrets (name, value, created) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM server_secrets WHERE name = ?)`),
		name, []byte(db.sealer.seal("server-secret:"+name, fresh)), micros(db.now()), name); err != nil && !db.d.IsUnique(err) {
		return nil, fmt.Errorf("store server secret %s: %w", name, err)
	}
	return db.serverSecret(ctx, db.w, name)
}

// serverSecret reads and opens a server secret; sql.ErrNoRows when there is none.
func (db *DB) serverSecret(ctx context.Context, q *sql.DB, name string) ([]byte, error) {
	var stored []byte
	if err := q.QueryRowContext(ctx, db.q(`SELECT value FROM server_secrets WHERE name = ?`), name).Scan(&stored); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("server secret %s: %w", name, err)
	}
	v, legacy, err := db.sealer.open("server-secret:"+name, string(stored))
	if legacy {
		return nil, fmt.Errorf("server secret %s: not sealed", name) // every one is sealed from the start
	}
	return v, err
}
