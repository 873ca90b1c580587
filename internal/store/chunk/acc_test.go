package chunk

import (
	"errors"
	"math"
	"testing"
	"time"

	"selfdata/internal/store"
)

func TestAccValue(t *testing.T) {
	three := func() Acc {
		var a Acc
		for _, v := range []float64{4, -2, 10} {
			a.Add(v)
		}
		return a
	}()
	tests := []struct {
		name string
		acc  Acc
		fn   store.AggFn
		want float64
	}{
		{"sum", three, store.Sum, 12},
		{"avg", three, store.Avg, 4},
		{"min", three, store.Min, -2},
		{"max", three, store.Max, 10},
		{"count", three, store.Count, 3},
		{"empty sum", Acc{}, store.Sum, 0},
		{"empty count", Acc{}, store.Count, 0},
		{"empty avg", Acc{}, store.Avg, math.NaN()},
		{"empty min", Acc{}, store.Min, math.NaN()},
		{"empty max", Acc{}, store.Max, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.acc.Value(tt.fn)
			if got != tt.want && !(math.IsNaN(got) && math.IsNaN(tt.want)) {
				t.Errorf("Value(%s) = %v, want %v", tt.fn, got, tt.want)
			}
		})
	}
}

// TestAccMergeAgreesWithAdd checks the premise of in-store aggregation: folding a chunk's stats
// gives what adding its readings one by one gives.
func TestAccMergeAgreesWithAdd(t *testing.T) {
	chunks := [][]float64{{5, 1, 7}, {-3}, {}, {2, 2, 9, 0.5}}
	var byReading, byStats Acc
	byStats.Add(4) // a straddling reading decoded in Go
	byReading.Add(4)
	for i, vs := range chunks {
		rs := make([]store.Reading, len(vs))
		for j, v := range vs {
			rs[j] = store.Reading{At: time.Unix(int64(i*100+j), 0), Value: v}
			byReading.Add(v)
		}
		if len(rs) > 0 {
			byStats.Merge(StatsOf(rs))
		} else {
			byStats.Merge(Stats{})
		}
	}
	if byStats != byReading {
		t.Errorf("Merge gives %+v, Add gives %+v", byStats, byReading)
	}
	for _, fn := range []store.AggFn{store.Sum, store.Avg, store.Min, store.Max, store.Count} {
		if a, b := byStats.Value(fn), byReading.Value(fn); a != b {
			t.Errorf("%s: %v != %v", fn, a, b)
		}
	}
	want := store.Bucket{Start: time.Unix(0, 0), Value: 27.5, Count: 9}
	if got := byStats.Bucket(time.Unix(0, 0), store.Sum); got != want {
		t.Errorf("Bucket = %+v, want %+v", got, want)
	}
	var first Acc
	first.Merge(Stats{N: 2, Sum: 3, Min: 1, Max: 2})
	if first != (Acc{N: 2, Sum: 3, Min: 1, Max: 2}) {
		t.Errorf("Merge into empty = %+v", first)
	}
}

// TestAccResult: a sum or a mean past the largest float64 is ErrOverflow, whichever way the
// bucket was folded; what stays finite is answered.
func TestAccResult(t *testing.T) {
	var byReading, byStats Acc
	for range 2 {
		byReading.Add(1.7e308)
	}
	byStats.Merge(Stats{N: 1, Sum: 1.7e308, Min: 1.7e308, Max: 1.7e308})
	byStats.Merge(Stats{N: 1, Sum: 1.7e308, Min: 1.7e308, Max: 1.7e308})
	for _, a := range []Acc{byReading, byStats} {
		for _, fn := range []store.AggFn{store.Sum, store.Avg} {
			if _, err := a.Result(fn); !errors.Is(err, ErrOverflow) {
				t.Errorf("%s of %+v: %v, want ErrOverflow", fn, a, err)
			}
		}
		for _, fn := range []store.AggFn{store.Min, store.Max, store.Count} {
			if v, err := a.Result(fn); err != nil || math.IsInf(v, 0) {
				t.Errorf("%s of %+v: %v %v", fn, a, v, err)
			}
		}
	}
	var mixed Acc
	mixed.Add(math.MaxFloat64)
	mixed.Add(-math.MaxFloat64)
	if v, err := mixed.Result(store.Sum); err != nil || v != 0 {
		t.Errorf("sum of opposite extremes: %v %v", v, err)
	}
	if _, err := (Acc{}).Result(store.Avg); err != nil {
		t.Errorf("an empty bucket's mean is no overflow: %v", err)
	}
}
