package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"selfdata/internal/store"
	"selfdata/internal/store/fulltext"
)

// Full-text search. Each document has a row in docs_search holding its words
// (fulltext.Body), written in the same transaction as the document and deleted with it (a
// foreign key cascades); SQLite indexes the words with FTS5, PostgreSQL with a GIN index on
// their tsvector. The words are made in Go, so that both backends answer alike; the
// dialect only says how to ask its index for words (SearchMatch, MatchQuery).

// indexRow is a document's row of docs_search: its words and its time of update (kept
// beside them so that a search sorts and cuts its page without reading the documents).
type indexRow struct {
	instance, doctype, id, body string
	updated                     int64
}

// docKey names a document of the writer's instance.
type docKey struct{ doctype, id string }

// index notes the words of a document, updated at the given time (micros); they are
// written with the others before the commit (flushIndex).
func (w *writer) index(_ context.Context, doctype, id string, data json.RawMessage, source, period string, updated int64) error {
	if w.indexing == nil {
		w.indexing = map[docKey]indexRow{}
	}
	w.indexing[docKey{doctype, id}] = indexRow{w.instance, doctype, id, fulltext.Body(data, source, period), updated}
	return nil
}

// unindex forgets the words noted of a document deleted in the transaction; its row of
// docs_search, if any, goes with it (the foreign key cascades).
func (w *writer) unindex(doctype, id string) { delete(w.indexing, docKey{doctype, id}) }

// flushIndex writes the words noted in the transaction. They go many rows to a statement:
// fewer round trips, and SQLite's FTS5 writes its pending words to disk at each
// statement of the transaction, so that one statement per document would make an index
// segment per document.
func (w *writer) flushIndex(ctx context.Context) error {
	if len(w.indexing) == 0 {
		return nil
	}
	rows := make([]indexRow, 0, len(w.indexing))
	for _, r := range w.indexing {
		rows = append(rows, r)
	}
	w.indexing = nil
	return writeIndex(ctx, w.tx, w.db.q, rows)
}

// indexRowsPerStatement bounds a statement of writeIndex (5 arguments a row, well under
// the backends' limits on arguments).
const indexRowsPerStatement = 500

// writeIndex upserts rows into docs_search in tx, leaving unchanged rows alone.
func writeIndex(ctx context.Context, tx *sql.Tx, q func(string) string, rows []indexRow) error {
	for len(rows) > 0 {
		n := min(len(rows), indexRowsPerStatement)
		values := strings.Repeat(", (?, ?, ?, ?, ?)", n)[2:]
		args := make([]any, 0, 5*n)
		for _, r := range rows[:n] {
			args = append(args, r.instance, r.doctype, r.id, r.body, r.updated)
		}
		_, err := tx.ExecContext(ctx, q(`INSERT INTO docs_search (instance, doctype, id, body, updated) VALUES `+values+`
			ON CONFLICT (instance, doctype, id) DO UPDATE SET body = excluded.body, updated = excluded.updated
			WHERE docs_search.body <> excluded.body OR docs_search.updated <> excluded.updated`), args...)
		if err != nil {
			return fmt.Errorf("index documents for search: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// reindex writes the words of a document as it now stands in the transaction: after a
// write whose result the caller does not hold whole (a correction keeps the period).
func (w *writer) reindex(ctx context.Context, doctype, id string) error {
	var data []byte
	var source string
	var period sql.NullString
	var updated int64
	err := w.tx.QueryRowContext(ctx, w.db.q(`SELECT data, src_name, period, updated FROM docs WHERE instance = ? AND doctype = ? AND id = ?`),
		w.instance, doctype, id).Scan(&data, &source, &period, &updated)
	if err != nil {
		return fmt.Errorf("index %s %q for search: %w", doctype, id, err)
	}
	return w.index(ctx, doctype, id, data, source, period.String, updated)
}

// searchCursor is the position after the last document of a search page, in its order
// (newest first, then doctype and id).
type searchCursor struct {
	Updated int64  `json:"u"`
	Doctype string `json:"t"`
	ID      string `json:"i"`
}

func (c searchCursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeSearchCursor(s string) (searchCursor, error) {
	var c searchCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" || c.Doctype == "" {
		return c, fmt.Errorf("%w: the cursor is not one this search returned; start again without it", store.ErrInvalid)
	}
	return c, nil
}

// searchDocCols are docCols read from the docs table aliased d.
var searchDocCols = "d." + strings.ReplaceAll(docCols, ", ", ", d.")

// Search finds the documents holding every word of q.Text among those q.Visible shows.
func (db *DB) Search(ctx context.Context, instance string, q store.SearchQuery) (store.SearchPage, error) {
	page := store.SearchPage{Items: []store.Doc{}}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	words := fulltext.ParseQuery(q.Text)
	shown, vargs, shows := visibleIn("s.doctype", q.Visible)
	if len(words.Terms) == 0 || !shows {
		return page, nil
	}
	match, margs := db.searchMatch(words, q.Names)
	where := db.d.SearchInstance + shown + match
	args := append(append([]any{instance}, vargs...), margs...)
	if err := db.r.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM docs_search s WHERE `+where), args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("search: %w", err)
	}
	if q.Cursor != "" {
		c, err := decodeSearchCursor(q.Cursor)
		if err != nil {
			return page, err
		}
		where += ` AND (s.updated < ? OR s.updated = ? AND (s.doctype > ? OR s.doctype = ? AND s.id > ?))`
		args = append(args, c.Updated, c.Updated, c.Doctype, c.Doctype, c.ID)
	}
	// The page is cut from docs_search alone; only its documents are read.
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+searchDocCols+` FROM (
		SELECT s.instance, s.doctype, s.id, s.updated FROM docs_search s WHERE `+where+` ORDER BY s.updated DESC, s.doctype, s.id LIMIT ?
		) p JOIN docs d ON d.instance = p.instance AND d.doctype = p.doctype AND d.id = p.id
		ORDER BY p.updated DESC, p.doctype, p.id`), append(args, limit+1)...)
	if err != nil {
		return page, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDoc(rows)
		if err != nil {
			return page, fmt.Errorf("search: %w", err)
		}
		page.Items = append(page.Items, d)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("search: %w", err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.Next = searchCursor{Updated: micros(last.Updated), Doctype: last.Doctype, ID: last.ID}.encode()
	}
	return page, nil
}

// searchMatch is the condition (" AND ...") that the words of docs_search s answer every
// term of q, with its arguments. A term naming doctypes (in names) is also answered by
// being of one of them; the other terms go to the index together, in one match.
func (db *DB) searchMatch(q fulltext.Query, names map[string][]string) (string, []any) {
	var plain []string
	plainPrefix := false
	var cond strings.Builder
	var args []any
	for i, term := range q.Terms {
		last := q.Prefix && i == len(q.Terms)-1
		named := namedBy(q, i, names)
		if len(named) == 0 {
			plain, plainPrefix = append(plain, term), last
			continue
		}
		marks := strings.Repeat(", ?", len(named))[2:]
		fmt.Fprintf(&cond, ` AND (%s OR s.doctype IN (%s))`, db.d.SearchMatch, marks)
		args = append(args, db.d.MatchQuery([]string{term}, last))
		for _, dt := range named {
			args = append(args, dt)
		}
	}
	if len(plain) > 0 {
		cond.WriteString(` AND ` + db.d.SearchMatch)
		args = append(args, db.d.MatchQuery(plain, plainPrefix))
	}
	return cond.String(), args
}

// namedBy lists the doctypes one of whose names holds a word answering term i of q.
func namedBy(q fulltext.Query, i int, names map[string][]string) []string {
	var out []string
	for dt, labels := range names {
	labels:
		for _, label := range labels {
			for _, w := range fulltext.Words(label) {
				if q.Matches(i, w) {
					out = append(out, dt)
					break labels
				}
			}
		}
	}
	return out
}

// FTS5Match is the SQLite FTS5 query of terms, all required, the last one as a prefix when
// prefix is set. Every term is quoted (a quote in it doubled), so that nothing a person
// types is read as FTS5 syntax.
func FTS5Match(terms []string, prefix bool) string {
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	if prefix && len(quoted) > 0 {
		quoted[len(quoted)-1] += "*"
	}
	return strings.Join(quoted, " AND ")
}

// TSQuery is the PostgreSQL tsquery of terms, all required, the last one as a prefix when
// prefix is set. It is cast, not parsed by to_tsquery: each quoted term is a lexeme as
// it is, as the index holds the words as they are (array_to_tsvector).
func TSQuery(terms []string, prefix bool) string {
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i] = `'` + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(t) + `'`
	}
	if prefix && len(quoted) > 0 {
		quoted[len(quoted)-1] += ":*"
	}
	return strings.Join(quoted, " & ")
}

// indexAll writes the words of every document: the Go step of the migration creating the
// index (0017), for the documents written before it.
func (db *DB) indexAll(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT instance, doctype, id, data, src_name, period, updated FROM docs`)
	if err != nil {
		return fmt.Errorf("read documents to index: %w", err)
	}
	var all []indexRow
	for rows.Next() {
		var r indexRow
		var data []byte
		var source string
		var period sql.NullString
		if err := rows.Scan(&r.instance, &r.doctype, &r.id, &data, &source, &period, &r.updated); err != nil {
			rows.Close()
			return err
		}
		r.body = fulltext.Body(data, source, period.String)
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return writeIndex(ctx, tx, db.q, all)
}
