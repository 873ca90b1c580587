package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"selfdata/internal/store"
)

// CreateInstance creates an empty store for one person.
func (db *DB) CreateInstance(ctx context.Context, name, passphraseHash string) (store.Instance, error) {
	in := store.Instance{ID: uuid.NewString(), Name: name, Created: db.now().UTC().Truncate(1000)}
	err := db.inTx(ctx, "instance", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO instances (id, name, pass, created, seq) VALUES (?, ?, ?, ?, 0)`),
			in.ID, in.Name, passphraseHash, micros(in.Created))
		if err != nil {
			if db.d.IsUnique(err) {
				return fmt.Errorf("instance %q: %w", name, store.ErrExists)
			}
			return fmt.Errorf("create instance %q: %w", name, err)
		}
		return db.createHead(ctx, tx, in.ID)
	})
	if err != nil {
		return store.Instance{}, err
	}
	return in, nil
}

// Instance finds an instance by its name.
func (db *DB) Instance(ctx context.Context, name string) (store.Instance, error) {
	return db.instance(ctx, `name = ?`, name)
}

// InstanceByID finds an instance by its id.
func (db *DB) InstanceByID(ctx context.Context, id string) (store.Instance, error) {
	return db.instance(ctx, `id = ?`, id)
}

func (db *DB) instance(ctx context.Context, where, arg string) (store.Instance, error) {
	var in store.Instance
	var created int64
	err := db.readRow(ctx, `SELECT id, name, created, email FROM instances WHERE `+where, arg).Scan(&in.ID, &in.Name, &created, &in.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return in, notFound(fmt.Sprintf("instance %q", arg))
	}
	if err != nil {
		return in, fmt.Errorf("read instance: %w", err)
	}
	in.Created = fromMicros(created)
	return in, nil
}

// ListInstances lists every instance by name.
func (db *DB) ListInstances(ctx context.Context) ([]store.Instance, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, name, created, email FROM instances ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list instances: %w", err)
	}
	defer rows.Close()
	var out []store.Instance
	for rows.Next() {
		var in store.Instance
		var created int64
		if err := rows.Scan(&in.ID, &in.Name, &created, &in.Email); err != nil {
			return nil, err
		}
		in.Created = fromMicros(created)
		out = append(out, in)
	}
	return out, rows.Err()
}

// SetEmail sets the address the instance's alerts are sent to.
func (db *DB) SetEmail(ctx context.Context, instanceID, email string) error {
	return db.execOne(ctx, fmt.Sprintf("instance %q", instanceID), `UPDATE instances SET email = ? WHERE id = ?`, email, instanceID)
}
