package sqlstore

import (
	"errors"
	"testing"

	"selfdata/internal/store"
)

// FuzzCursor: a cursor comes from the client, so any string must be either refused with
// ErrInvalid or decoded into a cursor of the same query; and a cursor we made decodes back.
func FuzzCursor(f *testing.F) {
	q := store.Query{Sort: store.Field{Path: "date", Type: store.String}}
	f.Add(encodeCursor(cursor{Sort: "date", Value: "2025-01-01", ID: "a"}), 1.5, "x")
	f.Add("e30", 0.0, "")
	f.Add("garbage!", -3.0, "id")
	f.Fuzz(func(t *testing.T, s string, n float64, id string) {
		c, err := decodeCursor(s, q)
		if err != nil && !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		if err == nil && (c.ID == "" || c.Sort != "date") {
			t.Fatalf("accepted a cursor of another query: %+v", c)
		}
		if !ValidID(id) { // ids are checked on creation; only those reach a cursor
			return
		}
		nq := store.Query{Sort: store.Field{Path: "v", Type: store.Number}, Desc: true}
		back, err := decodeCursor(encodeCursor(cursor{Sort: "v", Desc: true, Value: n, ID: id}), nq)
		if err != nil || back.ID != id || back.Value != n && n == n {
			t.Fatalf("round trip of (%v, %q): %+v, %v", n, id, back, err)
		}
	})
}
