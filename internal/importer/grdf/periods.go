package grdf

import (
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// period is what both shapes say about one gas day or one published period, before it is
// turned into readings. Days are civil dates (midnight UTC stands for "that date").
type period struct {
	line     int
	pce      string
	daily    bool
	startDay time.Time
	endDay   time.Time // zero when the source does not say

	energy, volume, coeff, indexStart, indexEnd *float64
}

// portalPeriods checks and flattens a portal file.
func portalPeriods(f *PortalFile) ([]period, error) {
	var out []period
	for _, p := range f.PCEs {
		id := p.IDPce
		if id == "" {
			id = p.Key
		}
		if p.IDPce != "" && p.IDPce != p.Key {
			return nil, importer.Errorf(p.Line, input.Cut(p.Key)+".idPce", "idPce %s differs from the key %s of its entry", input.Excerpt(p.IDPce), input.Excerpt(p.Key))
		}
		if strings.TrimSpace(id) == "" {
			return nil, importer.Errorf(p.Line, "idPce", "a PCE entry has no PCE number").WithKind(importer.KindNoMeter)
		}
		for _, r := range p.Releves {
			per, err := portalPeriod(id, r)
			if err != nil {
				return nil, err
			}
			out = append(out, per)
		}
	}
	return out, nil
}

func portalPeriod(pce string, r PortalReleve) (period, error) {
	per := period{line: r.Line, pce: pce, energy: r.EnergieConsomme, volume: r.VolumeBrutConsomme,
		coeff: r.CoeffConversion, indexStart: r.IndexDebut, indexEnd: r.IndexFin}
	per.daily = r.JourneeGaziere != nil || r.NatureReleve != nil && strings.Contains(*r.NatureReleve, "Journalier")
	var err error
	switch {
	case r.JourneeGaziere != nil:
		per.startDay, err = day(*r.JourneeGaziere, r.Line, "journeeGaziere")
	case r.DateDebutReleve != nil:
		per.startDay, err = day(*r.DateDebutReleve, r.Line, "dateDebutReleve")
	default:
		return per, importer.Errorf(r.Line, "releves", "a reading has neither journeeGaziere nor dateDebutReleve")
	}
	if err != nil {
		return per, err
	}
	if r.DateFinReleve != nil {
		if per.endDay, err = day(*r.DateFinReleve, r.Line, "dateFinReleve"); err != nil {
			return per, err
		}
	}
	return per, per.checkEnd("dateFinReleve")
}

// adictPeriods checks and flattens ADICT lines (those with a consommation).
func adictPeriods(lines []ADICTLine) ([]period, error) {
	out := make([]period, 0, len(lines))
	for _, l := range lines {
		per, err := adictPeriod(l)
		if err != nil {
			return nil, err
		}
		out = append(out, per)
	}
	return out, nil
}

func adictPeriod(l ADICTLine) (period, error) {
	c := l.Consommation
	per := period{line: l.Line, energy: c.Energie, volume: c.VolumeBrut}
	if l.PCE == nil || strings.TrimSpace(l.PCE.ID) == "" {
		return per, importer.Errorf(l.Line, "pce.id_pce", "the consumption names no PCE").WithKind(importer.KindNoMeter)
	}
	per.pce = strings.TrimSpace(l.PCE.ID)
	if c.CoeffCalcul != nil {
		per.coeff = c.CoeffCalcul.CoeffConversion
	}
	if l.ReleveDebut != nil && l.ReleveDebut.IndexBrutDebut != nil {
		per.indexStart = l.ReleveDebut.IndexBrutDebut.Valeur
	}
	if l.ReleveFin != nil && l.ReleveFin.IndexBrutFin != nil {
		per.indexEnd = l.ReleveFin.IndexBrutFin.Valeur
	}
	per.daily = c.JourneeGaziere != nil || c.TypeConso != nil && strings.Contains(*c.TypeConso, "Informative")
	var err error
	switch {
	case c.JourneeGaziere != nil:
		per.startDay, err = day(*c.JourneeGaziere, l.Line, "consommation.journee_gaziere")
		per.endDay = per.startDay.AddDate(0, 0, 1)
		return per, err
	case l.Periode != nil && l.Periode.DateDebut != nil:
		per.startDay, err = day(*l.Periode.DateDebut, l.Line, "periode.date_debut")
	default:
		return per, importer.Errorf(l.Line, "periode.date_debut", "the consumption has no start date")
	}
	if err != nil {
		return per, err
	}
	if l.Periode.DateFin != nil {
		if per.endDay, err = day(*l.Periode.DateFin, l.Line, "periode.date_fin"); err != nil {
			return per, err
		}
	}
	return per, per.checkEnd("periode.date_fin")
}

// checkEnd refuses a period that ends before it starts; a daily reading without an end
// lasts one gas day.
func (p *period) checkEnd(element string) error {
	if p.endDay.IsZero() {
		if p.daily {
			p.endDay = p.startDay.AddDate(0, 0, 1)
		}
		return nil
	}
	if !p.endDay.After(p.startDay) {
		return importer.Errorf(p.line, element, "the period ends (%s) before it starts (%s)",
			p.endDay.Format(time.DateOnly), p.startDay.Format(time.DateOnly))
	}
	return nil
}

// day reads the date at the start of s ("2019-11-30" or "2019-11-30T06:00:00+00:00"): the
// portal's offsets are wrong (see the package doc), so the date is what counts.
func day(s string, line int, element string) (time.Time, error) {
	d := s
	if len(d) > 10 && d[10] == 'T' {
		d = d[:10]
	}
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return time.Time{}, importer.Errorf(line, element, "%s is not a date YYYY-MM-DD", input.Excerpt(s))
	}
	return t, nil
}

// gasDayStart is 06:00 in Europe/Paris on the civil date d, in UTC.
func gasDayStart(d time.Time, loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 6, 0, 0, 0, loc).UTC()
}
