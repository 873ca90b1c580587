package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"selfdata/internal/store"
)

const serviceCols = `id, name, company, description, description_fr, privacy_policy, redirect_uris, access, secret_hash, created`

func scanService(sc interface{ Scan(...any) error }) (store.Service, error) {
	var s store.Service
	var uris, access string
	var secret sql.NullString
	var created int64
	if err := sc.Scan(&s.ID, &s.Name, &s.Company, &s.Description, &s.DescriptionFR, &s.PrivacyPolicy, &uris, &access, &secret, &created); err != nil {
		return s, err
	}
	s.SecretHash, s.Public = secret.String, !secret.Valid
	s.Created = fromMicros(created)
	if err := json.Unmarshal([]byte(uris), &s.RedirectURIs); err != nil {
		return s, fmt.Errorf("service %s: redirect URIs: %w", s.ID, err)
	}
	if err := json.Unmarshal([]byte(access), &s.Access); err != nil {
		return s, fmt.Errorf("service %s: access: %w", s.ID, err)
	}
	s.BothLanguages() // a service from before French reads as its one text in both
	return s, nil
}

// CreateService registers a service. A public client is stored without a secret hash, which
// is how it is told apart on reading.
func (db *DB) CreateService(ctx context.Context, s store.Service) error {
	if s.Public != (s.SecretHash == "") {
		return fmt.Errorf("%w: service %q: a public client has no secret, a confidential one has one", store.ErrInvalid, s.ID)
	}
	uris, err := json.Marshal(s.RedirectURIs)
	if err != nil {
		return err
	}
	access, err := json.Marshal(s.Access)
	if err != nil {
		return err
	}
	secret := sql.NullString{String: s.SecretHash, Valid: !s.Public}
	_, err = db.w.ExecContext(ctx, db.q(`INSERT INTO services (`+serviceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		s.ID, s.Name, s.Company, s.Description, s.DescriptionFR, s.PrivacyPolicy, string(uris), string(access), secret, micros(s.Created))
	if err != nil {
		if db.d.IsUnique(err) {
			return fmt.Errorf("service %q: %w", s.ID, store.ErrExists)
		}
		return fmt.Errorf("create service: %w", err)
	}
	return nil
}

// Service reads one service.
func (db *DB) Service(ctx context.Context, id string) (store.Service, error) {
	s, err := scanService(db.r.QueryRowContext(ctx, db.q(`SELECT `+serviceCols+` FROM services WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, notFound(fmt.Sprintf("service %q", id))
	}
	return s, err
}

// ListServices lists services by name.
func (db *DB) ListServices(ctx context.Context) ([]store.Service, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+serviceCols+` FROM services ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Service
	for rows.Next() {
		s, err := scanService(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// DeleteService removes a service and ends its grants and OAuth state in one transaction.
// Deleting the row first locks it, so that a grant being created for the service (which
// locks the row too, see CreateGrant) is either committed before — and ended here — or
// finds the service gone.
func (db *DB) DeleteService(ctx context.Context, id string, at time.Time, end func(store.Grant, store.ConsentEvent) (store.ConsentEvent, error)) error {
	return db.inTx(ctx, "service removal", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`DELETE FROM services WHERE id = ?`), id)
		if err != nil {
			return fmt.Errorf("delete service: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return notFound(fmt.Sprintf("service %q", id))
		}
		ending, err := db.grantsInForce(ctx, tx, id, at)
		if err != nil {
			return err
		}
		for _, e := range ending {
			if err := db.endGrant(ctx, tx, e.grant, e.last, end); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM oauth_tokens WHERE service = ?`), id); err != nil {
			return fmt.Errorf("delete the service's tokens: %w", err)
		}
		return nil
	})
}

// grantInForce is a grant still in force with the last event of its record.
type grantInForce struct {
	grant store.Grant
	last  store.ConsentEvent
}

// grantsInForce reads, in every instance, the service's grants stored as active and not
// expired at `at`, each with the last event of its record. They are read whole before any
// is changed: a transaction runs one statement at a time.
func (db *DB) grantsInForce(ctx context.Context, tx *sql.Tx, service string, at time.Time) ([]grantInForce, error) {
	cols := "g." + strings.ReplaceAll(consentGrantCols, ", ", ", g.")
	rows, err := tx.QueryContext(ctx, db.q(`SELECT `+cols+`, r.seq, r.at, r.event, r.record
		FROM grants g JOIN consent_records r ON r.grant_id = g.id
		WHERE g.service = ? AND g.state = ? AND (g.expires IS NULL OR g.expires > ?)
		AND r.seq = (SELECT MAX(seq) FROM consent_records WHERE grant_id = g.id)
		ORDER BY g.instance, g.id`), service, store.GrantActive, micros(at))
	if err != nil {
		return nil, fmt.Errorf("read the service's grants: %w", err)
	}
	defer rows.Close()
	var out []grantInForce
	for rows.Next() {
		var e grantInForce
		var evAt int64
		var rec string
		g, err := scanGrant(scanWith(rows, &e.last.Seq, &evAt, &e.last.Event, &rec))
		if err != nil {
			return nil, err
		}
		e.grant, e.last.Grant, e.last.At, e.last.Record = g, g.ID, fromMicros(evAt), json.RawMessage(rec)
		out = append(out, e)
	}
	return out, rows.Err()
}

// endGrant ends one grant of a removed service and appends end's event to its record. A
// grant withdrawn meanwhile is left as the person left it.
func (db *DB) endGrant(ctx context.Context, tx *sql.Tx, g store.Grant, last store.ConsentEvent, end func(store.Grant, store.ConsentEvent) (store.ConsentEvent, error)) error {
	g.State = store.GrantEnded
	ev, err := end(g, last)
	if err != nil {
		return fmt.Errorf("end grant %s: %w", g.ID, err)
	}
	res, err := tx.ExecContext(ctx, db.q(`UPDATE grants SET state = ? WHERE id = ? AND state = ?`), store.GrantEnded, g.ID, store.GrantActive)
	if err != nil {
		return fmt.Errorf("end grant %s: %w", g.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("end grant %s: %w", g.ID, err)
	} else if n == 0 {
		return nil
	}
	return db.appendConsent(ctx, tx, g, ev)
}

// scanWith is a row whose Scan fills dest, then extra: the columns a query adds after
// those a scanner reads.
func scanWith(sc interface{ Scan(...any) error }, extra ...any) interface{ Scan(...any) error } {
	return scanFunc(func(dest ...any) error { return sc.Scan(append(dest, extra...)...) })
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }
