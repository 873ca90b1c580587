// Package sqlstore is the one implementation of the store contract over database/sql, shared
// by the SQLite and PostgreSQL backends. The backends differ in a handful of places — how a
// JSON field is read, placeholders, where blobs live, the DDL — and those are given by a
// Dialect; everything else (queries, cursors, the change feed, series chunks and their
// aggregation) is written once here so that the two backends cannot drift apart.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"selfdata/internal/store"
)

// Migration is one step of the schema, applied in its own transaction.
type Migration struct {
	Name string
	SQL  string
}

// Blobs keeps file contents. SQLite keeps them as files under the data directory, PostgreSQL
// in rows of 1 MiB (blob_chunks); object storage would be a third implementation.
type Blobs interface {
	// Put stores the content of r for the instance inside tx and returns its sha256 and size.
	Put(ctx context.Context, tx *sql.Tx, instance string, r io.Reader) (sha string, size int64, err error)
	Open(ctx context.Context, db *sql.DB, instance, sha string) (io.ReadCloser, error)
	// DropInstance removes what lives outside the database, after the instance's rows are gone.
	DropInstance(instance string) error
	// Delete removes one content inside tx, its row in blobs being deleted by the caller;
	// what cannot wait for tx's outcome (a file) is put aside, and done, when not nil,
	// ends it after the transaction: for good if it committed, put back if not.
	Delete(ctx context.Context, tx *sql.Tx, instance, sha string) (done func(committed bool), err error)
}

// Dialect is what differs between the backends.
type Dialect struct {
	Name string
	// Placeholders rewrites "?" placeholders into the backend's form.
	Placeholders func(query string) string
	// FieldExpr is the SQL expression reading an index field of a document's data column.
	FieldExpr func(f store.Field) string
	// SearchMatch is the condition that the words of the row s of docs_search answer the
	// one argument, a query MatchQuery made (search.go).
	SearchMatch string
	// SearchInstance is the condition that the row s of docs_search is of the instance (one
	// argument), written so that the backend's planner narrows by the words first
	// (SQLite: likely(), since one person's documents are most of a small store's).
	SearchInstance string
	// MatchQuery is the backend's full-text query of terms, all required, the last one as
	// a prefix when prefix is set (FTS5Match, TSQuery).
	MatchQuery func(terms []string, prefix bool) string
	// IsUnique tells whether err is a unique-constraint violation.
	IsUnique func(err error) bool
	// Analyze renews the planner's statistics of the docs table ("" when the backend
	// plans well without: SQLite takes a unique index matched whole for one row).
	Analyze string
	// IndexNames lists the names of the docs table's indexes.
	IndexNames string
	// ModifyingCTE tells that the backend runs an UPDATE in the WITH clause of an INSERT
	// (PostgreSQL), which saves a round trip while a lock is held.
	ModifyingCTE bool
	// ForUpdate ends a SELECT that must lock the rows it reads until the transaction ends
	// (" FOR UPDATE" on PostgreSQL, whose writers run in parallel); empty on SQLite, where
	// the write transaction holds the one write lock from BEGIN.
	ForUpdate string
	// LockMigrations, if set, runs first in each migration transaction so that two processes
	// starting together do not apply the same step twice.
	LockMigrations string
	Migrations     []Migration
	// AfterErase, if set, runs outside any transaction after an instance's rows are deleted,
	// so that the backend leaves no readable copy of them (SQLite: the full-text index
	// merged, the WAL checkpointed and truncated).
	AfterErase func(ctx context.Context, w *sql.DB) error
}

// DB implements store.Store. Writes go through w, reads through r; with SQLite w has one
// connection (SQLite has one writer) and r a pool; with PostgreSQL both are the same pool.
type DB struct {
	w, r  *sql.DB
	d     Dialect
	blobs Blobs
	now   func() time.Time
	// sealer seals the secrets kept in the database (secrets.go).
	sealer *sealer
	// stmts holds the statements of the hot paths, prepared once per pool (see prepared).
	stmts sync.Map // stmtKey → *sql.Stmt
	// appendSQL and writeSQL are the text of the access log's appends and of the hot writes,
	// made once.
	// stats renews PostgreSQL's statistics of the documents as they grow (stats.go).
	stats statsKeeper
	// live holds the instances a write found to exist (Update): instance id → true.
	live           sync.Map
	appendSQL      *appendQueries
	writeSQL       *writeQueries
	writesPrepared atomic.Bool
}

type stmtKey struct {
	pool  *sql.DB
	query string
}

var _ store.Store = (*DB)(nil)

// Open migrates the database and returns the store, whose secrets are sealed with key
// (KeySize bytes, kept outside the database: see LoadKey). It refuses a schema newer than it
// knows, and a key other than the one the database's secrets were sealed with (ErrWrongKey).
func Open(ctx context.Context, w, r *sql.DB, d Dialect, blobs Blobs, key []byte) (*DB, error) {
	s, err := newSealer(key)
	if err != nil {
		return nil, err
	}
	db := &DB{w: w, r: r, d: d, blobs: blobs, now: time.Now, sealer: s, appendSQL: newAppendQueries(d), writeSQL: newWriteQueries(d),
		stats: statsKeeper{analyze: d.Analyze}}
	if err := db.migrate(ctx); err != nil {
		return nil, err
	}
	if err := db.checkKey(ctx); err != nil {
		return nil, err
	}
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	var err error
	db.stmts.Range(func(_, v any) bool {
		err = errors.Join(err, v.(*sql.Stmt).Close())
		return true
	})
	err = errors.Join(err, db.w.Close())
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// SchemaVersion is the number of migrations applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for i, m := range db.d.Migrations {
		if err := db.migrateStep(ctx, i+1, m); err != nil {
			return fmt.Errorf("migration %d (%s): %w", i+1, m.Name, err)
		}
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if v > len(db.d.Migrations) {
		return fmt.Errorf("%w: the database is at version %d but this selfdata knows %d; use a newer selfdata", store.ErrUnknownSchema, v, len(db.d.Migrations))
	}
	return nil
}

// inTx runs fn in one write transaction, committed when fn succeeds; what names the work in
// errors.
func (db *DB) inTx(ctx context.Context, what string, fn func(*sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin %s: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit %s: %w", what, err)
	}
	return nil
}

func (db *DB) migrateStep(ctx context.Context, version int, m Migration) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if db.d.LockMigrations != "" {
		if _, err := tx.ExecContext(ctx, db.d.LockMigrations); err != nil {
			return err
		}
	}
	var applied int
	if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM schema_migrations WHERE version >= ?`), version).Scan(&applied); err != nil {
		return err
	}
	if applied > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if then := db.afterMigration(m.Name); then != nil {
		if err := then(ctx, tx); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO schema_migrations (version, applied) VALUES (?, ?)`), version, db.now().Unix()); err != nil {
		return err
	}
	return tx.Commit()
}

// afterMigration is the Go step of a migration, run in its transaction after its SQL: what
// SQL alone cannot do, such as computing with the server's key. Both backends name their
// migrations alike.
func (db *DB) afterMigration(name string) func(context.Context, *sql.Tx) error {
	switch name {
	case "0011_access_log_heads.sql":
		return db.authenticateHeads
	case "0017_search.sql":
		return db.indexAll
	}
	return nil
}

// prepared returns query prepared on pool, once for the store's life. It is for the queries
// every request runs (its credential, the document, the access log's head): SQLite spends
// about as long parsing such a small query as running it, and database/sql prepares anew
// at each call otherwise. Only constant queries belong here, so that the cache stays small.
func (db *DB) prepared(ctx context.Context, pool *sql.DB, query string) (*sql.Stmt, error) {
	key := stmtKey{pool, query}
	if st, ok := db.stmts.Load(key); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := pool.PrepareContext(ctx, db.q(query))
	if err != nil {
		return nil, err
	}
	if old, loaded := db.stmts.LoadOrStore(key, st); loaded {
		st.Close()
		return old.(*sql.Stmt), nil
	}
	return st, nil
}

// readRow runs a constant query of one row on the read pool, prepared once. These are
// lookups by key that take microseconds, so they run without the caller's cancellation:
// with a context that can end, database/sql and the SQLite driver each start a goroutine
// per query to watch it, which cost more than the lookup.
func (db *DB) readRow(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = context.WithoutCancel(ctx)
	st, err := db.prepared(ctx, db.r, query)
	if err != nil {
		// QueryRowContext on the pool reports the error through Scan, as a Row does.
		return db.r.QueryRowContext(ctx, db.q(query), args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// txStmt is query bound to tx, prepared once on the write pool when it was prepared there
// before (prepareWrites), or prepared in tx for this once: preparing on the write pool inside
// a transaction would wait for the connection the transaction holds, SQLite's only one.
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	st, ok := db.stmts.Load(stmtKey{db.w, query})
	if !ok {
		return tx.PrepareContext(ctx, db.q(query))
	}
	return tx.StmtContext(ctx, st.(*sql.Stmt)), nil
}

// prepareWrites prepares the write statements (writeQueries) on the write pool for txStmt,
// once: it runs before a write's transaction begins, never inside one. A failure is
// retried at the next write.
func (db *DB) prepareWrites(ctx context.Context) error {
	if db.writesPrepared.Load() {
		return nil
	}
	for _, q := range db.writeSQL.all {
		if _, err := db.prepared(ctx, db.w, q); err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
	}
	db.writesPrepared.Store(true)
	return nil
}

// q rewrites placeholders for the backend.
func (db *DB) q(query string) string {
	if db.d.Placeholders == nil {
		return query
	}
	return db.d.Placeholders(query)
}

// DollarPlaceholders turns "?" into "$1", "$2"... (PostgreSQL). Queries here never hold a
// literal question mark.
func DollarPlaceholders(query string) string {
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Times are stored as integer microseconds since the Unix epoch in both backends, so that
// comparisons and the shared queries do not depend on a backend's timestamp type.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// notFound wraps store.ErrNotFound with what was looked for.
func notFound(what string) error { return fmt.Errorf("%s: %w", what, store.ErrNotFound) }
