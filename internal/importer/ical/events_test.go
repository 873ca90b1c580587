package ical

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"selfdata/internal/importer"
)

// ics builds a calendar from lines, one event per "BEGIN:VEVENT ... END:VEVENT" block.
func ics(lines ...string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VCALENDAR\r\n"
}

func parseString(t *testing.T, in string) *importer.Result {
	t.Helper()
	res, err := ParseResult(strings.NewReader(in))
	if err != nil {
		t.Fatalf("ParseResult: %v", err)
	}
	return res
}

const winterRules = "BEGIN:VTIMEZONE\r\nTZID:Custom Zone\r\n" +
	"BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n" +
	"BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n" +
	"END:VTIMEZONE"

const oddRules = "BEGIN:VTIMEZONE\r\nTZID:Odd Zone\r\n" +
	"BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETTO:+0530\r\nRRULE:FREQ=MONTHLY;BYDAY=1SU\r\nEND:STANDARD\r\n" +
	"BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETTO:+0630\r\nRRULE:FREQ=YEARLY;BYWEEKNO=20\r\nEND:DAYLIGHT\r\n" +
	"END:VTIMEZONE"

func event(props ...string) string {
	return "BEGIN:VEVENT\r\n" + strings.Join(props, "\r\n") + "\r\nEND:VEVENT"
}

func TestEvents(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]any // fields to check in the first record
		key  string
		note string // a note that must be present
	}{
		{"windows zone name", ics(event("UID:w", "DTSTART;TZID=W. Europe Standard Time:20250115T090000")),
			map[string]any{"start": "2025-01-15T08:00:00Z", "timeZone": "W. Europe Standard Time", "tzOffset": "+01:00"}, "w", ""},
		{"windows zone in summer", ics(event("UID:r", `DTSTART;TZID="Romance Standard Time":20250715T090000`)),
			map[string]any{"start": "2025-07-15T07:00:00Z", "tzOffset": "+02:00"}, "r", ""},
		{"pacific", ics(event("UID:p", "DTSTART;TZID=Pacific Standard Time:20250715T090000")),
			map[string]any{"start": "2025-07-15T16:00:00Z", "tzOffset": "-07:00"}, "p", ""},
		{"custom VTIMEZONE in winter", ics(winterRules, event("UID:c", "DTSTART;TZID=Custom Zone:20250115T090000", "DTEND;TZID=Custom Zone:20250715T090000")),
			map[string]any{"start": "2025-01-15T08:00:00Z", "end": "2025-07-15T07:00:00Z", "tzOffset": "+01:00"}, "c", ""},
		{"VTIMEZONE after the event", ics(event("UID:c", "DTSTART;TZID=Custom Zone:20250401T090000"), winterRules),
			map[string]any{"start": "2025-04-01T07:00:00Z"}, "c", ""},
		{"rules not understood", ics(oddRules, event("UID:o", "DTSTART;TZID=Odd Zone:20250715T090000")),
			map[string]any{"start": "2025-07-15T03:30:00Z", "tzOffset": "+05:30"}, "o", "standard offset +05:30"},
		{"unknown zone", ics(event("UID:u", "DTSTART;TZID=Nowhere:20250715T090000")),
			map[string]any{"start": "2025-07-15T07:00:00Z", "timeZone": "Nowhere"}, "u", `"Nowhere" is neither`},
		{"mozilla prefix", ics(event("UID:m", "DTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20250115T090000")),
			map[string]any{"start": "2025-01-15T14:00:00Z", "tzOffset": "-05:00"}, "m", ""},
		{"floating", ics(event("UID:f", "DTSTART:20250115T090000", "DURATION:PT1H30M")),
			map[string]any{"start": "2025-01-15T08:00:00Z", "end": "2025-01-15T09:30:00Z"}, "f", "floating"},
		{"whole day", ics(event("UID:d", "DTSTART;VALUE=DATE:20250714", "DTEND;VALUE=DATE:20250715")),
			map[string]any{"start": "2025-07-13T22:00:00Z", "end": "2025-07-14T22:00:00Z", "allDay": true}, "d", ""},
		{"text unescaped, organizer name", ics(event("UID:t", "DTSTART:20250115T090000Z", `SUMMARY:Réunion\, budget\; 2025\nsuite`,
			"ORGANIZER;CN=\"Léa Bernard\":mailto:lea@example.org")),
			map[string]any{"summary": "Réunion, budget; 2025\nsuite", "organizer": "Léa Bernard"}, "t", ""},
		{"organizer address", ics(event("UID:a", "DTSTART:20250115T090000Z", "ORGANIZER:MAILTO:lea@example.org")),
			map[string]any{"organizer": "lea@example.org", "summary": ""}, "a", ""},
		{"overridden occurrence", ics(event("UID:s", "DTSTART:20250115T090000Z", "RRULE:FREQ=WEEKLY"),
			event("UID:s", "RECURRENCE-ID:20250122T090000Z", "DTSTART:20250122T100000Z")),
			map[string]any{"recurrence": "FREQ=WEEKLY"}, "s", ""},
		{"no start", ics(event("UID:x", "SUMMARY:nothing"), event("UID:y", "DTSTART:20250115T090000Z")),
			map[string]any{"uid": "y"}, "y", ""},
		{"misplaced components ignored", ics(event("UID:n", "DTSTART:20250115T090000Z", "BEGIN:VTIMEZONE", "TZID:x", "BEGIN:STANDARD", "DTSTART:bad", "END:STANDARD", "END:VTIMEZONE",
			"BEGIN:VEVENT", "UID:inner", "END:VEVENT", "BEGIN:VALARM", "DESCRIPTION:x", "END:VALARM")),
			map[string]any{"uid": "n"}, "n", ""},
		{"two calendars", ics(event("UID:1", "DTSTART:20250115T090000Z"), "END:VCALENDAR", "BEGIN:VCALENDAR", event("UID:2", "DTSTART:20250115T090000Z")),
			map[string]any{"uid": "1"}, "1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseString(t, tt.in)
			if len(res.Records) == 0 {
				t.Fatal("no record")
			}
			r := res.Records[0]
			if r.Key != tt.key || r.Doctype != Doctype {
				t.Errorf("key %q doctype %q, want %q", r.Key, r.Doctype, tt.key)
			}
			for k, v := range tt.want {
				if r.Data[k] != v {
					t.Errorf("%s = %#v, want %#v", k, r.Data[k], v)
				}
			}
			notes := strings.Join(res.Notes, "\n")
			if tt.note != "" && !strings.Contains(notes, tt.note) {
				t.Errorf("notes %q lack %q", res.Notes, tt.note)
			}
			if tt.note == "" && notes != "" {
				t.Errorf("unexpected notes %q", res.Notes)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	res := parseString(t, ics(
		event("UID:s", "DTSTART:20250115T090000Z"),
		event("UID:s", "RECURRENCE-ID:20250122T090000Z", "DTSTART:20250122T100000Z"),
		event("UID:s", "DTSTART:20250115T090000Z"),
		event("UID:s#2", "DTSTART:20250115T090000Z"),
		event("DTSTART:20250115T090000Z", "SUMMARY:a"),
		event("DTSTART:20250115T090000Z", "SUMMARY:b"),
	))
	var keys []string
	for _, r := range res.Records {
		keys = append(keys, r.Key)
	}
	got := strings.Join(keys, " ")
	if !strings.HasPrefix(got, "s s#20250122T090000Z s#2 s#2#2 nouid:") || len(keys) != 6 || keys[4] == keys[5] {
		t.Errorf("keys %q", keys)
	}
	if res.Records[1].Data["recurrenceId"] != "2025-01-22T09:00:00Z" {
		t.Errorf("recurrenceId = %v", res.Records[1].Data["recurrenceId"])
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], `2 event(s) appear more than once in the file (the first: "s")`) {
		t.Errorf("notes %q, want one for both duplicates", res.Notes)
	}
}

// TestLeftOut: an event without a start, or with a date or duration that cannot be read,
// is left out whole and listed by the line of its BEGIN:VEVENT and its reason, while the
// other events import; a file of which no event imports is refused for its first bad value.
func TestLeftOut(t *testing.T) {
	in := ics(
		event("UID:good", "DTSTART:20250115T090000Z"),                                                     // lines 3-6
		event("UID:nostart", "SUMMARY:x"),                                                                 // lines 7-10
		event("UID:baddate", "DTSTART:2025-01-15 09:00"),                                                  // lines 11-14
		event("UID:badex", "DTSTART:20250115T090000Z", "EXDATE:20250122T090000Z,2025-01-29", "DTEND:bad"), // lines 15-20
		event("UID:baddur", "DTSTART:20250115T090000Z", "DURATION:1H"),                                    // lines 21-24
	)
	res := parseString(t, in)
	if len(res.Records) != 1 || res.Records[0].Key != "good" || res.Skipped != 4 || len(res.Notes) != 0 {
		t.Fatalf("%d records, %d skipped, notes %q; want the good event alone, 4 skipped, no note", len(res.Records), res.Skipped, res.Notes)
	}
	want := []struct {
		line   int
		reason importer.Reason
		params string
		text   string
	}{
		{7, importer.ReasonNoDate, "", "without a start (DTSTART)"},
		{11, importer.ReasonBadValue, "DTSTART", `line 13: DTSTART: "2025-01-15 09:00" is not a date`},
		{15, importer.ReasonBadValue, "EXDATE", `line 18: EXDATE: "2025-01-29" is not a date`}, // the first bad value of the event
		{21, importer.ReasonBadValue, "DURATION", "not a duration"},
	}
	if len(res.LeftOut) != len(want) {
		t.Fatalf("left out %+v, want %d", res.LeftOut, len(want))
	}
	for i, w := range want {
		l := res.LeftOut[i]
		if l.Line != w.line || l.Element != "VEVENT" || l.Kind != Doctype || l.Reason != w.reason || strings.Join(l.Params, ",") != w.params || !strings.Contains(l.Text, w.text) {
			t.Errorf("left out %d: %+v; want line %d, %s (%s), text with %q", i, l, w.line, w.reason, w.params, w.text)
		}
	}

	// Nothing imports: refused, with the first bad value, even after an event without a start.
	_, err := ParseResult(strings.NewReader(ics(event("UID:n"), event("UID:b", "DTEND:20251315T090000Z"))))
	var ie *importer.Error
	if !errors.As(err, &ie) || ie.Line != 8 || ie.Element != "DTEND" {
		t.Errorf("a file of no importable event: %v, want refused at line 8, DTEND", err)
	}
	// Events without a start only: nothing to refuse them for; each is listed.
	res = parseString(t, ics(event("UID:n"), event("UID:m")))
	if len(res.Records) != 0 || res.Skipped != 2 || len(res.LeftOut) != 2 {
		t.Errorf("%d records, %d skipped, %d left out; want 0, 2, 2", len(res.Records), res.Skipped, len(res.LeftOut))
	}
}

func TestMalformed(t *testing.T) {
	long := "DESCRIPTION:" + strings.Repeat("x", importer.MaxLineBytes)
	tests := []struct {
		name, in string
		line     int
		element  string
		reason   string
	}{
		{"truncated", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n", 2, "VEVENT", "never closed"},
		{"END mismatch", ics("BEGIN:VEVENT", "UID:x", "END:VTODO"), 5, "VTODO", "does not close BEGIN:VEVENT of line 3"},
		{"END without BEGIN", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nEND:VCALENDAR\r\n", 3, "VCALENDAR", "without a BEGIN"},
		{"bad DTSTART", ics(event("UID:x", "DTSTART:2025-01-15 09:00")), 5, "DTSTART", "not a date"},
		{"bad date", ics(event("UID:x", "DTSTART;VALUE=DATE:20250231")), 5, "DTSTART", "not a date"},
		{"bad DTEND", ics(event("UID:x", "DTSTART:20250115T090000Z", "DTEND:20251315T090000Z")), 6, "DTEND", "not a date"},
		{"bad EXDATE in a list", ics(event("UID:x", "DTSTART:20250115T090000Z", "EXDATE:20250122T090000Z,2025-01-29")), 6, "EXDATE", "not a date"},
		{"bad RDATE", ics(event("UID:x", "DTSTART:20250115T090000Z", "RDATE;VALUE=DATE:20250230")), 6, "RDATE", "not a date (YYYYMMDD)"},
		{"bad DURATION", ics(event("UID:x", "DTSTART:20250115T090000Z", "DURATION:1H")), 6, "DURATION", "not a duration"},
		{"huge DURATION", ics(event("UID:x", "DTSTART:20250115T090000Z", "DURATION:P99999999W")), 6, "DURATION", "not a duration"},
		{"bad offset", ics("BEGIN:VTIMEZONE", "TZID:z", "BEGIN:STANDARD", "DTSTART:16010101T030000", "TZOFFSETTO:1 hour"), 7, "TZOFFSETTO", "not a UTC offset"},
		{"VTIMEZONE without TZID", ics("BEGIN:VTIMEZONE", "END:VTIMEZONE"), 3, "VTIMEZONE", "without a TZID"},
		{"not a calendar", "BEGIN:VEVENT\r\nEND:VEVENT\r\n", 1, "VEVENT", "expected BEGIN:VCALENDAR"},
		{"property outside", "UID:x\r\n", 1, "UID", "outside"},
		{"empty", "", 0, "VCALENDAR", "no BEGIN:VCALENDAR"},
		{"no colon", ics("BEGIN:VEVENT", "SUMMARY"), 4, "", "no ':'"},
		{"line too long", ics(event("UID:x", long)), 5, "", "longer than"},
		{"too deep", "BEGIN:VCALENDAR\r\n" + strings.Repeat("BEGIN:X\r\n", 20), 17, "X", "nested"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ParseResult(strings.NewReader(tt.in))
			var ie *importer.Error
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, %v; want an *importer.Error", res, err)
			}
			if res != nil {
				t.Error("a partial result came with the error")
			}
			if ie.Line != tt.line || ie.Element != tt.element || !strings.Contains(ie.Reason, tt.reason) {
				t.Errorf("got line %d element %q reason %q; want %d %q %q", ie.Line, ie.Element, ie.Reason, tt.line, tt.element, tt.reason)
			}
		})
	}
}

func TestNotesBounded(t *testing.T) {
	var evs []string
	for i := range 30 {
		evs = append(evs, event(fmt.Sprintf("UID:%d", i), fmt.Sprintf("DTSTART;TZID=Nowhere %d:20250715T090000", i)))
	}
	res := parseString(t, ics(evs...))
	if len(res.Records) != 30 || len(res.Notes) != maxNotes+1 {
		t.Errorf("%d records, %d notes; want 30, %d", len(res.Records), len(res.Notes), maxNotes+1)
	}
}
