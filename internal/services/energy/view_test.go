package energy

import (
	"context"
	"encoding/json"
	"math"
	"testing"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

var bg = context.Background()

// testStore is a real SQLite store with one person, read as that person.
type testStore struct {
	g   *gate.Gate
	in  string
	src Source
}

func newTestStore(t *testing.T, now time.Time) *testStore {
	t.Helper()
	db, reg := sqlitetest.Open(t)
	in, err := db.CreateInstance(bg, "alice", "x")
	if err != nil {
		t.Fatal(err)
	}
	g := gate.New(db, reg)
	return &testStore{g: g, in: in.ID, src: Source{Reader: services.Through(g, gate.Owner(in.ID)), Loc: paris(t), Now: now}}
}

func (ts *testStore) series(t *testing.T, id, doctype, quantity, unit string, rs []store.Reading) {
	t.Helper()
	owner := gate.Owner(ts.in)
	err := ts.g.Write(bg, owner, func(b *gate.Batch) error {
		if _, err := b.CreateSeries(store.Series{ID: id, Doctype: doctype, Name: id, Quantity: quantity, Unit: unit, Source: owner.Source("", ts.g)}); err != nil {
			return err
		}
		_, err := b.AddReadings(id, rs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (ts *testStore) docs(t *testing.T, dt string, docs ...string) {
	t.Helper()
	owner := gate.Owner(ts.in)
	var in []gate.Input
	for i, d := range docs {
		in = append(in, gate.Input{ID: dt + "-" + string(rune('a'+i)), Data: json.RawMessage(d)})
	}
	if _, err := ts.g.Create(bg, owner, dt, in, owner.Source("", ts.g)); err != nil {
		t.Fatal(err)
	}
}

// daily is one reading per local midnight from first to last (inclusive), of value(day).
func daily(loc *time.Location, first, last time.Time, value func(time.Time) float64) []store.Reading {
	var rs []store.Reading
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		rs = append(rs, store.Reading{At: time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc).UTC(), Value: value(d)})
	}
	return rs
}

// TestConsumptionEqualSpans: water at 100 L a day, 200 L a day in March 2024, up to 15
// March 2025. The month of March 2025 is partial (15 days) and is compared with 1–15 March
// 2024, not with the whole month; the week of 10 March 2025 has 6 days (Monday to
// Saturday), compared with the same 6 weekdays 52 weeks earlier; full months are compared
// whole; a month before the readings start has nothing to be compared with.
func TestConsumptionEqualSpans(t *testing.T) {
	loc := paris(t)
	last := time.Date(2025, 3, 15, 0, 0, 0, 0, loc)
	ts := newTestStore(t, last.Add(20*time.Hour))
	ts.series(t, "water", "reading.water", "volume", "L", daily(loc, time.Date(2024, 1, 1, 0, 0, 0, 0, loc), last, func(d time.Time) float64 {
		if d.Year() == 2024 && d.Month() == time.March {
			return 200
		}
		return 100
	}))
	ms, err := FindMeters(bg, ts.src)
	if err != nil {
		t.Fatal(err)
	}
	m := ms.ByKind[Water]
	if m == nil || m.Interval != 24*time.Hour || !m.Until.Equal(last.AddDate(0, 0, 1)) {
		t.Fatalf("meter %+v", m)
	}
	month, err := Consumption(bg, ts.src, m, Price{}, Month, last, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := month.Last()
	if !b.Partial || b.Value != 1500 || !b.HasPrev || b.Prev != 3000 || !b.PrevTo.Equal(time.Date(2024, 3, 16, 0, 0, 0, 0, loc)) {
		t.Errorf("March 2025: partial %v, %v L against %v L (%v, until %v); want partial, 1500 against 3000 until 16 March 2024", b.Partial, b.Value, b.Prev, b.HasPrev, b.PrevTo)
	}
	feb := month.Buckets[len(month.Buckets)-2]
	if feb.Partial || feb.Value != 2800 || feb.Prev != 2900 {
		t.Errorf("February 2025: %v L against %v L; want 2800 (28 days) against 2900 (29 days of 2024)", feb.Value, feb.Prev)
	}
	if first := month.Buckets[0]; first.Start.Month() != time.April || first.HasPrev {
		t.Errorf("April 2024 has a comparison: %+v", first)
	}
	// April to December 2024 have no year before; January to March 2025 are compared:
	// 3100 + 2800 + 1500 = 7400 L against 3100 + 2900 + 3000 = 9000 L.
	if month.Pairs != 3 || month.Compared != 7400 || month.PrevCompared != 9000 || math.Abs(month.Change-(-1600.0/9000)) > 1e-12 {
		t.Errorf("%d pairs, %v against %v, change %v; want 3 pairs, 7400 against 9000", month.Pairs, month.Compared, month.PrevCompared, month.Change)
	}

	week, err := Consumption(bg, ts.src, m, Price{}, Week, last, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := week.Last()
	if !w.Start.Equal(time.Date(2025, 3, 10, 0, 0, 0, 0, loc)) || !w.Partial || w.Value != 600 || w.Prev != 1200 ||
		!w.PrevFrom.Equal(time.Date(2024, 3, 11, 0, 0, 0, 0, loc)) || !w.PrevTo.Equal(time.Date(2024, 3, 17, 0, 0, 0, 0, loc)) {
		t.Errorf("week of 10 March: %+v; want 600 L (6 days) against 1200 L (11–16 March 2024)", w)
	}
	// The weeks from 30 December 2024 have a year before (from 1 January 2024): 11 of 13.
	// A year before: 8 weeks of 700 L, 26 February–3 March 2024 (4 × 100 + 3 × 200), a
	// week of March and the 6 days of 11 March.
	if week.Pairs != 11 || week.Compared != 10*700+600 || week.PrevCompared != 8*700+1000+1400+1200 {
		t.Errorf("weeks: %d pairs, change %v", week.Pairs, week.Change)
	}
}

// TestPowerToEnergy: a load curve of mean powers every 30 minutes becomes energy: 1,000 W
// for 24 hours is 24 kWh, 500 W for the next day 12 kWh.
func TestPowerToEnergy(t *testing.T) {
	loc := paris(t)
	d := time.Date(2025, 3, 14, 0, 0, 0, 0, loc)
	ts := newTestStore(t, d.AddDate(0, 0, 2))
	var rs []store.Reading
	for at := d; at.Before(d.AddDate(0, 0, 2)); at = at.Add(30 * time.Minute) {
		w := 1000.0
		if !at.Before(d.AddDate(0, 0, 1)) {
			w = 500
		}
		rs = append(rs, store.Reading{At: at.UTC(), Value: w})
	}
	ts.series(t, "load-curve", "reading.electricity", "power", "W", rs)
	ms, err := FindMeters(bg, ts.src)
	if err != nil {
		t.Fatal(err)
	}
	m := ms.ByKind[Electricity]
	if m == nil || !m.Power || m.Interval != 30*time.Minute || m.Unit != "kWh" {
		t.Fatalf("meter %+v", m)
	}
	u, err := Consumption(bg, ts.src, m, Price{}, Day, d.AddDate(0, 0, 1), 2)
	if err != nil {
		t.Fatal(err)
	}
	if u.Buckets[0].Value != 24 || u.Buckets[1].Value != 12 || u.Total != 36 {
		t.Errorf("%v kWh and %v kWh, total %v; want 24, 12 and 36", u.Buckets[0].Value, u.Buckets[1].Value, u.Total)
	}
}

// TestPricesFromBills: EDF bills February 2025 at 82.00 for 280 kWh with a 12.00 monthly
// subscription: 0.2500 a kWh. The first half of March (150 kWh) costs 150 × 0.25 + 15/31 of
// 12.00 = 37.50 + 5.81 = 43.31. The person's own price wins over the bills.
func TestPricesFromBills(t *testing.T) {
	loc := paris(t)
	last := time.Date(2025, 3, 15, 0, 0, 0, 0, loc)
	ts := newTestStore(t, last.Add(20*time.Hour))
	ts.series(t, "daily", "reading.electricity", "energy", "Wh", daily(loc, time.Date(2025, 1, 1, 0, 0, 0, 0, loc), last, func(time.Time) float64 { return 10_000 }))
	ts.docs(t, "contract", `{"type":"electricity","provider":"EDF","label":"Tarif Bleu","start":"2020-01-01","price":"12.00","priceUnit":"month","currency":"EUR"}`,
		`{"type":"electricity","provider":"Old","start":"2010-01-01","end":"2019-12-31","price":"99.00","priceUnit":"month","currency":"EUR"}`)
	ts.docs(t, "bill", `{"vendor":"EDF","date":"2025-03-02","amount":"82.00","currency":"EUR","type":"electricity","periodStart":"2025-02-01","periodEnd":"2025-02-28"}`,
		`{"vendor":"Orange","date":"2025-03-02","amount":"30.00","currency":"EUR","type":"telecom","periodStart":"2025-02-01","periodEnd":"2025-02-28"}`)
	ms, err := FindMeters(bg, ts.src)
	if err != nil {
		t.Fatal(err)
	}
	prices, err := Prices(bg, ts.src, ms, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	p := prices[Electricity]
	if p.UnitFrom != FromBills || p.Unit.String() != "0.2500" || p.Bills != 1 || p.MonthlyFrom != FromContract || p.Monthly.String() != "12.00" {
		t.Fatalf("price %+v", p)
	}
	u, err := Consumption(bg, ts.src, ms.ByKind[Electricity], p, Month, last, 3)
	if err != nil {
		t.Fatal(err)
	}
	if b := u.Last(); b.Cost.String() != "43.31" || u.Buckets[1].Cost.String() != "82.00" {
		t.Errorf("March so far %s, February %s; want 43.31 and 82.00", b.Cost, u.Buckets[1].Cost)
	}
	own, err := Prices(bg, ts.src, ms, Settings{Prices: map[string]OwnPrice{Electricity: {UnitPrice: "0.2016"}}})
	if err != nil {
		t.Fatal(err)
	}
	if p := own[Electricity]; p.UnitFrom != FromSettings || p.Unit.String() != "0.2016" || p.MonthlyFrom != FromContract {
		t.Errorf("own price %+v", p)
	}
	if p := prices[Water]; p.Known() || p.PriceUnit != "m³" {
		t.Errorf("water without meter nor bill: %+v", p)
	}
}

// TestGoal: 43.31 spent in 15 days of a 31-day month is 89.51 at that pace: 90% of a
// 100.00 goal, under it.
func TestGoal(t *testing.T) {
	loc := paris(t)
	last := time.Date(2025, 3, 15, 0, 0, 0, 0, loc)
	ts := newTestStore(t, last.Add(20*time.Hour))
	ts.series(t, "daily", "reading.electricity", "energy", "Wh", daily(loc, time.Date(2025, 1, 1, 0, 0, 0, 0, loc), last, func(time.Time) float64 { return 10_000 }))
	ts.docs(t, "contract", `{"type":"electricity","provider":"EDF","start":"2020-01-01","price":"12.00","priceUnit":"month","currency":"EUR"}`)
	ts.docs(t, "bill", `{"vendor":"EDF","date":"2025-03-02","amount":"82.00","currency":"EUR","type":"electricity","periodStart":"2025-02-01","periodEnd":"2025-02-28"}`)
	ts.docs(t, SettingsDoctype, `{"goal":"100.00"}`)
	owner := gate.Owner(ts.in)
	// the settings document has the id the page writes
	if err := ts.g.Write(bg, owner, func(b *gate.Batch) error {
		docs, err := ts.g.Check(SettingsDoctype, []gate.Input{{ID: SettingsID, Data: json.RawMessage(`{"goal":"100.00","silenced":["excess"]}`)}})
		if err != nil {
			return err
		}
		_, err = b.Create(SettingsDoctype, docs, owner.Source("", ts.g))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	v, err := Overview(bg, ts.src, Month, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	g := v.Goal
	if !g.Set || !g.Known || g.Spent.String() != "43.31" || g.Days != 15 || g.Of != 31 || g.Projected.String() != "89.51" || g.Percent != 43 || g.ProjectedP != 90 || g.Over {
		t.Errorf("goal %+v", g)
	}
	if !v.Settings.Silenced[KindExcess] || v.Settings.Silenced[KindLeak] {
		t.Errorf("silenced %v", v.Settings.Silenced)
	}
	if len(v.Usages) != 1 || len(v.Missing) != 2 || v.Cost.String() != "43.31" {
		t.Errorf("%d usages, missing %v, cost %s", len(v.Usages), v.Missing, v.Cost)
	}
}
