package postgres

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"testing"

	"selfdata/internal/store"
	"selfdata/internal/store/sqlstore"
	"selfdata/internal/store/storetest"
)

// testURL returns the URL of a fresh schema in the test server named by
// SELFDATA_TEST_POSTGRES_URL, dropped when the test ends, so that tests running at once in
// several packages never see each other's tables.
func testURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("SELFDATA_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("SELFDATA_TEST_POSTGRES_URL is not set: the PostgreSQL suite does not run (.ci/run sets it)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("PostgreSQL at SELFDATA_TEST_POSTGRES_URL is not usable: %v", err)
	}
	t.Cleanup(func() { admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		u := testURL(t)
		db, err := Open(context.Background(), u, testKey)
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

// testKey seals the test databases' secrets.
var testKey = bytes.Repeat([]byte{7}, sqlstore.KeySize)

// TestRefusesUnknownSchema: a database migrated by a newer selfdata is not touched.
func TestRefusesUnknownSchema(t *testing.T) {
	ctx := context.Background()
	u := testURL(t)
	db, err := Open(ctx, u, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateInstance(ctx, "alice", "h"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, u, testKey); err != nil {
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
	_, err = Open(ctx, u, testKey)
	if !errors.Is(err, store.ErrUnknownSchema) {
		t.Fatalf("Open on a newer schema: %v", err)
	}
}
