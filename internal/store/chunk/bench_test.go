package chunk

import (
	"testing"

	"selfdata/internal/store"
)

// Ten years of half-hourly readings: the largest series a household meter produces, and far
// more than one chunk, so the figures are per reading rather than per chunk.
const benchN = 175_200

func BenchmarkEncode(b *testing.B) {
	rs := halfHourly(benchN)
	var size int
	for b.Loop() {
		size = len(Encode(rs))
	}
	b.ReportMetric(float64(benchN*b.N)/b.Elapsed().Seconds(), "readings/s")
	b.ReportMetric(float64(size)/benchN, "B/reading")
}

func BenchmarkDecode(b *testing.B) {
	blob := Encode(halfHourly(benchN))
	b.SetBytes(int64(len(blob)))
	for b.Loop() {
		if _, err := Decode(blob); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchN*b.N)/b.Elapsed().Seconds(), "readings/s")
}

// BenchmarkAppendDecode is how a reader walking many chunks decodes: into a reused buffer.
func BenchmarkAppendDecode(b *testing.B) {
	blob := Encode(halfHourly(benchN))
	buf := make([]store.Reading, 0, benchN)
	b.SetBytes(int64(len(blob)))
	for b.Loop() {
		var err error
		if buf, err = AppendDecode(buf[:0], blob); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchN*b.N)/b.Elapsed().Seconds(), "readings/s")
}

func BenchmarkDecodeDay(b *testing.B) {
	blob := Encode(halfHourly(48))
	buf := make([]store.Reading, 0, 48)
	for b.Loop() {
		var err error
		if buf, err = AppendDecode(buf[:0], blob); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(48*b.N)/b.Elapsed().Seconds(), "readings/s")
}

func BenchmarkSplitByDay(b *testing.B) {
	rs := halfHourly(benchN)
	for b.Loop() {
		SplitByDay(rs)
	}
	b.ReportMetric(float64(benchN*b.N)/b.Elapsed().Seconds(), "readings/s")
}

func BenchmarkMerge(b *testing.B) {
	rs := halfHourly(benchN)
	var old, add []store.Reading
	for i, r := range rs {
		if i%3 == 0 {
			add = append(add, r)
		} else {
			old = append(old, r)
		}
	}
	for b.Loop() {
		Merge(old, add)
	}
	b.ReportMetric(float64(benchN*b.N)/b.Elapsed().Seconds(), "readings/s")
}
