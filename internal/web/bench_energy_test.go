package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/store"
)

// BenchmarkEnergyPage: the Home energy page of a person with ten years of 30-minute
// electricity readings (175,200) and daily gas, water and water-meter temperature, a
// contract and a monthly bill per kind, in a real SQLite store; the whole handler
// (session, grant, gate, store aggregates, template). Budget: at most 100 ms. Beside it,
// in the same run: the store's own aggregate of the ten years of electricity by month
// through the gate, the reference the page's cost is read against (docs/benchmarks.md).
func BenchmarkEnergyPage(b *testing.B) {
	ts := newTestServer(b)
	owner := gate.Owner(ts.alice.in.ID)
	loc := displayZone()
	end := time.Now().In(loc)
	end = time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, loc)
	start := end.AddDate(-10, 0, 0)
	src := store.Source{Kind: "organization", ID: "enedis", Name: "Enedis", At: time.Now()}
	var curve []store.Reading
	for t := start; t.Before(end); t = t.Add(30 * time.Minute) {
		curve = append(curve, store.Reading{At: t.UTC(), Value: float64(100 + t.Hour()*10 + t.YearDay()%50)})
	}
	daily := func(value func(d time.Time) float64) []store.Reading {
		var rs []store.Reading
		for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
			rs = append(rs, store.Reading{At: d.UTC(), Value: value(d)})
		}
		return rs
	}
	series := []struct {
		id, doctype, quantity, unit string
		rs                          []store.Reading
	}{
		{"load-curve", "reading.electricity", "energy", "Wh", curve},
		{"gas", "reading.gas", "energy", "kWh", daily(func(d time.Time) float64 { return float64(10 + d.YearDay()%40) })},
		{"water", "reading.water", "volume", "L", daily(func(d time.Time) float64 { return float64(120 + d.Day()) })},
		{"water-temp", "reading.water", "temperature", "degC", daily(func(d time.Time) float64 { return float64(5 + d.YearDay()%15) })},
	}
	err := ts.gate.Write(bg, owner, func(bt *gate.Batch) error {
		for _, s := range series {
			if _, err := bt.CreateSeries(store.Series{ID: s.id, Doctype: s.doctype, Name: s.id, Quantity: s.quantity, Unit: s.unit, Source: src}); err != nil {
				return err
			}
			if _, err := bt.AddReadings(s.id, s.rs); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	var contracts, bills []gate.Input
	for i, k := range []string{"electricity", "gas", "water"} {
		c, _ := json.Marshal(map[string]any{"type": k, "provider": "P", "start": "2010-01-01", "price": "12.00", "priceUnit": "month", "currency": "EUR"})
		contracts = append(contracts, gate.Input{ID: fmt.Sprintf("c-%d", i), Data: c})
		for m := 1; m <= 12; m++ {
			from := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, loc).AddDate(0, -m, 0)
			d, _ := json.Marshal(map[string]any{"vendor": "P", "date": from.AddDate(0, 1, 2).Format(time.DateOnly), "amount": "80.00", "currency": "EUR", "type": k,
				"periodStart": from.Format(time.DateOnly), "periodEnd": from.AddDate(0, 1, -1).Format(time.DateOnly)})
			bills = append(bills, gate.Input{ID: fmt.Sprintf("b-%s-%d", k, m), Data: d})
		}
	}
	for dt, in := range map[string][]gate.Input{"contract": contracts, "bill": bills} {
		if _, err := ts.gate.Create(bg, owner, dt, in, owner.Source("", ts.gate)); err != nil {
			b.Fatal(err)
		}
	}
	d, _ := services.Lookup(services.Energy)
	if _, err := ts.cons.Grant(bg, ts.alice.in.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		b.Fatal(err)
	}
	h := ts.srv.Handler()
	// cpu-ms/op is the process's CPU time per operation, which a busy machine moves less
	// than the wall time.
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	b.Run("page", func(b *testing.B) {
		c0 := cpu()
		req := httptest.NewRequest("GET", "/services/"+services.Energy+"?lang=en", nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ts.alice.session})
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
		b.ReportMetric(float64(cpu()-c0)/float64(b.N)/1e6, "cpu-ms/op")
	})
	b.Run("aggregate", func(b *testing.B) {
		c0 := cpu()
		for b.Loop() {
			bs, err := ts.gate.Aggregate(bg, owner, "load-curve", store.Aggregation{From: start, To: end, Step: store.Month, Fn: store.Sum, Location: loc})
			if err != nil || len(bs) < 120 {
				b.Fatalf("%d buckets, %v", len(bs), err)
			}
		}
		b.ReportMetric(float64(cpu()-c0)/float64(b.N)/1e6, "cpu-ms/op")
	})
}
