package export

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	// Whole days are placed in Europe/Paris: embed the zone database so that a server
	// without /usr/share/zoneinfo writes them the same.
	_ "time/tzdata"

	"selfdata/internal/store"
)

// calendarEvent is what standards/calendar.ics writes of a calendar.event document.
type calendarEvent struct {
	Summary      string   `json:"summary"`
	Start        string   `json:"start"`
	End          string   `json:"end"`
	AllDay       bool     `json:"allDay"`
	Location     string   `json:"location"`
	Description  string   `json:"description"`
	Organizer    string   `json:"organizer"`
	Recurrence   string   `json:"recurrence"`
	Status       string   `json:"status"`
	ExDates      []string `json:"exdates"`
	RDates       []string `json:"rdates"`
	RecurrenceID string   `json:"recurrenceId"`
	Series       string   `json:"series"`
}

// writeCalendar writes the events as one iCalendar object (RFC 5545), one VEVENT per
// document, as they come: UID is the document's id (an occurrence that replaces one of a
// recurring series has its series' id, with RECURRENCE-ID, as the standard wants), DTSTAMP
// and LAST-MODIFIED the document's last change (RFC 5545 §3.8.7.2: without a METHOD, DTSTAMP
// is when the store last revised the event — so two exports of one store say the same; the
// export's time only for a document without one). Times are UTC; a whole day
// (allDay) is a DATE, the day of its start in Europe/Paris, where the calendar importer
// places whole days. It returns how many events it wrote.
func writeCalendar(w io.Writer, stamp time.Time, docs eachDocFunc) (int64, error) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return 0, err
	}
	buf := make([]byte, 0, 8<<10)
	buf = contentLine(buf, "BEGIN", "VCALENDAR")
	buf = contentLine(buf, "VERSION", "2.0")
	buf = contentLine(buf, "PRODID", "-//selfdata//export//EN")
	buf = contentLine(buf, "CALSCALE", "GREGORIAN")
	var n int64
	err = docs(func(d store.Doc) error {
		var ev calendarEvent
		if err := json.Unmarshal(d.Data, &ev); err != nil {
			return fmt.Errorf("calendar.event %s: %w", d.ID, err)
		}
		var err error
		if buf, err = appendEvent(buf, d, ev, stamp, paris); err != nil {
			return fmt.Errorf("calendar.event %s: %w", d.ID, err)
		}
		n++
		if len(buf) >= 64<<10 {
			_, err = w.Write(buf)
			buf = buf[:0]
		}
		return err
	})
	if err != nil {
		return n, err
	}
	buf = contentLine(buf, "END", "VCALENDAR")
	_, err = w.Write(buf)
	return n, err
}

// appendEvent writes one VEVENT.
func appendEvent(buf []byte, d store.Doc, ev calendarEvent, stamp time.Time, paris *time.Location) ([]byte, error) {
	when := func(field, s string) (string, string, error) {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return "", "", fmt.Errorf("%s %q is not an RFC 3339 instant", field, s)
		}
		if ev.AllDay {
			if p := t.In(paris); p.Hour() == 0 && p.Minute() == 0 && p.Second() == 0 {
				return ";VALUE=DATE", p.Format("20060102"), nil
			}
		}
		return "", t.UTC().Format("20060102T150405Z"), nil
	}
	buf = contentLine(buf, "BEGIN", "VEVENT")
	uid := d.ID
	if ev.RecurrenceID != "" && ev.Series != "" {
		uid = ev.Series
	}
	buf = contentLine(buf, "UID", escapeText(uid))
	if !d.Updated.IsZero() {
		stamp = d.Updated
	}
	buf = contentLine(buf, "DTSTAMP", stamp.UTC().Format("20060102T150405Z"))
	if !d.Updated.IsZero() {
		buf = contentLine(buf, "LAST-MODIFIED", d.Updated.UTC().Format("20060102T150405Z"))
	}
	for _, p := range []struct{ name, field, v string }{
		{"DTSTART", "start", ev.Start}, {"DTEND", "end", ev.End}, {"RECURRENCE-ID", "recurrenceId", ev.RecurrenceID},
	} {
		if p.v == "" {
			continue
		}
		param, v, err := when(p.field, p.v)
		if err != nil {
			return buf, err
		}
		buf = contentLine(buf, p.name+param, v)
	}
	buf = contentLine(buf, "SUMMARY", escapeText(ev.Summary))
	for _, p := range []struct{ name, v string }{{"LOCATION", ev.Location}, {"DESCRIPTION", ev.Description}} {
		if p.v != "" {
			buf = contentLine(buf, p.name, escapeText(p.v))
		}
	}
	if o := strings.TrimSpace(ev.Organizer); o != "" {
		if strings.Contains(o, "@") && !strings.ContainsAny(o, " \t\r\n\"<>") {
			buf = contentLine(buf, "ORGANIZER", "mailto:"+o)
		} else {
			// a name without an address: the CN says it, the address is the reserved
			// "invalid:nomail" calendar clients write for an organizer without one
			buf = contentLine(buf, "ORGANIZER;CN="+paramValue(o), "invalid:nomail")
		}
	}
	if r := strings.Join(strings.Fields(ev.Recurrence), ""); r != "" {
		buf = contentLine(buf, "RRULE", r)
	}
	switch ev.Status {
	case "CONFIRMED", "TENTATIVE", "CANCELLED":
		buf = contentLine(buf, "STATUS", ev.Status)
	}
	for _, p := range []struct {
		name, field string
		list        []string
	}{{"EXDATE", "exdates", ev.ExDates}, {"RDATE", "rdates", ev.RDates}} {
		for _, s := range p.list { // one line each: a line holds values of one type
			param, v, err := when(p.field, s)
			if err != nil {
				return buf, err
			}
			buf = contentLine(buf, p.name+param, v)
		}
	}
	return contentLine(buf, "END", "VEVENT"), nil
}
