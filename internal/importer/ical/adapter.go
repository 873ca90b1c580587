package ical

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
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
	var firstBad error
	for i := range cal.Events {
		ev := &cal.Events[i]
		if !kept(res, ev) {
			if ev.Bad != nil && firstBad == nil {
				firstBad = ev.Bad
			}
			continue
		}
		key := keys.Unique(eventKey(ev))
		res.Records = append(res.Records, importer.Record{Doctype: Doctype, Key: key, Data: eventData(ev, p)})
	}
	if firstBad != nil && len(res.Records) == 0 {
		return nil, firstBad // nothing imports: the file is refused with the first reason
	}
	if p.floating > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d time(s) had no time zone (floating): they were read as Europe/Paris time", p.floating))
	}
	linkOverrides(res.Records)
	res.Notes = append(res.Notes, p.notes...)
	keys.Note(res, "event")
	return res, nil
}

// kept tells whether an event can become a record; if not, it lists the event in res as
// left out, by its line and reason, and counts it in Skipped: an event with a value that
// cannot be read, or without a start, which a calendar event cannot be without.
func kept(res *importer.Result, ev *Event) bool {
	l := importer.LeftOut{Line: ev.Line, Element: "VEVENT", Kind: Doctype}
	switch {
	case ev.Bad != nil:
		l.Reason, l.Params = importer.ReasonBadValue, []string{ev.Bad.Element}
		l.Text = fmt.Sprintf("event left out: %v", ev.Bad)
	case ev.Start == nil:
		l.Reason = importer.ReasonNoDate
		l.Text = "event without a start (DTSTART): left out"
	default:
		return true
	}
	res.Skipped++
	res.Leave(l)
	return false
}

// linkOverrides ties each overridden occurrence to its series. An occurrence that a file
// moves or changes is a VEVENT of its own, with the series' UID and a RECURRENCE-ID naming
// the occurrence it replaces (RFC 5545 3.8.4.4). It stays a record of its own — it has its
// own time, place and title, and may be all a file holds of a series — keyed by UID and
// RECURRENCE-ID (see eventKey), and:
//   - its "series" holds the key of the series' record, which restore turns into that
//     record's id, so that the record page links to it;
//   - the series lists the occurrences replaced in "overridden" (the RECURRENCE-ID
//     instants, sorted), so that reading the series alone one knows that these
//     occurrences are not as its rule says and are to be read in their own records.
//
// The series is the first record of the UID without a RECURRENCE-ID; an occurrence whose
// series is not in the file keeps its UID only.
func linkOverrides(recs []importer.Record) {
	series := map[string]int{}
	for i, r := range recs {
		uid, _ := r.Data["uid"].(string)
		if _, occ := r.Data["recurrenceId"]; !occ && uid != "" {
			if _, ok := series[uid]; !ok {
				series[uid] = i
			}
		}
	}
	for _, r := range recs {
		uid, _ := r.Data["uid"].(string)
		at, occ := r.Data["recurrenceId"].(string)
		i, ok := series[uid]
		if !occ || !ok {
			continue
		}
		r.Data["series"] = recs[i].Key
		list, _ := recs[i].Data["overridden"].([]string)
		recs[i].Data["overridden"] = instants(append(list, at))
	}
}

// instants sorts RFC 3339 UTC instants in time order (their text order) and drops repeats.
func instants(list []string) []string {
	slices.Sort(list)
	return slices.Compact(list)
}

// placeAll places the values of EXDATE or RDATE lines as instants, like DTSTART, so that
// a cancelled occurrence reads exactly as the start it would have had; nil for none.
func placeAll(p *placer, dts []*DateTime) []string {
	if len(dts) == 0 {
		return nil
	}
	list := make([]string, 0, len(dts))
	for _, dt := range dts {
		at, _ := p.place(dt)
		list = append(list, instant(at))
	}
	return instants(list)
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
	if statuses[ev.Status] {
		d["status"] = ev.Status
	}
	if ex := placeAll(p, ev.ExDates); ex != nil {
		d["exdates"] = ex
	}
	if rd := placeAll(p, ev.RDates); rd != nil {
		d["rdates"] = rd
	}
	return d
}

// statuses are the STATUS values RFC 5545 allows on a VEVENT; another is left out.
var statuses = map[string]bool{"CONFIRMED": true, "TENTATIVE": true, "CANCELLED": true}

func setString(d map[string]any, k, v string) {
	if v != "" {
		d[k] = v
	}
}

func instant(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}
