package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"selfdata/internal/store"
)

// writer is the store.Writer of one transaction on one instance.
type writer struct {
	db       *DB
	tx       *sql.Tx
	instance string
	// locked are the series this transaction has locked (read with Series): their readings
	// are added without locking them again.
	locked map[string]bool
	// indexing are the words of the documents written, by doctype and id, written to the
	// search index together before the commit (search.go).
	indexing map[docKey]indexRow
	// settled wait on the transaction's outcome: called with whether it committed
	// (erase_source.go).
	settled []func(committed bool)
}

// Update runs fn in one write transaction; an error from fn rolls everything back.
//
// The instance is checked to exist once per store (a write's round trip less each time
// after); an instance deleted by another process since makes the write fail on its rows'
// references, and the error is then the instance's not found.
func (db *DB) Update(ctx context.Context, instance string, fn func(store.Writer) error) error {
	if err := db.prepareWrites(ctx); err != nil {
		return err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	defer tx.Rollback()
	_, known := db.live.Load(instance)
	if !known {
		if err := db.instanceLives(ctx, tx, instance); err != nil {
			return err
		}
	}
	w := &writer{db: db, tx: tx, instance: instance}
	committed := false
	defer func() { w.settle(committed) }()
	if err := fn(w); err != nil {
		return db.unlessGone(ctx, instance, err)
	}
	if err := w.flushIndex(ctx); err != nil {
		return db.unlessGone(ctx, instance, err)
	}
	if err := tx.Commit(); err != nil {
		return db.unlessGone(ctx, instance, fmt.Errorf("commit: %w", err))
	}
	committed = true
	return nil
}

// instanceLives checks, in tx, that the instance exists, and remembers it.
func (db *DB) instanceLives(ctx context.Context, tx *sql.Tx, instance string) error {
	var exists int
	check, err := db.txStmt(ctx, tx, checkInstance)
	if err == nil {
		err = check.QueryRowContext(ctx, instance).Scan(&exists)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("instance")
	}
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	db.live.Store(instance, true)
	return nil
}

// unlessGone is err, or the instance's not found when the instance no longer exists: a
// write to an instance deleted meanwhile fails on its rows' references to it.
func (db *DB) unlessGone(ctx context.Context, instance string, err error) error {
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrExists) || errors.Is(err, store.ErrInvalid) {
		return err // the store's own answers: the instance was there
	}
	var one int
	if db.r.QueryRowContext(context.WithoutCancel(ctx), db.q(checkInstance), instance).Scan(&one) == sql.ErrNoRows {
		db.live.Delete(instance)
		return notFound("instance")
	}
	return err
}

// stmt is query prepared once on the write pool, bound to the writer's transaction.
func (w *writer) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	return w.db.txStmt(ctx, w.tx, query)
}

// The statements every write runs.
const (
	checkInstance = `SELECT 1 FROM instances WHERE id = ?`
	reserveSeq    = `UPDATE instances SET seq = seq + ? WHERE id = ? RETURNING seq`
)

// writeQueries are the statements of writes, prepared once per store before its first
// write (txStmt): all lists them; lockSeries and seriesLocked depend on the dialect.
type writeQueries struct {
	lockSeries, seriesLocked string
	all                      []string
}

func newWriteQueries(d Dialect) *writeQueries {
	q := &writeQueries{lockSeries: `SELECT 1 FROM series WHERE instance = ? AND id = ?` + d.ForUpdate, seriesLocked: seriesInTx + d.ForUpdate}
	q.all = []string{checkInstance, reserveSeq, insertDoc, upsertDoc, q.lockSeries, upsertChunk, chunksOfDays, q.seriesLocked}
	q.all = append(q.all, newAppendQueries(d).all()...)
	return q
}

// nextSeq reserves n numbers of the instance's change feed and returns the first.
func (w *writer) nextSeq(ctx context.Context, n int) (int64, error) {
	var last int64
	stmt, err := w.stmt(ctx, reserveSeq)
	if err == nil {
		err = stmt.QueryRowContext(ctx, n, w.instance).Scan(&last)
	}
	if err != nil {
		return 0, fmt.Errorf("reserve sequence: %w", err)
	}
	return last - int64(n) + 1, nil
}

func (w *writer) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return w.tx.ExecContext(ctx, w.db.q(query), args...)
}

// PutBlob stores content for the instance; the same content twice is kept once.
func (w *writer) PutBlob(ctx context.Context, r io.Reader) (string, int64, error) {
	sha, size, err := w.db.blobs.Put(ctx, w.tx, w.instance, r)
	if err != nil {
		return "", 0, fmt.Errorf("store file content: %w", err)
	}
	return sha, size, nil
}

// OpenBlob opens a blob of the instance; a blob of another instance is not found.
func (db *DB) OpenBlob(ctx context.Context, instance, sha string) (io.ReadCloser, error) {
	var one int
	err := db.r.QueryRowContext(ctx, db.q(`SELECT 1 FROM blobs WHERE instance = ? AND sha256 = ?`), instance, sha).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("file content")
	}
	if err != nil {
		return nil, fmt.Errorf("find file content: %w", err)
	}
	return db.blobs.Open(ctx, db.r, instance, sha)
}

// AccessLog reads the access log, newest first.
func (db *DB) AccessLog(ctx context.Context, instance string, q store.LogQuery) ([]store.LogEntry, error) {
	where, args := logWhere(instance, q)
	if q.Before != 0 {
		where, args = where+` AND pos < ?`, append(args, q.Before)
	}
	limit := q.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT pos, at, principal, actor_id, actor_name, doctype, verb, count, purpose, refused, times FROM access_log WHERE `+where+` ORDER BY pos DESC LIMIT ?`), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("read access log: %w", err)
	}
	defer rows.Close()
	var out []store.LogEntry
	for rows.Next() {
		var e store.LogEntry
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.Principal, &e.ActorID, &e.ActorName, &e.Doctype, &e.Verb, &e.Count, &e.Purpose, &e.Refused, &e.Times); err != nil {
			return nil, err
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// logWhere is the condition selecting the entries of the instance's log that q filters on,
// Before and Limit aside.
func logWhere(instance string, q store.LogQuery) (string, []any) {
	where, args := `instance = ?`, []any{instance}
	if q.Principal != "" {
		where, args = where+` AND principal = ?`, append(args, q.Principal)
	}
	if q.ExceptPrincipal != "" {
		where, args = where+` AND principal <> ?`, append(args, q.ExceptPrincipal)
	}
	if q.ActorID != "" {
		where, args = where+` AND actor_id = ?`, append(args, q.ActorID)
	}
	if q.Doctype != "" {
		where, args = where+` AND doctype = ?`, append(args, q.Doctype)
	}
	if !q.From.IsZero() {
		where, args = where+` AND at >= ?`, append(args, micros(q.From))
	}
	if !q.To.IsZero() {
		where, args = where+` AND at < ?`, append(args, micros(q.To))
	}
	return where, args
}
