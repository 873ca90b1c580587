package chunk

import (
	"fmt"
	"math"
	"testing"
	"time"

	"selfdata/internal/store"
)

// sameReadings compares instants to the millisecond and values bit for bit, so that NaN and -0
// count as equal only to themselves.
func sameReadings(t testing.TB, got, want []store.Reading) {
	t.Helper()
	if err := diffReadings(got, want); err != nil {
		t.Fatal(err)
	}
}

func diffReadings(got, want []store.Reading) error {
	if len(got) != len(want) {
		return fmt.Errorf("got %d readings, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if !g.At.Equal(w.At) || math.Float64bits(g.Value) != math.Float64bits(w.Value) {
			return fmt.Errorf("reading %d: got %s %v, want %s %v", i, g.At.Format(time.RFC3339Nano), g.Value, w.At.Format(time.RFC3339Nano), w.Value)
		}
		if g.At.Location() != time.UTC {
			return fmt.Errorf("reading %d: location %v, want UTC", i, g.At.Location())
		}
	}
	return nil
}

func ms(v int64) time.Time { return time.UnixMilli(v).UTC() }

func rd(at string, v float64) store.Reading {
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		panic(err)
	}
	return store.Reading{At: t.UTC(), Value: v}
}

// halfHourly returns n readings every 30 minutes from 2020-01-01, with values like a household's
// power in watts.
func halfHourly(n int) []store.Reading {
	rs := make([]store.Reading, n)
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rs {
		w := 300 + 200*math.Sin(float64(i)*2*math.Pi/48) + float64((i*7919)%97)
		rs[i] = store.Reading{At: start.Add(time.Duration(i) * 30 * time.Minute), Value: math.Round(w)}
	}
	return rs
}
