package chunk

import (
	"errors"
	"fmt"
	"math"
	"time"

	"selfdata/internal/store"
)

// Acc gathers one bucket from two kinds of input: whole chunks, folded in from the Stats the
// backend kept (Merge), and single readings of the chunks that straddle a bucket edge (Add).
// Both paths must give the same result as adding every reading, so Min and Max propagate NaN
// the same way StatsOf does. Sum is compensated (see kahan): Sum holds the running sum and comp
// the bits its additions lost, which Value adds back. The zero Acc is empty.
type Acc struct {
	N        int64
	Sum      float64
	Min, Max float64
	comp     float64
}

// addSum folds v into the compensated sum.
func (a *Acc) addSum(v float64) {
	k := kahan{a.Sum, a.comp}
	k.add(v)
	a.Sum, a.comp = k.s, k.c
}

// Add folds one reading's value.
func (a *Acc) Add(v float64) {
	if a.N == 0 {
		a.Min, a.Max = v, v
	} else {
		a.Min, a.Max = min(a.Min, v), max(a.Max, v)
	}
	a.N++
	a.addSum(v)
}

// Merge folds the stats of a whole chunk.
func (a *Acc) Merge(s Stats) {
	if s.N == 0 {
		return
	}
	if a.N == 0 {
		a.Min, a.Max = s.Min, s.Max
	} else {
		a.Min, a.Max = min(a.Min, s.Min), max(a.Max, s.Max)
	}
	a.N += s.N
	a.addSum(s.Sum)
}

// Value is the bucket's result under fn. An empty Acc gives NaN for avg, min and max (there is
// nothing to report; backends do not return empty buckets) and 0 for sum and count. fn must be
// checked by ParseFn: any other panics.
func (a Acc) Value(fn store.AggFn) float64 {
	switch fn {
	case store.Sum:
		return kahan{a.Sum, a.comp}.sum()
	case store.Count:
		return float64(a.N)
	}
	if a.N == 0 {
		switch fn {
		case store.Avg, store.Min, store.Max:
			return math.NaN()
		}
	}
	switch fn {
	case store.Avg:
		return kahan{a.Sum, a.comp}.sum() / float64(a.N)
	case store.Min:
		return a.Min
	case store.Max:
		return a.Max
	}
	panic(fmt.Sprintf("chunk.Acc.Value: unknown aggregation function %q", fn))
}

// ErrOverflow says an aggregate is beyond the largest float64 (about 1.8e308): the sum of
// huge readings, or a mean computed from such a sum. No answer can carry it (JSON has no
// infinity), and a page showing "+Inf" would be wrong, not large.
var ErrOverflow = errors.New("larger than the largest number a reading can hold (about 1.8e308)")

// Result is Value, or ErrOverflow when the value of a bucket holding readings is not a
// finite number.
func (a Acc) Result(fn store.AggFn) (float64, error) {
	v := a.Value(fn)
	if a.N > 0 && (math.IsInf(v, 0) || math.IsNaN(v)) {
		return v, ErrOverflow
	}
	return v, nil
}

// Bucket is the store's answer for this bucket.
func (a Acc) Bucket(start time.Time, fn store.AggFn) store.Bucket {
	return store.Bucket{Start: start, Value: a.Value(fn), Count: a.N}
}

// Exact is Result for a series whose readings have the given number of decimals (see
// DecimalsOf): a sum is rounded to them, so that the float64 drift of its additions never
// shows, and a mean is that rounded sum divided by the count. A mean is not rounded further:
// the mean of 1 Wh and 2 Wh is 1.5 Wh, finer than its readings and still exact. Min, max and
// count are readings or whole numbers already.
func (a Acc) Exact(fn store.AggFn, decimals int) (float64, error) {
	v, err := a.Result(fn)
	if err != nil || a.N == 0 {
		return v, err
	}
	switch fn {
	case store.Sum:
		return Round(v, decimals), nil
	case store.Avg:
		return Round(a.Value(store.Sum), decimals) / float64(a.N), nil
	}
	return v, nil
}
