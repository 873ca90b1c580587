package ical

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/importer/samples"
)

// The expected records were checked by hand against the files: Thunderbird's 15:00 in
// Europe/London on 2024-10-23 is BST (+01:00, until 27 October); Google's Zurich 14:00 on
// 2016-10-28 is CEST (until 30 October); the Exchange invite's 10:00 on 2015-07-03 falls
// in the VTIMEZONE's DAYLIGHT part (+02:00), which its own RRULE UNTIL=…T080000Z confirms.
func TestSamples(t *testing.T) {
	tests := []struct {
		file string
		want []importer.Record
	}{
		{"calendar/alarm_google_future.ics", []importer.Record{{Doctype: Doctype, Key: "79fs7pkqvht9m5igs0vjv1sfra@google.com", Data: map[string]any{
			"uid": "79fs7pkqvht9m5igs0vjv1sfra@google.com", "summary": "event with alarms", "allDay": false,
			"start": "2024-10-04T18:15:00Z", "end": "2024-10-04T19:00:00Z", "status": "CONFIRMED"}}}},
		{"calendar/alarm_thunderbird_future.ics", []importer.Record{{Doctype: Doctype, Key: "b9a23b47-f109-4e7a-908c-75e925b27def", Data: map[string]any{
			"uid": "b9a23b47-f109-4e7a-908c-75e925b27def", "summary": "event with alarms", "allDay": false,
			"start": "2024-10-23T14:00:00Z", "end": "2024-10-23T15:00:00Z", "timeZone": "Europe/London", "tzOffset": "+01:00"}}}},
		{"calendar/x_location.ics", []importer.Record{{Doctype: Doctype, Key: "BFE33ADD-5553-48B5-B5A5-F9DA5CA4C393", Data: map[string]any{
			"uid": "BFE33ADD-5553-48B5-B5A5-F9DA5CA4C393", "summary": "Daily Sync", "allDay": false,
			"start": "2016-10-28T12:00:00Z", "end": "2016-10-28T12:30:00Z", "timeZone": "Europe/Zurich", "tzOffset": "+02:00",
			"description": "Some Description", "location": "Roadstar 16\n12764 Happyville\nDenmark",
			"recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "status": "CONFIRMED"}}}},
		{"calendar/issue_165_missing_event.ics", []importer.Record{{Doctype: Doctype, Key: "nouid:2a7b555b26c749b6de9c54d7", Data: map[string]any{
			"summary": "Sprint 25 Daily Standup", "allDay": false,
			"start": "2015-07-03T08:00:00Z", "end": "2015-07-03T08:30:00Z",
			"timeZone": "GMT +0100 (Standard) / GMT +0200 (Daylight)", "tzOffset": "+02:00",
			"recurrence": "FREQ=DAILY;UNTIL=20150722T080000Z;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;WKST=SU"}}}},
		{"calendar/bom_calendar.ics", []importer.Record{}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			res, err := ParseResult(samples.Open(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != Name || len(res.Notes) != 0 || res.Skipped != 0 {
				t.Errorf("format %q, notes %q, skipped %d", res.Format, res.Notes, res.Skipped)
			}
			if !reflect.DeepEqual(res.Records, tt.want) {
				t.Errorf("records:\n got %#v\nwant %#v", res.Records, tt.want)
			}
		})
	}
}

// TestSamplesTwice checks that importing a file again yields the same keys.
func TestSamplesTwice(t *testing.T) {
	a, err := ParseResult(samples.Open(t, "calendar/issue_165_missing_event.ics"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ParseResult(samples.Open(t, "calendar/issue_165_missing_event.ics"))
	if a.Records[0].Key != b.Records[0].Key {
		t.Errorf("keys differ: %q, %q", a.Records[0].Key, b.Records[0].Key)
	}
}

// TestVTimezoneRules follows the files' own VTIMEZONE rules and compares them with the
// IANA database at noon every week: Thunderbird's 75 observances for Europe/London, and
// Exchange's two yearly rules, which are those of Europe/Berlin since 1996.
func TestVTimezoneRules(t *testing.T) {
	tests := []struct {
		file, tzid, iana string
		from, to         int
	}{
		{"calendar/alarm_thunderbird_future.ics", "Europe/London", "Europe/London", 1972, 2037},
		{"calendar/issue_165_missing_event.ics", "GMT +0100 (Standard) / GMT +0200 (Daylight)", "Europe/Berlin", 1996, 2037},
		{"calendar/x_location.ics", "Europe/Zurich", "Europe/Zurich", 1996, 2037},
	}
	for _, tt := range tests {
		cal, err := Parse(samples.Open(t, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		tz := cal.TimeZones[tt.tzid]
		if tz == nil || !tz.understood() {
			t.Fatalf("%s: VTIMEZONE %q missing or not understood", tt.file, tt.tzid)
		}
		loc, err := time.LoadLocation(tt.iana)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for w := time.Date(tt.from, 1, 1, 12, 0, 0, 0, time.UTC); w.Year() < tt.to; w = w.AddDate(0, 0, 7) {
			_, want := time.Date(w.Year(), w.Month(), w.Day(), 12, 0, 0, 0, loc).Zone()
			if got := tz.offsetAt(w); got != want {
				t.Fatalf("%s: offset at %s = %d, want %d", tt.file, w.Format(time.DateTime), got, want)
			}
			checked++
		}
		if checked < 52*20 {
			t.Errorf("only %d weeks checked", checked)
		}
	}
}

// TestDetect runs Detect on every file of the samples folder: only iCalendar files are
// claimed.
func TestDetect(t *testing.T) {
	root := samples.Dir(t)
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(path) == "README.md" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if len(b) > 8<<10 {
			b = b[:8<<10]
		}
		want := strings.HasSuffix(path, ".ics")
		if got := Detect(b, filepath.Base(path)); got != want {
			t.Errorf("Detect(%s) = %v, want %v", path, got, want)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 39 {
		t.Errorf("only %d sample files seen", n)
	}
	if !Detect([]byte("\r\n begin:vcalendar\r\n"), "x.txt") || Detect([]byte("BEGIN:VCARD\r\n"), "x.ics") || Detect(nil, "a.ics") {
		t.Error("Detect misreads a minimal head")
	}
}
