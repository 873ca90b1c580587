package track

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/input"
)

// number reads a decimal number as GPX (xsd:decimal) and KML (xsd:double) write it; NaN
// and infinities are refused, no position or height being either.
func number(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%s is not a number", input.Excerpt(s))
	}
	return f, nil
}

// position reads a latitude and a longitude in degrees and refuses one off the globe.
func position(lat, lon string) (float64, float64, error) {
	y, err := number(lat)
	if err != nil {
		return 0, 0, fmt.Errorf("latitude: %w", err)
	}
	x, err := number(lon)
	if err != nil {
		return 0, 0, fmt.Errorf("longitude: %w", err)
	}
	if y < -90 || y > 90 || x < -180 || x > 180 {
		return 0, 0, fmt.Errorf("the position %s, %s is off the globe (a latitude is within ±90°, a longitude within ±180°)", input.Excerpt(lat), input.Excerpt(lon))
	}
	return y, x, nil
}

// stamp is an instant as the file wrote it.
type stamp struct {
	t    time.Time // zero when the file gave a date only, or nothing
	zone string    // the offset it was written with, "+02:00"; "" for UTC ("Z") or none
}

// noZone is xsd:dateTime without an offset. GPX says its times are UTC; KML gives no rule
// for it, and UTC is what the apps that write it mean.
const noZone = "2006-01-02T15:04:05"

// dateOnly are the coarser forms of KML's dateTime (xsd:date, gYearMonth, gYear): valid,
// but no instant to start a journey at.
var dateOnly = []string{"2006-01-02", "2006-01", "2006"}

// instant reads an xsd:dateTime: "2024-06-15T09:00:00Z", with fractional seconds, with an
// offset, or without one (UTC). A date alone gives a zero stamp and no error.
func instant(s string) (stamp, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return within(s, t, s[len(s)-6:])
	}
	if t, err := time.Parse(noZone, s); err == nil {
		return within(s, t, "")
	}
	for _, layout := range dateOnly {
		if _, err := time.Parse(layout, s); err == nil {
			return stamp{}, nil
		}
	}
	return stamp{}, fmt.Errorf("%s is not a date and time (2024-06-15T09:00:00Z)", input.Excerpt(s))
}

// within keeps instants whose UTC year has four digits, the only ones an RFC 3339 text (and
// so the doctype's date-time) can hold.
func within(s string, t time.Time, zone string) (stamp, error) {
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return stamp{}, fmt.Errorf("%s is out of the years 0001 to 9999", input.Excerpt(s))
	}
	if strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z") {
		zone = ""
	}
	return stamp{t: t.UTC(), zone: zone}, nil
}
