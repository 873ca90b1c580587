package chunk

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
	"time"

	"selfdata/internal/store"
)

func FuzzDecode(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{version, 0})
	f.Add(Encode(halfHourly(5)))
	f.Add(Encode([]store.Reading{{At: ms(-5), Value: math.NaN()}, {At: ms(math.MaxInt64), Value: -0.0}}))
	f.Add(Encode([]store.Reading{{At: ms(1), Value: 0.617}, {At: ms(2), Value: 1e-300}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		rs, err := Decode(b)
		if err != nil {
			return
		}
		if len(rs) > len(b)/2 {
			t.Fatalf("%d readings from %d bytes", len(rs), len(b))
		}
		again, err := Decode(Encode(rs))
		if err != nil {
			t.Fatalf("re-encoded chunk does not decode: %v", err)
		}
		sameReadings(t, again, rs)
	})
}

// readingsFrom turns fuzz bytes into readings: 3 bytes each, a small instant (so that
// duplicates and shared days are frequent) and a value.
func readingsFrom(b []byte) []store.Reading {
	var rs []store.Reading
	for ; len(b) >= 3; b = b[3:] {
		at := int64(int16(binary.LittleEndian.Uint16(b))) * 3_600_000 / 7 // ±195 days, some ms
		rs = append(rs, store.Reading{At: time.UnixMilli(at), Value: float64(b[2])})
	}
	return rs
}

// model is the obvious, slow meaning of a batch of readings: the last value per millisecond.
func model(rs []store.Reading) map[int64]float64 {
	m := make(map[int64]float64)
	for _, r := range rs {
		m[r.At.UnixMilli()] = r.Value
	}
	return m
}

func FuzzSplitByDay(f *testing.F) {
	f.Add([]byte{1, 0, 5, 1, 0, 6, 0, 0, 7, 0xff, 0xff, 8})
	f.Add([]byte{0, 0x80, 1, 0, 0x7f, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		in := readingsFrom(b)
		want := model(in)
		days := SplitByDay(in)
		n := 0
		for i, d := range days {
			if i > 0 && d.Key <= days[i-1].Key {
				t.Fatalf("day keys not increasing: %d after %d", d.Key, days[i-1].Key)
			}
			if len(d.Readings) == 0 {
				t.Fatalf("day %d empty", d.Key)
			}
			for j, r := range d.Readings {
				if DayKey(r.At) != d.Key {
					t.Fatalf("%s in day %d", r.At, d.Key)
				}
				if j > 0 && !r.At.After(d.Readings[j-1].At) {
					t.Fatalf("day %d not sorted and unique at %d", d.Key, j)
				}
				if v, ok := want[r.At.UnixMilli()]; !ok || v != r.Value {
					t.Fatalf("%s = %v, want %v (present %v)", r.At, r.Value, v, ok)
				}
			}
			n += len(d.Readings)
			// What SplitByDay gives, Encode takes.
			got, err := Decode(Encode(d.Readings))
			if err != nil {
				t.Fatal(err)
			}
			sameReadings(t, got, d.Readings)
		}
		if n != len(want) {
			t.Fatalf("%d readings out, %d distinct instants in", n, len(want))
		}
	})
}

func FuzzMerge(f *testing.F) {
	f.Add([]byte{1, 0, 5, 2, 0, 6}, []byte{2, 0, 7, 3, 0, 8})
	f.Add([]byte{}, []byte{1, 0, 1})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		sortedUnique := func(rs []store.Reading) []store.Reading {
			var out []store.Reading
			for _, d := range SplitByDay(rs) {
				out = append(out, d.Readings...)
			}
			return out
		}
		old, add := sortedUnique(readingsFrom(a)), sortedUnique(readingsFrom(b))
		want := model(slices.Concat(old, add))
		merged, added := Merge(old, add)
		if len(merged) != len(want) {
			t.Fatalf("%d merged, want %d", len(merged), len(want))
		}
		if added != len(merged)-len(old) {
			t.Fatalf("added %d, but %d old and %d merged", added, len(old), len(merged))
		}
		for i, r := range merged {
			if i > 0 && !r.At.After(merged[i-1].At) {
				t.Fatalf("not sorted and unique at %d", i)
			}
			if want[r.At.UnixMilli()] != r.Value {
				t.Fatalf("%s = %v, want %v", r.At, r.Value, want[r.At.UnixMilli()])
			}
		}
	})
}
