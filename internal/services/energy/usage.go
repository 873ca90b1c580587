package energy

import (
	"context"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/store"
)

// Bucket is one period of a window: its consumption and, beside it, the same span a year
// earlier. The current period is partial (the readings stop before its end): it is then
// compared with the same part of the earlier one, never with all of it.
type Bucket struct {
	Start, End time.Time // the period, [Start, End), local midnights
	// From, To is what the readings cover of it; Partial when that is not all of it.
	From, To time.Time
	Partial  bool
	Value    float64 // in the meter's unit
	Has      bool    // some reading lies in it
	// PrevFrom, PrevTo is the same span a year earlier (Step.YearBefore of From and To).
	PrevFrom, PrevTo time.Time
	Prev             float64
	// HasPrev: the readings cover all of the earlier span, so the two can be compared.
	HasPrev        bool
	Cost, PrevCost money.Amount
	HasCost        bool
}

// Usage is one kind's consumption over a window of periods.
type Usage struct {
	Meter   *Meter
	Price   Price
	Step    Step
	Buckets []Bucket
	// Total is the window's consumption; Compared and PrevCompared sum only the periods
	// that have both sides, which Change compares.
	Total                  float64
	Compared, PrevCompared float64
	Pairs                  int     // periods compared
	Change                 float64 // (Compared − PrevCompared) / PrevCompared; valid when HasChange
	HasChange              bool
	Cost                   money.Amount // of the window, when every period with readings has a cost
	HasCost                bool
}

// Last is the window's last period (the one holding the day asked for).
func (u Usage) Last() Bucket { return u.Buckets[len(u.Buckets)-1] }

// Consumption is the meter's consumption by step over the n periods ending with the one
// that holds the day at (n = step.Buckets() when n ≤ 0), each next to the same span a year
// earlier. The store sums both windows; a partial period's earlier span is summed alone.
func Consumption(ctx context.Context, src Source, m *Meter, price Price, step Step, at time.Time, n int) (Usage, error) {
	loc := src.loc()
	if n <= 0 {
		n = step.Buckets()
	}
	last := step.Start(at.In(loc))
	from, to := step.Add(last, -(n-1)), step.Add(last, 1)
	var cur, prev, partial map[int64]float64
	lastFrom, lastTo := maxTime(last, m.First), minTime(to, m.Until)
	pf, pt := step.YearBefore(lastFrom), step.YearBefore(lastTo)
	err := parallel(
		func() (err error) { cur, err = m.sums(ctx, src, from, to, step.store()); return err },
		func() (err error) {
			prev, err = m.sums(ctx, src, step.YearBefore(from), step.YearBefore(to), step.store())
			return err
		},
		func() (err error) {
			// The last period is the one partial as a rule (the current one): its span a year
			// earlier is summed at once, beside the windows.
			if lastTo.After(lastFrom) && (lastFrom.After(last) || lastTo.Before(to)) && m.covers(pf, pt) {
				partial, err = m.sums(ctx, src, pf, pt, store.Year)
			}
			return err
		},
	)
	if err != nil {
		return Usage{}, err
	}
	u := Usage{Meter: m, Price: price, Step: step, HasCost: price.Known()}
	for i := range n {
		b := Bucket{Start: step.Add(from, i), End: step.Add(from, i+1)}
		b.From, b.To = maxTime(b.Start, m.First), minTime(b.End, m.Until)
		b.Value, b.Has = cur[b.Start.Unix()]
		if !b.To.After(b.From) {
			b.From, b.To, b.Has = b.Start, b.Start, false
		}
		b.Partial = b.Has && (b.From.After(b.Start) || b.To.Before(b.End))
		if b.Has {
			b.PrevFrom, b.PrevTo = step.YearBefore(b.From), step.YearBefore(b.To)
			if m.covers(b.PrevFrom, b.PrevTo) {
				switch {
				case b.Partial && i == n-1 && partial != nil:
					for _, x := range partial {
						b.Prev += x
					}
					b.HasPrev = len(partial) > 0
				case b.Partial:
					b.Prev, b.HasPrev, err = m.total(ctx, src, b.PrevFrom, b.PrevTo)
					if err != nil {
						return Usage{}, err
					}
				default:
					b.Prev, b.HasPrev = prev[step.YearBefore(b.Start).Unix()]
				}
			}
			if c, ok := price.cost(m, b.Value, b.From, b.To); ok {
				b.Cost, b.HasCost = c, true
				u.Cost = u.Cost.Add(c)
			}
			if b.HasPrev {
				b.PrevCost, _ = price.cost(m, b.Prev, b.PrevFrom, b.PrevTo)
			}
			u.Total += b.Value
		}
		if b.Has && b.HasPrev {
			u.Compared += b.Value
			u.PrevCompared += b.Prev
			u.Pairs++
		}
		u.Buckets = append(u.Buckets, b)
	}
	if u.Pairs > 0 && u.PrevCompared > 0 {
		u.Change, u.HasChange = (u.Compared-u.PrevCompared)/u.PrevCompared, true
	}
	return u, nil
}
