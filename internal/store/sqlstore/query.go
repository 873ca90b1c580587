package sqlstore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"selfdata/internal/store"
)

// cursor is the position after the last document of a page: the sort value and id of that
// document, and the sort it belongs to so that a cursor cannot be replayed on another query.
type cursor struct {
	Sort  string `json:"s"`
	Desc  bool   `json:"d,omitempty"`
	Value any    `json:"v"`
	ID    string `json:"i"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, q store.Query) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" || c.Sort != q.Sort.Path || c.Desc != q.Desc {
		return c, fmt.Errorf("%w: the cursor is not one this query returned; start again without it", store.ErrInvalid)
	}
	switch v := c.Value.(type) {
	case nil, string:
	case float64:
		if q.Sort.Type != store.Number {
			return c, fmt.Errorf("%w: the cursor does not match the sort field", store.ErrInvalid)
		}
	default:
		return c, fmt.Errorf("%w: the cursor holds an unexpected value %v", store.ErrInvalid, v)
	}
	return c, nil
}

// where builds the filter part of a document query. The doctype is a literal, so that the
// database uses the doctype's own indexes (EnsureIndexes).
func (db *DB) where(instance string, q store.Query) (string, []any, error) {
	if !validDoctype(q.Doctype) {
		return "", nil, fmt.Errorf("%w: doctype %q", store.ErrInvalid, q.Doctype)
	}
	var b strings.Builder
	args := []any{instance}
	b.WriteString(`instance = ? AND doctype = '` + q.Doctype + `'`)
	for _, f := range q.Filters {
		op, ok := map[store.Op]string{store.Eq: "=", store.Gt: ">", store.Gte: ">=", store.Lt: "<", store.Lte: "<="}[f.Op]
		if !ok {
			return "", nil, fmt.Errorf("%w: unknown comparison %q", store.ErrInvalid, f.Op)
		}
		if !validPath(f.Field.Path) {
			return "", nil, fmt.Errorf("%w: field %q", store.ErrInvalid, f.Field.Path)
		}
		v, err := fieldValue(f.Field, f.Value)
		if err != nil {
			return "", nil, err
		}
		fmt.Fprintf(&b, ` AND %s %s ?`, db.d.FieldExpr(f.Field), op)
		args = append(args, v)
	}
	return b.String(), args, nil
}

// fieldValue checks that a filter value has the field's type.
func fieldValue(f store.Field, v any) (any, error) {
	switch f.Type {
	case store.Number:
		switch n := v.(type) {
		case float64:
			return n, nil
		case int:
			return float64(n), nil
		case int64:
			return float64(n), nil
		}
	case store.String:
		if s, ok := v.(string); ok {
			return s, nil
		}
	}
	return nil, fmt.Errorf("%w: %s needs a %s value, not %v", store.ErrInvalid, f.Path, f.Type, v)
}

// Query returns one page of documents, keyset-paginated on (sort field, id).
func (db *DB) Query(ctx context.Context, instance string, q store.Query) (store.Page, error) {
	where, args, err := db.where(instance, q)
	if err != nil {
		return store.Page{}, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	sortExpr := "NULL"
	if q.Sort.Path != "" {
		if !validPath(q.Sort.Path) {
			return store.Page{}, fmt.Errorf("%w: field %q", store.ErrInvalid, q.Sort.Path)
		}
		sortExpr = db.d.FieldExpr(q.Sort)
	}
	if q.Cursor != "" {
		c, err := decodeCursor(q.Cursor, q)
		if err != nil {
			return store.Page{}, err
		}
		cond, cargs := keyset(sortExpr, q.Sort.Path != "", q.Desc, c)
		where += " AND " + cond
		args = append(args, cargs...)
	}
	order := "id"
	if q.Sort.Path != "" {
		order = sortExpr + " NULLS FIRST, id"
		if q.Desc {
			order = sortExpr + " DESC NULLS LAST, id DESC"
		}
	} else if q.Desc {
		order = "id DESC"
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+docCols+`, `+sortExpr+` FROM docs WHERE `+where+` ORDER BY `+order+` LIMIT ?`), append(args, limit+1)...)
	if err != nil {
		return store.Page{}, fmt.Errorf("query %s: %w", q.Doctype, err)
	}
	defer rows.Close()
	var page store.Page
	for rows.Next() {
		var sv any
		d, err := scanDoc(rows, &sv)
		if err != nil {
			return store.Page{}, fmt.Errorf("query %s: %w", q.Doctype, err)
		}
		if len(page.Items) == limit {
			page.Next = encodeCursor(cursor{Sort: q.Sort.Path, Desc: q.Desc, Value: normalize(sv, q.Sort.Type), ID: page.Items[limit-1].ID})
			break
		}
		page.Items = append(page.Items, d)
	}
	return page, rows.Err()
}

// normalize turns a scanned sort value into what a cursor holds: nil, a string or a float64.
func normalize(v any, t store.FieldType) any {
	switch x := v.(type) {
	case nil:
		return nil
	case int64:
		return float64(x)
	case float64:
		return x
	case []byte:
		return string(x)
	case string:
		if t == store.Number {
			var f float64
			if _, err := fmt.Sscan(x, &f); err == nil {
				return f
			}
		}
		return x
	}
	return fmt.Sprint(v)
}

// keyset is the condition selecting what comes after cursor c in the order of Query:
// ascending with NULLs first, or its exact reverse.
func keyset(expr string, sorted, desc bool, c cursor) (string, []any) {
	if !sorted {
		if desc {
			return `id < ?`, []any{c.ID}
		}
		return `id > ?`, []any{c.ID}
	}
	switch {
	case !desc && c.Value == nil:
		return fmt.Sprintf(`((%[1]s IS NULL AND id > ?) OR %[1]s IS NOT NULL)`, expr), []any{c.ID}
	case !desc:
		return fmt.Sprintf(`(%[1]s > ? OR (%[1]s = ? AND id > ?))`, expr), []any{c.Value, c.Value, c.ID}
	case c.Value == nil:
		return fmt.Sprintf(`(%s IS NULL AND id < ?)`, expr), []any{c.ID}
	default:
		return fmt.Sprintf(`(%[1]s < ? OR (%[1]s = ? AND id < ?) OR %[1]s IS NULL)`, expr), []any{c.Value, c.Value, c.ID}
	}
}

// CountDocs counts the documents a query selects.
func (db *DB) CountDocs(ctx context.Context, instance string, q store.Query) (int64, error) {
	where, args, err := db.where(instance, q)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := db.r.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM docs WHERE `+where), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", q.Doctype, err)
	}
	return n, nil
}

// EnsureIndexes creates one expression index per declared index field, keyed by instance and
// doctype first, so that a filter or sort on a field reads an index range instead of every
// document of the doctype.
//
// An index holds one doctype's documents (a partial index, WHERE doctype = '...'): with one
// index per field across every doctype, a document's write updated all of them — 22 on the
// built-in doctypes, a bill as many as a contact — for fields it mostly does not have.
// Queries name their doctype as a literal (where), as a partial index needs to be used. The
// doctype stays the index's second column: without it, PostgreSQL took a doctype's field
// index (instance, field) for a lookup of one document by its id, the primary key matching
// no more columns in its eyes, and read every bill of the person to find one.
func (db *DB) EnsureIndexes(ctx context.Context, indexes []store.Index) error {
	want := map[string]bool{}
	for _, ix := range indexes {
		if !validPath(ix.Field.Path) || !validDoctype(ix.Doctype) {
			return fmt.Errorf("%w: index field %q of %q", store.ErrInvalid, ix.Field.Path, ix.Doctype)
		}
		name := indexName(ix)
		want[name] = true
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON docs (instance, doctype, %s) WHERE doctype = '%s'`, name, db.d.FieldExpr(ix.Field), ix.Doctype)
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("create index on %s of %s: %w", ix.Field.Path, ix.Doctype, err)
		}
	}
	return db.dropIndexesBut(ctx, want)
}

// indexName names the index of a doctype's field, within what both backends accept.
func indexName(ix store.Index) string {
	clean := strings.NewReplacer(".", "_", "-", "_").Replace
	return "docs_ix_" + clean(ix.Doctype) + "__" + clean(ix.Field.Path) + "_" + string(ix.Field.Type)
}

// dropIndexesBut drops the field indexes (docs_ix_...) not in keep: those of fields no
// longer declared, and those of older versions, one index across every doctype.
func (db *DB) dropIndexesBut(ctx context.Context, keep map[string]bool) error {
	rows, err := db.w.QueryContext(ctx, db.d.IndexNames)
	if err != nil {
		return fmt.Errorf("list indexes: %w", err)
	}
	var drop []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		if strings.HasPrefix(name, "docs_ix_") && !keep[name] {
			drop = append(drop, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, name := range drop {
		if _, err := db.w.ExecContext(ctx, `DROP INDEX IF EXISTS `+name); err != nil {
			return fmt.Errorf("drop index %s: %w", name, err)
		}
	}
	return nil
}

// validDoctype accepts the names doctypes have: lower-case letters, digits, dots, dashes and
// underscores. Doctypes are written into SQL as literals (EnsureIndexes, where), so the
// store checks them itself.
func validDoctype(dt string) bool {
	if dt == "" || len(dt) > 64 {
		return false
	}
	for _, c := range dt {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// validPath accepts dotted identifiers, the only paths that may reach SQL text.
func validPath(p string) bool {
	for _, part := range strings.Split(p, ".") {
		if part == "" {
			return false
		}
		for i, c := range part {
			if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}
