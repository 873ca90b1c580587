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

const orgCols = `id, name, website, contact, dpo, declaration, key_hash, created`

func scanOrg(sc interface{ Scan(...any) error }) (store.Organization, error) {
	var o store.Organization
	var decl string
	var created int64
	if err := sc.Scan(&o.ID, &o.Name, &o.Website, &o.Contact, &o.DPO, &decl, &o.KeyHash, &created); err != nil {
		return o, err
	}
	o.Created = fromMicros(created)
	if err := json.Unmarshal([]byte(decl), &o.Declaration); err != nil {
		return o, fmt.Errorf("organization %s: declaration: %w", o.ID, err)
	}
	o.BothLanguages() // a declaration from before French reads as its one text in both
	return o, nil
}

// CreateOrganization registers a data holder.
func (db *DB) CreateOrganization(ctx context.Context, o store.Organization) error {
	decl, err := json.Marshal(o.Declaration)
	if err != nil {
		return err
	}
	_, err = db.w.ExecContext(ctx, db.q(`INSERT INTO organizations (`+orgCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		o.ID, o.Name, o.Website, o.Contact, o.DPO, string(decl), o.KeyHash, micros(o.Created))
	if err != nil {
		if db.d.IsUnique(err) {
			return fmt.Errorf("organization %q: %w", o.ID, store.ErrExists)
		}
		return fmt.Errorf("create organization: %w", err)
	}
	return nil
}

func (db *DB) org(ctx context.Context, where, arg string) (store.Organization, error) {
	o, err := scanOrg(db.r.QueryRowContext(ctx, db.q(`SELECT `+orgCols+` FROM organizations WHERE `+where), arg))
	if errors.Is(err, sql.ErrNoRows) {
		return o, notFound("organization")
	}
	return o, err
}

// Organization reads one organization.
func (db *DB) Organization(ctx context.Context, id string) (store.Organization, error) {
	o, err := db.org(ctx, `id = ?`, id)
	if errors.Is(err, store.ErrNotFound) {
		return o, notFound(fmt.Sprintf("organization %q", id))
	}
	return o, err
}

// OrganizationByKey finds an organization by the hash of its key.
func (db *DB) OrganizationByKey(ctx context.Context, keyHash string) (store.Organization, error) {
	return db.org(ctx, `key_hash = ?`, keyHash)
}

// ListOrganizations lists organizations by name.
func (db *DB) ListOrganizations(ctx context.Context) ([]store.Organization, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+orgCols+` FROM organizations ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Organization
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// DeleteOrganization removes an organization and its connections; the data it restored
// stays in people's stores (it is theirs), with its provenance.
func (db *DB) DeleteOrganization(ctx context.Context, id string) error {
	return db.execOne(ctx, fmt.Sprintf("organization %q", id), `DELETE FROM organizations WHERE id = ?`, id)
}

const connCols = `id, instance, org, doctypes, state, cred_hash IS NOT NULL, created, updated`

func scanConn(sc interface{ Scan(...any) error }) (store.Connection, error) {
	var c store.Connection
	var dts string
	var created, updated int64
	if err := sc.Scan(&c.ID, &c.Instance, &c.Org, &dts, &c.State, &c.Claimed, &created, &updated); err != nil {
		return c, err
	}
	c.Doctypes = strings.Split(dts, ",")
	c.Created, c.Updated = fromMicros(created), fromMicros(updated)
	return c, nil
}

// CreateConnection records a connection request.
func (db *DB) CreateConnection(ctx context.Context, c store.Connection) error {
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO connections (id, instance, org, doctypes, state, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		c.ID, c.Instance, c.Org, strings.Join(c.Doctypes, ","), c.State, micros(c.Created), micros(c.Created))
	if err != nil {
		return fmt.Errorf("create connection: %w", err)
	}
	return nil
}

func (db *DB) conn(ctx context.Context, where, arg string) (store.Connection, error) {
	c, err := scanConn(db.r.QueryRowContext(ctx, db.q(`SELECT `+connCols+` FROM connections WHERE `+where), arg))
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("connection")
	}
	return c, err
}

// Connection reads one connection.
func (db *DB) Connection(ctx context.Context, id string) (store.Connection, error) {
	return db.conn(ctx, `id = ?`, id)
}

// ConnectionByCredential finds a connection by the hash of its deposit credential.
func (db *DB) ConnectionByCredential(ctx context.Context, credHash string) (store.Connection, error) {
	return db.conn(ctx, `cred_hash = ?`, credHash)
}

// ListConnections lists an instance's connections, newest first.
func (db *DB) ListConnections(ctx context.Context, instanceID string) ([]store.Connection, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+connCols+` FROM connections WHERE instance = ? ORDER BY created DESC, id`), instanceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Connection
	for rows.Next() {
		c, err := scanConn(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetConnectionState changes the state of one of the instance's connections.
func (db *DB) SetConnectionState(ctx context.Context, instanceID, id, state string, from []string, at time.Time) error {
	args := []any{state, micros(at), instanceID, id}
	marks := make([]string, len(from))
	for i, f := range from {
		marks[i] = "?"
		args = append(args, f)
	}
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE connections SET state = ?, updated = ? WHERE instance = ? AND id = ? AND state IN (`+strings.Join(marks, ",")+`)`), args...)
	if err != nil {
		return fmt.Errorf("update connection: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	c, err := db.conn(ctx, `id = ?`, id)
	if err != nil || c.Instance != instanceID {
		return notFound("connection")
	}
	return fmt.Errorf("the connection is %s: %w", c.State, store.ErrConflict)
}

// ClaimCredential stores the credential hash of an active, unclaimed connection of org.
func (db *DB) ClaimCredential(ctx context.Context, orgID, id, credHash string, at time.Time) error {
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE connections SET cred_hash = ?, updated = ? WHERE org = ? AND id = ? AND state = 'active' AND cred_hash IS NULL`),
		credHash, micros(at), orgID, id)
	if err != nil {
		return fmt.Errorf("claim credential: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("no credential to claim for this connection: %w", store.ErrConflict)
	}
	return nil
}
