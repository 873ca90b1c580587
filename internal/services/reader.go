package services

import (
	"context"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// Reader is all a built-in service may do with the person's data: read it, through the gate,
// as the service. Every call is checked against the service's grant and logged under its name.
type Reader interface {
	// Docs returns every document of doctype, oldest first.
	Docs(ctx context.Context, doctype string, filters ...store.Filter) ([]store.Doc, error)
	// Series lists the series the service may read.
	Series(ctx context.Context) ([]store.Series, error)
	// Aggregate sums (or averages...) one series' readings into buckets, in the store.
	Aggregate(ctx context.Context, seriesID string, a store.Aggregation) ([]store.Bucket, error)
	// Readings returns one series' readings in [from, to), at most limit (0: all).
	Readings(ctx context.Context, seriesID string, from, to time.Time, limit int) ([]store.Reading, error)
}

// Through is the Reader of principal p (a built-in service's, consent.Grants.BuiltIn) over g.
func Through(g *gate.Gate, p gate.Principal) Reader { return through{g: g, p: p} }

type through struct {
	g *gate.Gate
	p gate.Principal
}

// pageSize is how many documents one gate call reads; each page is one access-log entry.
const pageSize = 1000

func (t through) Docs(ctx context.Context, doctype string, filters ...store.Filter) ([]store.Doc, error) {
	var out []store.Doc
	q := store.Query{Doctype: doctype, Filters: filters, Limit: pageSize}
	for {
		page, err := t.g.Query(ctx, t.p, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == "" {
			return out, nil
		}
		q.Cursor = page.Next
	}
}

func (t through) Series(ctx context.Context) ([]store.Series, error) {
	return t.g.ListSeries(ctx, t.p)
}

func (t through) Aggregate(ctx context.Context, id string, a store.Aggregation) ([]store.Bucket, error) {
	return t.g.Aggregate(ctx, t.p, id, a)
}

func (t through) Readings(ctx context.Context, id string, from, to time.Time, limit int) ([]store.Reading, error) {
	return t.g.Readings(ctx, t.p, id, from, to, limit)
}
