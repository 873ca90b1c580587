package ical

import (
	"fmt"
	"strings"
	"time"

	"selfdata/internal/input"
)

// windowsZones maps the Windows zone names that Outlook and Exchange write as TZID to the
// IANA zone of the same rules (from CLDR's windowsZones.xml, territory 001), for when the
// file carries no usable VTIMEZONE.
var windowsZones = map[string]string{
	"Romance Standard Time":          "Europe/Paris",
	"W. Europe Standard Time":        "Europe/Berlin",
	"Central Europe Standard Time":   "Europe/Budapest",
	"Central European Standard Time": "Europe/Warsaw",
	"GMT Standard Time":              "Europe/London",
	"Greenwich Standard Time":        "Atlantic/Reykjavik",
	"E. Europe Standard Time":        "Europe/Chisinau",
	"FLE Standard Time":              "Europe/Kiev",
	"GTB Standard Time":              "Europe/Bucharest",
	"Russian Standard Time":          "Europe/Moscow",
	"Morocco Standard Time":          "Africa/Casablanca",
	"Eastern Standard Time":          "America/New_York",
	"Central Standard Time":          "America/Chicago",
	"Mountain Standard Time":         "America/Denver",
	"Pacific Standard Time":          "America/Los_Angeles",
	"Atlantic Standard Time":         "America/Halifax",
	"SA Western Standard Time":       "America/La_Paz",
	"Tokyo Standard Time":            "Asia/Tokyo",
	"China Standard Time":            "Asia/Shanghai",
	"India Standard Time":            "Asia/Calcutta",
	"AUS Eastern Standard Time":      "Australia/Sydney",
	"UTC":                            "UTC",
}

// zone is how the times of one TZID are placed on the UTC line.
type zone struct {
	loc   *time.Location // an IANA zone (also a fixed offset, as a Location)
	rules *TimeZone      // else the file's own VTIMEZONE rules
}

// placer turns DateTimes into UTC instants. It resolves each TZID once and collects a
// note for each guess it has to make, so that the person knows which times to check.
type placer struct {
	cal      *Calendar
	paris    *time.Location
	zones    map[string]zone
	notes    []string
	floating int
}

func newPlacer(cal *Calendar) (*placer, error) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return nil, fmt.Errorf("ical: loading Europe/Paris: %w", err)
	}
	return &placer{cal: cal, paris: paris, zones: map[string]zone{}}, nil
}

// place returns the UTC instant of dt and, for a time given in a zone, the offset that
// applied ("+02:00"). A whole day starts at midnight in Europe/Paris, as does a floating
// time (no zone at all): the person this store serves lives there, by default.
func (p *placer) place(dt *DateTime) (time.Time, string) {
	w := dt.Wall
	switch {
	case dt.Date:
		return time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, p.paris).UTC(), ""
	case dt.UTC:
		return w, ""
	case dt.TZID == "":
		p.floating++
		return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, p.paris).UTC(), ""
	}
	z := p.zone(dt.TZID)
	if z.rules != nil {
		off := z.rules.offsetAt(w)
		return w.Add(-time.Duration(off) * time.Second), formatOffset(off)
	}
	t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, z.loc)
	_, off := t.Zone()
	return t.UTC(), formatOffset(off)
}

func (p *placer) zone(tzid string) zone {
	if z, ok := p.zones[tzid]; ok {
		return z
	}
	z := p.lookup(tzid)
	p.zones[tzid] = z
	return z
}

func (p *placer) lookup(tzid string) zone {
	if loc := loadIANA(tzid); loc != nil {
		return zone{loc: loc}
	}
	if name, ok := windowsZones[tzid]; ok {
		if loc, err := time.LoadLocation(name); err == nil {
			return zone{loc: loc}
		}
	}
	vtz := p.cal.TimeZones[tzid]
	switch {
	case vtz == nil:
		p.note(fmt.Sprintf("time zone %s is neither a known zone nor defined in the file: its times were read as Europe/Paris time", input.Excerpt(tzid)))
		return zone{loc: p.paris}
	case vtz.understood():
		return zone{rules: vtz}
	}
	off := vtz.standardOffset()
	p.note(fmt.Sprintf("time zone %s: its daylight-saving rules are not understood here, so its standard offset %s was used all year", input.Excerpt(tzid), formatOffset(off)))
	return zone{loc: time.FixedZone(tzid, off)}
}

// maxNotes keeps a hostile file with thousands of odd zones from burying the person
// under notes.
const maxNotes = 20

func (p *placer) note(msg string) {
	switch len(p.notes) {
	case maxNotes:
		p.notes = append(p.notes, "more time zones had to be guessed; they were not listed")
	case maxNotes + 1:
	default:
		p.notes = append(p.notes, msg)
	}
}

// loadIANA finds the IANA zone a TZID names, also behind the prefixes that old Mozilla
// and Lotus exports put before it ("/mozilla.org/20050126_1/Europe/Paris").
func loadIANA(tzid string) *time.Location {
	cands := []string{tzid}
	if parts := strings.Split(strings.Trim(tzid, "/"), "/"); len(parts) > 2 {
		for i := 1; i <= len(parts)-2; i++ {
			cands = append(cands, strings.Join(parts[i:], "/"))
		}
	}
	for _, c := range cands {
		if c == "" || c == "Local" || strings.ContainsAny(c, " \\") {
			continue
		}
		if loc, err := time.LoadLocation(c); err == nil {
			return loc
		}
	}
	return nil
}

// formatOffset writes seconds east of UTC as "+02:00" (seconds dropped).
func formatOffset(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d:%02d", sign, off/3600, off/60%60)
}
