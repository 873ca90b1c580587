package communication

import (
	"context"
	"math"
	"testing"
	"time"

	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// TestDemo reads the demo person's year through the gate, as the service, from a real
// SQLite store, and checks the report against sums made here straight from the generated
// records: every call, second, text message and byte is counted once.
func TestDemo(t *testing.T) {
	ctx := context.Background()
	end := time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)
	ds := demo.Generate(end, 1)

	var calls, sms, sessions int
	var seconds, bytes float64
	for _, b := range ds.Docs {
		if b.Doctype != Doctype {
			continue
		}
		for _, d := range b.Docs {
			switch d.Data["kind"] {
			case "call":
				calls++
				seconds += num(t, d.Data["durationSeconds"])
			case "sms":
				sms++
			case "data":
				sessions++
				bytes += num(t, d.Data["bytes"])
			}
		}
	}

	db, reg := sqlitetest.Open(t)
	if err := db.EnsureIndexes(ctx, reg.Indexes()); err != nil {
		t.Fatal(err)
	}
	g := gate.New(db, reg)
	in, err := db.CreateInstance(ctx, "demo", "not a passphrase hash: nobody logs in here")
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, g, in.ID, ds); err != nil {
		t.Fatal(err)
	}
	def, _ := services.Lookup(services.Communication)
	p := gate.BuiltIn(in.ID, def.ID, def.Name, def.Purpose, []gate.Scope{{Doctype: Doctype, Read: true}})
	recs, bad, err := Read(ctx, services.Through(g, p))
	if err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Errorf("%d demo records unreadable", bad)
	}
	rep := Summarize(recs, end, paris)

	if rep.Total.Calls != calls || rep.Total.CallTime != time.Duration(seconds)*time.Second {
		t.Errorf("%d calls, %v; the records hold %d calls, %v s", rep.Total.Calls, rep.Total.CallTime, calls, seconds)
	}
	if rep.Total.SMS != sms || rep.Total.DataSessions != sessions || rep.Total.DataBytes != int64(bytes) {
		t.Errorf("%d SMS, %d sessions, %d bytes; the records hold %d, %d, %.0f", rep.Total.SMS, rep.Total.DataSessions, rep.Total.DataBytes, sms, sessions, bytes)
	}
	// The brief's figures: about 650 calls, about 30 hours.
	if calls < 600 || calls > 720 || seconds < 25*3600 || seconds > 36*3600 {
		t.Errorf("the demo has %d calls, %.1f h: not the year the pages describe", calls, seconds/3600)
	}
	var byDay, byHour time.Duration
	for _, d := range rep.Days {
		byDay += d.CallTime
	}
	for _, h := range rep.Hours {
		byHour += h.CallTime
	}
	if byDay != rep.Total.CallTime || byHour != rep.Total.CallTime {
		t.Errorf("days add up to %v, hours to %v, total %v", byDay, byHour, rep.Total.CallTime)
	}
	paris15 := time.Date(2025, 6, 15, 0, 0, 0, 0, paris)
	if !rep.Through.Equal(paris15) || len(rep.Days) != 365 || len(rep.Weeks) != 52 {
		t.Errorf("through %s, %d days, %d weeks; want 15 June, a year, 52 weeks", rep.Through, len(rep.Days), len(rep.Weeks))
	}
	if rep.Trend == nil || rep.Trend.Previous != 4 || !rep.Trend.This.End.Equal(paris15) {
		t.Fatalf("trend %+v", rep.Trend)
	}
	if rep.RoamingDays != 15 {
		t.Errorf("%d days abroad, want the 15 days in Barcelona", rep.RoamingDays)
	}
	if len(rep.Operators) != 1 || rep.Operators[0] != "Orange" {
		t.Errorf("operators %v", rep.Operators)
	}
	t.Logf("demo: %d calls, %v; this week %v vs usual %v (%+d %%), suggestion %+v",
		calls, rep.Total.CallTime, time.Duration(rep.Trend.CallTime.ThisWeek), time.Duration(rep.Trend.CallTime.Usual), rep.Trend.CallTime.Percent, rep.Suggestion)
}

func num(t *testing.T, v any) float64 {
	t.Helper()
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		if x != math.Trunc(x) {
			t.Fatalf("a demo value with a fraction: %v", x)
		}
		return x
	}
	t.Fatalf("not a number: %T %v", v, v)
	return 0
}
