package ical

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"selfdata/internal/importer"
)

// Doctype is the doctype every event becomes.
const Doctype = "calendar.event"

// Adapt turns a parsed calendar into calendar.event records.
func Adapt(cal *Calendar) (*importer.Result, error) {
	p, err := newPlacer(cal)
	if err != nil {
		return nil, err
	}
	res := &importer.Result{Format: Name, Records: make([]importer.Record, 0, len(cal.Events))}
	var keys importer.Keys
	noStart := 0
	for i := range cal.Events {
		ev := &cal.Events[i]
		if ev.Start == nil {
			noStart++
			continue
		}
		key := keys.Unique(eventKey(ev))
		res.Records = append(res.Records, importer.Record{Doctype: Doctype, Key: key, Data: eventData(ev, p)})
	}
	if noStart > 0 {
		res.Skipped += noStart
		res.Notes = append(res.Notes, fmt.Sprintf("%d event(s) without a start (DTSTART) were left out", noStart))
	}
	if p.floating > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d time(s) had no time zone (floating): they were read as Europe/Paris time", p.floating))
	}
	res.Notes = append(res.Notes, p.notes...)
	keys.Note(res, "event")
	return res, nil
}

// eventKey is the event's UID — plus its RECURRENCE-ID for an occurrence that overrides
// one of a recurring series, which shares the series' UID. An event without a UID (some
// Exchange invites) is keyed by a digest of its start and summary, stable across imports.
func eventKey(ev *Event) string {
	key := ev.UID
	if key == "" {
		sum := sha256.Sum256([]byte(ev.Start.TZID + "\x00" + ev.Start.Raw + "\x00" + ev.Summary))
		key = "nouid:" + hex.EncodeToString(sum[:12])
	}
	if ev.RecurrenceID != nil {
		key += "#" + ev.RecurrenceID.Raw
	}
	return key
}

func eventData(ev *Event, p *placer) map[string]any {
	start, off := p.place(ev.Start)
	d := map[string]any{
		"summary": ev.Summary,
		"start":   instant(start),
		"allDay":  ev.Start.Date,
	}
	if ev.Start.TZID != "" && !ev.Start.UTC && !ev.Start.Date {
		d["timeZone"] = ev.Start.TZID
		d["tzOffset"] = off
	}
	switch {
	case ev.End != nil:
		end, _ := p.place(ev.End)
		d["end"] = instant(end)
	case ev.Duration != nil:
		d["end"] = instant(start.Add(*ev.Duration))
	}
	if ev.RecurrenceID != nil {
		at, _ := p.place(ev.RecurrenceID)
		d["recurrenceId"] = instant(at)
	}
	setString(d, "uid", ev.UID)
	setString(d, "location", ev.Location)
	setString(d, "description", ev.Description)
	setString(d, "organizer", ev.Organizer)
	setString(d, "recurrence", ev.RRule)
	return d
}

func setString(d map[string]any, k, v string) {
	if v != "" {
		d[k] = v
	}
}

func instant(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}
