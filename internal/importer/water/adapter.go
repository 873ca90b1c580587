package water

import (
	"fmt"
	"sort"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// DefaultProvider names the utility when the file does not.
const DefaultProvider = "water utility"

// Adapt turns a parsed file into meter records and reading.water series, in the order the
// meters first appear.
func Adapt(f *File, loc *time.Location) (*importer.Result, error) {
	provider := f.Provider
	if provider == "" {
		provider = DefaultProvider
	}
	res := &importer.Result{Format: Name}
	var order []string
	bySerial := map[string][]Row{}
	for _, r := range f.Rows {
		if _, ok := bySerial[r.Serial]; !ok {
			order = append(order, r.Serial)
		}
		bySerial[r.Serial] = append(bySerial[r.Serial], r)
	}
	for _, serial := range order {
		rows := bySerial[serial]
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Day.Before(rows[j].Day) })
		res.Records = append(res.Records, importer.Record{Doctype: "meter", Key: serial, Data: meterData(serial, provider)})
		res.Series = append(res.Series, meterSeries(serial, rows, loc, &res.Skipped)...)
		res.Notes = append(res.Notes, disagreements(serial, rows)...)
	}
	return res, nil
}

func meterData(serial, provider string) map[string]any {
	return map[string]any{
		"kind":       "water",
		"identifier": serial,
		"provider":   provider,
		"label":      "Compteur d'eau n° " + serial,
		"timeZone":   "Europe/Paris",
	}
}

// meterSeries builds the index, daily-volume and temperature series of one meter (rows in
// day order), counting empty temperatures as skipped.
func meterSeries(serial string, rows []Row, loc *time.Location, skipped *int) []importer.Series {
	index := make([]store.Reading, 0, len(rows))
	volume := make([]store.Reading, 0, len(rows))
	var temp []store.Reading
	for _, r := range rows {
		at := time.Date(r.Day.Year(), r.Day.Month(), r.Day.Day(), 0, 0, 0, 0, loc).UTC()
		index = append(index, store.Reading{At: at, Value: float64(r.IndexL) / 1000})
		volume = append(volume, store.Reading{At: at, Value: float64(r.VolumeML) / 1000})
		if r.Temperature == nil {
			*skipped++
			continue
		}
		temp = append(temp, store.Reading{At: at, Value: *r.Temperature})
	}
	mk := func(suffix, name, quantity, unit string, rs []store.Reading) importer.Series {
		return importer.Series{Key: "water:" + serial + ":" + suffix, Doctype: "reading.water", Name: name,
			Quantity: quantity, Unit: unit, MeterKey: serial, Readings: rs}
	}
	out := []importer.Series{
		mk("index", "Index du compteur d'eau", "index", "m3", index),
		mk("daily-volume", "Consommation d'eau par jour", "volume", "L", volume),
	}
	if len(temp) > 0 {
		out = append(out, mk("temperature", "Température au compteur", "temperature", "degC", temp))
	}
	return out
}

// disagreements compares each day's consumption with the rise of the index since the day
// before (when the file has that day), allowing a litre for rounding.
func disagreements(serial string, rows []Row) []string {
	var notes []string
	for i := 1; i < len(rows); i++ {
		prev, r := rows[i-1], rows[i]
		if !r.Day.Equal(prev.Day.AddDate(0, 0, 1)) {
			continue
		}
		riseML := (r.IndexL - prev.IndexL) * 1000
		if d := r.VolumeML - riseML; d > 1000 || d < -1000 {
			notes = append(notes, fmt.Sprintf("meter %s, %s (line %d): consumption %s L but the index rose by %s L since the day before",
				input.Cut(serial), r.Day.Format(time.DateOnly), r.Line, litres(r.VolumeML), litres(riseML)))
		}
	}
	return notes
}

// litres writes millilitres as litres without float rounding ("312", "-5", "12.5").
func litres(ml int64) string {
	sign := ""
	if ml < 0 {
		sign, ml = "-", -ml
	}
	s := fmt.Sprintf("%s%d.%03d", sign, ml/1000, ml%1000)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}
