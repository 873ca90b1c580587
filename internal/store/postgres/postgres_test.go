package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"testing"

	"selfdata/internal/store"
	"selfdata/internal/store/postgres/pgtest"
	"selfdata/internal/store/sqlstore"
	"selfdata/internal/store/storetest"
)

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		u := pgtest.URL(t)
		db, err := Open(context.Background(), u, pgtest.Key)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := sql.Open("pgx", u)
		if err != nil {
			t.Fatal(err)
		}
		return storetest.WithRaw(db, raw, sqlstore.DollarPlaceholders)
	})
}

// TestRefusesUnknownSchema: a database migrated by a newer selfdata is not touched.
func TestRefusesUnknownSchema(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	db, err := Open(ctx, u, pgtest.Key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateInstance(ctx, "alice", "h"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, u, pgtest.Key); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if _, err := db.Instance(ctx, "alice"); err != nil {
		t.Fatalf("after reopen: %v", err)
	}
	db.Close()
	other := bytes.Repeat([]byte{8}, sqlstore.KeySize)
	if _, err := Open(ctx, u, other); !errors.Is(err, sqlstore.ErrWrongKey) {
		t.Fatalf("Open with another key: %v", err)
	}
	// The key file lost: forgetting the secrets lets the other key in, the people intact.
	if _, err := ForgetSecrets(ctx, u, other); err != nil {
		t.Fatal(err)
	}
	if db, err = Open(ctx, u, other); err != nil {
		t.Fatalf("Open after ForgetSecrets: %v", err)
	}
	if _, err := db.Instance(ctx, "alice"); err != nil {
		t.Fatalf("after ForgetSecrets: %v", err)
	}
	db.Close()
	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, applied) VALUES (99, 0)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = Open(ctx, u, pgtest.Key)
	if !errors.Is(err, store.ErrUnknownSchema) {
		t.Fatalf("Open on a newer schema: %v", err)
	}
}
