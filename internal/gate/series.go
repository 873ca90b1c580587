package gate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/store"
)

// ListSeries lists the series whose doctype the principal may read, with their counts and
// periods; no reading is revealed, but the listing is logged like any read.
func (g *Gate) ListSeries(ctx context.Context, p Principal) ([]store.Series, error) {
	list, err := g.data.ListSeries(ctx, p.Instance, p.visible())
	if err != nil {
		return nil, err
	}
	return list, g.logRead(ctx, p, summary, len(list))
}

// Series reads one series' metadata. A series of a doctype the principal may not read is
// not found, exactly as one that does not exist: a series' id is not a secret (it derives
// from a meter number), its doctype and existence are. A service's attempt is still logged
// for the person to see.
func (g *Gate) Series(ctx context.Context, p Principal, id string) (store.Series, error) {
	s, err := g.data.Series(ctx, p.Instance, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Series{}, noSeries(id)
	}
	if err != nil {
		return s, err
	}
	if _, err := g.allow(ctx, p, s.Doctype, doctype.KindSeries, Read); err != nil {
		if errors.Is(err, ErrForbidden) {
			return store.Series{}, noSeries(id)
		}
		return store.Series{}, err
	}
	return s, nil
}

// seriesDoctype is the doctype of a series the principal may read, for reading its
// readings: absent and hidden answer alike, as Series.
func (g *Gate) seriesDoctype(ctx context.Context, p Principal, id string) (string, error) {
	dt, err := g.data.SeriesDoctype(ctx, p.Instance, id)
	if errors.Is(err, store.ErrNotFound) {
		return "", noSeries(id)
	}
	if err != nil {
		return "", err
	}
	if _, err := g.allow(ctx, p, dt, doctype.KindSeries, Read); err != nil {
		if errors.Is(err, ErrForbidden) {
			return "", noSeries(id)
		}
		return "", err
	}
	return dt, nil
}

// noSeries is the one answer for a series that is absent or hidden.
func noSeries(id string) error { return fmt.Errorf("series %q: %w", id, store.ErrNotFound) }

// Readings reads raw readings of [from, to).
func (g *Gate) Readings(ctx context.Context, p Principal, id string, from, to time.Time, limit int) ([]store.Reading, error) {
	dt, err := g.seriesDoctype(ctx, p, id)
	if err != nil {
		return nil, err
	}
	rs, err := g.data.Readings(ctx, p.Instance, id, from, to, limit)
	if err != nil {
		return nil, err
	}
	return rs, g.logRead(ctx, p, dt, len(rs))
}

// Aggregate aggregates readings in the store; the log counts the readings it covered.
func (g *Gate) Aggregate(ctx context.Context, p Principal, id string, a store.Aggregation) ([]store.Bucket, error) {
	dt, err := g.seriesDoctype(ctx, p, id)
	if err != nil {
		return nil, err
	}
	bs, err := g.data.Aggregate(ctx, p.Instance, id, a)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, b := range bs {
		n += int(b.Count)
	}
	return bs, g.logRead(ctx, p, dt, n)
}

// OpenFile returns a file's metadata document and its content.
func (g *Gate) OpenFile(ctx context.Context, p Principal, id string) (store.Doc, io.ReadCloser, error) {
	d, err := g.Get(ctx, p, "file", id)
	if err != nil {
		return d, nil, err
	}
	var meta struct {
		SHA256 string `json:"sha256"`
	}
	if err := json.Unmarshal(d.Data, &meta); err != nil {
		return d, nil, err
	}
	r, err := g.data.OpenBlob(ctx, p.Instance, meta.SHA256)
	return d, r, err
}
