package home

import (
	"math/big"
	"time"

	"selfdata/internal/money"
)

// Options choose the year a Report shows.
type Options struct {
	AsOf time.Time // today, as a civil date (midnight UTC)
	// Last is any day of the last month shown; zero means the month before AsOf's, the last
	// complete month.
	Last time.Time
}

// Window is the 12 months a report shows and the 12 before, which its trend compares with.
type Window struct {
	From, To         time.Time // the first and the last day shown
	PrevFrom, PrevTo time.Time // the same 12 months a year earlier
}

// WindowOf is the window of o.
func WindowOf(o Options) Window {
	last := o.Last
	if last.IsZero() {
		last = time.Date(o.AsOf.Year(), o.AsOf.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	}
	end := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0) // the day after
	from := end.AddDate(-1, 0, 0)
	return Window{From: from, To: end.AddDate(0, 0, -1), PrevFrom: from.AddDate(-1, 0, 0), PrevTo: from.AddDate(0, 0, -1)}
}

// Report is the page of My home: a year of housing expenses.
type Report struct {
	Window
	Currency   string
	Months     []Month // the 12 months, oldest first
	Categories []Share // the categories paid in this year or the one before, in Categories order
	Total      money.Amount
	Monthly    money.Amount // Total over 12 months, to the cent
	Energy     money.Amount // electricity and gas together
	// Trend compares with the 12 months before, when the data covers them; nil otherwise.
	Trend *Trend
	// DataStart is the first day of the data read (the earliest bank operation or bill
	// payment); zero when there is none.
	DataStart time.Time
	Unsorted  []Payment // in the year: debits to the home's organizations that no bill explains
	Skipped   int       // documents that could not be read
	// Debits and Bills count the payments of the year by where they were seen: debits on a
	// bank account (each bill they settle counted with them), bills that no debit paid.
	Debits, Bills int
}

// Month is one month of housing expenses.
type Month struct {
	Start    time.Time
	Total    money.Amount
	By       map[Category]money.Amount
	Previous money.Amount // the same month a year before, meaningful when the report has a Trend
}

// Share is one category's part of the year.
type Share struct {
	Category Category
	Amount   money.Amount
	Tenths   int64 // its share of the year's total, in tenths of a percent
	Previous money.Amount
	// Change is Amount − Previous and ChangeTenths its ratio to Previous (tenths of a percent),
	// meaningful when the report has a Trend; HasRatio is false when Previous is zero.
	Change       money.Amount
	ChangeTenths int64
	HasRatio     bool
}

// Trend is the year against the 12 months before it.
type Trend struct {
	Previous     money.Amount
	Change       money.Amount
	ChangeTenths int64
	HasRatio     bool
}

// Compute is the report of in for the year o chooses.
func Compute(in Input, o Options) Report {
	w := WindowOf(o)
	a := Attribute(in, o.AsOf)
	r := Report{Window: w, Skipped: in.Skipped}
	for _, op := range in.Operations {
		if r.DataStart.IsZero() || op.Day.Before(r.DataStart) {
			r.DataStart = op.Day
		}
	}
	for _, b := range in.Bills {
		if r.DataStart.IsZero() || b.Pay.Before(r.DataStart) {
			r.DataStart = b.Pay
		}
	}
	// The year before is there when the data starts within its first month: rent or a
	// monthly debit of that month may fall a few days after it starts.
	covered := !r.DataStart.IsZero() && r.DataStart.Before(w.PrevFrom.AddDate(0, 1, 0))

	r.Months = make([]Month, 12)
	for i := range r.Months {
		r.Months[i] = Month{Start: w.From.AddDate(0, i, 0), By: map[Category]money.Amount{}}
	}
	cur, prev := map[Category]money.Amount{}, map[Category]money.Amount{}
	for _, p := range a.Payments {
		if p.Category == "" {
			continue
		}
		if r.Currency == "" {
			r.Currency = p.Currency
		}
		switch {
		case in2(p.Day, w.From, w.To):
			m := &r.Months[monthIndex(w.From, p.Day)]
			m.Total = m.Total.Add(p.Amount)
			m.By[p.Category] = m.By[p.Category].Add(p.Amount)
			cur[p.Category] = cur[p.Category].Add(p.Amount)
			r.Total = r.Total.Add(p.Amount)
			if p.Category.IsEnergy() {
				r.Energy = r.Energy.Add(p.Amount)
			}
			if p.Op != "" {
				r.Debits++
			} else {
				r.Bills++
			}
		case in2(p.Day, w.PrevFrom, w.PrevTo):
			m := &r.Months[monthIndex(w.PrevFrom, p.Day)]
			m.Previous = m.Previous.Add(p.Amount)
			prev[p.Category] = prev[p.Category].Add(p.Amount)
		}
	}
	for _, p := range a.Unsorted {
		if in2(p.Day, w.From, w.To) {
			r.Unsorted = append(r.Unsorted, p)
		}
	}
	r.Monthly = r.Total.Div(12)
	var prevTotal money.Amount
	for _, c := range Categories {
		amt, ok := cur[c]
		pamt, pok := prev[c]
		if !ok && !(covered && pok) {
			continue
		}
		s := Share{Category: c, Amount: amt, Tenths: tenths(amt, r.Total)}
		if covered {
			s.Previous, s.Change = pamt, amt.Sub(pamt)
			if !pamt.IsZero() {
				s.ChangeTenths, s.HasRatio = tenths(s.Change, pamt), true
			}
			prevTotal = prevTotal.Add(pamt)
		}
		r.Categories = append(r.Categories, s)
	}
	if covered {
		t := &Trend{Previous: prevTotal, Change: r.Total.Sub(prevTotal)}
		if !prevTotal.IsZero() {
			t.ChangeTenths, t.HasRatio = tenths(t.Change, prevTotal), true
		}
		r.Trend = t
	} else {
		for i := range r.Months {
			r.Months[i].Previous = money.Amount{}
		}
	}
	return r
}

// in2 tells whether the day d is in [from, to].
func in2(d, from, to time.Time) bool { return !d.Before(from) && !d.After(to) }

func monthIndex(from, d time.Time) int {
	return (d.Year()-from.Year())*12 + int(d.Month()) - int(from.Month())
}

// tenths is part/whole in tenths of a percent, rounded half away from zero, computed on the
// exact decimals (0 when whole is zero).
func tenths(part, whole money.Amount) int64 {
	p, okp := new(big.Rat).SetString(part.String())
	w, okw := new(big.Rat).SetString(whole.String())
	if !okp || !okw || w.Sign() == 0 {
		return 0
	}
	q := new(big.Rat).Quo(p, w)
	q.Mul(q, big.NewRat(1000, 1))
	neg := q.Sign() < 0
	q.Abs(q)
	q.Add(q, big.NewRat(1, 2))
	n := new(big.Int).Quo(q.Num(), q.Denom())
	if neg {
		n.Neg(n)
	}
	return n.Int64()
}
