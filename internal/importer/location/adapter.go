package location

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// builder collects the records of one file: it keeps keys unique, keeps one place record per
// place (updated as later parts of the file tell more about it), lists the records it leaves
// out (leave) and counts the rest of what it does not import, by reason, for the notes.
type builder struct {
	res     *importer.Result
	seen    map[string]bool
	places  map[string]int  // place Key → index in res.Records
	unnamed map[string]bool // places whose name is a stand-in (address, "Home", coordinates)
	skipped map[string]int
	reasons []string // in the order first met, for stable notes
}

func newBuilder(format string) *builder {
	return &builder{
		res:     &importer.Result{Format: format},
		seen:    map[string]bool{},
		places:  map[string]int{},
		unnamed: map[string]bool{},
		skipped: map[string]int{},
	}
}

// add appends a record unless its key was already used: Google exports repeat a point or a
// stay now and then, and one record of it is enough.
func (b *builder) add(doctype, key string, data map[string]any) error {
	if b.seen[doctype+"\x00"+key] {
		b.skip(1, "%d duplicate(s) of an earlier point, visit or journey skipped")
		return nil
	}
	if len(b.res.Records) >= importer.MaxRecords {
		return importer.Errorf(0, "", "the file holds more than %d records", importer.MaxRecords)
	}
	b.seen[doctype+"\x00"+key] = true
	if doctype == "place" {
		b.places[key] = len(b.res.Records)
	}
	b.res.Records = append(b.res.Records, importer.Record{Doctype: doctype, Key: key, Data: data})
	return nil
}

// skip counts n values left out for the reason given as a note format with one %d.
func (b *builder) skip(n int, reason string) {
	if n <= 0 {
		return
	}
	if _, ok := b.skipped[reason]; !ok {
		b.reasons = append(b.reasons, reason)
	}
	b.skipped[reason] += n
	b.res.Skipped += n
}

// leave lists one record of the file left out whole, where it is and why, and counts it in
// Skipped: the person is told which point, visit, journey or place did not come in.
func (b *builder) leave(line int, at, kind string, why importer.Reason, text string, params ...string) {
	b.res.Skipped++
	b.res.Leave(importer.LeftOut{Line: line, Element: at, Kind: kind, Reason: why, Params: params, Text: text})
}

func (b *builder) result() *importer.Result {
	for _, r := range b.reasons {
		b.res.Notes = append(b.res.Notes, fmt.Sprintf(r, b.skipped[r]))
	}
	return b.res
}

// AdaptRecords reads Records.json into one visit per point: the raw trace of where the
// phone was, without a place or an end.
func AdaptRecords(r io.Reader) (*importer.Result, error) {
	b := newBuilder(NameRecords)
	err := ParseRecords(r, func(p Point) error { return b.point(p) })
	if err != nil {
		return nil, err
	}
	return b.result(), nil
}

func (b *builder) point(p Point) error {
	if p.LatitudeE7 == nil || p.LongitudeE7 == nil {
		b.leave(p.Line, p.Path, "visit", importer.ReasonNoCoords, "point without coordinates: left out")
		return nil
	}
	at, tz, err := pointTime(p)
	if err != nil {
		return importer.Errorf(p.Line, p.Path+".timestamp", "%v", err)
	}
	if at == "" {
		b.leave(p.Line, p.Path, "visit", importer.ReasonNoDate, "point without a time: left out")
		return nil
	}
	lat, lon, err := e7(*p.LatitudeE7, *p.LongitudeE7)
	if err != nil {
		return importer.Errorf(p.Line, p.Path+".latitudeE7", "%v", err)
	}
	data := map[string]any{"start": at, "lat": lat.f, "lon": lon.f}
	setIf(data, "tzOffset", tz)
	if p.Accuracy != nil && *p.Accuracy >= 0 {
		data["accuracyMeters"] = *p.Accuracy
	}
	setIf(data, "source", p.Origin)
	return b.add("visit", at+","+lat.s+","+lon.s, data)
}

func pointTime(p Point) (at, tz string, err error) {
	if p.Timestamp != "" {
		return instant(p.Timestamp)
	}
	return millis(p.TimestampMs)
}

// instant turns an RFC 3339 time into UTC, returning the offset it was written with
// ("+02:00") unless that was "Z".
func instant(s string) (utc, tz string, err error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return "", "", fmt.Errorf("%s is not an RFC 3339 time (2024-06-15T09:00:00+02:00)", input.Excerpt(s))
	}
	if !strings.HasSuffix(s, "Z") {
		tz = s[len(s)-6:]
	}
	return t.UTC().Format(time.RFC3339Nano), tz, nil
}

// millis reads the milliseconds since 1970 older exports write as a string ("" gives "").
func millis(s string) (string, string, error) {
	if s == "" {
		return "", "", nil
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || ms < 0 || ms > 253402300799999 {
		return "", "", fmt.Errorf("%s is not a time in milliseconds since 1970", input.Excerpt(s))
	}
	return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano), "", nil
}

// coord is a coordinate as a number for the record and as exact text for keys.
type coord struct {
	f float64
	s string
}

// e7 turns the integer coordinates Google writes (degrees × 10⁷) into degrees. Some exports
// wrote values past ±2³¹ as unsigned 32-bit integers; those are folded back, as every tool
// reading these files does.
func e7(latE7, lonE7 int64) (lat, lon coord, err error) {
	if latE7 > 900_000_000 {
		latE7 -= 1 << 32
	}
	if lonE7 > 1_800_000_000 {
		lonE7 -= 1 << 32
	}
	if latE7 < -900_000_000 || latE7 > 900_000_000 || lonE7 < -1_800_000_000 || lonE7 > 1_800_000_000 {
		return coord{}, coord{}, fmt.Errorf("coordinates %d, %d (× 10⁻⁷ degrees) are off the globe", latE7, lonE7)
	}
	return coord{float64(latE7) / 1e7, e7Text(latE7)}, coord{float64(lonE7) / 1e7, e7Text(lonE7)}, nil
}

// e7Text writes degrees × 10⁷ as exact decimal degrees, "53.3690550".
func e7Text(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%07d", sign, v/10_000_000, v%10_000_000)
}

func setIf(m map[string]any, k, v string) {
	if v = strings.TrimSpace(v); v != "" {
		m[k] = v
	}
}
