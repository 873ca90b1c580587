package ical

import (
	"errors"
	"io"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/importer/contentline"
	"selfdata/internal/input"
)

// Calendar is what an iCalendar file holds that matters here. Several VCALENDAR objects
// in one file are read as one.
type Calendar struct {
	ProdID string
	Method string
	Events []Event
	// TimeZones are the file's VTIMEZONE definitions by TZID: the only way to read a
	// TZID that is not an IANA name ("GMT +0100 (Standard) / GMT +0200 (Daylight)").
	TimeZones map[string]*TimeZone
}

// Event is one VEVENT. Text fields are unescaped.
type Event struct {
	Line         int // of BEGIN:VEVENT
	UID          string
	RecurrenceID *DateTime // set on an occurrence that overrides one of a recurring event
	Summary      string
	Location     string
	Description  string
	Organizer    string // the CN parameter, else the address without "mailto:"
	Start        *DateTime
	End          *DateTime
	Duration     *time.Duration // DURATION, when there is no DTEND
	RRule        string         // the first RRULE, spaces removed
	// ExDates are the occurrences the series no longer has (cancelled), and RDates those it
	// has besides its RRULE: every value of every EXDATE and RDATE line, in file order.
	ExDates []*DateTime
	RDates  []*DateTime
	Status  string // STATUS: CONFIRMED, TENTATIVE or CANCELLED (an occurrence called off)
	// Bad is the first value of the event that cannot be read (a date, a duration): the
	// event is then left out whole, and the rest of the file still imports.
	Bad *importer.Error
}

// DateTime is a DATE or DATE-TIME value as written, not yet placed in time: placing it
// needs the time zones, which may come after the event in the file.
type DateTime struct {
	Line int
	Raw  string
	Date bool   // a whole day (VALUE=DATE)
	UTC  bool   // written with a trailing Z
	TZID string // the TZID parameter; "" with UTC or for a floating time
	Wall time.Time
}

// TimeZone is a VTIMEZONE.
type TimeZone struct {
	TZID        string
	Line        int
	Observances []Observance
}

// Observance is a STANDARD or DAYLIGHT part of a VTIMEZONE: from its onsets on, local
// time is UTC + OffsetTo.
type Observance struct {
	Line     int
	Daylight bool
	Start    time.Time // DTSTART, local wall time
	OffsetTo int       // seconds east of UTC
	RRule    string
	RDates   []time.Time
}

type frame struct {
	name string
	line int
	kept bool // the component is one this parser keeps (not a VALARM, nor misplaced)
}

type parser struct {
	cal   Calendar
	stack []frame
	ev    *Event
	tz    *TimeZone
	obs   *Observance
	seen  bool // a VCALENDAR was opened
}

// maxDepth bounds component nesting; real files nest four deep (VCALENDAR, VTIMEZONE,
// STANDARD) or (VCALENDAR, VEVENT, VALARM).
const maxDepth = 16

// Parse reads an iCalendar stream. It returns an *importer.Error naming the line for a
// malformed file.
func Parse(r io.Reader) (*Calendar, error) {
	p := &parser{cal: Calendar{TimeZones: map[string]*TimeZone{}}}
	cr := contentline.NewReader(r)
	for {
		l, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := p.line(l); err != nil {
			return nil, err
		}
	}
	if n := len(p.stack); n > 0 {
		top := p.stack[n-1]
		return nil, importer.Errorf(top.line, top.name, "BEGIN:%s is never closed (END:%s missing: the file may be truncated)", input.Cut(top.name), input.Cut(top.name))
	}
	if !p.seen {
		return nil, importer.Errorf(0, "VCALENDAR", "no BEGIN:VCALENDAR: the file is empty or not an iCalendar file")
	}
	return &p.cal, nil
}

func (p *parser) line(l contentline.Line) error {
	switch l.Name {
	case "BEGIN":
		return p.begin(l)
	case "END":
		return p.end(l)
	}
	if len(p.stack) == 0 {
		return importer.Errorf(l.Num, l.Name, "property outside BEGIN:VCALENDAR … END:VCALENDAR")
	}
	top := p.stack[len(p.stack)-1]
	if !top.kept {
		return nil
	}
	var err error
	switch top.name {
	case "VCALENDAR":
		p.calendarProp(l)
	case "VEVENT":
		p.eventValue(p.eventProp(l))
	case "VTIMEZONE":
		if l.Name == "TZID" {
			p.tz.TZID = contentline.Unescape(l.Value)
		}
	case "STANDARD", "DAYLIGHT":
		err = p.observanceProp(l)
	}
	return err
}

func (p *parser) begin(l contentline.Line) error {
	name := strings.ToUpper(strings.TrimSpace(l.Value))
	if name == "" {
		return importer.Errorf(l.Num, "BEGIN", "BEGIN names no component")
	}
	parent := ""
	if n := len(p.stack); n > 0 && p.stack[n-1].kept {
		parent = p.stack[n-1].name
	} else if n > 0 {
		parent = "(ignored)"
	} else if name != "VCALENDAR" {
		return importer.Errorf(l.Num, name, "expected BEGIN:VCALENDAR, found BEGIN:%s", input.Cut(name))
	}
	if len(p.stack) >= maxDepth {
		return importer.Errorf(l.Num, name, "components nested more than %d deep", maxDepth)
	}
	kept := true
	switch {
	case name == "VCALENDAR" && parent == "":
		p.seen = true
	case parent == "VCALENDAR" && name == "VEVENT":
		p.ev = &Event{Line: l.Num}
	case parent == "VCALENDAR" && name == "VTIMEZONE":
		p.tz = &TimeZone{Line: l.Num}
	case parent == "VTIMEZONE" && (name == "STANDARD" || name == "DAYLIGHT"):
		p.obs = &Observance{Line: l.Num, Daylight: name == "DAYLIGHT"}
	default:
		kept = false
	}
	p.stack = append(p.stack, frame{name: name, line: l.Num, kept: kept})
	return nil
}

func (p *parser) end(l contentline.Line) error {
	name := strings.ToUpper(strings.TrimSpace(l.Value))
	n := len(p.stack)
	if n == 0 {
		return importer.Errorf(l.Num, name, "END:%s without a BEGIN:%s", input.Cut(name), input.Cut(name))
	}
	top := p.stack[n-1]
	if top.name != name {
		return importer.Errorf(l.Num, name, "END:%s does not close BEGIN:%s of line %d", input.Cut(name), input.Cut(top.name), top.line)
	}
	p.stack = p.stack[:n-1]
	if !top.kept {
		return nil
	}
	parent := ""
	if n > 1 {
		parent = p.stack[n-2].name
	}
	return p.close(name, parent, l.Num)
}

// close files a finished component where it belongs.
func (p *parser) close(name, parent string, num int) error {
	switch {
	case parent == "VCALENDAR" && name == "VEVENT":
		if len(p.cal.Events) >= importer.MaxRecords {
			return importer.Errorf(num, name, "more than %d events", importer.MaxRecords)
		}
		p.cal.Events = append(p.cal.Events, *p.ev)
		p.ev = nil
	case parent == "VCALENDAR" && name == "VTIMEZONE":
		if p.tz.TZID == "" {
			return importer.Errorf(p.tz.Line, name, "VTIMEZONE without a TZID")
		}
		p.cal.TimeZones[p.tz.TZID] = p.tz
		p.tz = nil
	case parent == "VTIMEZONE" && (name == "STANDARD" || name == "DAYLIGHT"):
		if p.obs.Start.IsZero() {
			return importer.Errorf(p.obs.Line, name, "%s without a DTSTART", input.Cut(name))
		}
		p.tz.Observances = append(p.tz.Observances, *p.obs)
		p.obs = nil
	}
	return nil
}

func (p *parser) calendarProp(l contentline.Line) {
	switch l.Name {
	case "PRODID":
		p.cal.ProdID = contentline.Unescape(l.Value)
	case "METHOD":
		p.cal.Method = strings.TrimSpace(l.Value)
	}
}

func (p *parser) eventProp(l contentline.Line) error {
	ev := p.ev
	var err error
	switch l.Name {
	case "UID":
		ev.UID = strings.TrimSpace(contentline.Unescape(l.Value))
	case "SUMMARY":
		ev.Summary = contentline.Unescape(l.Value)
	case "LOCATION":
		ev.Location = contentline.Unescape(l.Value)
	case "DESCRIPTION":
		ev.Description = contentline.Unescape(l.Value)
	case "ORGANIZER":
		ev.Organizer = organizer(l)
	case "RRULE":
		if ev.RRule == "" {
			ev.RRule = strings.Join(strings.Fields(l.Value), "")
		}
	case "DTSTART":
		ev.Start, err = parseDateTime(l)
	case "DTEND":
		ev.End, err = parseDateTime(l)
	case "RECURRENCE-ID":
		ev.RecurrenceID, err = parseDateTime(l)
	case "EXDATE":
		err = appendDateTimes(&ev.ExDates, l)
	case "RDATE":
		err = appendDateTimes(&ev.RDates, l)
	case "STATUS":
		ev.Status = strings.ToUpper(strings.TrimSpace(l.Value))
	case "DURATION":
		var d time.Duration
		d, err = parseDuration(l.Value)
		if err != nil {
			return importer.Errorf(l.Num, l.Name, "%v", err)
		}
		ev.Duration = &d
	}
	return err
}

// eventValue keeps the first value of the event that cannot be read: the file is
// well-formed, so it is the event that is left out, not the file that is refused.
func (p *parser) eventValue(err error) {
	var bad *importer.Error
	if errors.As(err, &bad) && p.ev.Bad == nil {
		p.ev.Bad = bad
	}
}

// organizer keeps a person's name when given, else their address.
func organizer(l contentline.Line) string {
	if cn, ok := l.Param("CN"); ok && strings.TrimSpace(cn) != "" {
		return strings.TrimSpace(cn)
	}
	v := strings.TrimSpace(l.Value)
	if len(v) >= 7 && strings.EqualFold(v[:7], "mailto:") {
		v = v[7:]
	}
	return v
}

func (p *parser) observanceProp(l contentline.Line) error {
	o := p.obs
	switch l.Name {
	case "DTSTART":
		t, err := parseLocal(l.Value)
		if err != nil {
			return importer.Errorf(l.Num, "DTSTART", "%v", err)
		}
		o.Start = t
	case "TZOFFSETTO":
		off, err := parseOffset(l.Value)
		if err != nil {
			return importer.Errorf(l.Num, l.Name, "%v", err)
		}
		o.OffsetTo = off
	case "RRULE":
		o.RRule = strings.Join(strings.Fields(l.Value), "")
	case "RDATE":
		for _, v := range strings.Split(l.Value, ",") {
			if t, err := parseLocal(v); err == nil {
				o.RDates = append(o.RDates, t)
			}
		}
	}
	return nil
}
