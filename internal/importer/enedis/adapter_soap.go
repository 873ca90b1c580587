package enedis

import (
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
		b.res.Skipped += len(g.Mesures)
		b.note("grandeur %s %s (line %d) left out: unit %s is not one the doctypes have", input.Cut(g.Metier), input.Cut(g.Physique), g.Line, input.Excerpt(g.Unite))
		return nil
	}
	if u.note != "" {
		b.note("%s: %s", input.Cut(g.Physique), u.note)
	}
	var rs []store.Reading
	for _, m := range g.Mesures {
		if m.V == nil {
			b.res.Skipped++
			continue
		}
		at, err := soapInstant(m, g, loc)
		if err != nil {
			return err
		}
		rs = append(rs, store.Reading{At: at.UTC(), Value: *m.V * u.factor})
	}
	metier := metierSlug(g.Metier)
	kind := soapKind(g.Physique)
	b.add(prm, "enedis:"+prm+":"+metier+":"+kind, seriesName(metier, kind), u.quantity, u.unit, rs)
	return nil
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

// soapInstant reads <d>: a date-time with its offset, the end of its step when the step is
// under a day; or a date alone, the local midnight of that day.
func soapInstant(m Mesure, g *Grandeur, loc *time.Location) (time.Time, error) {
	s := strings.TrimSpace(m.D)
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, importer.Errorf(m.Line, "mesure/d", "%s is not a date and time with its offset (2022-01-05T00:30:00.000+01:00)", input.Excerpt(m.D))
	}
	period := m.P
	if period == "" {
		period = g.Pas
	}
	step, _ := parseISODuration(period)
	return startOf(t, step), nil
}
