package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"selfdata/internal/store"
)

// weather is a daily mean outdoor temperature for Lyon: a seasonal curve (3 °C late January,
// 22 °C late July) plus a persistent anomaly, so that cold spells last a few days.
func (g *gen) weather() []float64 {
	r := g.rand("weather")
	temps := make([]float64, len(g.days))
	anomaly := 0.0
	for i, d := range g.days {
		anomaly = 0.75*anomaly + 1.6*r.NormFloat64()
		temps[i] = 12.7 - 9.5*math.Cos(2*math.Pi*float64(d.YearDay()-20)/365.25) + anomaly
	}
	return temps
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

	curve, index := g.electricity(r)
	g.series(enedis, "enedis-load-curve", "reading.electricity", "Courbe de charge (30 min)", "energy", "Wh", "meter-enedis", curve)
	g.series(enedis, "enedis-daily-index", "reading.electricity", "Index quotidien", "index", "Wh", "meter-enedis", index)
	energy, volume := g.gas(r)
	g.series(grdf, "grdf-daily-energy", "reading.gas", "Consommation quotidienne (énergie)", "energy", "kWh", "meter-grdf", energy)
	g.series(grdf, "grdf-daily-volume", "reading.gas", "Consommation quotidienne (volume)", "volume", "m3", "meter-grdf", volume)
	water, temp := g.water(r)
	g.series(eau, "eau-daily-volume", "reading.water", "Consommation quotidienne", "volume", "L", "meter-eau", water)
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
// index at each local midnight, the first and the one closing the year included.
func (g *gen) electricity(r *rand.Rand) (curve, index []store.Reading) {
	idx := float64(18_000_000 + r.IntN(12_000_000))
	g.elecWh = make([]int64, len(g.days))
	for i, d := range g.days {
		index = append(index, reading(d, idx))
		p := g.plan(r, i, d)
		next := d.AddDate(0, 0, 1)
		for t := d; t.Before(next); t = t.Add(30 * time.Minute) {
			l := t.In(g.loc)
			wh := math.Round(p.watts(r, float64(l.Hour())+float64(l.Minute())/60) / 2)
			curve = append(curve, reading(t, wh))
			g.elecWh[i] += int64(wh)
		}
		idx += float64(g.elecWh[i])
	}
	index = append(index, reading(g.end, idx))
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

func (g *gen) plan(r *rand.Rand, i int, d time.Time) dayPlan {
	season := math.Cos(2 * math.Pi * float64(d.YearDay()-172) / 365.25) // 1 at midsummer
	p := dayPlan{
		away:    g.away(d),
		heat:    math.Max(0, math.Min(1, (15-g.temps[i])/13)),
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
func (g *gen) gas(r *rand.Rand) (energy, volume []store.Reading) {
	g.gasCkWh = make([]int64, len(g.days))
	coef := 0.0
	for i, d := range g.days {
		if i == 0 || d.Day() == 1 {
			coef = math.Round((11.12+0.16*r.Float64())*1000) / 1000
		}
		kwh := 0.2 + 0.15*r.Float64() // the boiler's standby
		if !g.away(d) {
			kwh = 3.2 + 1.6*r.Float64() + 2.0*math.Max(0, 16.5-g.temps[i])
			if weekend(d) {
				kwh += 1
			}
		}
		m3 := math.Round(kwh/coef*1000) / 1000
		e := math.Round(m3*coef*100) / 100
		energy = append(energy, reading(d, e))
		volume = append(volume, reading(d, m3))
		g.gasCkWh[i] = int64(math.Round(e * 100))
	}
	return energy, volume
}

// water returns the daily volume (L) and the meter's temperature (°C), which follows the
// ground: coldest in February, warmest in August.
func (g *gen) water(r *rand.Rand) (volume, temp []store.Reading) {
	g.waterL = make([]int64, len(g.days))
	for i, d := range g.days {
		l := between(r, 110, 145)
		switch {
		case g.away(d):
			l = between(r, 0, 3)
		case weekend(d):
			l += between(r, 5, 20)
		}
		g.waterL[i] = l
		volume = append(volume, reading(d, float64(l)))
		c := 15 - 6.5*math.Cos(2*math.Pi*float64(d.YearDay()-45)/365.25) + 0.4*r.NormFloat64()
		temp = append(temp, reading(d, math.Round(math.Max(8, math.Min(22, c))*10)/10))
	}
	return volume, temp
}
