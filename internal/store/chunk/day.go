package chunk

import (
	"cmp"
	"slices"
	"time"

	"selfdata/internal/store"
)

const (
	secondsPerDay = 24 * 60 * 60
	msPerDay      = secondsPerDay * 1000
)

// DayKey names the chunk an instant belongs to. Chunks are cut at UTC midnight, not local
// midnight, so that a chunk never depends on the zone a person happens to look from.
func DayKey(t time.Time) int64 {
	return floorDiv(t.Unix(), secondsPerDay) * secondsPerDay
}

// Day is the readings of one chunk.
type Day struct {
	Key      int64 // DayKey of every reading
	Readings []store.Reading
}

// SplitByDay cuts a batch of incoming readings into chunks. Deposits arrive in any order and may
// repeat an instant (a corrected reading sent again later in the same file), so the last
// occurrence of an instant wins, as it would had the readings been written one by one.
//
// Instants are truncated to the millisecond, the precision chunks keep, before comparing: two
// readings within the same millisecond are the same reading. Each Day's Readings has its own
// capacity, so appending to one does not overwrite the next.
func SplitByDay(rs []store.Reading) []Day {
	if len(rs) == 0 {
		return nil
	}
	type msReading struct {
		ms  int64
		seq int // input position: among equal instants the last one wins
		v   float64
	}
	tmp := make([]msReading, len(rs))
	sorted := true
	for i, r := range rs {
		tmp[i] = msReading{r.At.UnixMilli(), i, r.Value}
		if i > 0 && tmp[i].ms <= tmp[i-1].ms {
			sorted = false
		}
	}
	if !sorted {
		slices.SortFunc(tmp, func(a, b msReading) int {
			return cmp.Or(cmp.Compare(a.ms, b.ms), cmp.Compare(a.seq, b.seq))
		})
	}

	out := make([]store.Reading, 0, len(tmp))
	var days []Day
	start := 0
	for i, r := range tmp {
		if i+1 < len(tmp) && tmp[i+1].ms == r.ms {
			continue // a later occurrence follows
		}
		out = append(out, store.Reading{At: time.UnixMilli(r.ms).UTC(), Value: r.v})
		day := floorDiv(r.ms, msPerDay)
		if i+1 == len(tmp) || floorDiv(tmp[i+1].ms, msPerDay) != day {
			days = append(days, Day{Key: day * secondsPerDay, Readings: out[start:len(out):len(out)]})
			start = len(out)
		}
	}
	return days
}

// Merge folds new readings into a chunk's readings. Both must be sorted and unique. On an equal
// instant add wins: a deposit that sends a reading again is a correction. added counts the
// instants that were not in old, which is what a deposit reports as new.
//
// merged is always a fresh slice, so the caller may keep or reuse old and add.
func Merge(old, add []store.Reading) (merged []store.Reading, added int) {
	merged = make([]store.Reading, 0, len(old)+len(add))
	i, j := 0, 0
	for i < len(old) && j < len(add) {
		switch c := old[i].At.Compare(add[j].At); {
		case c < 0:
			merged = append(merged, old[i])
			i++
		case c > 0:
			merged = append(merged, add[j])
			j++
			added++
		default:
			merged = append(merged, add[j])
			i++
			j++
		}
	}
	merged = append(merged, old[i:]...)
	merged = append(merged, add[j:]...)
	added += len(add) - j
	return merged, added
}

// Stats is what a backend keeps beside each chunk so that aggregations over whole chunks, and
// the count and first and last instants of a series, need no decoding.
type Stats struct {
	N        int64
	Sum      float64
	Min, Max float64
	First    time.Time
	Last     time.Time
}

// StatsOf summarises a chunk's readings, which must be non-empty and sorted.
func StatsOf(rs []store.Reading) Stats {
	s := Stats{
		N:     int64(len(rs)),
		Min:   rs[0].Value,
		Max:   rs[0].Value,
		First: rs[0].At,
		Last:  rs[len(rs)-1].At,
	}
	var sum kahan // compensated, so that a day of 1440 readings does not drift
	for _, r := range rs {
		// min and max, not <, so that a NaN shows in Min and Max as it does in Sum.
		sum.add(r.Value)
		s.Min = min(s.Min, r.Value)
		s.Max = max(s.Max, r.Value)
	}
	s.Sum = sum.sum()
	return s
}

// floorDiv rounds toward minus infinity, so that instants before 1970 fall in the right day.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
