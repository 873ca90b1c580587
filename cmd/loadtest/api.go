package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The calls of selfdata's API that the scenarios make (see internal/web/routes.go).

// reading is one timestamped value, as the API takes and gives it.
type reading struct {
	At    time.Time `json:"at"`
	Value float64   `json:"value"`
}

// errNotAdded is a write of a new reading answered 200 with "added": 0.
var errNotAdded = errors.New("the server answered added 0 for a new reading")

// createSeries creates a water series under id.
func (c *client) createSeries(ctx context.Context, id string) error {
	body := map[string]string{"id": id, "doctype": "reading.water", "name": "loadtest " + id, "quantity": "volume", "unit": "L"}
	return c.do(ctx, http.MethodPost, "/api/v1/series", body, nil, http.StatusCreated)
}

// addReadings writes readings to a series; it is acknowledged when the server says it
// added all of them.
func (c *client) addReadings(ctx context.Context, series string, rs []reading) error {
	var out struct{ Received, Added int }
	if err := c.do(ctx, http.MethodPost, "/api/v1/series/"+url.PathEscape(series)+"/readings", rs, &out, http.StatusOK); err != nil {
		return err
	}
	if out.Added != len(rs) {
		return fmt.Errorf("%w (%d of %d)", errNotAdded, out.Added, len(rs))
	}
	return nil
}

// instants reads back the instants (Unix milliseconds) of a series' readings in [from, to),
// page by page.
func (c *client) instants(ctx context.Context, series string, from, to time.Time) (map[int64]bool, error) {
	got := map[int64]bool{}
	cursor := from.Format(time.RFC3339Nano)
	for pages := 0; ; pages++ {
		if pages > 1000 {
			return nil, errors.New("reading the series back: more than 1000 pages")
		}
		q := url.Values{"from": {cursor}, "to": {to.Format(time.RFC3339Nano)}, "limit": {"10000"}, "tz": {"UTC"}}
		var page struct {
			Items []reading `json:"items"`
			Next  *string   `json:"next"`
		}
		if err := c.do(ctx, http.MethodGet, "/api/v1/series/"+url.PathEscape(series)+"/readings?"+q.Encode(), nil, &page, http.StatusOK); err != nil {
			return nil, fmt.Errorf("reading the series back: %w", err)
		}
		for _, r := range page.Items {
			got[r.At.UnixMilli()] = true
		}
		if page.Next == nil {
			return got, nil
		}
		cursor = *page.Next
	}
}

// aggregate asks for the daily sums of a series over [from, to).
func (c *client) aggregate(ctx context.Context, series string, from, to time.Time) error {
	q := url.Values{"step": {"day"}, "fn": {"sum"}, "from": {from.Format(time.RFC3339)}, "to": {to.Format(time.RFC3339)}, "tz": {"UTC"}}
	var out struct {
		Items []struct{ Count int64 } `json:"items"`
	}
	return c.do(ctx, http.MethodGet, "/api/v1/series/"+url.PathEscape(series)+"/aggregate?"+q.Encode(), nil, &out, http.StatusOK)
}

// bill is a valid document of the declared doctype bill (internal/doctype/defs/bill.json).
func bill(run string, n int) map[string]string {
	return map[string]string{"vendor": "loadtest", "date": "2026-01-31", "amount": strconv.Itoa(10+n%90) + ".50", "currency": "EUR", "type": "water", "reference": run + "-" + strconv.Itoa(n)}
}

// createBill writes one bill and returns its id.
func (c *client) createBill(ctx context.Context, run string, n int) (string, error) {
	var out struct{ ID string }
	if err := c.do(ctx, http.MethodPost, "/api/v1/data/bill", bill(run, n), &out, http.StatusCreated); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", errors.New("the server created a bill without an id")
	}
	return out.ID, nil
}

// createBills writes bills in one request (the API's bulk create) and returns their ids.
func (c *client) createBills(ctx context.Context, run string, first, n int) ([]string, error) {
	docs := make([]map[string]string, n)
	for i := range docs {
		docs[i] = bill(run, first+i)
	}
	var out struct{ Items []struct{ ID string } }
	if err := c.do(ctx, http.MethodPost, "/api/v1/data/bill", docs, &out, http.StatusCreated); err != nil {
		return nil, err
	}
	ids := make([]string, len(out.Items))
	for i, d := range out.Items {
		ids[i] = d.ID
	}
	return ids, nil
}

// getBill reads one bill by id; found is false when the server answers 404.
func (c *client) getBill(ctx context.Context, id string) (found bool, err error) {
	err = c.do(ctx, http.MethodGet, "/api/v1/data/bill/"+url.PathEscape(id), nil, nil, http.StatusOK)
	var se *statusError
	if errors.As(err, &se) && se.status == http.StatusNotFound {
		return false, nil
	}
	return err == nil, err
}
