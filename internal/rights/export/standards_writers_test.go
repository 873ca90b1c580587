package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"selfdata/internal/importer/fhir"
	"selfdata/internal/importer/greenbutton"
	"selfdata/internal/importer/ical"
	"selfdata/internal/importer/vcard"
	"selfdata/internal/store"
)

// list is an eachDocFunc over documents made from (id, JSON data) pairs.
func list(t *testing.T, pairs ...string) eachDocFunc {
	t.Helper()
	var ds []store.Doc
	for i := 0; i+1 < len(pairs); i += 2 {
		if !json.Valid([]byte(pairs[i+1])) {
			t.Fatalf("%s: invalid JSON %s", pairs[i], pairs[i+1])
		}
		ds = append(ds, store.Doc{ID: pairs[i], Data: json.RawMessage(pairs[i+1]), Updated: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
			Source: store.Source{Kind: "organization", Name: "CPAM du Rhône"}})
	}
	return func(fn func(store.Doc) error) error {
		for _, d := range ds {
			if err := fn(d); err != nil {
				return err
			}
		}
		return nil
	}
}

// checkLines fails unless every line of a content-line file ends with CRLF, holds at most
// 75 octets and is whole UTF-8.
func checkLines(t *testing.T, name string, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Errorf("%s does not end with CRLF", name)
	}
	for i, l := range bytes.Split(bytes.TrimSuffix(b, []byte("\r\n")), []byte("\r\n")) {
		if len(l) > 75 || !utf8.Valid(l) || bytes.ContainsAny(l, "\r\n") {
			t.Errorf("%s line %d (%d octets): %q", name, i+1, len(l), l)
		}
	}
}

func unfold(b []byte) string {
	return strings.ReplaceAll(string(b), "\r\n ", "")
}

func TestContentLine(t *testing.T) {
	tests := []struct {
		name, value string
		lines       int
	}{
		{"SUMMARY", "x", 1},
		{"SUMMARY", strings.Repeat("a", 75-len("SUMMARY:")), 1},
		{"SUMMARY", strings.Repeat("a", 76-len("SUMMARY:")), 2},
		{"DESCRIPTION", strings.Repeat("abcdefghij", 20), 3},
		{"LOCATION", strings.Repeat("é", 100), 3},                    // 200 octets: never cut inside a letter
		{"X", "a" + strings.Repeat("😀", 40), 3},                      // 4-octet runes across the folds
		{"FN", strings.Repeat("日本語", 30), 4},                         // 270 octets of 3-octet runes
		{"N", strings.Repeat(`\,`, 50) + strings.Repeat("ü", 30), 3}, // escapes and 2-octet runes
	}
	for _, tt := range tests {
		b := contentLine(nil, tt.name, tt.value)
		checkLines(t, tt.name, b)
		if got := bytes.Count(b, []byte("\r\n")); got != tt.lines {
			t.Errorf("%s of %d octets: %d lines, want %d:\n%s", tt.name, len(tt.value), got, tt.lines, b)
		}
		if got := unfold(b); got != tt.name+":"+tt.value+"\r\n" {
			t.Errorf("%s unfolds to %q", tt.name, got)
		}
	}
}

func TestEscapeText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                   "plain",
		"a, b; c":                 `a\, b\; c`,
		`back\slash`:              `back\\slash`,
		"one\ntwo\r\nthree\rfour": `one\ntwo\nthree\nfour`,
		"bell\a and tab\t":        "bell and tab\t",
		"Crêpes à l'œuf ; « ok »": `Crêpes à l'œuf \; « ok »`,
		"":                        "",
	} {
		if got := escapeText(in); got != want {
			t.Errorf("escapeText(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"Dr Lefèvre": "Dr Lefèvre", "Dupont, Fils": `"Dupont, Fils"`, `say "hi": now`: `"say 'hi': now"`, "a\nb": "a b"} {
		if got := paramValue(in); got != want {
			t.Errorf("paramValue(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteCalendar(t *testing.T) {
	long := strings.Repeat("Très longue description, avec des virgules; et des points-virgules. ", 4)
	events := list(t,
		"odd", `{"summary":"Réunion, budget; 2027 \\ fin","start":"2026-03-02T08:30:00Z","end":"2026-03-02T09:00:00Z",
			"location":"Salle «Rhône», 3e étage","description":"ligne 1\nligne 2\r\nligne 3 `+long+`","organizer":"Dr Lefèvre; cabinet, Lyon","status":"TENTATIVE"}`,
		"weekly", `{"summary":"Piscine","start":"2026-01-04T23:00:00Z","end":"2026-01-05T23:00:00Z","allDay":true,
			"recurrence":"FREQ=WEEKLY;BYDAY=MO","exdates":["2026-01-11T23:00:00Z","2026-01-18T23:00:00Z"],"rdates":["2026-01-14T23:00:00Z"],"organizer":"club@example.org"}`,
		"moved", `{"summary":"Piscine (déplacée)","start":"2026-01-26T23:00:00Z","end":"2026-01-27T23:00:00Z","allDay":true,
			"recurrenceId":"2026-01-25T23:00:00Z","series":"weekly"}`,
		"summer", `{"summary":"Été","start":"2026-07-01T22:00:00Z","allDay":true,"status":"CANCELLED"}`,
	)
	stamp := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	n, err := writeCalendar(&buf, stamp, events)
	if err != nil || n != 4 {
		t.Fatalf("writeCalendar: %d, %v", n, err)
	}
	b := buf.Bytes()
	checkLines(t, "calendar.ics", b)
	text := unfold(b)
	for _, w := range []string{
		"SUMMARY:Réunion\\, budget\\; 2027 \\\\ fin\r\n",
		"DESCRIPTION:ligne 1\\nligne 2\\nligne 3 Très longue",
		`ORGANIZER;CN="Dr Lefèvre; cabinet, Lyon":invalid:nomail` + "\r\n",
		"ORGANIZER:mailto:club@example.org\r\n",
		"DTSTART;VALUE=DATE:20260105\r\n", "EXDATE;VALUE=DATE:20260112\r\n", "RDATE;VALUE=DATE:20260115\r\n",
		"UID:weekly\r\nDTSTAMP:20260301T120000Z\r\nLAST-MODIFIED:20260301T120000Z\r\nDTSTART;VALUE=DATE:20260127\r\nDTEND;VALUE=DATE:20260128\r\nRECURRENCE-ID;VALUE=DATE:20260126\r\n",
		"DTSTART;VALUE=DATE:20260702\r\n",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("calendar.ics does not hold %q:\n%s", w, text)
		}
	}
	res, err := ical.ParseResult(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]any{}
	for _, r := range res.Records {
		got[r.Key] = r.Data
	}
	want := map[string]map[string]any{
		"odd": {"summary": "Réunion, budget; 2027 \\ fin", "start": "2026-03-02T08:30:00Z", "end": "2026-03-02T09:00:00Z", "allDay": false,
			"location": "Salle «Rhône», 3e étage", "description": "ligne 1\nligne 2\nligne 3 " + long, "organizer": "Dr Lefèvre; cabinet, Lyon", "status": "TENTATIVE"},
		"weekly": {"summary": "Piscine", "start": "2026-01-04T23:00:00Z", "end": "2026-01-05T23:00:00Z", "allDay": true, "recurrence": "FREQ=WEEKLY;BYDAY=MO",
			"exdates": []string{"2026-01-11T23:00:00Z", "2026-01-18T23:00:00Z"}, "rdates": []string{"2026-01-14T23:00:00Z"}, "organizer": "club@example.org",
			"overridden": []string{"2026-01-25T23:00:00Z"}},
		"weekly#20260126": {"summary": "Piscine (déplacée)", "start": "2026-01-26T23:00:00Z", "end": "2026-01-27T23:00:00Z", "allDay": true,
			"recurrenceId": "2026-01-25T23:00:00Z", "series": "weekly"},
		"summer": {"summary": "Été", "start": "2026-07-01T22:00:00Z", "allDay": true, "status": "CANCELLED"},
	}
	for key, w := range want {
		g, ok := got[key]
		if !ok {
			t.Errorf("event %s not read back (keys %v)", key, res.Records)
			continue
		}
		delete(g, "uid")
		gj, _ := json.Marshal(g)
		wj, _ := json.Marshal(w)
		if !bytes.Equal(gj, wj) {
			t.Errorf("event %s read back as\n%s\nwant\n%s", key, gj, wj)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d events read back, want %d", len(got), len(want))
	}

	buf.Reset()
	if n, err := writeCalendar(&buf, stamp, list(t)); err != nil || n != 0 || buf.String() != "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//selfdata//export//EN\r\nCALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n" {
		t.Errorf("no events: %d, %v, %q", n, err, buf.String())
	}
	_, err = writeCalendar(&buf, stamp, list(t, "bad", `{"summary":"x","start":"tomorrow"}`))
	if err == nil || !strings.Contains(err.Error(), "calendar.event bad") || !strings.Contains(err.Error(), "start") {
		t.Errorf("a start that is no instant: %v", err)
	}
}

func TestWriteVCards(t *testing.T) {
	cards := list(t,
		"c1", `{"fullName":"Jean-François d'Arc, fils; aîné","givenName":"Jean-François","familyName":"d'Arc; de Lyon","emails":["jf@example.fr","JF2@example.fr"],
			"phones":["+33 6 12 34 56 78","04 78 00 00 00"],"organization":"Dupont & Fils, SARL; Lyon","address":"12, rue de la Ré\\publique, 69002 Lyon","birthday":"1980-02-29"}`,
		"c2", `{"fullName":"`+strings.Repeat("Ünïcödé ", 15)+`","birthdayNoYear":"--12-25"}`,
		"c3", `{"fullName":"Ligne 1\nLigne 2"}`,
	)
	var buf bytes.Buffer
	n, err := writeVCards(&buf, cards)
	if err != nil || n != 3 {
		t.Fatalf("writeVCards: %d, %v", n, err)
	}
	b := buf.Bytes()
	checkLines(t, "contacts.vcf", b)
	text := unfold(b)
	for _, w := range []string{
		"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:c1\r\n",
		"N:d'Arc\\; de Lyon;Jean-François;;;\r\n", "ORG:Dupont & Fils\\, SARL\\; Lyon\r\n", "TEL;VALUE=text:+33 6 12 34 56 78\r\n",
		"ADR:;;12\\, rue de la Ré\\\\publique\\, 69002 Lyon;;;;\r\n", "BDAY:19800229\r\n", "BDAY:--1225\r\n", "FN:Ligne 1\\nLigne 2\r\n",
		"REV:20260301T120000Z\r\n",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("contacts.vcf does not hold %q:\n%s", w, text)
		}
	}
	res, err := vcard.ParseResult(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]any{
		"c1": {"fullName": "Jean-François d'Arc, fils; aîné", "givenName": "Jean-François", "familyName": "d'Arc; de Lyon", "emails": []string{"jf@example.fr", "JF2@example.fr"},
			"phones": []string{"+33 6 12 34 56 78", "04 78 00 00 00"}, "organization": "Dupont & Fils, SARL; Lyon", "address": "12, rue de la Ré\\publique, 69002 Lyon", "birthday": "1980-02-29"},
		"c2": {"fullName": strings.TrimSpace(strings.Repeat("Ünïcödé ", 15)), "birthdayNoYear": "--12-25"},
		"c3": {"fullName": "Ligne 1\nLigne 2"},
	}
	if len(res.Records) != len(want) {
		t.Fatalf("%d cards read back, want %d", len(res.Records), len(want))
	}
	for _, r := range res.Records {
		gj, _ := json.Marshal(r.Data)
		wj, _ := json.Marshal(want[r.Key])
		if !bytes.Equal(gj, wj) {
			t.Errorf("card %s read back as\n%s\nwant\n%s", r.Key, gj, wj)
		}
	}
	for _, bad := range []string{`{"fullName":"x","birthday":"1980-2-29"}`, `{"fullName":"x","birthdayNoYear":"12-25"}`} {
		if _, err := writeVCards(&buf, list(t, "bad", bad)); err == nil || !strings.Contains(err.Error(), "contact bad") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestWriteFHIR(t *testing.T) {
	claims := list(t,
		"cl-1", `{"date":"2026-02-09","amount":"30","currency":"EUR","provider":"Dr \"Jo\" Lefèvre,\nLyon","care":"consultation","reference":"DS1","patient":"Patient/p-1","diagnoses":["J06.9"],"periodEnd":"2026-02-10","coverage":"Coverage/part-b"}`,
		"cl-2", `{"date":"2026-03-01","amount":"-0.10","currency":"EUR","care":"régularisation"}`,
	)
	paid := list(t,
		"r-1", `{"date":"2026-02-13","amount":"19.00","currency":"EUR","claim":"cl-1","payer":"Assurance Maladie","reference":"DS1"}`,
		"r-2", `{"date":"2026-02-16","amount":"7.5","currency":"EUR","claim":"cl-1","payer":"Mutuelle","reference":"HM2"}`,
		"r-3", `{"date":"2026-02-20","amount":"1234567890.123","currency":"EUR","payer":"Harmonie Mutuelle","reference":"DS1"}`,
	)
	var buf bytes.Buffer
	nc, np, err := writeFHIR(&buf, time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC), claims, paid)
	if err != nil || nc != 2 || np != 3 {
		t.Fatalf("writeFHIR: %d claims, %d reimbursements, %v", nc, np, err)
	}
	if !json.Valid(buf.Bytes()) {
		t.Fatalf("health.json is not JSON:\n%s", buf.String())
	}
	for _, w := range []string{`"value":-0.10`, `"value":1234567890.123`, `"value":7.50`, `"claim":{"reference":"Claim/cl-1"}`} {
		if !strings.Contains(buf.String(), w) {
			t.Errorf("health.json does not hold %s:\n%s", w, buf.String())
		}
	}
	f, err := fhir.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	res, err := fhir.Adapt(f)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]any{
		"ExplanationOfBenefit/cl-1": {"date": "2026-02-09", "amount": "30.00", "currency": "EUR", "provider": "Dr \"Jo\" Lefèvre,\nLyon", "care": "consultation",
			"reference": "DS1", "patient": "Patient/p-1", "diagnoses": []string{"J06.9"}, "periodEnd": "2026-02-10", "coverage": "Coverage/part-b", "status": "active"},
		"ExplanationOfBenefit/cl-1/payment": {"date": "2026-02-13", "amount": "19.00", "currency": "EUR", "claim": "ExplanationOfBenefit/cl-1", "payer": "Assurance Maladie", "reference": "DS1"},
		"ExplanationOfBenefit/cl-2":         {"date": "2026-03-01", "amount": "-0.10", "currency": "EUR", "care": "régularisation", "reference": "cl-2", "status": "active"},
		"ExplanationOfBenefit/r-2/payment":  {"date": "2026-02-16", "amount": "7.50", "currency": "EUR", "payer": "Mutuelle", "reference": "HM2"},
		"ExplanationOfBenefit/r-3/payment":  {"date": "2026-02-20", "amount": "1234567890.123", "currency": "EUR", "payer": "Harmonie Mutuelle", "reference": "DS1"},
	}
	if len(res.Records) != len(want) {
		t.Errorf("%d records read back, want %d: %+v", len(res.Records), len(want), res.Records)
	}
	for _, r := range res.Records {
		w, ok := want[r.Key]
		if !ok {
			t.Errorf("%s read back, not written", r.Key)
			continue
		}
		gj, _ := json.Marshal(r.Data)
		wj, _ := json.Marshal(w)
		if !bytes.Equal(gj, wj) {
			t.Errorf("%s read back as\n%s\nwant\n%s", r.Key, gj, wj)
		}
	}
	if _, _, err := writeFHIR(&buf, time.Now(), list(t, "bad", `{"date":"2026-01-01","amount":"12,5","currency":"EUR"}`), list(t)); err == nil || !strings.Contains(err.Error(), "health.claim bad") {
		t.Errorf("an amount that is no decimal: %v", err)
	}
}

func TestWriteESPI(t *testing.T) {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	every := func(n int, step time.Duration, v func(i int) float64) []store.Reading {
		rs := make([]store.Reading, n)
		for i := range rs {
			rs[i] = store.Reading{At: day.Add(time.Duration(i) * step), Value: v(i)}
		}
		return rs
	}
	tests := []struct {
		name     string
		unit     string
		decimals int
		rs       []store.Reading
		want     []float64 // read back, in the importer's unit; nil: as stored
		interval int64
		blocks   int
		pow      int64
	}{
		{name: "empty series", unit: "Wh", interval: 0, blocks: 0},
		{name: "one reading", unit: "L", decimals: 1, rs: every(1, time.Hour, func(int) float64 { return 12.5 }), interval: 0, blocks: 1, pow: -1},
		{name: "kWh at three decimals, negative, across days", unit: "kWh", decimals: 3,
			rs:       []store.Reading{{At: day, Value: 1.234}, {At: day.Add(23 * time.Hour), Value: -0.001}, {At: day.Add(25 * time.Hour), Value: 0}, {At: day.Add(49 * time.Hour), Value: 138.803}},
			want:     []float64{1234, -1, 0, 138803},
			interval: 0, blocks: 3, pow: 0},
		{name: "whole Wh, large", unit: "Wh", rs: every(48, 30*time.Minute, func(i int) float64 { return 123456789012 + float64(i) }), interval: 1800, blocks: 1},
		{name: "m3 at six decimals", unit: "m3", decimals: 6, rs: every(3, 24*time.Hour, func(i int) float64 { return []float64{0.000001, 1.1, 999.999999}[i] }), interval: 86400, blocks: 3, pow: -6},
		{name: "finer than six decimals, rounded to seven", unit: "degC", decimals: 7, rs: every(2, time.Minute, func(i int) float64 { return []float64{0.12345678, 21.5}[i] }),
			want: []float64{0.1234568, 21.5}, interval: 60, blocks: 1, pow: -7},
		{name: "more readings in a day than a block holds", unit: "W", rs: every(espiBlock+5, time.Second, func(i int) float64 { return float64(i % 7) }), interval: 1, blocks: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := store.Series{ID: "s/1 é", Doctype: "reading.water", Name: "Relevés <eau> & co", Quantity: "volume", Unit: tt.unit, Decimals: tt.decimals, Meter: "m&1", Source: store.Source{Name: "Eau du Grand Lyon"}}
			f := espiFeed{Series: s, Kind: 2, Commodity: 9, Unit: espiUnits[tt.unit], Updated: day}
			var buf bytes.Buffer
			pages := func(fn func([]store.Reading) error) error { // pages of 3, the last one short
				for i := 0; ; i += 3 {
					page := tt.rs[min(i, len(tt.rs)):min(i+3, len(tt.rs))]
					if err := fn(page); err != nil || len(page) < 3 {
						return err
					}
				}
			}
			n, err := writeESPI(&buf, f, pages)
			if err != nil || n != int64(len(tt.rs)) {
				t.Fatalf("writeESPI: %d, %v", n, err)
			}
			feed, err := greenbutton.Parse(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatalf("%v\n%s", err, buf.String())
			}
			blocks := 0
			var rt *greenbutton.ReadingType
			for _, e := range feed.Entries {
				blocks += len(e.Blocks)
				if e.ReadingType != nil {
					rt = e.ReadingType
				}
			}
			if blocks != tt.blocks || rt == nil || rt.IntervalLength != tt.interval || rt.PowerOfTenMultiplier != tt.pow {
				t.Errorf("%d blocks, ReadingType %+v; want %d blocks, intervalLength %d, power of ten %d", blocks, rt, tt.blocks, tt.interval, tt.pow)
			}
			res, err := greenbutton.Adapt(feed)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Series) != 1 || res.Series[0].Name != s.Name || res.Records[0].Data["provider"] != "Eau du Grand Lyon" {
				t.Fatalf("read back %+v", res)
			}
			got := res.Series[0].Readings
			if len(got) != len(tt.rs) {
				t.Fatalf("%d readings read back, %d written", len(got), len(tt.rs))
			}
			for i, r := range tt.rs {
				want := r.Value
				if tt.want != nil {
					want = tt.want[i]
				}
				if !got[i].At.Equal(r.At) || got[i].Value != want {
					t.Errorf("reading %d read back %v %v, want %v %v", i, got[i].At, got[i].Value, r.At, want)
				}
			}
		})
	}
	s := store.Series{ID: "big", Unit: "Wh", Decimals: 3}
	_, err := writeESPI(&bytes.Buffer{}, espiFeed{Series: s, Unit: espiUnits["Wh"]}, func(fn func([]store.Reading) error) error {
		return fn([]store.Reading{{At: day, Value: 1e17}})
	})
	if err == nil || !strings.Contains(err.Error(), "2026-03-01T00:00:00Z") || !strings.Contains(err.Error(), "64-bit") {
		t.Errorf("a value too large for ESPI: %v", err)
	}
}
