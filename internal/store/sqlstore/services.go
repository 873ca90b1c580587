package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"selfdata/internal/store"
)

const serviceCols = `id, name, company, description, privacy_policy, redirect_uris, access, secret_hash, created`

func scanService(sc interface{ Scan(...any) error }) (store.Service, error) {
	var s store.Service
	var uris, access string
	var secret sql.NullString
	var created int64
	if err := sc.Scan(&s.ID, &s.Name, &s.Company, &s.Description, &s.PrivacyPolicy, &uris, &access, &secret, &created); err != nil {
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
	_, err = db.w.ExecContext(ctx, db.q(`INSERT INTO services (`+serviceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		s.ID, s.Name, s.Company, s.Description, s.PrivacyPolicy, string(uris), string(access), secret, micros(s.Created))
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

// DeleteService removes a service from the catalog.
func (db *DB) DeleteService(ctx context.Context, id string) error {
	return db.execOne(ctx, fmt.Sprintf("service %q", id), `DELETE FROM services WHERE id = ?`, id)
}
