package export

import (
	"math"
	"path"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzSafeName: whatever a source named a file or a series, its name in the archive stays
// one element inside its folder.
func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"scan.pdf", "../../etc/passwd", "..", ".", "", "a/b\\c", "relevé\x00.txt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := safeName(s)
		if got == "" || got == "." || got == ".." || strings.ContainsAny(got, "/\\") || path.Clean("files/x/"+got) != "files/x/"+got {
			t.Errorf("safeName(%q) = %q", s, got)
		}
	})
}

// FuzzAppendValue: the fast writing of a reading is strconv's, for any value and precision.
func FuzzAppendValue(f *testing.F) {
	for _, v := range []float64{0, 138.803, -0.005, 0.145, 1e21, 1 << 53, -(1 << 52) + 0.5} {
		f.Add(v, uint8(3))
	}
	f.Fuzz(func(t *testing.T, v float64, d uint8) {
		dec := int(d % 8) // 7 is "finer than six": the shortest writing
		want := strconv.AppendFloat(nil, v, 'f', dec, 64)
		if dec == 7 || math.IsInf(v, 0) || math.IsNaN(v) {
			want = strconv.AppendFloat(nil, v, 'f', -1, 64)
		}
		if got := AppendValue(nil, v, dec); string(got) != string(want) {
			t.Errorf("AppendValue(%v, %d) = %s, want %s", v, dec, got, want)
		}
	})
}

// FuzzInstants: the day-caching writer of instants writes what time.RFC3339Nano does, for
// instants in any order (the cache must notice a change of day either way).
func FuzzInstants(f *testing.F) {
	f.Add(int64(0), int64(0), int64(60e9))
	f.Add(int64(-1), int64(1), int64(-86400e9))
	f.Add(int64(1700000000), int64(123456789), int64(1))
	f.Fuzz(func(t *testing.T, secs, nanos, step int64) {
		secs %= 400 * 365 * 86400 // within ±400 years of 1970
		var c instants
		at := time.Unix(secs, nanos%1e9)
		for range 3 {
			want := at.UTC().AppendFormat(nil, time.RFC3339Nano)
			if got := c.append(nil, at.In(time.FixedZone("x", 3600))); string(got) != string(want) {
				t.Fatalf("instants(%v) = %s, want %s", at, got, want)
			}
			at = at.Add(time.Duration(step))
		}
	})
}
