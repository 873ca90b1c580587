package enedis

import (
	"fmt"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// AdaptSOAP turns a consulterMesuresDetaillees answer into a meter record and series.
func AdaptSOAP(resp *SOAPResponse) (*importer.Result, error) {
	b := newBuilder(NameSOAP)
	prm := strings.TrimSpace(resp.PointID)
	b.meter(prm)
	loc := paris()
	for i := range resp.Grandeurs {
		if err := adaptGrandeur(b, prm, &resp.Grandeurs[i], loc); err != nil {
			return nil, err
		}
	}
	return b.result()
}

func adaptGrandeur(b *builder, prm string, g *Grandeur, loc *time.Location) error {
	u, ok := convertUnit(g.Unite)
	if !ok {
		// Like an HDM table in such a unit: listed by its place, its measures counted.
		b.res.Skipped += len(g.Mesures)
		b.res.Leave(importer.LeftOut{Line: g.Line, Element: g.Path, Kind: "grandeur " + g.Metier + " " + g.Physique, Reason: importer.ReasonUnit, Params: []string{g.Unite},
			Text: fmt.Sprintf("grandeur %s %s left out: unit %s is not one the doctypes have", input.Cut(g.Metier), input.Cut(g.Physique), input.Excerpt(g.Unite))})
		return nil
	}
	if u.note != "" {
		b.note("%s: %s", input.Cut(g.Physique), u.note)
	}
	rs, err := soapReadings(b, g, u, loc)
	if err != nil {
		return err
	}
	metier := metierSlug(g.Metier)
	kind := soapKind(g.Physique)
	b.add(prm, "enedis:"+prm+":"+metier+":"+kind, seriesName(metier, kind), u.quantity, u.unit, rs)
	return nil
}

// soapReadings reads a grandeur's measures. The stamps of all its measures, empty ones
// included, decide whether they are starts or ends of their steps (stampsAreStarts); an
// empty measure is skipped and its unreadable date ignored, as before.
func soapReadings(b *builder, g *Grandeur, u unitConv, loc *time.Location) ([]store.Reading, error) {
	var stamps, starts []time.Time
	var values []*float64
	for _, m := range g.Mesures {
		start, stamp, err := soapInstant(m, g, loc)
		if err != nil && m.V != nil {
			return nil, err
		}
		if err != nil {
			b.res.Skipped++
			continue
		}
		stamps, starts, values = append(stamps, stamp), append(starts, start), append(values, m.V)
	}
	if stampsAreStarts(stamps, starts) {
		starts = stamps
		b.note(startStampsNote, "grandeur "+input.Cut(g.Metier)+" "+input.Cut(g.Physique))
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

// soapKind names the series from the grandeurPhysique, with the names the other channels use.
func soapKind(physique string) string {
	switch physique {
	case "PA":
		return "load-curve"
	case "EA":
		return "daily-energy"
	case "PMA":
		return "daily-max-power"
	}
	return slug(physique)
}

// soapInstant reads <d>: a date-time with its offset, taken as the end of its step when the
// step is under a day (start is then a step earlier); or a date alone, the local midnight of
// that day. It returns the start by that convention and the stamp as written.
func soapInstant(m Mesure, g *Grandeur, loc *time.Location) (start, stamp time.Time, err error) {
	s := strings.TrimSpace(m.D)
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
		return t, t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, time.Time{}, importer.Errorf(m.Line, "mesure/d", "%s is not a date and time with its offset (2022-01-05T00:30:00.000+01:00)", input.Excerpt(m.D))
	}
	period := m.P
	if period == "" {
		period = g.Pas
	}
	step, _ := parseISODuration(period)
	return startOf(t, step), t, nil
}
