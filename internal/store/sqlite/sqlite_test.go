package sqlite

import (
	"context"
	"errors"
	"testing"

	"selfdata/internal/store"
	"selfdata/internal/store/storetest"
)

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		db, err := Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

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
