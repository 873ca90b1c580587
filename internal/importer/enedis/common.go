package enedis

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	// Enedis times are defined in Europe/Paris: embed the zone so that a server without
	// /usr/share/zoneinfo reads the same instants.
	_ "time/tzdata"

	"selfdata/internal/importer"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// paris is the zone of Enedis local times. LoadLocation cannot fail with time/tzdata
// embedded; the fallback keeps Parse from panicking if it ever did.
func paris() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}

// unitConv is how a unit Enedis writes is stored.
type unitConv struct {
	quantity, unit string
	factor         float64
	note           string
}

// convertUnit maps an Enedis unit to a stored one; ok is false for units no doctype has.
func convertUnit(u string) (unitConv, bool) {
	switch strings.TrimSpace(u) {
	case "W":
		return unitConv{"power", "W", 1, ""}, true
	case "kW":
		return unitConv{"power", "W", 1000, ""}, true
	case "Wh":
		return unitConv{"energy", "Wh", 1, ""}, true
	case "kWh":
		return unitConv{"energy", "Wh", 1000, ""}, true
	case "VA":
		return unitConv{"power", "W", 1, "apparent power (VA) stored as W"}, true
	case "kVA":
		return unitConv{"power", "W", 1000, "apparent power (kVA) stored as W"}, true
	}
	return unitConv{}, false
}

// parseNumber reads a measure as Enedis writes it ("1061", "12.5", "12,5"); it refuses
// anything else, NaN and infinities included, which strconv alone would take.
func parseNumber(s string) (float64, error) {
	t := strings.Replace(strings.TrimSpace(s), ",", ".", 1)
	digits := 0
	for i, c := range t {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
		case (c == '-' || c == '+') && i == 0:
		default:
			return 0, fmt.Errorf("%s is not a number", input.Excerpt(s))
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || digits == 0 {
		return 0, fmt.Errorf("%s is not a number", input.Excerpt(s))
	}
	return v, nil
}

// parseISODuration reads the durations Enedis uses: PTnM, PTnH, PnD (and PTnS).
func parseISODuration(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	var unit time.Duration
	var num string
	switch {
	case strings.HasPrefix(s, "PT") && strings.HasSuffix(s, "M"):
		unit, num = time.Minute, s[2:len(s)-1]
	case strings.HasPrefix(s, "PT") && strings.HasSuffix(s, "H"):
		unit, num = time.Hour, s[2:len(s)-1]
	case strings.HasPrefix(s, "PT") && strings.HasSuffix(s, "S"):
		unit, num = time.Second, s[2:len(s)-1]
	case strings.HasPrefix(s, "P") && strings.HasSuffix(s, "D"):
		unit, num = 24*time.Hour, s[1:len(s)-1]
	default:
		return 0, false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 || n > 1000 {
		return 0, false
	}
	return time.Duration(n) * unit, true
}

// startOf is the instant a value measures from: a value stamped at the end of a step shorter
// than a day stands for that step; daily values and instants are kept as stamped.
func startOf(stamp time.Time, step time.Duration) time.Time {
	if step > 0 && step < 24*time.Hour {
		return stamp.Add(-step)
	}
	return stamp
}

// metierSlug names the direction of a measure in series keys.
func metierSlug(m string) string {
	switch strings.ToUpper(strings.TrimSpace(m)) {
	case "PROD", "PRODUCTION":
		return "production"
	}
	return "consumption"
}

// slug makes a key part out of a label ("EAS F1" -> "eas-f1").
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(strings.TrimSpace(s)) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// seriesName is the plain-language name of a kind of series.
func seriesName(metier, kind string) string {
	prod := metier == "production"
	switch {
	case kind == "load-curve" && prod:
		return "Courbe de production"
	case kind == "load-curve":
		return "Courbe de charge"
	case kind == "daily-energy" && prod:
		return "Production quotidienne"
	case kind == "daily-energy":
		return "Consommation quotidienne"
	case kind == "daily-max-power":
		return "Puissance maximale quotidienne"
	}
	return kind
}

// builder gathers records and series, one meter per PRM and one series per key, in the
// order they first appear.
type builder struct {
	res    *importer.Result
	meters map[string]bool
	series map[string]int
}

func newBuilder(format string) *builder {
	return &builder{res: &importer.Result{Format: format}, meters: map[string]bool{}, series: map[string]int{}}
}

func (b *builder) meter(prm string) string {
	if !b.meters[prm] {
		b.meters[prm] = true
		b.res.Records = append(b.res.Records, meterRecord(prm))
	}
	return prm
}

// meterRecord is the meter of a PRM.
func meterRecord(prm string) importer.Record {
	return importer.Record{Doctype: "meter", Key: prm, Data: map[string]any{
		"kind": "electricity", "identifier": prm, "provider": "Enedis", "timeZone": "Europe/Paris",
	}}
}

// add appends readings to the series of that key, creating it on first use (the HDM export,
// which streams its readings, uses an emitter instead).
func (b *builder) add(prm, key, name, quantity, unit string, rs []store.Reading) {
	i, ok := b.series[key]
	if !ok {
		i = len(b.res.Series)
		b.series[key] = i
		b.res.Series = append(b.res.Series, importer.Series{Key: key, Doctype: "reading.electricity",
			Name: name, Quantity: quantity, Unit: unit, MeterKey: b.meter(prm)})
	}
	b.res.Series[i].Readings = append(b.res.Series[i].Readings, rs...)
}

func (b *builder) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	for _, x := range b.res.Notes {
		if x == n {
			return
		}
	}
	b.res.Notes = append(b.res.Notes, n)
}

// result sorts each series by time and refuses a file that yields nothing.
func (b *builder) result() (*importer.Result, error) {
	sortReadings(b.res)
	if len(b.res.Records) == 0 {
		return nil, importer.Errorf(0, "", "the file names no PRM: nothing to import").WithKind(importer.KindNoMeter)
	}
	return b.res, nil
}

// sortReadings sorts each series by time; readings at the same instant keep their order, the
// last being the one the store keeps.
func sortReadings(res *importer.Result) {
	for i := range res.Series {
		rs := res.Series[i].Readings
		sort.SliceStable(rs, func(x, y int) bool { return rs[x].At.Before(rs[y].At) })
	}
}

// stampsAreStarts tells whether one load curve's stamps mark the START of their steps rather
// than the end, given every row's stamp and the start the end convention gives it.
//
// Enedis stamps load curve values at the end of their step: its specifications (the SGE
// guides, the Data Connect reference) are only given to registered parties, but the public
// accounts of its APIs read Data Connect's "date" as the end of "interval_length", and the
// 30-minute (C5) files bear it out: the SGE HDM sample ends at 2022-02-02T00:00+01:00 for a
// period ending 02/02/2022, the SOAP sample for 5–12 January runs from 00:30 on the 5th to
// 00:00 on the 12th. Yet 10-minute (C4) exports and SOAP answers run from 00:00 of their
// first day to 23:50 of their last, which only start stamps explain, and nothing public
// settles the convention per segment. So it is read from the file itself: a curve whose
// first stamp is a local midnight while its last is not, its last stamp plus its step being
// the next local midnight, has start stamps. Any other curve keeps the end convention.
func stampsAreStarts(stamps, endStarts []time.Time) bool {
	n := len(stamps)
	if n < 2 || len(endStarts) != n {
		return false
	}
	return startStamps(stamps[0], stamps[n-1], stamps[n-1].Sub(endStarts[n-1]))
}

// isLocalMidnight tells a time whose wall clock reads 00:00:00 (France changes its clocks
// at 02:00 or 03:00, never at midnight).
func isLocalMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0
}

// startStampsNote is the note an import carries when a curve's stamps are read as starts.
const startStampsNote = "%s: stamps run from midnight of the first day to the last step before midnight of the last day, so each is read as the start of its step"

// inferUnit is the unit an HDM block means when its "Unite" cell is empty, from its data
// type and physical quantity: the SGE portal exports such blocks (seen for active power load
// curves), and a load curve of active power is in W, a daily energy in Wh, a daily maximum
// power in VA. ok is false when the block does not say enough.
func inferUnit(kind, physique string) (string, bool) {
	active := physique == "" || strings.HasSuffix(strings.ToLower(physique), "active")
	switch {
	case kind == "Courbe de charge" && active:
		return "W", true
	case hdmKind(kind) == "daily-energy" && active:
		return "Wh", true
	case kind == "Puissance maximale quotidienne":
		return "VA", true
	}
	return "", false
}
