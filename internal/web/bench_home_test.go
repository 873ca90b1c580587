package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// seedDemo gives alice the demo person's year of data and the demo organizations.
func seedDemo(b *testing.B, ts *testServer) {
	b.Helper()
	for _, o := range demo.Organizations() {
		if _, err := ts.srv.orgs.Add(bg, o); err != nil && !errors.Is(err, store.ErrExists) {
			b.Fatal(err)
		}
	}
	if err := demo.Seed(bg, ts.gate, ts.alice.in.ID, demo.Generate(time.Now(), 1)); err != nil {
		b.Fatal(err)
	}
}

// benchHome renders alice's home page through the whole handler (session, gate, store,
// template) and reports the time per page.
func benchHome(b *testing.B, ts *testServer) {
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ts.alice.session})
	h := ts.srv.Handler()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkHomeDemo: the demo person's home page. Target: at most 50 ms.
func BenchmarkHomeDemo(b *testing.B) {
	ts := newTestServer(b)
	seedDemo(b, ts)
	benchHome(b, ts)
}

// BenchmarkHomeLarge: a person with 10 years of 30-minute readings and 50,000 bank
// operations. Target: at most 200 ms.
func BenchmarkHomeLarge(b *testing.B) {
	ts := newTestServer(b)
	seedDemo(b, ts)
	owner := gate.Owner(ts.alice.in.ID)
	src := store.Source{Kind: "organization", ID: "enedis", Name: "Enedis", At: time.Now()}
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	rs := make([]store.Reading, 10*365*48)
	for i := range rs {
		rs[i] = store.Reading{At: start.Add(time.Duration(i) * 30 * time.Minute), Value: float64(100 + i%200)}
	}
	err := ts.gate.Write(bg, owner, func(bt *gate.Batch) error {
		if _, err := bt.CreateSeries(store.Series{ID: "ten-years", Doctype: "reading.electricity", Name: "Load curve", Quantity: "energy", Unit: "Wh", Source: src}); err != nil {
			return err
		}
		_, err := bt.AddReadings("ten-years", rs)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	bank := store.Source{Kind: "organization", ID: "bank-a", Name: "La Banque Postale", At: time.Now()}
	for batch := 0; batch < 50; batch++ {
		in := make([]gate.Input, 1000)
		for i := range in {
			n := batch*1000 + i
			d := start.AddDate(0, 0, n*3650/50000).Format(time.DateOnly)
			data, _ := json.Marshal(map[string]any{"account": "acc", "date": d, "label": fmt.Sprintf("CARTE %d", n), "amount": fmt.Sprintf("-%d.%02d", n%90, n%100), "currency": "EUR", "category": "groceries"})
			in[i] = gate.Input{ID: fmt.Sprintf("op-%05d", n), Data: data}
		}
		if _, err := ts.gate.Create(bg, owner, "bank.operation", in, bank); err != nil {
			b.Fatal(err)
		}
	}
	benchHome(b, ts)
}
