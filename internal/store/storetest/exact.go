package storetest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
)

// testExactSums checks that an aggregate is as exact as the readings: 365 readings of
// 138.803 m³ add up, in float64, to 50663.094999999965; the store must answer 50663.095,
// having learned that the series has three decimals. The daily readings are summed from the
// chunks' stats by the database (SQLite's SUM compensates, PostgreSQL's does not), the readings
// five seconds apart by decoding them in Go (one hour bucket: the scanning path).
func testExactSums(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	start := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	rs := make([]store.Reading, 365)
	for i := range rs {
		rs[i] = store.Reading{At: start.AddDate(0, 0, i), Value: 138.803}
	}
	// Two writes, so that the precision is raised once and then kept.
	addSeries(t, s, a.ID, "water", rs[:100])
	addSeries(t, s, a.ID, "water", rs[100:])
	near := make([]store.Reading, 365)
	for i := range near {
		near[i] = store.Reading{At: start.Add(time.Duration(i) * 5 * time.Second), Value: 138.803}
	}
	addSeries(t, s, a.ID, "near", near)
	addSeries(t, s, a.ID, "whole", []store.Reading{{At: start, Value: 12}, {At: start.Add(time.Hour), Value: 13}})
	for _, tt := range []struct{ id string }{{"water"}, {"whole"}} {
		se, err := s.Series(ctx, a.ID, tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{"water": 3, "whole": 0}[tt.id]; se.Decimals != want {
			t.Errorf("series %s has %d decimals, want %d", tt.id, se.Decimals, want)
		}
	}
	year := store.Aggregation{From: start.AddDate(0, 0, -1), To: start.AddDate(1, 0, 0), Step: store.Year, Location: time.UTC}
	hour := store.Aggregation{From: start, To: start.Add(time.Hour), Step: store.Hour, Location: time.UTC}
	tests := []struct {
		name, id string
		agg      store.Aggregation
		fn       store.AggFn
		want     string
	}{
		{"sum of a year", "water", year, store.Sum, `"value":50663.095,`},
		{"mean of a year", "water", year, store.Avg, `"value":138.803,`},
		{"max of a year", "water", year, store.Max, `"value":138.803,`},
		{"sum of an hour, decoded", "near", hour, store.Sum, `"value":50663.095,`},
		{"mean of an hour, decoded", "near", hour, store.Avg, `"value":138.803,`},
		{"mean of whole numbers keeps its half", "whole", year, store.Avg, `"value":12.5,`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			agg := tt.agg
			agg.Fn = tt.fn
			bs, err := s.Aggregate(ctx, a.ID, tt.id, agg)
			if err != nil {
				t.Fatal(err)
			}
			if len(bs) != 1 {
				t.Fatalf("%d buckets, want 1", len(bs))
			}
			js, err := json.Marshal(bs[0])
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(js), tt.want) {
				t.Fatalf("bucket %s, want %s", js, tt.want)
			}
		})
	}
}
