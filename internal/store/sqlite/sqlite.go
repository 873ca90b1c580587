// Package sqlite is the embedded backend: one data directory holding selfdata.db (SQLite in WAL
// mode) and blobs/, the contents of files. It needs no set-up, which is what a person running
// selfdata for themselves, or a small operator, wants.
//
// SQLite allows one writer at a time, so writes go through a pool of one connection (taking
// the write lock at BEGIN, so transactions never fail half-way on an upgrade) and reads through
// a pool of read-only connections that WAL lets run beside it. Other processes — the CLI while
// the server runs — share the same file; busy_timeout makes them wait their turn.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"selfdata/internal/store"
	"selfdata/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are listed explicitly: their order is the schema's history. Both backends
// number their files alike; one skips a number the other alone needs (0013 moves
// PostgreSQL's blobs into chunks; SQLite keeps blobs as files).
var migrationNames = []string{
	"0001_init.sql",
	"0002_organizations.sql",
	"0003_pull.sql",
	"0004_period.sql",
	"0005_access_chain.sql",
	"0006_services.sql",
	"0007_consent.sql",
	"0008_oauth.sql",
	"0009_transparency.sql",
	"0010_login_failures.sql",
	"0011_access_log_heads.sql",
	"0012_corrections.sql",
	"0014_log_times.sql",
	"0015_relatives.sql",
	"0016_declarations_fr.sql",
	"0017_search.sql",
	"0018_series_decimals.sql",
	"0019_moved_chains.sql",
}

// DB is the SQLite store.
type DB struct {
	*sqlstore.DB
	dir string
}

var _ store.Store = (*DB)(nil)

// File is the database file in the data directory dir (the blobs are beside it): what
// another reader of the same database — the pull queue, a test — opens.
func File(dir string) string { return filepath.Join(dir, "selfdata.db") }

// File is the store's database file.
func (db *DB) File() string { return File(db.dir) }

// readers is the size of the pool of read-only connections.
const readers = 32

// KeyFile is the name of the key file Open keeps in the data directory.
const KeyFile = "secret.key"

// Open opens (creating if needed) the store in the data directory dir, its secrets sealed
// with the key in dir/secret.key (made on the first open).
func Open(ctx context.Context, dir string) (*DB, error) {
	if err := os.MkdirAll(filepath.Join(dir, "blobs"), 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	key, err := sqlstore.LoadKey(filepath.Join(dir, KeyFile))
	if err != nil {
		return nil, err
	}
	return OpenWithKey(ctx, dir, key)
}

// OpenWithKey is Open with a key kept elsewhere than the data directory (see
// sqlstore.LoadKey), so that a copy of the directory alone opens no secret.
func OpenWithKey(ctx context.Context, dir string, key []byte) (*DB, error) {
	if err := os.MkdirAll(filepath.Join(dir, "blobs"), 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := File(dir)
	w, err := openPool(path, 1, "_txlock=immediate")
	if err != nil {
		return nil, err
	}
	// Readers are many: WAL lets them run beside the writer, and a request waiting for a
	// reader waits at random (database/sql hands a freed connection to any waiter), which
	// lengthens the tail under load more than the memory of a connection costs.
	r, err := openPool(path, readers, "_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	d, err := dialect()
	if err != nil {
		return nil, err
	}
	db, err := sqlstore.Open(ctx, w, r, d, &diskBlobs{dir: filepath.Join(dir, "blobs")}, key)
	if err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &DB{DB: db, dir: dir}, nil
}

// dialect is how the shared implementation speaks SQLite.
func dialect() (sqlstore.Dialect, error) {
	migs, err := loadMigrations()
	if err != nil {
		return sqlstore.Dialect{}, err
	}
	return sqlstore.Dialect{Name: "sqlite", FieldExpr: fieldExpr, SearchMatch: `s.rowid IN (SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?)`, MatchQuery: sqlstore.FTS5Match,
		SearchInstance: `likely(s.instance = ?)`,
		IsUnique:       isUnique, Migrations: migs,
		IndexNames: `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'docs'`,
		AfterErase: afterErase}, nil
}

// ForgetSecrets drops the sealed secrets of the store in dir and seals anew with key, for
// when the key file is lost (sqlstore.ForgetSecrets says what is lost).
func ForgetSecrets(ctx context.Context, dir string, key []byte) (sqlstore.Forgotten, error) {
	path := File(dir)
	if _, err := os.Stat(path); err != nil {
		return sqlstore.Forgotten{}, fmt.Errorf("no store in %s: %w", dir, err)
	}
	d, err := dialect()
	if err != nil {
		return sqlstore.Forgotten{}, err
	}
	w, err := openPool(path, 1, "_txlock=immediate")
	if err != nil {
		return sqlstore.Forgotten{}, err
	}
	defer w.Close()
	return sqlstore.ForgetSecrets(ctx, w, d, key)
}

// afterErase leaves no copy of an erased person: FTS5 deletes by adding delete markers and
// keeps the words in its old segments until they merge, so 'optimize' rewrites the index
// into one segment (secure_delete zeroing the freed pages); then the checkpoint copies the
// zeroed pages into the database and truncates the WAL, which held the rows' earlier
// versions. A reader in the middle of a transaction (another process: the server while the
// CLI erases) holds the WAL back; busy_timeout waits for it, and if it is still busy the
// erasure says so rather than claim the WAL clean.
func afterErase(ctx context.Context, w *sql.DB) error {
	if _, err := w.ExecContext(ctx, `INSERT INTO docs_fts (docs_fts) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("rewrite the full-text index: %w", err)
	}
	var busy, frames, done int
	if err := w.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
		return fmt.Errorf("checkpoint the WAL: %w", err)
	}
	if busy != 0 {
		return errors.New("every row is deleted and zeroed, but another process reading the store kept the WAL from being truncated: stop it (the server); SQLite checkpoints and removes the WAL when the last connection closes")
	}
	return nil
}

func openPool(path string, conns int, extra string) (*sql.DB, error) {
	// synchronous=NORMAL in WAL mode: a committed transaction survives a crash of the process
	// (the WAL is in the OS cache); only an OS crash or power loss may roll back the last ones.
	// secure_delete(1): SQLite overwrites deleted content with zeros instead of leaving it in
	// free pages and cells, so that an erased person cannot be read back from the file.
	q := "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=secure_delete(1)&" + extra
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	return db, nil
}

func loadMigrations() ([]sqlstore.Migration, error) {
	var out []sqlstore.Migration
	for _, name := range migrationNames {
		b, err := migrationFiles.ReadFile("migrations/" + name)
		if err != nil {
			return nil, err
		}
		out = append(out, sqlstore.Migration{Name: name, SQL: string(b)})
	}
	return out, nil
}

// fieldExpr reads a JSON path of the data column; paths were checked against the doctype's
// declared index fields, which are plain identifiers, before they reach SQL.
func fieldExpr(f store.Field) string {
	return "json_extract(data, '$." + f.Path + "')"
}

func isUnique(err error) bool {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}
