package home

import (
	"context"
	"time"

	"selfdata/internal/services"
	"selfdata/internal/store"
)

// slack is how far before a window its bills and operations are read: a bill issued weeks
// before the window may be paid in it, and the window's first debit needs its bill to be told
// apart.
const slack = 120 * 24 * time.Hour

// Read reads, through the service's reader, every contract and insurance policy, and the
// bills and bank operations dated from slack before from to slack after to: what attributing
// the payments of [from, to] needs, without loading years of operations.
func Read(ctx context.Context, rd services.Reader, from, to time.Time) (Input, error) {
	var all [][]store.Doc
	for _, dt := range []string{"contract", "insurance.contract"} {
		docs, err := rd.Docs(ctx, dt)
		if err != nil {
			return Input{}, err
		}
		all = append(all, docs)
	}
	date := store.Field{Path: "date", Type: store.String}
	between := []store.Filter{
		{Field: date, Op: store.Gte, Value: from.Add(-slack).Format(time.DateOnly)},
		{Field: date, Op: store.Lte, Value: to.Add(slack).Format(time.DateOnly)},
	}
	for _, dt := range []string{"bill", "bank.operation"} {
		docs, err := rd.Docs(ctx, dt, between...)
		if err != nil {
			return Input{}, err
		}
		all = append(all, docs)
	}
	return NewInput(all...), nil
}

// Load is the report for o, read through rd.
func Load(ctx context.Context, rd services.Reader, o Options) (Report, error) {
	w := WindowOf(o)
	in, err := Read(ctx, rd, w.PrevFrom, w.To)
	if err != nil {
		return Report{}, err
	}
	return Compute(in, o), nil
}
