package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"selfdata/internal/store"
)

// correctionCols are a document's correction columns as read; all NULL when it was never
// corrected.
type correctionCols struct {
	at             sql.NullInt64
	kind, id, name sql.NullString
	original       sql.NullString
}

func (c correctionCols) correction() *store.Correction {
	if !c.at.Valid {
		return nil
	}
	return &store.Correction{At: fromMicros(c.at.Int64), By: store.Corrector{Kind: c.kind.String, ID: c.id.String, Name: c.name.String},
		Original: json.RawMessage(c.original.String)}
}

// sameParty tells whether by is the document's source src. The person is one party
// whichever way they write (their session or one of their tokens); any other source is
// itself: an organization, a service, an import of a file, the demo.
func sameParty(src, by store.Source) bool {
	personal := func(kind string) bool { return kind == "owner" || kind == "token" }
	if personal(src.Kind) && personal(by.Kind) {
		return true
	}
	return src.Kind == by.Kind && src.ID == by.ID
}

// sameJSON tells whether two JSON texts hold the same value, whatever their spacing and
// order of keys: the person typing the original value back does so in their own way.
func sameJSON(a, b []byte) bool {
	decode := func(b []byte) (any, bool) {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var v any
		return v, dec.Decode(&v) == nil
	}
	x, okA := decode(a)
	y, okB := decode(b)
	return okA && okB && reflect.DeepEqual(x, y)
}

// UpdateDocAs replaces a document's data at revision rev on behalf of by, keeping the
// source's value when by is someone else (see store.Writer). The document is read first
// to tell the cases apart; the update then requires the revision read, so that a change
// made meanwhile (a deposit, another correction) makes it fail with ErrConflict.
func (w *writer) UpdateDocAs(ctx context.Context, doctype, id, rev string, data json.RawMessage, period string, by store.Source) (store.Doc, error) {
	n, err := parseRev(rev)
	if err != nil {
		return store.Doc{}, err
	}
	cur, err := w.Doc(ctx, doctype, id)
	if err != nil {
		return store.Doc{}, err
	}
	if cur.Rev != rev {
		return store.Doc{}, fmt.Errorf("%s %q is at revision %s: %w", doctype, id, cur.Rev, store.ErrConflict)
	}
	seq, err := w.nextSeq(ctx, 1)
	if err != nil {
		return store.Doc{}, err
	}
	set, args := w.correctionSet(cur, data, period, by)
	args = append([]any{seq, micros(w.db.now())}, args...)
	d, err := scanDoc(w.tx.QueryRowContext(ctx, w.db.q(`UPDATE docs SET rev = rev + 1, seq = ?, updated = ?, `+set+`
		WHERE instance = ? AND doctype = ? AND id = ? AND rev = ? RETURNING `+docCols), append(args, w.instance, doctype, id, n)...))
	if errors.Is(err, sql.ErrNoRows) {
		return d, w.missingOrStale(ctx, doctype, id)
	}
	if err != nil {
		return d, fmt.Errorf("update %s %q: %w", doctype, id, err)
	}
	return d, w.reindex(ctx, doctype, id)
}

// correctionSet is what an update by `by` sets of the document cur, with its arguments.
func (w *writer) correctionSet(cur store.Doc, data json.RawMessage, period string, by store.Source) (string, []any) {
	const lift = `, original = NULL, corrected_at = NULL, corrected_kind = NULL, corrected_id = NULL, corrected_name = NULL`
	switch {
	case sameParty(cur.Source, by) && cur.Corrected != nil:
		// The source's own change of a corrected document is its new value: the original.
		return `original = ?`, []any{string(data)}
	case sameParty(cur.Source, by), cur.Corrected == nil && sameJSON(data, cur.Data):
		return `data = ?, period = ?`, []any{string(data), nullable(period)}
	case cur.Corrected != nil && sameJSON(data, cur.Corrected.Original):
		return `data = ?, period = ?` + lift, []any{string(data), nullable(period)}
	}
	return `data = ?, period = ?, original = COALESCE(original, data), corrected_at = ?, corrected_kind = ?, corrected_id = ?, corrected_name = ?`,
		[]any{string(data), nullable(period), micros(w.db.now()), by.Kind, by.ID, by.Name}
}
