package chunk

import (
	"math"
	"strconv"
	"testing"
	"time"

	"selfdata/internal/store"
)

func TestDecimals(t *testing.T) {
	tests := []struct {
		v    float64
		want int
	}{
		{0, 0}, {12, 0}, {1e6, 0}, {-250, 0},
		{138.803, 3}, {-0.5, 1}, {0.001, 3}, {12.345678, 6},
		{12.3456789, FinerDecimals}, {0.30000000000000004, FinerDecimals}, {1e-9, FinerDecimals}, {math.Pi, FinerDecimals},
		{math.Inf(1), 0}, {math.NaN(), 0},
	}
	for _, tt := range tests {
		if got := Decimals(tt.v); got != tt.want {
			t.Errorf("Decimals(%v) = %d, want %d", tt.v, got, tt.want)
		}
	}
	rs := []store.Reading{{Value: 1}, {Value: 2.5}, {Value: 138.803}, {Value: 4.25}}
	if got := DecimalsOf(rs); got != 3 {
		t.Errorf("DecimalsOf = %d, want 3", got)
	}
}

func TestRound(t *testing.T) {
	tests := []struct {
		v    float64
		d    int
		want string
	}{
		{50663.094999999965, 3, "50663.095"},
		{50663.297999999995, 3, "50663.298"},
		{0.30000000000000004, 1, "0.3"},
		{-2.675000000001, 2, "-2.68"},
		{12.4, 0, "12"},
		{0.30000000000000004, FinerDecimals, "0.30000000000000004"}, // finer: left alone
		{1e20 + 0.5, 6, "100000000000000000000"},                    // no decimals left
	}
	for _, tt := range tests {
		if got := strconv.FormatFloat(Round(tt.v, tt.d), 'f', -1, 64); got != tt.want {
			t.Errorf("Round(%v, %d) = %s, want %s", tt.v, tt.d, got, tt.want)
		}
	}
	if v := Round(math.Inf(-1), 3); !math.IsInf(v, -1) {
		t.Errorf("Round(-Inf) = %v", v)
	}
}

// TestAccExact checks both ways of filling a bucket, readings one by one and chunks' stats,
// against the sum a naive float64 loop gets wrong.
func TestAccExact(t *testing.T) {
	var naive float64
	var byReading, byStats Acc
	for i := range 365 {
		naive += 138.803
		byReading.Add(138.803)
		byStats.Merge(StatsOf([]store.Reading{{At: time.Unix(int64(i), 0), Value: 138.803}}))
	}
	if naive == 50663.095 {
		t.Fatal("the naive sum no longer drifts: the test proves nothing")
	}
	for name, a := range map[string]Acc{"readings": byReading, "stats": byStats} {
		for _, tt := range []struct {
			fn   store.AggFn
			want float64
		}{{store.Sum, 50663.095}, {store.Avg, 138.803}, {store.Max, 138.803}, {store.Count, 365}} {
			if got, err := a.Exact(tt.fn, 3); err != nil || got != tt.want {
				t.Errorf("%s: %s = %v (%v), want %v", name, tt.fn, got, err, tt.want)
			}
		}
		if got := a.Value(store.Sum); math.Abs(got-50663.095) > 1e-11 {
			t.Errorf("%s: compensated sum %v is more than one rounding from 50663.095", name, got)
		}
	}
	huge := Acc{}
	huge.Add(math.MaxFloat64)
	huge.Add(math.MaxFloat64)
	if _, err := huge.Exact(store.Sum, 3); err == nil {
		t.Error("an overflowing sum gave no error")
	}
}
