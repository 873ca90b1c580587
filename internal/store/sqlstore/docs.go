package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"selfdata/internal/store"
)

// docInsertCols are the columns a document is created with; docCols those it is read
// from, its correction included (corrections.go).
const (
	docInsertCols = `doctype, id, rev, seq, created, updated, src_kind, src_id, src_name, src_batch, src_at, data`
	docCols       = docInsertCols + `, corrected_at, corrected_kind, corrected_id, corrected_name, original`
)

func scanDoc(sc interface{ Scan(...any) error }, extra ...any) (store.Doc, error) {
	var d store.Doc
	var rev int64
	var created, updated, srcAt int64
	var corr correctionCols
	// The data is scanned into its own bytes: a string between would copy it twice.
	dest := append([]any{&d.Doctype, &d.ID, &rev, &d.Seq, &created, &updated,
		&d.Source.Kind, &d.Source.ID, &d.Source.Name, &d.Source.Batch, &srcAt, (*[]byte)(&d.Data),
		&corr.at, &corr.kind, &corr.id, &corr.name, &corr.original}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return d, err
	}
	d.Rev = strconv.FormatInt(rev, 10)
	d.Created, d.Updated, d.Source.At = fromMicros(created), fromMicros(updated), fromMicros(srcAt)
	d.Corrected = corr.correction()
	return d, nil
}

// ValidID tells whether an id is acceptable: 1 to 128 of [A-Za-z0-9._-]. Ids appear in URLs
// and file names, so the store refuses anything else.
func ValidID(id string) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// The statements of documents' writes, prepared once (writeQueries).
const (
	insertDoc = `INSERT INTO docs (instance, ` + docInsertCols + `, period) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	upsertDoc = `INSERT INTO docs (instance, ` + docInsertCols + `, period) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (instance, doctype, id) DO UPDATE SET rev = docs.rev + 1, seq = excluded.seq, updated = excluded.updated,
		src_kind = excluded.src_kind, src_id = excluded.src_id, src_name = excluded.src_name, src_batch = excluded.src_batch,
		src_at = excluded.src_at,
		data = CASE WHEN docs.corrected_at IS NULL THEN excluded.data ELSE docs.data END,
		period = CASE WHEN docs.corrected_at IS NULL THEN excluded.period ELSE docs.period END,
		original = CASE WHEN docs.corrected_at IS NULL THEN NULL ELSE excluded.data END
		WHERE COALESCE(docs.original, docs.data) <> excluded.data RETURNING rev, data, period`
)

// Doc reads one document.
func (db *DB) Doc(ctx context.Context, instance, doctype, id string) (store.Doc, error) {
	d, err := scanDoc(db.readRow(ctx, `SELECT `+docCols+` FROM docs WHERE instance = ? AND doctype = ? AND id = ?`, instance, doctype, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound(fmt.Sprintf("%s %q", doctype, id))
	}
	if err != nil {
		return d, fmt.Errorf("read %s %q: %w", doctype, id, err)
	}
	return d, nil
}

// Doc reads a document inside the write transaction.
func (w *writer) Doc(ctx context.Context, doctype, id string) (store.Doc, error) {
	d, err := scanDoc(w.tx.QueryRowContext(ctx, w.db.q(`SELECT `+docCols+` FROM docs WHERE instance = ? AND doctype = ? AND id = ?`), w.instance, doctype, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound(fmt.Sprintf("%s %q", doctype, id))
	}
	return d, err
}

// CreateDocs inserts documents; an id already used in this doctype fails the whole call.
func (w *writer) CreateDocs(ctx context.Context, doctype string, docs []store.NewDoc) ([]store.Doc, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	seq, err := w.nextSeq(ctx, len(docs))
	if err != nil {
		return nil, err
	}
	now := micros(w.db.now())
	stmt, err := w.stmt(ctx, insertDoc)
	if err != nil {
		return nil, fmt.Errorf("prepare insert: %w", err)
	}
	out := make([]store.Doc, len(docs))
	for i, nd := range docs {
		id := nd.ID
		if id == "" {
			id = uuid.Must(uuid.NewV7()).String()
		} else if !ValidID(id) {
			return nil, fmt.Errorf("%w: document %d: id %q must be 1 to 128 letters, digits, '.', '_' or '-'", store.ErrInvalid, i, id)
		}
		s := nd.Source
		_, err := stmt.ExecContext(ctx, w.instance, doctype, id, seq+int64(i), now, now, s.Kind, s.ID, s.Name, s.Batch, micros(s.At), string(nd.Data), nullable(nd.Period))
		if err != nil {
			if w.db.d.IsUnique(err) {
				return nil, fmt.Errorf("%s %q: %w", doctype, id, store.ErrExists)
			}
			return nil, fmt.Errorf("insert %s %q: %w", doctype, id, err)
		}
		if err := w.index(ctx, doctype, id, nd.Data, s.Name, nd.Period, now); err != nil {
			return nil, err
		}
		out[i] = store.Doc{ID: id, Rev: "1", Doctype: doctype, Created: fromMicros(now), Updated: fromMicros(now),
			Source: store.Source{Kind: s.Kind, ID: s.ID, Name: s.Name, Batch: s.Batch, At: fromMicros(micros(s.At))},
			Data:   nd.Data, Seq: seq + int64(i)}
	}
	w.db.wrote(len(out))
	return out, nil
}

// parseRev turns a revision string into its number.
func parseRev(rev string) (int64, error) {
	n, err := strconv.ParseInt(rev, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%w: revision %q is not a revision of this store", store.ErrInvalid, rev)
	}
	return n, nil
}

// UpdateDoc replaces a document's data if rev is its current revision.
func (w *writer) UpdateDoc(ctx context.Context, doctype, id, rev string, data json.RawMessage, period string) (store.Doc, error) {
	n, err := parseRev(rev)
	if err != nil {
		return store.Doc{}, err
	}
	seq, err := w.nextSeq(ctx, 1)
	if err != nil {
		return store.Doc{}, err
	}
	d, err := scanDoc(w.tx.QueryRowContext(ctx, w.db.q(`UPDATE docs SET rev = rev + 1, seq = ?, updated = ?, data = ?, period = ?
		WHERE instance = ? AND doctype = ? AND id = ? AND rev = ? RETURNING `+docCols),
		seq, micros(w.db.now()), string(data), nullable(period), w.instance, doctype, id, n))
	if errors.Is(err, sql.ErrNoRows) {
		return d, w.missingOrStale(ctx, doctype, id)
	}
	if err != nil {
		return d, fmt.Errorf("update %s %q: %w", doctype, id, err)
	}
	return d, w.index(ctx, doctype, id, d.Data, d.Source.Name, period, micros(d.Updated))
}

// DeleteDoc deletes a document if rev is its current revision, leaving a tombstone in the
// change feed so that followers learn of the deletion.
func (w *writer) DeleteDoc(ctx context.Context, doctype, id, rev string) error {
	n, err := parseRev(rev)
	if err != nil {
		return err
	}
	res, err := w.exec(ctx, `DELETE FROM docs WHERE instance = ? AND doctype = ? AND id = ? AND rev = ?`, w.instance, doctype, id, n)
	if err != nil {
		return fmt.Errorf("delete %s %q: %w", doctype, id, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return w.missingOrStale(ctx, doctype, id)
	}
	seq, err := w.nextSeq(ctx, 1)
	if err != nil {
		return err
	}
	w.unindex(doctype, id)
	_, err = w.exec(ctx, `INSERT INTO tombstones (instance, seq, doctype, id) VALUES (?, ?, ?, ?)`, w.instance, seq, doctype, id)
	return err
}

func (w *writer) missingOrStale(ctx context.Context, doctype, id string) error {
	var rev int64
	err := w.tx.QueryRowContext(ctx, w.db.q(`SELECT rev FROM docs WHERE instance = ? AND doctype = ? AND id = ?`), w.instance, doctype, id).Scan(&rev)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(fmt.Sprintf("%s %q", doctype, id))
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%s %q is at revision %d: %w", doctype, id, rev, store.ErrConflict)
}

// Changes lists what changed after sequence number since, in order, of the doctypes v
// shows. The instance's sequence is read first and the page stops at it: numbers are taken
// under the instance's row lock and committed in order, so every change up to it is there,
// and a page that is not full reaches it — past the changes v does not show.
func (db *DB) Changes(ctx context.Context, instance string, since int64, limit int, v store.Visible) (store.ChangePage, error) {
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	page := store.ChangePage{Items: []store.Change{}, Last: since}
	var head int64
	err := db.readRow(ctx, `SELECT seq FROM instances WHERE id = ?`, instance).Scan(&head)
	if errors.Is(err, sql.ErrNoRows) {
		return page, notFound("instance")
	}
	if err != nil {
		return page, fmt.Errorf("read changes: %w", err)
	}
	shown, vargs, shows := visibleIn("doctype", v)
	if !shows || head <= since {
		page.Last = max(since, head)
		return page, nil
	}
	args := append([]any{instance, since, head}, vargs...)
	args = append(append(args, instance, since, head), vargs...)
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT seq, doctype, id, 0 FROM docs WHERE instance = ? AND seq > ? AND seq <= ?`+shown+`
		UNION ALL SELECT seq, doctype, id, 1 FROM tombstones WHERE instance = ? AND seq > ? AND seq <= ?`+shown+`
		ORDER BY 1 LIMIT ?`), append(args, limit)...)
	if err != nil {
		return page, fmt.Errorf("read changes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c store.Change
		var del int
		if err := rows.Scan(&c.Seq, &c.Doctype, &c.ID, &del); err != nil {
			return page, err
		}
		c.Deleted = del == 1
		page.Items = append(page.Items, c)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	page.Last = head
	if len(page.Items) == limit {
		page.Last = page.Items[limit-1].Seq
	}
	return page, nil
}

// visibleIn is the condition on column col that keeps the doctypes v shows (" AND col IN
// (...)", or "" for all) with its arguments; shows is false when v shows nothing.
func visibleIn(col string, v store.Visible) (cond string, args []any, shows bool) {
	if v.All {
		return "", nil, true
	}
	if len(v.Doctypes) == 0 {
		return "", nil, false
	}
	marks := make([]string, len(v.Doctypes))
	for i, dt := range v.Doctypes {
		marks[i], args = "?", append(args, dt)
	}
	return " AND " + col + " IN (" + strings.Join(marks, ", ") + ")", args, true
}

// Holdings groups an instance's documents and readings of the doctypes v shows by source
// and doctype: who holds what, since when, over which period. Documents are read from one
// covering index.
func (db *DB) Holdings(ctx context.Context, instance string, v store.Visible) ([]store.Holding, error) {
	docsShown, dargs, shows := visibleIn("doctype", v)
	if !shows {
		return nil, nil
	}
	seriesShown, sargs, _ := visibleIn("s.doctype", v)
	args := append(append([]any{instance}, dargs...), instance)
	rows, err := db.r.QueryContext(ctx, db.q(`
		SELECT doctype, src_kind, src_id, MAX(src_name), COUNT(*), MIN(created), MAX(updated), MIN(period), MAX(period)
		FROM docs WHERE instance = ?`+docsShown+` GROUP BY src_kind, src_id, doctype
		UNION ALL
		SELECT s.doctype, s.src_kind, s.src_id, MAX(s.src_name), CAST(SUM(c.n) AS BIGINT), MIN(c.first) * 1000, MAX(c.last) * 1000, NULL, NULL
		FROM series s JOIN chunks c ON c.instance = s.instance AND c.series = s.id
		WHERE s.instance = ?`+seriesShown+` GROUP BY s.src_kind, s.src_id, s.doctype
		ORDER BY 2, 3, 1`), append(args, sargs...)...)
	if err != nil {
		return nil, fmt.Errorf("read holdings: %w", err)
	}
	defer rows.Close()
	var out []store.Holding
	for rows.Next() {
		var h store.Holding
		var first, last int64
		var from, to sql.NullString
		if err := rows.Scan(&h.Doctype, &h.SourceKind, &h.SourceID, &h.SourceName, &h.Count, &first, &last, &from, &to); err != nil {
			return nil, err
		}
		h.First, h.Last = fromMicros(first), fromMicros(last)
		h.From, h.To = from.String, to.String
		out = append(out, h)
	}
	return out, rows.Err()
}

// nullable stores an empty string as NULL, so that MIN and MAX skip it.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// UpsertDocs inserts new documents and rewrites changed ones; the conflict clause compares
// the source's stored value with the new one so that an identical document keeps its
// revision. Of a corrected document, that value is the original, which the new one
// replaces; the corrected data stays.
func (w *writer) UpsertDocs(ctx context.Context, doctype string, docs []store.NewDoc) (store.Upserted, error) {
	var res store.Upserted
	if len(docs) == 0 {
		return res, nil
	}
	seq, err := w.nextSeq(ctx, len(docs))
	if err != nil {
		return res, err
	}
	now := micros(w.db.now())
	stmt, err := w.stmt(ctx, upsertDoc)
	if err != nil {
		return res, fmt.Errorf("prepare upsert: %w", err)
	}
	seen := make(map[string]bool, len(docs))
	for i, nd := range docs {
		if !ValidID(nd.ID) {
			return res, fmt.Errorf("%w: document %d: id %q must be 1 to 128 letters, digits, '.', '_' or '-'", store.ErrInvalid, i, nd.ID)
		}
		if seen[nd.ID] {
			return res, fmt.Errorf("%w: document %d: id %q appears twice in the batch", store.ErrInvalid, i, nd.ID)
		}
		seen[nd.ID] = true
		s := nd.Source
		var rev int64
		var data []byte // what the document holds now: a correction stays
		var period sql.NullString
		err := stmt.QueryRowContext(ctx, w.instance, doctype, nd.ID, seq+int64(i), now, now, s.Kind, s.ID, s.Name, s.Batch, micros(s.At), string(nd.Data), nullable(nd.Period)).Scan(&rev, &data, &period)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res.Unchanged++
			continue
		case err != nil:
			return res, fmt.Errorf("upsert %s %q: %w", doctype, nd.ID, err)
		case rev == 1:
			res.Created++
		default:
			res.Updated++
		}
		if err := w.index(ctx, doctype, nd.ID, data, s.Name, period.String, now); err != nil {
			return res, err
		}
	}
	w.db.wrote(res.Created)
	return res, nil
}
