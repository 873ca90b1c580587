// Package ical imports iCalendar files (.ics, RFC 5545) — what Google Calendar,
// Thunderbird, Apple Calendar and Outlook export, and what meeting invites carry — as
// calendar.event records, so that a person's agenda sits next to the rest of their data.
//
// Each VEVENT becomes one record keyed by its UID (plus RECURRENCE-ID for an overridden
// occurrence of a recurring event; a digest of start and summary when there is no UID), so
// importing the same file again changes nothing. Such an occurrence's series holds the key
// of its series' record, and the series lists it in overridden (see linkOverrides).
//
// Times are stored as UTC instants. A time given in a zone keeps its TZID in the extra
// property timeZone and the offset that applied in tzOffset. The TZID is resolved as an
// IANA name first, then as a Windows zone name (Outlook), then through the file's own
// VTIMEZONE rules (yearly "last Sunday of March" onsets, as every exporter writes them);
// rules beyond that fall back to the standard offset, with a note. Floating times and
// whole days (VALUE=DATE, allDay true) are read in Europe/Paris, the default home of the
// people this store serves, with a note for floating times.
//
// Minimum data: alarms (VALARM), to-dos, journals, attendees and vendor X- properties are
// not kept; a recurring event keeps its RRULE text (recurrence), not its expanded
// occurrences, with its exceptions: every EXDATE value in exdates (the occurrences
// cancelled) and every RDATE value in rdates (those added), as instants placed like its
// start, and STATUS (CANCELLED for an event or occurrence called off).
//
// An event without a start, or with a date or duration that cannot be read, is left out
// whole and listed in Result.LeftOut by its line, the rest of the file importing; a file of
// which no event imports is refused for its first unreadable value. The parser (parse.go) knows iCalendar only; the adapter (adapter.go) knows
// the doctype; neither touches storage.
package ical

import (
	"bytes"
	"io"

	// Zones are looked up by name: embed the database so that a server without
	// /usr/share/zoneinfo places times the same way.
	_ "time/tzdata"

	"selfdata/internal/importer"
)

// Name is the format's name, also Result.Format.
const Name = "icalendar"

// Format is the iCalendar importer.
func Format() importer.Format {
	return importer.Format{Name: Name, Detect: Detect, Parse: ParseResult}
}

// Detect claims a file whose first content line is BEGIN:VCALENDAR (after an optional
// byte order mark and blank lines), whatever its name: content is what counts.
func Detect(head []byte, _ string) bool {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	head = bytes.TrimLeft(head, " \t\r\n")
	const begin = "BEGIN:VCALENDAR"
	return len(head) >= len(begin) && bytes.EqualFold(head[:len(begin)], []byte(begin))
}

// ParseResult parses a whole file and adapts it: nothing is returned on error.
func ParseResult(r io.Reader) (*importer.Result, error) {
	cal, err := Parse(importer.LimitReader(r))
	if err != nil {
		return nil, err
	}
	return Adapt(cal)
}
