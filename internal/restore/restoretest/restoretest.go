// Package restoretest gives an importer's test what restoring a file needs: a fresh SQLite
// store with one person, and the real restore layer with the formats under test.
package restoretest

import (
	"context"
	"testing"

	"selfdata/internal/gate"
	"selfdata/internal/importer"
	"selfdata/internal/restore"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// Open makes the person alice in a new store and an importer of formats that writes as her.
func Open(t testing.TB, formats ...importer.Format) (*restore.Importer, store.Store, gate.Principal) {
	t.Helper()
	db, reg := sqlitetest.Open(t)
	in, err := db.CreateInstance(context.Background(), "alice", "h")
	if err != nil {
		t.Fatal(err)
	}
	return restore.NewImporter(gate.New(db, reg), formats), db, gate.Owner(in.ID)
}
