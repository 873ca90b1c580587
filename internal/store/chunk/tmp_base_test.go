package chunk

import (
	"testing"
	"time"

	"selfdata/internal/store"
)

func BenchmarkTmpCopy(b *testing.B) {
	src := halfHourly(benchN)
	dst := make([]store.Reading, benchN)
	for b.Loop() {
		copy(dst, src)
	}
}

func BenchmarkTmpFillTime(b *testing.B) {
	dst := make([]store.Reading, benchN)
	for b.Loop() {
		for i := range dst {
			dst[i].At = time.UnixMilli(int64(i) * 1800000).UTC()
		}
	}
}

func BenchmarkTmpFillValue(b *testing.B) {
	dst := make([]store.Reading, benchN)
	for b.Loop() {
		for i := range dst {
			dst[i].Value = float64(i)
		}
	}
}

func BenchmarkTmpFillUnix(b *testing.B) {
	dst := make([]store.Reading, benchN)
	for b.Loop() {
		var sec, nsec int64
		for i := range dst {
			nsec += 800_000_000
			sec += 1799
			if nsec >= 1e9 {
				nsec -= 1e9
				sec++
			}
			dst[i].At = time.Unix(sec, nsec).UTC()
		}
	}
}

func BenchmarkTmpFillAdd(b *testing.B) {
	dst := make([]store.Reading, benchN)
	base := time.UnixMilli(0).UTC()
	for b.Loop() {
		for i := range dst {
			dst[i].At = base.Add(time.Duration(i) * 1800 * time.Second)
		}
	}
}

func BenchmarkTmpFillAddPrev(b *testing.B) {
	dst := make([]store.Reading, benchN)
	for b.Loop() {
		t := time.UnixMilli(0).UTC()
		for i := range dst {
			t = t.Add(1800 * time.Second)
			dst[i].At = t
		}
	}
}
