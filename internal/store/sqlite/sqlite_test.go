package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"selfdata/internal/store"
	"selfdata/internal/store/storetest"
)

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		dir := t.TempDir()
		db, err := Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := openPool(filepath.Join(dir, "selfdata.db"), 1, "")
		if err != nil {
			t.Fatal(err)
		}
		return rawDB{db, raw}
	})
}

// rawDB gives the suite a handle on the database around the store (storetest.Raw).
type rawDB struct {
	*DB
	raw *sql.DB
}

func (r rawDB) ExecRaw(ctx context.Context, query string, args ...any) error {
	_, err := r.raw.ExecContext(ctx, query, args...)
	return err
}

func (r rawDB) Close() error { return errors.Join(r.raw.Close(), r.DB.Close()) }

// TestRefusesUnknownSchema: a database migrated by a newer selfdata is not touched.
func TestRefusesUnknownSchema(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := db.SchemaVersion(ctx); err != nil || v != len(migrationNames) {
		t.Fatalf("SchemaVersion = %d, %v", v, err)
	}
	if _, err := db.CreateInstance(ctx, "alice", "h"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(ctx, dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if _, err := db.Instance(ctx, "alice"); err != nil {
		t.Fatalf("after reopen: %v", err)
	}
	db.Close()
	raw, err := openPool(dir+"/selfdata.db", 1, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, applied) VALUES (99, 0)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = Open(ctx, dir)
	if !errors.Is(err, store.ErrUnknownSchema) {
		t.Fatalf("Open on a newer schema: %v", err)
	}
}
