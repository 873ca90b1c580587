// Package pgtest gives a test a PostgreSQL schema of its own on the server named by
// SELFDATA_TEST_POSTGRES_URL, or skips the test when none is named.
package pgtest

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"selfdata/internal/store/sqlstore"
)

// Key seals the test databases' secrets.
var Key = bytes.Repeat([]byte{7}, sqlstore.KeySize)

// URL returns the URL of a fresh schema in the test server, dropped when the test ends, so
// that tests running at once in several packages never see each other's tables.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("SELFDATA_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("SELFDATA_TEST_POSTGRES_URL is not set: the PostgreSQL tests do not run (.ci/run sets it)")
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
