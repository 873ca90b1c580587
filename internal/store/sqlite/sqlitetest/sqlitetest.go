// Package sqlitetest gives a test a fresh SQLite store, as most tests of the packages above
// the store need one: a real store, not a fake.
package sqlitetest

import (
	"context"
	"testing"

	"selfdata/internal/doctype"
	"selfdata/internal/store/sqlite"
)

// Open opens an empty store in a temporary directory, closed when the test ends, with the
// built-in doctype registry.
func Open(t testing.TB) (*sqlite.DB, *doctype.Registry) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	reg, err := doctype.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return db, reg
}
