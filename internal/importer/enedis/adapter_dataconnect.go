package enedis

import (
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// AdaptDataConnect turns a Data Connect answer into a meter record and one series.
func AdaptDataConnect(dc *DataConnect) (*importer.Result, error) {
	b := newBuilder(NameDataConnect)
	prm := strings.TrimSpace(dc.UsagePointID)
	if prm == "" {
		return nil, importer.Errorf(dc.Line, "meter_reading.usage_point_id", "the usage point id is missing").WithKind(importer.KindNoMeter)
	}
	rt := dc.ReadingType
	u, ok := convertUnit(rt.Unit)
	if !ok {
		return nil, importer.Errorf(dc.Line, "meter_reading.reading_type.unit", "unit %s: W, Wh, VA (or kW, kWh, kVA) expected", input.Excerpt(rt.Unit))
	}
	if u.note != "" {
		b.note("%s", u.note)
	}
	rs, err := dcReadings(b, dc, u)
	if err != nil {
		return nil, err
	}
	kind := dcKind(rt)
	b.add(prm, "enedis:"+prm+":consumption:"+kind, seriesName("consumption", kind), u.quantity, u.unit, rs)
	b.note("Data Connect does not say whether values are consumption or production: read as consumption")
	return b.result()
}

// dcReadings reads the interval readings. The stamps of all of them, empty ones included,
// decide whether they are starts or ends of their steps (stampsAreStarts); an empty reading
// is skipped and its unreadable date ignored, as before.
func dcReadings(b *builder, dc *DataConnect, u unitConv) ([]store.Reading, error) {
	loc := paris()
	var stamps, starts []time.Time
	var values []*float64
	var prev time.Time
	for _, r := range dc.Readings {
		at, stamp, err := dcInstant(r, dc.ReadingType, loc, prev)
		if err != nil && r.Value != nil {
			return nil, err
		}
		if err != nil {
			b.res.Skipped++
			continue
		}
		prev = stamp
		stamps, starts, values = append(stamps, stamp), append(starts, at), append(values, r.Value)
	}
	if stampsAreStarts(stamps, starts) {
		starts = stamps
		b.note(startStampsNote, "interval_reading")
	}
	var rs []store.Reading
	for i, v := range values {
		if v == nil {
			b.res.Skipped++
			continue
		}
		rs = append(rs, store.Reading{At: starts[i].UTC(), Value: *v * u.factor})
	}
	return rs, nil
}

// dcKind names the series from the reading type, with the names the other channels use.
func dcKind(rt DCReadingType) string {
	switch {
	case rt.MeasurementKind == "power" && rt.Aggregate == "average":
		return "load-curve"
	case rt.MeasurementKind == "energy" && rt.Aggregate == "sum":
		return "daily-energy"
	case rt.MeasurementKind == "power" && rt.Aggregate == "maximum":
		return "daily-max-power"
	}
	return slug(rt.MeasurementKind + " " + rt.Aggregate)
}

// dcInstant reads a local date or date-time of Europe/Paris. A day is its local midnight; a
// time with a step under a day is the end of that step, and the reading starts a step
// earlier. It also returns the stamp itself, which orders the autumn's repeated hour.
func dcInstant(r DCReading, rt DCReadingType, loc *time.Location, prev time.Time) (at, stamp time.Time, err error) {
	const path = "meter_reading.interval_reading.date"
	s := strings.TrimSpace(r.Date)
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
		return t, t, nil
	}
	wall, err := time.Parse(time.DateTime, strings.Replace(s, "T", " ", 1))
	if err != nil {
		return time.Time{}, time.Time{}, importer.Errorf(r.Line, path, "%s is not a date (2022-03-08) nor a local date and time (2023-03-01 00:30:00)", input.Excerpt(r.Date))
	}
	stamp = localTime(wall, loc, prev)
	period := r.IntervalLength
	if period == "" {
		period = rt.MeasuringPeriod
	}
	step, _ := parseISODuration(period)
	return startOf(stamp, step), stamp, nil
}

// localTime places a wall-clock time in loc. In the autumn the hour from 02:00 to 03:00
// happens twice: the first occurrence is taken unless it does not come after prev, the
// previous stamp of the series, in which case this is the second time round.
func localTime(wall time.Time, loc *time.Location, prev time.Time) time.Time {
	t := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, loc)
	var same []time.Time
	for _, c := range []time.Time{t.Add(-time.Hour), t, t.Add(time.Hour)} {
		l := c.In(loc)
		if l.Hour() == wall.Hour() && l.Minute() == wall.Minute() && l.Day() == wall.Day() {
			same = append(same, c)
		}
	}
	if len(same) < 2 {
		return t
	}
	for _, c := range same {
		if c.After(prev) {
			return c
		}
	}
	return same[len(same)-1]
}
