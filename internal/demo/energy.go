package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"selfdata/internal/store"
)

// weather is a daily mean outdoor temperature for Lyon: a seasonal curve (3 °C late January,
// 22 °C late July) plus a persistent anomaly, so that cold spells last a few days. When the
// year ends in winter (December to February), its last three days are a cold spell: the
// kind that brings the water meter near freezing, as the one Eau du Grand Lyon warned four
// thousand people about. (In autumn or spring such a spell would also start the heating
// far above the season's usual, an excess the demo does not mean to show.)
func (g *gen) weather() []float64 {
	temps := g.weatherOf(g.days, g.rand("weather"))
	if coldSeason(g.end) {
		for i, t := range []float64{-5, -6, -6.5} {
			k := len(temps) - 3 + i
			temps[k] = math.Min(temps[k], t)
		}
	}
	return temps
}

// coldSeason tells whether the day d falls from December to February.
func coldSeason(d time.Time) bool { return d.Month() == time.December || d.Month() <= time.February }

func (g *gen) weatherOf(days []time.Time, r *rand.Rand) []float64 {
	temps := make([]float64, len(days))
	anomaly := 0.0
	for i, d := range days {
		anomaly = 0.75*anomaly + 1.6*r.NormFloat64()
		temps[i] = 12.7 - 9.5*math.Cos(2*math.Pi*float64(d.YearDay()-20)/365.25) + anomaly
	}
	return temps
}

// meterYears is how many years of readings the meters restore: two, so that a period can be
// compared with the same one a year earlier. The other organizations restore one year,
// and the bills are those of the last year of consumption.
const meterYears = 2

// meterDays are the days the meters cover: the year before the demo's year, then its year
// (g.days), with the outdoor temperature and whether Camille is away on each.
type meterDays struct {
	days  []time.Time
	temps []float64
	away  []bool
	first int // index of g.days[0]
}

func (g *gen) meterDays() meterDays {
	var md meterDays
	start := g.start.AddDate(-(meterYears - 1), 0, 0)
	for d := start; d.Before(g.start); d = d.AddDate(0, 0, 1) {
		md.days = append(md.days, d)
	}
	md.first = len(md.days)
	md.temps = append(g.weatherOf(md.days, g.rand("weather-before")), g.temps...)
	md.days = append(md.days, g.days...)
	// The summer before, the same two weeks away: 52 weeks earlier, a Saturday too.
	before := g.holiday.AddDate(0, 0, -364)
	for _, d := range md.days {
		md.away = append(md.away, g.away(d) || !d.Before(before) && d.Before(before.AddDate(0, 0, 15)))
	}
	return md
}

// energy restores the three meters and their series: the Linky load curve and index (Enedis),
// the Gazpar daily energy and volume (GRDF), the water meter's volume and temperature.
func (g *gen) energy() {
	r := g.rand("energy")
	enedis, grdf, eau := g.src("enedis"), g.src("grdf"), g.src("eau-du-grand-lyon")
	g.add("meter", enedis, "meter-enedis", map[string]any{
		"kind": "electricity", "identifier": "1" + digits(r, 13), "provider": "Enedis",
		"label": "Compteur Linky", "address": address, "contract": "contract-edf-electricity",
	})
	g.add("meter", grdf, "meter-grdf", map[string]any{
		"kind": "gas", "identifier": "2" + digits(r, 13), "provider": "GRDF",
		"label": "Compteur Gazpar", "address": address, "contract": "contract-edf-gas",
	})
	g.add("meter", eau, "meter-eau", map[string]any{
		"kind": "water", "identifier": "I21LA" + digits(r, 6), "provider": "Eau du Grand Lyon",
		"label": "Compteur d'eau télérelevé", "address": address, "contract": "contract-eau",
	})

	md := g.meterDays()
	curve, index := g.electricity(r, md)
	g.series(enedis, "enedis-load-curve", "reading.electricity", "Courbe de charge (30 min)", "energy", "Wh", "meter-enedis", curve)
	g.series(enedis, "enedis-daily-index", "reading.electricity", "Index quotidien", "index", "Wh", "meter-enedis", index)
	energy, volume := g.gas(r, md)
	g.series(grdf, "grdf-daily-energy", "reading.gas", "Consommation quotidienne (énergie)", "energy", "kWh", "meter-grdf", energy)
	g.series(grdf, "grdf-daily-volume", "reading.gas", "Consommation quotidienne (volume)", "volume", "m3", "meter-grdf", volume)
	water, hourly, temp := g.water(r, md)
	g.series(eau, "eau-daily-volume", "reading.water", "Consommation quotidienne", "volume", "L", "meter-eau", water)
	g.series(eau, "eau-hourly-volume", "reading.water", "Consommation horaire", "volume", "L", "meter-eau", hourly)
	g.series(eau, "eau-meter-temperature", "reading.water", "Température au compteur", "temperature", "degC", "meter-eau", temp)
}

func (g *gen) series(src store.Source, id, doctype, name, quantity, unit, meter string, rs []store.Reading) {
	g.ds.Series = append(g.ds.Series, SeriesData{
		Series: store.Series{
			ID: id, Doctype: doctype, Name: name, Quantity: quantity, Unit: unit,
			Meter: meter, Source: src, Created: g.at,
		},
		Readings: rs,
	})
}

func reading(t time.Time, v float64) store.Reading {
	return store.Reading{At: t.UTC().Truncate(time.Millisecond), Value: v}
}

// electricity returns the load curve (Wh per half hour, stamped at the start) and the meter
// index at each local midnight, the first and the one closing the last day included.
func (g *gen) electricity(r *rand.Rand, md meterDays) (curve, index []store.Reading) {
	idx := float64(18_000_000 + r.IntN(12_000_000))
	wh := make([]int64, len(md.days))
	for i, d := range md.days {
		index = append(index, reading(d, idx))
		p := g.plan(r, d, md.temps[i], md.away[i])
		next := d.AddDate(0, 0, 1)
		for t := d; t.Before(next); t = t.Add(30 * time.Minute) {
			l := t.In(g.loc)
			v := math.Round(p.watts(r, float64(l.Hour())+float64(l.Minute())/60) / 2)
			curve = append(curve, reading(t, v))
			wh[i] += int64(v)
		}
		idx += float64(wh[i])
	}
	index = append(index, reading(g.end, idx))
	g.elecWh = wh[md.first:]
	return curve, index
}

// dayPlan is one day of Camille's life as the meter sees it, in local decimal hours.
type dayPlan struct {
	away                     bool
	heat                     float64 // 0 (mild) to 1 (freezing): the electric convectors' share
	base                     float64 // fridge, box, standby (W)
	wake, leave, back, sleep float64
	wash                     float64 // washing machine start, or -1
	sunrise, sunset          float64
}

func (g *gen) plan(r *rand.Rand, d time.Time, temp float64, away bool) dayPlan {
	season := math.Cos(2 * math.Pi * float64(d.YearDay()-172) / 365.25) // 1 at midsummer
	p := dayPlan{
		away:    away,
		heat:    math.Max(0, math.Min(1, (15-temp)/13)),
		base:    130 + 30*r.Float64(),
		wash:    -1,
		sunrise: 7.05 - 1.2*season,
		sunset:  19.3 + 2.3*season,
	}
	if weekend(d) {
		p.wake, p.sleep = 8.5+1.5*r.Float64(), 23.5+0.5*r.Float64()
		p.leave, p.back = 14+r.Float64(), 17.5+r.Float64()
		if r.IntN(3) == 0 { // a day at home
			p.leave, p.back = 25, 25
		}
	} else {
		p.wake, p.sleep = 6.5+0.5*r.Float64(), 23+0.5*r.Float64()
		p.leave, p.back = p.wake+1.25, 18.25+r.Float64()
		if r.IntN(5) == 0 { // gym, dinner out
			p.back = 21.5 + r.Float64()
		}
	}
	if r.IntN(7) < 2 {
		p.wash = p.wake + 1.5
		if !weekend(d) {
			p.wash = p.back + 0.5
		}
	}
	return p
}

// watts is the mean power in the half hour starting at local hour h.
func (p dayPlan) watts(r *rand.Rand, h float64) float64 {
	w := p.base
	switch {
	case p.away:
		return w * (0.8 + 0.2*r.Float64())
	case h < p.wake || h >= p.sleep:
		w += 200 * p.heat
	case h >= p.leave && h < p.back:
		w += 80 * p.heat
	default:
		w += 110 + 500*p.heat
		if h < p.sunrise+0.5 || h > p.sunset-0.5 {
			w += 90 // lights
		}
		dinner := math.Max(p.back, 18.5)
		switch {
		case h < p.wake+1.25:
			w += 450 // kettle, toaster, hair dryer
		case h >= 12 && h < 13.5:
			w += 500 // lunch at home
		case h >= dinner && h < dinner+1.5:
			w += 700 // hob and oven
		case h >= 20:
			w += 150 // TV, laptop
		}
	}
	switch {
	case p.wash >= 0 && h >= p.wash && h < p.wash+0.5:
		w += 1800 // heating the water
	case p.wash >= 0 && h >= p.wash+0.5 && h < p.wash+1.5:
		w += 250
	}
	return w * (0.85 + 0.3*r.Float64())
}

// gas returns the daily energy (kWh) and volume (m3) at each local midnight: hot water and
// cooking all year, heating below 16.5 °C. Energy is volume times the month's conversion
// coefficient, as on a GRDF statement.
func (g *gen) gas(r *rand.Rand, md meterDays) (energy, volume []store.Reading) {
	ckwh := make([]int64, len(md.days))
	coef := 0.0
	for i, d := range md.days {
		if i == 0 || d.Day() == 1 {
			coef = math.Round((11.12+0.16*r.Float64())*1000) / 1000
		}
		kwh := 0.2 + 0.15*r.Float64() // the boiler's standby
		if !md.away[i] {
			kwh = 3.2 + 1.6*r.Float64() + 2.0*math.Max(0, 16.5-md.temps[i])
			if weekend(d) {
				kwh += 1
			}
		}
		m3 := math.Round(kwh/coef*1000) / 1000
		e := math.Round(m3*coef*100) / 100
		energy = append(energy, reading(d, e))
		volume = append(volume, reading(d, m3))
		ckwh[i] = int64(math.Round(e * 100))
	}
	g.gasCkWh = ckwh[md.first:]
	return energy, volume
}

// The demo's leak: a toilet cistern that has not stopped running since mid-afternoon six
// days before the end, LeakLitresPerHour every hour, night and day, on top of the
// household's use: the nights never fall to zero, which is what the leak check sees.
const (
	leakDaysBefore    = 6
	leakFromHour      = 15
	LeakLitresPerHour = 2
)

// water returns the daily volume (L) at each local midnight, the hourly volume (L) at each
// hour — a smart meter's indices, differenced — and the meter's temperature (°C) each
// morning. The household uses water from waking to bedtime, none at night; a day's hours
// add up to its daily volume. The meter sits in a shallow pit by the street: its
// temperature follows the last three days' air more than the ground's (coldest in
// February, warmest in August), so a hard cold spell brings it near freezing.
func (g *gen) water(r *rand.Rand, md meterDays) (daily, hourly, temp []store.Reading) {
	litres := make([]int64, len(md.days))
	leakStart := g.clock(g.end.AddDate(0, 0, -leakDaysBefore), leakFromHour)
	for i, d := range md.days {
		hours := g.waterHours(r, d, md.away[i])
		for h, l := range hours {
			t := d.Add(time.Duration(h) * time.Hour) // DST days: the hours that exist
			if !t.Before(d.AddDate(0, 0, 1)) {
				break
			}
			if !t.Before(leakStart) {
				l += LeakLitresPerHour
			}
			hourly = append(hourly, reading(t, float64(l)))
			litres[i] += l
		}
		daily = append(daily, reading(d, float64(litres[i])))
		air := md.temps[i]
		if i > 0 {
			air = (md.temps[i] + md.temps[i-1] + md.temps[max(0, i-2)]) / 3
		}
		ground := 15 - 6.5*math.Cos(2*math.Pi*float64(d.YearDay()-45)/365.25)
		c := 0.3*ground + 0.7*air + 0.3*r.NormFloat64()
		temp = append(temp, reading(g.clock(d, 6), math.Round(math.Max(-2, math.Min(24, c))*10)/10))
	}
	g.waterL = litres[md.first:]
	return daily, hourly, temp
}

// waterHours spreads one day's use over its hours: the morning shower, the day's sink and
// dishes, the evening; nothing at night; a little at midday when away (a neighbour
// watering the plants).
func (g *gen) waterHours(r *rand.Rand, d time.Time, away bool) [24]int64 {
	var h [24]int64
	if away {
		h[12] = between(r, 0, 3)
		return h
	}
	total := between(r, 110, 145)
	wake := 7
	if weekend(d) {
		total += between(r, 5, 20)
		wake = 9
	}
	shower := total * 45 / 100
	h[wake] += shower
	h[wake+1] += total * 10 / 100
	h[12] += total * 5 / 100
	for k := 14; k < 19; k++ {
		h[k] += total * 2 / 100
	}
	h[20] += total * 20 / 100
	var sum int64
	for _, l := range h {
		sum += l
	}
	h[21] += total - sum // the dishes take what rounding left
	return h
}
