package grdf

import (
	"fmt"
	"sort"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// seriesDef describes one series of a PCE; Key suffixes are stable so that a re-import
// lands on the same series.
type seriesDef struct {
	suffix, name, quantity, unit string
}

var (
	dailyDefs = [3]seriesDef{
		{"daily-energy", "Consommation de gaz par jour (énergie)", "energy", "kWh"},
		{"daily-volume", "Consommation de gaz par jour (volume brut)", "volume", "m3"},
		{"daily-conversion", "Coefficient de conversion par jour", "conversion", "kWh/m3"},
	}
	publishedDefs = [3]seriesDef{
		{"published-energy", "Consommation de gaz par période publiée (énergie)", "energy", "kWh"},
		{"published-volume", "Consommation de gaz par période publiée (volume brut)", "volume", "m3"},
		{"published-conversion", "Coefficient de conversion par période publiée", "conversion", "kWh/m3"},
	}
	indexDef = seriesDef{"index", "Index du compteur de gaz", "index", "m3"}
)

// meterData is the meter record of a PCE.
func meterData(pce string) map[string]any {
	return map[string]any{
		"kind":       "gas",
		"identifier": pce,
		"provider":   "GRDF",
		"label":      "Compteur de gaz (PCE " + pce + ")",
		"timeZone":   "Europe/Paris",
	}
}

// adapt turns periods into the meter records and reading.gas series.
func adapt(name string, ps []period) (*importer.Result, error) {
	loc := paris()
	res := &importer.Result{Format: name}
	var order []string
	byPCE := map[string][]period{}
	for _, p := range ps {
		if _, ok := byPCE[p.pce]; !ok {
			order = append(order, p.pce)
		}
		byPCE[p.pce] = append(byPCE[p.pce], p)
	}
	total := 0
	for _, pce := range order {
		res.Records = append(res.Records, importer.Record{Doctype: "meter", Key: pce, Data: meterData(pce)})
		series, skipped := pceSeries(pce, dedupe(byPCE[pce], &res.Notes), loc)
		res.Skipped += skipped
		for _, s := range series {
			total += len(s.Readings)
		}
		res.Series = append(res.Series, series...)
	}
	if total+len(res.Records) > importer.MaxRecords {
		return nil, importer.Errorf(0, "", "the file holds more than %d readings", importer.MaxRecords)
	}
	return res, nil
}

// dedupe keeps the last period of each (kind, start): GRDF re-publishes rectified periods.
func dedupe(ps []period, notes *[]string) []period {
	type k struct {
		daily bool
		start time.Time
	}
	at := map[k]int{}
	var out []period
	for _, p := range ps {
		key := k{p.daily, p.startDay}
		if i, ok := at[key]; ok {
			*notes = append(*notes, fmt.Sprintf("PCE %s: %s is given twice (lines %d and %d); the last one is kept",
				input.Cut(p.pce), p.startDay.Format(time.DateOnly), out[i].line, p.line))
			out[i] = p
			continue
		}
		at[key] = len(out)
		out = append(out, p)
	}
	return out
}

// pceSeries builds the non-empty series of one PCE, counting the null values it leaves out.
func pceSeries(pce string, ps []period, loc *time.Location) ([]importer.Series, int) {
	var daily, published [3][]store.Reading
	skipped := 0
	for _, p := range ps {
		target := &published
		if p.daily {
			target = &daily
		}
		at := gasDayStart(p.startDay, loc)
		for i, v := range [3]*float64{p.energy, p.volume, p.coeff} {
			if v == nil {
				skipped++
				continue
			}
			target[i] = append(target[i], store.Reading{At: at, Value: *v})
		}
	}
	index, idxSkipped := indexReadings(ps, loc)
	skipped += idxSkipped
	var out []importer.Series
	add := func(d seriesDef, rs []store.Reading) {
		if len(rs) == 0 {
			return
		}
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].At.Before(rs[j].At) })
		out = append(out, importer.Series{Key: "grdf:" + pce + ":" + d.suffix, Doctype: "reading.gas",
			Name: d.name, Quantity: d.quantity, Unit: d.unit, MeterKey: pce, Readings: rs})
	}
	for i := range 3 {
		add(dailyDefs[i], daily[i])
	}
	for i := range 3 {
		add(publishedDefs[i], published[i])
	}
	add(indexDef, index)
	return out, skipped
}

// indexReadings places each end index at the end of its period and, where no period ends
// there, the start index at its start (so the first reading of a file is kept too). An end
// index that is null, or whose period has no known end, is counted as skipped.
func indexReadings(ps []period, loc *time.Location) ([]store.Reading, int) {
	values := map[time.Time]float64{}
	for _, p := range ps {
		if p.indexStart != nil {
			values[gasDayStart(p.startDay, loc)] = *p.indexStart
		}
	}
	skipped := 0
	for _, p := range ps {
		if p.indexEnd == nil || p.endDay.IsZero() {
			skipped++
			continue
		}
		values[gasDayStart(p.endDay, loc)] = *p.indexEnd
	}
	rs := make([]store.Reading, 0, len(values))
	for at, v := range values {
		rs = append(rs, store.Reading{At: at, Value: v})
	}
	return rs, skipped
}
