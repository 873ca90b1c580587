package ical_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer/ical"
	"selfdata/internal/restore/restoretest"
	"selfdata/internal/store"
)

// TestRestoreRecurringTwice restores a series with its exceptions and an overridden
// occurrence into a real store, twice: the doctype accepts every new property, the
// occurrence's series becomes the id of the series' record, and the second import adds
// nothing.
func TestRestoreRecurringTwice(t *testing.T) {
	ctx := context.Background()
	im, db, p := restoretest.Open(t, ical.Format())
	file := strings.Join([]string{"BEGIN:VCALENDAR", "VERSION:2.0",
		"BEGIN:VEVENT", "UID:yoga", "SUMMARY:Yoga", "DTSTART;TZID=Europe/Paris:20250324T090000", "RRULE:FREQ=WEEKLY",
		"EXDATE;TZID=Europe/Paris:20250331T090000,20250407T090000", "EXDATE;VALUE=DATE:20250414", "RDATE:20250402T070000Z", "END:VEVENT",
		"BEGIN:VEVENT", "UID:yoga", "SUMMARY:Yoga (moved)", "RECURRENCE-ID;TZID=Europe/Paris:20250421T090000",
		"DTSTART;TZID=Europe/Paris:20250422T090000", "END:VEVENT",
		"END:VCALENDAR", ""}, "\r\n")
	src := store.Source{Kind: "upload", Name: "yoga.ics", At: time.Now()}
	first, err := im.File(ctx, p, src, "yoga.ics", strings.NewReader(file), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Created != 2 || first.ByDoctype[ical.Doctype] != 2 {
		t.Fatalf("first import: %+v", first)
	}
	again, err := im.File(ctx, p, src, "yoga.ics", strings.NewReader(file), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created != 0 || again.Updated != 0 || again.Unchanged != 2 {
		t.Fatalf("second import: %+v", again)
	}
	page, err := db.Query(ctx, p.Instance, store.Query{Doctype: ical.Doctype})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("records: %d, %v", len(page.Items), err)
	}
	byUID := map[string]map[string]any{}
	ids := map[string]string{}
	for _, doc := range page.Items {
		var d map[string]any
		if err := json.Unmarshal(doc.Data, &d); err != nil {
			t.Fatal(err)
		}
		name := "series"
		if _, ok := d["recurrenceId"]; ok {
			name = "occurrence"
		}
		byUID[name], ids[name] = d, doc.ID
	}
	ex, _ := json.Marshal(byUID["series"]["exdates"])
	if string(ex) != `["2025-03-31T07:00:00Z","2025-04-07T07:00:00Z","2025-04-13T22:00:00Z"]` {
		t.Errorf("exdates stored: %s", ex)
	}
	if byUID["occurrence"]["series"] != ids["series"] {
		t.Errorf("occurrence's series = %v, want the series' id %s", byUID["occurrence"]["series"], ids["series"])
	}
}
