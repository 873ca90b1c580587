package storetest

import (
	"fmt"
	"math"
	"testing"
	"time"

	"selfdata/internal/store"
)

// halfHours returns n readings every 30 minutes from start, with varied values.
func halfHours(start time.Time, n int) []store.Reading {
	rs := make([]store.Reading, n)
	for i := range rs {
		rs[i] = store.Reading{At: start.Add(time.Duration(i) * 30 * time.Minute), Value: float64(100 + (i*37)%250)}
	}
	return rs
}

func addSeries(t *testing.T, s store.Store, inst, id string, rs []store.Reading) int {
	t.Helper()
	var added int
	_, missing := s.Series(ctx, inst, id)
	err := s.Update(ctx, inst, func(w store.Writer) error {
		if missing != nil {
			if _, err := w.CreateSeries(ctx, store.Series{ID: id, Doctype: "reading.electricity", Name: "load " + id, Quantity: "energy", Unit: "Wh", Meter: "m1", Source: src("organization", "enedis")}); err != nil {
				return err
			}
		}
		var err error
		added, err = w.AddReadings(ctx, id, rs)
		return err
	})
	if err != nil {
		t.Fatalf("AddReadings: %v", err)
	}
	return added
}

func testSeries(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	start := time.Date(2024, 12, 31, 22, 0, 0, 0, time.UTC)
	rs := halfHours(start, 200)
	if n := addSeries(t, s, a.ID, "load", rs); n != 200 {
		t.Fatalf("added %d, want 200", n)
	}
	// Sending the same readings again adds nothing; a changed value replaces the old one.
	again := append([]store.Reading(nil), rs[10:20]...)
	again[0].Value = -1
	if n := addSeries(t, s, a.ID, "load", again); n != 0 {
		t.Fatalf("re-adding added %d", n)
	}
	if n := addSeries(t, s, a.ID, "load", []store.Reading{{At: start.Add(-time.Hour), Value: 5}}); n != 1 {
		t.Fatalf("adding one earlier reading added %d", n)
	}
	ser, err := s.Series(ctx, a.ID, "load")
	if err != nil || ser.Count != 201 || !ser.First.Equal(start.Add(-time.Hour)) || !ser.Last.Equal(rs[199].At) || ser.Unit != "Wh" || ser.Source.ID != "enedis" || ser.Meter != "m1" {
		t.Fatalf("Series = %+v, %v", ser, err)
	}
	got, err := s.Readings(ctx, a.ID, "load", rs[10].At, rs[15].At, 0)
	if err != nil || len(got) != 5 || got[0].Value != -1 || !got[4].At.Equal(rs[14].At) || got[1].Value != rs[11].Value {
		t.Fatalf("Readings = %+v, %v", got, err)
	}
	if got, _ := s.Readings(ctx, a.ID, "load", time.Time{}, time.Time{}, 7); len(got) != 7 || got[0].Value != 5 {
		t.Fatalf("Readings with limit = %+v", got)
	}
	list, err := s.ListSeries(ctx, a.ID, everything)
	if err != nil || len(list) != 1 || list[0].Count != 201 {
		t.Fatalf("ListSeries = %+v, %v", list, err)
	}
	for _, v := range []store.Visible{{}, {Doctypes: []string{"reading.gas", "bill"}}} {
		if list, err := s.ListSeries(ctx, a.ID, v); err != nil || len(list) != 0 {
			t.Fatalf("ListSeries(%+v) = %+v, %v; want none", v, list, err)
		}
	}
	if list, _ := s.ListSeries(ctx, a.ID, store.Visible{Doctypes: []string{"reading.electricity"}}); len(list) != 1 {
		t.Fatalf("ListSeries of its doctype = %+v", list)
	}
	if list, _ := s.ListSeries(ctx, b.ID, everything); len(list) != 0 {
		t.Fatalf("bob lists %+v", list)
	}
	_, err = s.Series(ctx, b.ID, "load")
	mustErr(t, err, store.ErrNotFound, "another instance's series")
	if dt, err := s.SeriesDoctype(ctx, a.ID, "load"); err != nil || dt != "reading.electricity" {
		t.Fatalf("SeriesDoctype = %q, %v", dt, err)
	}
	_, err = s.SeriesDoctype(ctx, b.ID, "load")
	mustErr(t, err, store.ErrNotFound, "another instance's series' doctype")
	_, err = s.Readings(ctx, b.ID, "load", time.Time{}, time.Time{}, 0)
	mustErr(t, err, store.ErrNotFound, "another instance's readings")
	err = s.Update(ctx, b.ID, func(w store.Writer) error {
		_, err := w.AddReadings(ctx, "load", rs[:1])
		return err
	})
	mustErr(t, err, store.ErrNotFound, "adding to another instance's series")
}

// brute aggregates in Go, reading by reading, to check the store's answer.
func brute(rs []store.Reading, from, to time.Time, step store.Step, fn store.AggFn, loc *time.Location) map[int64][2]float64 {
	type acc struct{ n, sum, min, max float64 }
	m := map[int64]*acc{}
	for _, r := range rs {
		if r.At.Before(from) || !r.At.Before(to) {
			continue
		}
		k := floor(r.At, step, loc).UnixMilli()
		a := m[k]
		if a == nil {
			a = &acc{min: math.Inf(1), max: math.Inf(-1)}
			m[k] = a
		}
		a.n++
		a.sum += r.Value
		a.min, a.max = math.Min(a.min, r.Value), math.Max(a.max, r.Value)
	}
	out := map[int64][2]float64{}
	for k, a := range m {
		v := map[store.AggFn]float64{store.Sum: a.sum, store.Avg: a.sum / a.n, store.Min: a.min, store.Max: a.max, store.Count: a.n}[fn]
		out[k] = [2]float64{v, a.n}
	}
	return out
}

// floor is written independently of the store's bucketing, with time.Date in the zone.
func floor(t time.Time, step store.Step, loc *time.Location) time.Time {
	l := t.In(loc)
	switch step {
	case store.Hour:
		return t.Truncate(time.Hour)
	case store.Day:
		return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	case store.Week:
		wd := (int(l.Weekday()) + 6) % 7
		return time.Date(l.Year(), l.Month(), l.Day()-wd, 0, 0, 0, 0, loc)
	case store.Month:
		return time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
	default:
		return time.Date(l.Year(), 1, 1, 0, 0, 0, 0, loc)
	}
}

func testAggregate(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	paris, _ := time.LoadLocation("Europe/Paris")
	ny, _ := time.LoadLocation("America/New_York")
	// Two years of half-hours, spanning both DST changes twice.
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	rs := halfHours(start, 2*365*48)
	addSeries(t, s, a.ID, "load", rs)
	tests := []struct {
		step     store.Step
		from, to time.Time
		loc      *time.Location
	}{
		{store.Month, time.Time{}, time.Time{}, paris},
		{store.Year, time.Time{}, time.Time{}, paris},
		{store.Week, time.Time{}, time.Time{}, paris},
		{store.Day, time.Date(2024, 3, 25, 0, 0, 0, 0, paris), time.Date(2024, 4, 5, 0, 0, 0, 0, paris), paris},
		{store.Day, time.Date(2024, 10, 20, 13, 0, 0, 0, paris), time.Date(2024, 11, 2, 0, 0, 0, 0, paris), paris},
		{store.Day, time.Time{}, time.Time{}, paris}, // many buckets: the scanning path
		{store.Hour, time.Date(2024, 10, 26, 0, 0, 0, 0, paris), time.Date(2024, 10, 28, 0, 0, 0, 0, paris), paris},
		{store.Month, time.Date(2024, 2, 10, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 7, 30, 0, 0, time.UTC), time.UTC},
		{store.Month, time.Time{}, time.Time{}, ny},
	}
	for _, tt := range tests {
		for _, fn := range []store.AggFn{store.Sum, store.Avg, store.Min, store.Max, store.Count} {
			name := fmt.Sprintf("%s %s %s %v", fn, tt.step, tt.loc, tt.from.Format(time.DateOnly))
			t.Run(name, func(t *testing.T) {
				got, err := s.Aggregate(ctx, a.ID, "load", store.Aggregation{From: tt.from, To: tt.to, Step: tt.step, Fn: fn, Location: tt.loc})
				if err != nil {
					t.Fatal(err)
				}
				from, to := tt.from, tt.to
				if from.IsZero() {
					from, to = rs[0].At, rs[len(rs)-1].At.Add(time.Millisecond)
				}
				want := brute(rs, from, to, tt.step, fn, tt.loc)
				if len(got) != len(want) {
					t.Fatalf("%d buckets, want %d", len(got), len(want))
				}
				for i, b := range got {
					w, ok := want[b.Start.UnixMilli()]
					if !ok {
						t.Fatalf("bucket %d starts at %v, not a bucket start", i, b.Start)
					}
					if i > 0 && !got[i-1].Start.Before(b.Start) {
						t.Fatalf("buckets out of order at %d", i)
					}
					if math.Abs(b.Value-w[0]) > 1e-9*math.Max(1, math.Abs(w[0])) || float64(b.Count) != w[1] {
						t.Fatalf("bucket %v = %v (n=%d), want %v (n=%v)", b.Start, b.Value, b.Count, w[0], w[1])
					}
				}
			})
		}
	}
	// Paris days on the spring change hold 46 half-hours, on the autumn change 50.
	days, err := s.Aggregate(ctx, a.ID, "load", store.Aggregation{From: time.Date(2024, 3, 31, 0, 0, 0, 0, paris), To: time.Date(2024, 4, 1, 0, 0, 0, 0, paris), Step: store.Day, Fn: store.Count, Location: paris})
	if err != nil || len(days) != 1 || days[0].Count != 46 {
		t.Fatalf("spring change day = %+v, %v", days, err)
	}
	days, _ = s.Aggregate(ctx, a.ID, "load", store.Aggregation{From: time.Date(2024, 10, 27, 0, 0, 0, 0, paris), To: time.Date(2024, 10, 28, 0, 0, 0, 0, paris), Step: store.Day, Fn: store.Count, Location: paris})
	if len(days) != 1 || days[0].Count != 50 {
		t.Fatalf("autumn change day = %+v", days)
	}
	_, err = s.Aggregate(ctx, a.ID, "load", store.Aggregation{From: start.Add(time.Hour), To: start, Step: store.Day, Fn: store.Sum})
	mustErr(t, err, store.ErrInvalid, "to before from")
	_, err = s.Aggregate(ctx, a.ID, "load", store.Aggregation{Step: "fortnight", Fn: store.Sum})
	mustErr(t, err, store.ErrInvalid, "unknown step")
}
