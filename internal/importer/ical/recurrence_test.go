package ical

import (
	"reflect"
	"testing"
)

// TestRecurrenceExceptions checks that every EXDATE and RDATE value of an event is kept,
// placed like DTSTART, so that a cancelled occurrence reads as the start it would have had.
func TestRecurrenceExceptions(t *testing.T) {
	weekly := "RRULE:FREQ=WEEKLY"
	tests := []struct {
		name  string
		props []string
		want  map[string]any // fields of the record; nil for a field that must be absent
	}{
		{"several EXDATE lines and comma lists", []string{"DTSTART;TZID=Europe/Paris:20250106T090000", weekly,
			"EXDATE;TZID=Europe/Paris:20250113T090000,20250120T090000", "EXDATE;TZID=Europe/Paris:20250127T090000"},
			map[string]any{"exdates": []string{"2025-01-13T08:00:00Z", "2025-01-20T08:00:00Z", "2025-01-27T08:00:00Z"}, "rdates": nil}},
		{"Europe/Paris across the change to summer time", []string{"DTSTART;TZID=Europe/Paris:20250324T090000", weekly,
			"EXDATE;TZID=Europe/Paris:20250331T090000,20250324T090000"},
			map[string]any{"start": "2025-03-24T08:00:00Z", "exdates": []string{"2025-03-24T08:00:00Z", "2025-03-31T07:00:00Z"}}},
		{"whole days", []string{"DTSTART;VALUE=DATE:20250714", "RRULE:FREQ=YEARLY", "EXDATE;VALUE=DATE:20260714,20270714"},
			map[string]any{"start": "2025-07-13T22:00:00Z", "exdates": []string{"2026-07-13T22:00:00Z", "2027-07-13T22:00:00Z"}}},
		{"UTC, repeated, empty values", []string{"DTSTART:20250106T080000Z", weekly, "EXDATE:20250113T080000Z,,20250113T080000Z", "EXDATE:20250113T080000Z"},
			map[string]any{"exdates": []string{"2025-01-13T08:00:00Z"}}},
		{"RDATE lines, with a period", []string{"DTSTART;TZID=Europe/Paris:20250301T090000", weekly,
			"RDATE;TZID=Europe/Paris:20250402T090000,20250401T090000", "RDATE;VALUE=PERIOD:20250403T080000Z/PT1H"},
			map[string]any{"rdates": []string{"2025-04-01T07:00:00Z", "2025-04-02T07:00:00Z", "2025-04-03T08:00:00Z"}, "exdates": nil}},
		{"RDATE of whole days", []string{"DTSTART;VALUE=DATE:20250101", "RDATE;VALUE=DATE:20250601"},
			map[string]any{"rdates": []string{"2025-05-31T22:00:00Z"}}},
		{"cancelled event", []string{"DTSTART:20250106T080000Z", "STATUS:cancelled"},
			map[string]any{"status": "CANCELLED"}},
		{"status outside RFC 5545 left out", []string{"DTSTART:20250106T080000Z", "STATUS:X-MAYBE"},
			map[string]any{"status": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := append([]string{"UID:e"}, tt.props...)
			res := parseString(t, ics(event(props...)))
			if len(res.Records) != 1 || len(res.Notes) != 0 {
				t.Fatalf("%d records, notes %q", len(res.Records), res.Notes)
			}
			d := res.Records[0].Data
			for k, want := range tt.want {
				got, ok := d[k]
				if want == nil {
					if ok {
						t.Errorf("%s = %#v, want none", k, got)
					}
					continue
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %#v, want %#v", k, got, want)
				}
			}
		})
	}
}

// TestOverriddenOccurrences: an occurrence moved (or called off) by a VEVENT with the
// series' UID and a RECURRENCE-ID is a record of its own that points to its series, and the
// series lists the occurrences it no longer rules.
func TestOverriddenOccurrences(t *testing.T) {
	res := parseString(t, ics(
		event("UID:s", "RECURRENCE-ID;TZID=Europe/Paris:20250407T090000", "DTSTART;TZID=Europe/Paris:20250407T110000", "SUMMARY:moved"),
		event("UID:s", "DTSTART;TZID=Europe/Paris:20250324T090000", "RRULE:FREQ=WEEKLY", "SUMMARY:weekly"),
		event("UID:s", "RECURRENCE-ID;TZID=Europe/Paris:20250324T090000", "DTSTART;TZID=Europe/Paris:20250324T090000", "STATUS:CANCELLED"),
		event("UID:other", "RECURRENCE-ID:20250324T080000Z", "DTSTART:20250324T080000Z"),
	))
	if len(res.Records) != 4 {
		t.Fatalf("%d records", len(res.Records))
	}
	moved, series, cancelled, orphan := res.Records[0], res.Records[1], res.Records[2], res.Records[3]
	if series.Key != "s" || !reflect.DeepEqual(series.Data["overridden"], []string{"2025-03-24T08:00:00Z", "2025-04-07T07:00:00Z"}) {
		t.Errorf("series %q overridden = %#v", series.Key, series.Data["overridden"])
	}
	if moved.Key != "s#20250407T090000" || moved.Data["series"] != "s" || moved.Data["recurrenceId"] != "2025-04-07T07:00:00Z" || moved.Data["start"] != "2025-04-07T09:00:00Z" {
		t.Errorf("moved occurrence %q: %#v", moved.Key, moved.Data)
	}
	if cancelled.Data["series"] != "s" || cancelled.Data["status"] != "CANCELLED" {
		t.Errorf("cancelled occurrence: %#v", cancelled.Data)
	}
	if _, ok := orphan.Data["series"]; ok {
		t.Errorf("an occurrence without its series in the file got one: %#v", orphan.Data)
	}
	if _, ok := series.Data["series"]; ok {
		t.Error("the series points to a series")
	}
}
