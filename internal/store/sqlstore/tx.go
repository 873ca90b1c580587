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
}

// Update runs fn in one write transaction; an error from fn rolls everything back.
func (db *DB) Update(ctx context.Context, instance string, fn func(store.Writer) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	defer tx.Rollback()
	var exists int
	err = tx.QueryRowContext(ctx, db.q(`SELECT 1 FROM instances WHERE id = ?`), instance).Scan(&exists)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("instance")
	}
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	if err := fn(&writer{db: db, tx: tx, instance: instance}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// nextSeq reserves n numbers of the instance's change feed and returns the first.
func (w *writer) nextSeq(ctx context.Context, n int) (int64, error) {
	var last int64
	err := w.tx.QueryRowContext(ctx, w.db.q(`UPDATE instances SET seq = seq + ? WHERE id = ? RETURNING seq`), n, w.instance).Scan(&last)
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
