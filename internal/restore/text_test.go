package restore

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/importer"
	"selfdata/internal/store"
	"selfdata/internal/store/postgres"
	"selfdata/internal/store/postgres/pgtest"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// TestUnstorableResults: what an importer read that a store cannot hold — in a record, in a
// series' texts, in the source's name — refuses the whole result, naming the record or
// series and the field, and nothing is written, on both backends.
func TestUnstorableResults(t *testing.T) {
	meter := importer.Record{Doctype: "meter", Key: "m1", Data: map[string]any{"kind": "water", "identifier": "C1", "provider": "Eau"}}
	series := func(name, unit string) importer.Series {
		return importer.Series{Key: "s1", Doctype: "reading.water", Name: name, Quantity: "volume", Unit: unit, MeterKey: "m1",
			Readings: []store.Reading{{At: upload("").At, Value: 1}}}
	}
	// Store consumes the records of a result (it drops each map once it is JSON), so every
	// backend gets results of its own.
	cases := func() []struct {
		name string
		src  store.Source
		res  importer.Result
		want string // the refusal, as RecordError fields or the error's text
	} {
		return []struct {
			name string
			src  store.Source
			res  importer.Result
			want string
		}{
			{"record NUL", upload("a.csv"), importer.Result{Records: []importer.Record{meter, {Doctype: "meter", Key: "m2", Data: map[string]any{"kind": "water", "identifier": "C\x002"}}}},
				"1 m2 meter /identifier NUL"},
			{"record not UTF-8", upload("a.csv"), importer.Result{Records: []importer.Record{{Doctype: "meter", Key: "m2", Data: map[string]any{"kind": "water", "identifier": "C2", "label": "Compteur n\xb0 2"}}}},
				"0 m2 meter /label UTF-8"},
			{"series name NUL", upload("a.csv"), importer.Result{Records: []importer.Record{meter}, Series: []importer.Series{series("Eau\x00", "L")}},
				"0 s1 reading.water /name NUL"},
			{"series unit not UTF-8", upload("a.csv"), importer.Result{Records: []importer.Record{meter}, Series: []importer.Series{series("Eau", "\xb5L")}},
				"0 s1 reading.water /unit UTF-8"},
			{"source name", upload("eau\xff.csv"), importer.Result{Records: []importer.Record{meter}}, "the source's name"},
		}
	}
	for _, b := range []struct {
		name string
		open func(t *testing.T) store.Store
	}{{"sqlite", func(t *testing.T) store.Store { db, _ := sqlitetest.Open(t); return db }}, {"postgres", openPG}} {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t)
			reg, err := doctype.Builtin()
			if err != nil {
				t.Fatal(err)
			}
			in, err := db.CreateInstance(ctx, "alice", "h")
			if err != nil {
				t.Fatal(err)
			}
			g, p := gate.New(db, reg), gate.Owner(in.ID)
			for _, tt := range cases() {
				_, err := Store(ctx, g, p, tt.src, "batch", &tt.res, nil)
				var be *gate.BatchError
				got := fmt.Sprint(err)
				if errors.As(err, &be) && len(be.Records) == 1 && len(be.Records[0].Problems) == 1 {
					re := be.Records[0]
					got = fmt.Sprint(re.Index, " ", re.ID, " ", re.Doctype, " ", re.Problems[0].Path, " ", re.Problems[0].Message)
				}
				if !contains(got, tt.want) {
					t.Errorf("%s: %s, want %q", tt.name, got, tt.want)
				}
			}
			meters, err := db.Query(ctx, in.ID, store.Query{Doctype: "meter"})
			list, err2 := db.ListSeries(ctx, in.ID, store.Visible{All: true})
			if err != nil || err2 != nil || len(meters.Items) != 0 || len(list) != 0 {
				t.Fatalf("stored: %d meters, %d series (%v %v)", len(meters.Items), len(list), err, err2)
			}
		})
	}
}

// contains tells whether got holds every word of want, in order.
func contains(got, want string) bool {
	for _, w := range strings.Fields(want) {
		i := strings.Index(got, w)
		if i < 0 {
			return false
		}
		got = got[i+len(w):]
	}
	return true
}

func openPG(t *testing.T) store.Store {
	db, err := postgres.Open(ctx, pgtest.URL(t), pgtest.Key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
