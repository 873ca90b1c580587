package sqlite

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"selfdata/internal/store/storetest"
)

// TestErasure: after an erasure, no byte of the erased person is left in any file of the
// data directory — the database, its -wal and -shm, the blobs — (storetest.Erasure).
func TestErasure(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.Erasure(t, db, func(t *testing.T) []byte { return readDir(t, dir) })
}

// readDir is every file under dir, one after the other.
func readDir(t *testing.T, dir string) []byte {
	t.Helper()
	var all []byte
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		all = append(all, b...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}
