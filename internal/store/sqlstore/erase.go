package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"selfdata/internal/store"
)

// erasedCounts are the queries counting, before the erasure, what it takes away; each
// takes the instance's id. Every other table of the person's goes with them through the
// foreign keys' ON DELETE CASCADE (revisions, tombstones, readings' chunks, the full-text
// rows, pulls, consent records, OAuth tokens, signing keys, relatives, the log's head).
var erasedCounts = []struct {
	field func(*store.Erased) *int64
	query string
}{
	{func(e *store.Erased) *int64 { return &e.Documents }, `SELECT COUNT(*) FROM docs WHERE instance = ?`},
	{func(e *store.Erased) *int64 { return &e.Series }, `SELECT COUNT(*) FROM series WHERE instance = ?`},
	{func(e *store.Erased) *int64 { return &e.Files }, `SELECT COUNT(*) FROM blobs WHERE instance = ?`},
	{func(e *store.Erased) *int64 { return &e.Tokens }, `SELECT COUNT(*) FROM tokens WHERE instance = ?`},
	{func(e *store.Erased) *int64 { return &e.Sessions }, `SELECT COUNT(*) FROM sessions WHERE instance = ?`},
	{func(e *store.Erased) *int64 { return &e.Connections }, `SELECT COUNT(*) FROM connections WHERE instance = ?`},
	{func(e *store.Erased) *int64 { return &e.Grants }, `SELECT COUNT(*) FROM grants WHERE instance = ?`},
	{func(e *store.Erased) *int64 { return &e.Alerts }, `SELECT COUNT(*) FROM alerts WHERE instance = ?`},
	{func(e *store.Erased) *int64 { return &e.LogEntries }, `SELECT COUNT(*) FROM access_log WHERE instance = ?`},
}

// DeleteInstance is EraseInstance without the counts.
func (db *DB) DeleteInstance(ctx context.Context, name string) error {
	_, err := db.EraseInstance(ctx, name)
	return err
}

// EraseInstance removes every row of the person in one transaction, then the blobs kept
// outside the database, then runs the dialect's AfterErase so that the freed pages and the
// journal hold no copy: an erasure a person asked for must not be readable from the data
// directory afterwards (GDPR Art. 17).
func (db *DB) EraseInstance(ctx context.Context, name string) (store.Erased, error) {
	in, err := db.Instance(ctx, name)
	if err != nil {
		return store.Erased{}, err
	}
	var out store.Erased
	err = db.inTx(ctx, "erase instance", func(tx *sql.Tx) error {
		for _, c := range erasedCounts {
			if err := tx.QueryRowContext(ctx, db.q(c.query), in.ID).Scan(c.field(&out)); err != nil {
				return fmt.Errorf("erase instance %q: count: %w", name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM instances WHERE id = ?`), in.ID); err != nil {
			return fmt.Errorf("erase instance %q: %w", name, err)
		}
		return db.forgetLoginFailures(ctx, tx, in)
	})
	if err != nil {
		return store.Erased{}, err
	}
	db.live.Delete(in.ID)
	if err := db.blobs.DropInstance(in.ID); err != nil {
		return out, fmt.Errorf("erase files of instance %q: %w", name, err)
	}
	if db.d.AfterErase != nil {
		if err := db.d.AfterErase(ctx, db.w); err != nil {
			return out, fmt.Errorf("erase instance %q: %w", name, err)
		}
	}
	return out, nil
}

// forgetLoginFailures drops the failed-login counts that name the person: their name's and
// their passphrase changes' (the keys internal/auth/limits.go makes: "name:NAME",
// "client-name:ADDR NAME", "change:ID"). A name longer than 64 characters is kept hashed
// there, and so is not readable.
func (db *DB) forgetLoginFailures(ctx context.Context, tx *sql.Tx, in store.Instance) error {
	n := strings.ToLower(in.Name)
	suffix := " " + n
	_, err := tx.ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE key IN (?, ?)
		OR (key LIKE 'client-name:%' AND substr(key, length(key) - ? + 1) = ?)`),
		"name:"+n, "change:"+in.ID, utf8.RuneCountInString(suffix), suffix)
	if err != nil {
		return fmt.Errorf("erase instance %q: login failures: %w", in.Name, err)
	}
	return nil
}
