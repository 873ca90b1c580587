package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Delete moves the content's file aside under a name of its own, inside the transaction
// that deletes its row; once the transaction is over the file is removed, or put back if
// the row stayed. The store has one writer connection, so no other transaction stores the
// same content again meanwhile; a crash between the commit and the removal leaves an
// unreferenced file behind, as Put may, never a row without its file.
func (b *diskBlobs) Delete(_ context.Context, _ *sql.Tx, instance, sha string) (func(bool), error) {
	src := b.path(instance, sha)
	r := make([]byte, 8)
	if _, err := rand.Read(r); err != nil {
		return nil, err
	}
	aside := filepath.Join(b.dir, instance, ".erasing-"+hex.EncodeToString(r))
	if err := os.Rename(src, aside); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil // nothing on disk to remove
		}
		return nil, err
	}
	// A failure here leaves an unreferenced file, as a crash would: nothing to tell anyone.
	return func(committed bool) {
		if committed {
			os.Remove(aside)
			return
		}
		os.Rename(aside, src)
	}, nil
}
