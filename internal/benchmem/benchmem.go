// Package benchmem measures a benchmark's peak heap, for the memory targets recorded in
// docs/benchmarks.md (imports, exports): a peak, not the total allocated that -benchmem
// gives, is what a server's memory budget is about.
package benchmem

import (
	"runtime/metrics"
	"time"
)

const heapObjects = "/memory/classes/heap/objects:bytes"

// HeapPeak samples the heap every millisecond until the returned function is called, and
// gives its peak in MB above what it was at the start: the objects, live and garbage not yet
// collected, that the work made — what the process's memory follows.
func HeapPeak() func() float64 {
	done, peak := make(chan struct{}), make(chan uint64)
	sample := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	go func() {
		s := []metrics.Sample{{Name: heapObjects}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		top := base
		for {
			metrics.Read(s)
			top = max(top, s[0].Value.Uint64())
			select {
			case <-done:
				peak <- top
				return
			case <-tick.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		return float64(<-peak-base) / 1e6
	}
}
