package communication

import (
	"encoding/json"
	"testing"
	"time"

	"selfdata/internal/store"
)

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

// at is a local time in Paris, written "2006-01-02 15:04".
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
	if err != nil {
		panic(err)
	}
	return t
}

func call(when string, d time.Duration) Record {
	return Record{Kind: Call, At: at(when), Duration: d}
}

func sms(when string) Record { return Record{Kind: SMS, At: at(when)} }

func data(when string, bytes int64) Record {
	return Record{Kind: Data, At: at(when), Bytes: bytes, Duration: time.Hour}
}

// dayOf finds the day starting at the local midnight of when ("2006-01-02").
func dayOf(t *testing.T, rep Report, when string) Day {
	t.Helper()
	start := at(when + " 00:00")
	for _, d := range rep.Days {
		if d.Start.Equal(start) {
			return d
		}
	}
	t.Fatalf("no day %s among %d", when, len(rep.Days))
	return Day{}
}

// TestSummarizeSplits: a call's time goes to the local hours and days it lasts in,
// across midnight and across both changes of summer time; counts go to where it started.
func TestSummarizeSplits(t *testing.T) {
	for _, c := range []struct {
		name  string
		rec   Record
		hours map[int]time.Duration // hour of the day: time on calls
		days  map[string]time.Duration
		calls map[string]int
	}{
		{"across midnight", call("2025-01-14 23:50", 20*time.Minute),
			map[int]time.Duration{23: 10 * time.Minute, 0: 10 * time.Minute},
			map[string]time.Duration{"2025-01-14": 10 * time.Minute, "2025-01-15": 10 * time.Minute},
			map[string]int{"2025-01-14": 1, "2025-01-15": 0}},
		{"spring forward: 2 h does not exist", call("2025-03-30 01:50", 20*time.Minute),
			map[int]time.Duration{1: 10 * time.Minute, 2: 0, 3: 10 * time.Minute},
			map[string]time.Duration{"2025-03-30": 20 * time.Minute},
			map[string]int{"2025-03-30": 1}},
		{"fall back: 2 h happens twice", Record{Kind: Call, At: time.Date(2025, 10, 26, 0, 50, 0, 0, time.UTC), Duration: 20 * time.Minute}, // 02:50 CEST to 02:10 CET
			map[int]time.Duration{1: 0, 2: 20 * time.Minute, 3: 0},
			map[string]time.Duration{"2025-10-26": 20 * time.Minute},
			map[string]int{"2025-10-26": 1}},
		{"over an hour, from a quarter past", call("2025-05-05 18:15", 75*time.Minute+30*time.Second),
			map[int]time.Duration{18: 45 * time.Minute, 19: 30*time.Minute + 30*time.Second},
			map[string]time.Duration{"2025-05-05": 75*time.Minute + 30*time.Second},
			map[string]int{"2025-05-05": 1}},
		{"a call of no time", call("2025-05-05 09:00", 0),
			map[int]time.Duration{9: 0},
			map[string]time.Duration{"2025-05-05": 0},
			map[string]int{"2025-05-05": 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := Summarize([]Record{c.rec}, c.rec.At.Add(48*time.Hour), paris)
			if rep.Total.CallTime != c.rec.Duration || rep.Total.Calls != 1 {
				t.Errorf("total %v in %d calls, want %v in 1", rep.Total.CallTime, rep.Total.Calls, c.rec.Duration)
			}
			var sum time.Duration
			for _, h := range rep.Hours {
				sum += h.CallTime
			}
			if sum != c.rec.Duration {
				t.Errorf("hours add up to %v", sum)
			}
			for h, want := range c.hours {
				if got := rep.Hours[h].CallTime; got != want {
					t.Errorf("hour %d: %v, want %v", h, got, want)
				}
			}
			for d, want := range c.days {
				if got := dayOf(t, rep, d).CallTime; got != want {
					t.Errorf("day %s: %v, want %v", d, got, want)
				}
			}
			for d, want := range c.calls {
				if got := dayOf(t, rep, d).Calls; got != want {
					t.Errorf("day %s: %d calls, want %d", d, got, want)
				}
			}
		})
	}
}

// TestSummarizeDSTDays: the day of the change of time is one day, whatever its 23 or 25
// hours, and the week around it is seven days.
func TestSummarizeDSTDays(t *testing.T) {
	recs := []Record{call("2025-10-20 08:00", time.Minute), call("2025-10-26 23:30", time.Minute), call("2025-10-27 00:30", time.Minute)}
	rep := Summarize(recs, at("2025-10-27 12:00"), paris)
	if len(rep.Days) != 8 {
		t.Fatalf("%d days, want 8 (20 to 27 October)", len(rep.Days))
	}
	if len(rep.Weeks) != 1 || !rep.Weeks[0].Start.Equal(at("2025-10-20 00:00")) || !rep.Weeks[0].End.Equal(at("2025-10-27 00:00")) {
		t.Fatalf("weeks %+v", rep.Weeks)
	}
	if w := rep.Weeks[0]; w.Calls != 2 || w.CallTime != 2*time.Minute {
		t.Errorf("the week holds %d calls, %v; want the two before Monday", w.Calls, w.CallTime)
	}
	if d := dayOf(t, rep, "2025-10-26"); d.Calls != 1 || d.ByPart[Evening] != time.Minute {
		t.Errorf("26 October: %+v", d)
	}
}

// weekly builds records with one call a week, on Tuesday evening, of the given minutes,
// for the weeks ending on Monday 16 June 2025 (the last value is the last week).
func weekly(minutes ...int) []Record {
	var recs []Record
	end := at("2025-06-16 00:00")
	start := end.AddDate(0, 0, -7*len(minutes))
	recs = append(recs, Record{Kind: SMS, At: start.Add(time.Hour)}) // the records start that day
	for i, m := range minutes {
		d := start.AddDate(0, 0, 7*i+1).Add(20 * time.Hour)
		if m > 0 {
			recs = append(recs, Record{Kind: Call, At: d, Duration: time.Duration(m) * time.Minute})
		}
	}
	return recs
}

// TestTrend: this week against the average of the (up to) four before, in every case the
// page words differently, and the suggestion only when calls clearly take more time.
func TestTrend(t *testing.T) {
	now := at("2025-06-16 10:00")
	for _, c := range []struct {
		name     string
		recs     []Record
		previous int
		m        Measure
		suggest  *Suggestion
	}{
		{"40 % more on evenings", weekly(50, 50, 50, 50, 70), 4, Measure{ThisWeek: int64(70 * time.Minute), Usual: int64(50 * time.Minute), Percent: 40, Direction: More}, &Suggestion{40, Evening}},
		{"only the four weeks before count", weekly(500, 50, 50, 50, 50, 70), 4, Measure{ThisWeek: int64(70 * time.Minute), Usual: int64(50 * time.Minute), Percent: 40, Direction: More}, &Suggestion{40, Evening}},
		{"fewer than four previous weeks", weekly(10, 20, 30), 2, Measure{ThisWeek: int64(30 * time.Minute), Usual: int64(15 * time.Minute), Percent: 100, Direction: More}, &Suggestion{100, Evening}},
		{"one previous week", weekly(60, 45), 1, Measure{ThisWeek: int64(45 * time.Minute), Usual: int64(60 * time.Minute), Percent: -25, Direction: Less}, nil},
		{"a week with no calls", weekly(30, 40, 50, 40, 0), 4, Measure{ThisWeek: 0, Usual: int64(40 * time.Minute), Percent: -100, Direction: Less}, nil},
		{"no calls ever", weekly(0, 0, 0), 2, Measure{Direction: Quiet}, nil},
		{"calls where there were none", weekly(0, 0, 45), 2, Measure{ThisWeek: int64(45 * time.Minute), Direction: Started}, nil},
		{"about the same", weekly(40, 40, 40, 40, 43), 4, Measure{ThisWeek: int64(43 * time.Minute), Usual: int64(40 * time.Minute), Percent: 8, Direction: Same}, nil},
		{"more, but little time", weekly(10, 10, 10, 10, 20), 4, Measure{ThisWeek: int64(20 * time.Minute), Usual: int64(10 * time.Minute), Percent: 100, Direction: More}, nil},
		{"just one week: nothing to compare", weekly(45), 0, Measure{ThisWeek: int64(45 * time.Minute)}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := Summarize(c.recs, now, paris)
			if rep.Trend == nil {
				t.Fatal("no trend")
			}
			tr := rep.Trend
			if !tr.This.Start.Equal(at("2025-06-09 00:00")) || !tr.This.End.Equal(at("2025-06-16 00:00")) {
				t.Errorf("this week %s – %s", tr.This.Start, tr.This.End)
			}
			if tr.Previous != c.previous {
				t.Errorf("compared with %d weeks, want %d", tr.Previous, c.previous)
			}
			if tr.CallTime != c.m {
				t.Errorf("call time %+v, want %+v", tr.CallTime, c.m)
			}
			switch {
			case c.suggest == nil && rep.Suggestion != nil:
				t.Errorf("suggests %+v", *rep.Suggestion)
			case c.suggest != nil && (rep.Suggestion == nil || *rep.Suggestion != *c.suggest):
				t.Errorf("suggestion %v, want %+v", rep.Suggestion, *c.suggest)
			}
		})
	}
}

// TestTrendNone: without a full week of records there is no trend, and none from no
// records at all.
func TestTrendNone(t *testing.T) {
	if rep := Summarize(nil, time.Now(), paris); rep.Trend != nil || rep.Records != 0 || len(rep.Days) != 0 || rep.Total != (Totals{}) {
		t.Errorf("from nothing: %+v", rep)
	}
	rep := Summarize([]Record{call("2025-06-12 10:00", time.Hour)}, at("2025-06-16 10:00"), paris)
	if rep.Trend != nil || len(rep.Weeks) != 0 {
		t.Errorf("four days of records give a trend: %+v", rep.Trend)
	}
	if len(rep.Days) != 4 || rep.Total.CallTime != time.Hour {
		t.Errorf("%d days, %v", len(rep.Days), rep.Total.CallTime)
	}
}

// TestThroughDeposit: the weeks end at the day of the latest deposit, not today: the days
// after it are not restored yet, and are no reason to say calls stopped.
func TestThroughDeposit(t *testing.T) {
	recs := weekly(50, 50, 50, 50, 70)
	for i := range recs {
		recs[i].Source = store.Source{Kind: "organization", ID: "orange", Name: "Orange", At: at("2025-06-16 09:00")}
	}
	rep := Summarize(recs, at("2025-07-30 10:00"), paris)
	if !rep.Through.Equal(at("2025-06-16 00:00")) {
		t.Fatalf("through %s, want the deposit's day", rep.Through)
	}
	if rep.Trend == nil || rep.Trend.CallTime.Percent != 40 {
		t.Errorf("trend %+v", rep.Trend)
	}
	if len(rep.Operators) != 1 || rep.Operators[0] != "Orange" {
		t.Errorf("operators %v", rep.Operators)
	}
}

// TestTotalsByKind: calls, text messages and data sessions each in their own count, and
// a data session's length is not time on the phone.
func TestTotalsByKind(t *testing.T) {
	recs := []Record{
		call("2025-06-02 09:00", 90*time.Second), call("2025-06-02 09:30", 30*time.Second),
		sms("2025-06-02 10:00"), sms("2025-06-03 22:00"), sms("2025-06-04 08:00"),
		data("2025-06-02 12:00", 1_500_000), data("2025-06-05 12:00", 2_500_000),
		{Kind: SMS, At: at("2025-06-06 12:00"), Roaming: true}, {Kind: Call, At: at("2025-06-06 12:30"), Roaming: true},
	}
	rep := Summarize(recs, at("2025-06-10 10:00"), paris)
	want := Totals{Calls: 3, CallTime: 2 * time.Minute, SMS: 4, DataSessions: 2, DataBytes: 4_000_000}
	if rep.Total != want {
		t.Errorf("totals %+v, want %+v", rep.Total, want)
	}
	if rep.Hours[9].Calls != 2 || rep.Hours[9].CallTime != 2*time.Minute || rep.Hours[22].SMS != 1 {
		t.Errorf("hours 9 %+v, 22 %+v", rep.Hours[9], rep.Hours[22])
	}
	if rep.RoamingDays != 1 {
		t.Errorf("%d days abroad, want 1", rep.RoamingDays)
	}
	if len(rep.Days) != 8 { // 2 to 9 June: the quiet days up to the day before now are days too
		t.Errorf("%d days", len(rep.Days))
	}
}

// TestParse: what cannot be read is counted and left out, never guessed at.
func TestParse(t *testing.T) {
	doc := func(id, data string) store.Doc { return store.Doc{ID: id, Data: json.RawMessage(data)} }
	recs, bad := Parse([]store.Doc{
		doc("ok-call", `{"kind":"call","at":"2025-03-01T08:00:00Z","durationSeconds":125,"direction":"out","correspondent":"+33 6 •• •• 12 34"}`),
		doc("ok-fraction", `{"kind":"call","at":"2025-03-01T09:00:00+01:00","durationSeconds":1.5}`),
		doc("ok-data", `{"kind":"data","at":"2025-03-01T08:00:00Z","bytes":2048,"durationSeconds":60}`),
		doc("ok-sms", `{"kind":"sms","at":"2025-03-01T08:00:00Z","roaming":true}`),
		doc("no-at", `{"kind":"sms"}`),
		doc("bad-at", `{"kind":"sms","at":"yesterday"}`),
		doc("bad-kind", `{"kind":"fax","at":"2025-03-01T08:00:00Z"}`),
		doc("negative", `{"kind":"call","at":"2025-03-01T08:00:00Z","durationSeconds":-3}`),
		doc("two-days", `{"kind":"call","at":"2025-03-01T08:00:00Z","durationSeconds":172800}`),
		doc("huge-bytes", `{"kind":"data","at":"2025-03-01T08:00:00Z","bytes":1e300}`),
		doc("not-json", `[`),
	})
	if bad != 7 || len(recs) != 4 {
		t.Fatalf("%d read, %d unreadable: %+v", len(recs), bad, recs)
	}
	if r := recs[0]; r.ID != "ok-call" || r.Duration != 125*time.Second || r.Direction != "out" || r.Correspondent != "+33 6 •• •• 12 34" || !r.At.Equal(time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("call %+v", r)
	}
	if recs[1].Duration != 1500*time.Millisecond || recs[2].Bytes != 2048 || !recs[3].Roaming {
		t.Errorf("read %+v", recs[1:])
	}
}
