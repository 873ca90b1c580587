package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"selfdata/internal/store"
)

const consentGrantCols = `id, instance, service, doctypes, verbs, purpose, legal_basis, state, created, expires`

func scanGrant(sc interface{ Scan(...any) error }) (store.Grant, error) {
	var g store.Grant
	var doctypes, verbs string
	var created int64
	var expires sql.NullInt64
	if err := sc.Scan(&g.ID, &g.Instance, &g.Service, &doctypes, &verbs, &g.Purpose, &g.LegalBasis, &g.State, &created, &expires); err != nil {
		return g, err
	}
	g.Created = fromMicros(created)
	if expires.Valid {
		t := fromMicros(expires.Int64)
		g.Expires = &t
	}
	if err := json.Unmarshal([]byte(doctypes), &g.Doctypes); err != nil {
		return g, fmt.Errorf("grant %s: doctypes: %w", g.ID, err)
	}
	if err := json.Unmarshal([]byte(verbs), &g.Verbs); err != nil {
		return g, fmt.Errorf("grant %s: verbs: %w", g.ID, err)
	}
	return g, nil
}

func grantLists(g store.Grant) (doctypes, verbs string, expires sql.NullInt64, err error) {
	d, err := json.Marshal(g.Doctypes)
	if err != nil {
		return "", "", expires, err
	}
	v, err := json.Marshal(g.Verbs)
	if err != nil {
		return "", "", expires, err
	}
	if g.Expires != nil {
		expires = sql.NullInt64{Int64: micros(*g.Expires), Valid: true}
	}
	return string(d), string(v), expires, nil
}

// CreateGrant stores a grant and the first row of its consent record in one transaction.
func (db *DB) CreateGrant(ctx context.Context, g store.Grant, first store.ConsentEvent) error {
	doctypes, verbs, expires, err := grantLists(g)
	if err != nil {
		return err
	}
	return db.inTx(ctx, "grant", func(tx *sql.Tx) error {
		if err := db.holdService(ctx, tx, g.Service); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO grants (`+consentGrantCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			g.ID, g.Instance, g.Service, doctypes, verbs, g.Purpose, g.LegalBasis, g.State, micros(g.Created), expires)
		if err != nil {
			if db.d.IsUnique(err) {
				return fmt.Errorf("grant %q: %w", g.ID, store.ErrExists)
			}
			return fmt.Errorf("create grant: %w", err)
		}
		return db.appendConsent(ctx, tx, g, first)
	})
}

// UpdateGrant changes a grant and appends the event to its record in one transaction.
func (db *DB) UpdateGrant(ctx context.Context, g store.Grant, ev store.ConsentEvent) error {
	doctypes, verbs, expires, err := grantLists(g)
	if err != nil {
		return err
	}
	return db.inTx(ctx, "grant", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE grants SET doctypes = ?, verbs = ?, state = ?, expires = ? WHERE instance = ? AND id = ? AND state = ?`),
			doctypes, verbs, g.State, expires, g.Instance, g.ID, store.GrantActive)
		if err != nil {
			return fmt.Errorf("update grant: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return db.inactiveGrant(ctx, tx, g)
		}
		if g.State != store.GrantActive {
			if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM oauth_tokens WHERE instance = ? AND grant_id = ?`), g.Instance, g.ID); err != nil {
				return fmt.Errorf("revoke grant tokens: %w", err)
			}
		}
		return db.appendConsent(ctx, tx, g, ev)
	})
}

// holdService locks the service's row until the transaction ends, or says it is gone: a
// grant created meanwhile cannot escape the service's removal (DeleteService).
func (db *DB) holdService(ctx context.Context, tx *sql.Tx, id string) error {
	res, err := tx.ExecContext(ctx, db.q(`UPDATE services SET created = created WHERE id = ?`), id)
	if err != nil {
		return fmt.Errorf("hold service %q: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return notFound(fmt.Sprintf("service %q", id))
	}
	return nil
}

// inactiveGrant tells why an update changed no grant: there is none of that id in the
// instance, or it is no longer active.
func (db *DB) inactiveGrant(ctx context.Context, tx *sql.Tx, g store.Grant) error {
	var state string
	err := tx.QueryRowContext(ctx, db.q(`SELECT state FROM grants WHERE instance = ? AND id = ?`), g.Instance, g.ID).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(fmt.Sprintf("grant %q", g.ID))
	}
	if err != nil {
		return fmt.Errorf("update grant: %w", err)
	}
	return fmt.Errorf("grant %q is %s: %w", g.ID, state, store.ErrConflict)
}

// appendConsent adds a row at the end of the grant's record; rows are never changed.
func (db *DB) appendConsent(ctx context.Context, tx *sql.Tx, g store.Grant, ev store.ConsentEvent) error {
	if !json.Valid(ev.Record) {
		return fmt.Errorf("%w: consent record of grant %q is not JSON", store.ErrInvalid, g.ID)
	}
	_, err := tx.ExecContext(ctx, db.q(`INSERT INTO consent_records (instance, grant_id, seq, at, event, record)
		SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM consent_records WHERE grant_id = ?`),
		g.Instance, g.ID, micros(ev.At), ev.Event, string(ev.Record), g.ID)
	if err != nil {
		return fmt.Errorf("append consent record: %w", err)
	}
	return nil
}

// Grant reads one grant of the instance.
func (db *DB) Grant(ctx context.Context, instance, id string) (store.Grant, error) {
	g, err := scanGrant(db.r.QueryRowContext(ctx, db.q(`SELECT `+consentGrantCols+` FROM grants WHERE instance = ? AND id = ?`), instance, id))
	if errors.Is(err, sql.ErrNoRows) {
		return g, notFound(fmt.Sprintf("grant %q", id))
	}
	return g, err
}

// ListGrants lists the instance's grants, newest first.
func (db *DB) ListGrants(ctx context.Context, instance string) ([]store.Grant, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+consentGrantCols+` FROM grants WHERE instance = ? ORDER BY created DESC, id DESC`), instance)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Grant
	for rows.Next() {
		g, err := scanGrant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// ConsentHistory returns a grant's record, oldest first; ErrNotFound when the instance has no
// such grant.
func (db *DB) ConsentHistory(ctx context.Context, instance, grantID string) ([]store.ConsentEvent, error) {
	if _, err := db.Grant(ctx, instance, grantID); err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT grant_id, seq, at, event, record FROM consent_records WHERE instance = ? AND grant_id = ? ORDER BY seq`), instance, grantID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ConsentEvent
	for rows.Next() {
		var e store.ConsentEvent
		var at int64
		var rec string
		if err := rows.Scan(&e.Grant, &e.Seq, &at, &e.Event, &rec); err != nil {
			return nil, err
		}
		e.At, e.Record = fromMicros(at), json.RawMessage(rec)
		out = append(out, e)
	}
	return out, rows.Err()
}

// sealKey and openKey are the one way a private signing key goes into and out of the
// database: sealed with the server's key, bound to its instance and key id. A key stored
// before sealing (base64) is read as it is.
func (db *DB) sealKey(instance, id string, private []byte) string {
	return db.sealer.seal("signing-key:"+instance+":"+id, private)
}

func (db *DB) openKey(instance, id, stored string) ([]byte, error) {
	b, legacy, err := db.sealer.open("signing-key:"+instance+":"+id, stored)
	if err != nil || !legacy {
		return b, err
	}
	if b, err = base64.StdEncoding.DecodeString(stored); err != nil {
		return nil, fmt.Errorf("signing key of instance %s: unreadable", instance)
	}
	return b, nil
}

// CreateSigningKey stores the instance's first key pair; ErrExists when it has one already.
// The retired keys of an instance moved here (public halves only, an empty private: see
// sqlstore/move.go) do not count: the instance signs with a key of its own.
func (db *DB) CreateSigningKey(ctx context.Context, k store.SigningKey, private []byte) error {
	res, err := db.w.ExecContext(ctx, db.q(`INSERT INTO signing_keys (id, instance, public_key, private, created)
		SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM signing_keys WHERE instance = ? AND private <> '')`),
		k.ID, k.Instance, base64.StdEncoding.EncodeToString(k.PublicKey), db.sealKey(k.Instance, k.ID, private), micros(k.Created), k.Instance)
	if err != nil {
		if db.d.IsUnique(err) {
			return fmt.Errorf("signing key %q: %w", k.ID, store.ErrExists)
		}
		return fmt.Errorf("create signing key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("signing key of instance %s: %w", k.Instance, store.ErrExists)
	}
	return nil
}

func scanKey(sc interface{ Scan(...any) error }) (store.SigningKey, string, error) {
	var k store.SigningKey
	var pub, sealed string
	var created int64
	if err := sc.Scan(&k.ID, &k.Instance, &pub, &sealed, &created); err != nil {
		return k, "", err
	}
	k.Created = fromMicros(created)
	var err error
	if k.PublicKey, err = base64.StdEncoding.DecodeString(pub); err != nil {
		return k, "", fmt.Errorf("signing key %s: public key: %w", k.ID, err)
	}
	return k, sealed, nil
}

// SigningKey returns the instance's newest key with its private half; retired keys (public
// halves only) are not signing keys.
func (db *DB) SigningKey(ctx context.Context, instance string) (store.SigningKey, []byte, error) {
	k, sealed, err := scanKey(db.r.QueryRowContext(ctx, db.q(`SELECT id, instance, public_key, private, created FROM signing_keys
		WHERE instance = ? AND private <> '' ORDER BY created DESC, id DESC LIMIT 1`), instance))
	if errors.Is(err, sql.ErrNoRows) {
		return k, nil, notFound("signing key")
	}
	if err != nil {
		return k, nil, err
	}
	priv, err := db.openKey(instance, k.ID, sealed)
	return k, priv, err
}

// ListSigningKeys lists the instance's public keys, oldest first.
func (db *DB) ListSigningKeys(ctx context.Context, instance string) ([]store.SigningKey, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, instance, public_key, '', created FROM signing_keys
		WHERE instance = ? ORDER BY created, id`), instance)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.SigningKey
	for rows.Next() {
		k, _, err := scanKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
