package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// diskBlobs keeps contents as files blobs/INSTANCE/ab/abcdef... named by their sha256, so
// that one person's files are one directory to delete (or, later, to encrypt with their key).
type diskBlobs struct{ dir string }

func (b *diskBlobs) path(instance, sha string) string {
	return filepath.Join(b.dir, instance, sha[:2], sha)
}

// Put writes the content to a temporary file, syncs it and renames it into place before the
// row that names it is inserted: a committed row never points at a missing or partial file.
// A crash may leave an unreferenced file behind, never the reverse.
func (b *diskBlobs) Put(ctx context.Context, tx *sql.Tx, instance string, r io.Reader) (string, int64, error) {
	tmpDir := filepath.Join(b.dir, instance)
	if err := os.MkdirAll(tmpDir, 0o700); err != nil {
		return "", 0, err
	}
	f, err := os.CreateTemp(tmpDir, ".upload-*")
	if err != nil {
		return "", 0, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		return "", 0, err
	}
	if err := f.Sync(); err != nil {
		return "", 0, err
	}
	sha := hex.EncodeToString(h.Sum(nil))
	dst := b.path(instance, sha)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", 0, err
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		return "", 0, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO blobs (instance, sha256, size, created) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		instance, sha, size, time.Now().UnixMicro())
	if err != nil {
		return "", 0, fmt.Errorf("record blob: %w", err)
	}
	return sha, size, nil
}

func (b *diskBlobs) Open(_ context.Context, _ *sql.DB, instance, sha string) (io.ReadCloser, error) {
	return os.Open(b.path(instance, sha))
}

func (b *diskBlobs) DropInstance(instance string) error {
	return os.RemoveAll(filepath.Join(b.dir, instance))
}
