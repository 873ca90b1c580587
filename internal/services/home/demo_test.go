package home

import (
	"context"
	"errors"
	"testing"
	"time"

	"selfdata/internal/consent"
	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/money"
	"selfdata/internal/restore"
	"selfdata/internal/services"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// seedDemo puts the demo dataset in a real SQLite store through the gate, as the demo command
// does, switches the service on and returns its reader.
func seedDemo(t *testing.T, ds *demo.Dataset, service string) services.Reader {
	t.Helper()
	ctx := context.Background()
	db, reg := sqlitetest.Open(t)
	in, err := db.CreateInstance(ctx, "demo", "not a hash: nobody logs in")
	if err != nil {
		t.Fatal(err)
	}
	orgs := restore.NewOrgs(db, reg)
	for _, o := range demo.Organizations() {
		if _, err := orgs.Add(ctx, o); err != nil && !errors.Is(err, store.ErrExists) {
			t.Fatal(err)
		}
	}
	g := gate.New(db, reg)
	if err := demo.Seed(ctx, g, in.ID, ds); err != nil {
		t.Fatal(err)
	}
	if err := services.Ensure(ctx, db, "https://selfdata.example/privacy"); err != nil {
		t.Fatal(err)
	}
	def, _ := services.Lookup(service)
	grants := consent.NewGrants(db, reg)
	if _, err := grants.Grant(ctx, in.ID, service, def.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	p, on, err := grants.BuiltIn(ctx, in.ID, service)
	if err != nil || !on {
		t.Fatalf("switch on: %v %v", on, err)
	}
	return services.Through(g, p)
}

// demoHousing sums, from the generator's own bills, what each housing category must total over
// [from, to]: every demo bill is debited on its due date for its amount, so each counts once,
// on that date. The car policy is not a cost of the home.
func demoHousing(t *testing.T, ds *demo.Dataset, from, to time.Time) map[Category]money.Amount {
	t.Helper()
	out := map[Category]money.Amount{}
	for _, b := range ds.Docs {
		if b.Doctype != "bill" {
			continue
		}
		for _, d := range b.Docs {
			due, ok := day(d.Data["dueDate"].(string))
			if !ok || due.Before(from) || due.After(to) {
				continue
			}
			cat := Category(d.Data["type"].(string))
			if cat == Insurance && d.Data["contract"] != "insurance-maif-home" {
				continue
			}
			out[cat] = out[cat].Add(money.MustParse(d.Data["amount"].(string)))
		}
	}
	return out
}

// TestDemo: the demo person's year of housing expenses is the sum of the bills the generator
// issued for the home, each counted once though the bank statement debits every one, in all
// six categories, with nothing unsorted and no trend (the demo holds one year).
func TestDemo(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	for _, end := range []time.Time{
		time.Date(2026, 12, 3, 10, 0, 0, 0, paris),
		time.Date(2024, 3, 1, 0, 30, 0, 0, paris), // a leap February in the year; ends on a month's first day
	} {
		t.Run(end.Format(time.DateOnly), func(t *testing.T) {
			ds := demo.Generate(end, 1)
			rd := seedDemo(t, ds, services.Home)
			asOf := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.UTC)
			start := time.Now()
			r, err := Load(context.Background(), rd, Options{AsOf: asOf})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("computed in %v", time.Since(start))
			want := demoHousing(t, ds, r.From, r.To)
			var total money.Amount
			for _, c := range Categories {
				total = total.Add(want[c])
			}
			if len(r.Categories) != len(Categories) {
				t.Errorf("%d categories, want all %d: %+v", len(r.Categories), len(Categories), r.Categories)
			}
			for _, s := range r.Categories {
				if !s.Amount.Equal(want[s.Category]) || s.Amount.IsZero() {
					t.Errorf("%s: %s, want %s", s.Category, s.Amount, want[s.Category])
				}
			}
			if !r.Total.Equal(total) || !r.Energy.Equal(want[Electricity].Add(want[Gas])) {
				t.Errorf("total %s energy %s, want %s and %s", r.Total, r.Energy, total, want[Electricity].Add(want[Gas]))
			}
			var months money.Amount
			for _, m := range r.Months {
				months = months.Add(m.Total)
			}
			if !months.Equal(r.Total) {
				t.Errorf("months add up to %s, the year to %s", months, r.Total)
			}
			if len(r.Unsorted) != 0 || r.Trend != nil || r.Bills != 0 || r.Skipped != 0 {
				t.Errorf("unsorted %v, trend %v, %d bills without debit, %d skipped", r.Unsorted, r.Trend, r.Bills, r.Skipped)
			}
			t.Logf("%s – %s: %s (energy %s), %d debits", r.From.Format(time.DateOnly), r.To.Format(time.DateOnly), r.Total, r.Energy, r.Debits)
		})
	}
}
