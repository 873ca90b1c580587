package enedis

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// AdaptHDM turns an HDM export into a meter record and series (see the package doc).
func AdaptHDM(f *HDMFile) (*importer.Result, error) {
	b := newBuilder(NameHDM)
	for i := range f.Blocks {
		if err := adaptHDMBlock(b, &f.Blocks[i]); err != nil {
			return nil, err
		}
	}
	if len(b.res.Series) == 0 {
		// Every block names its PRM (the parser checks it): say why nothing came of them
		// rather than let result() claim that there is no PRM.
		whys := slices.Clone(b.res.Notes)
		for _, l := range b.res.LeftOut {
			whys = append(whys, l.Text)
		}
		why := strings.Join(whys, "; ")
		if why == "" {
			why = "no row holds a value"
		}
		return nil, importer.Errorf(f.Blocks[0].Line, "", "nothing to import: %s", input.CutMessage(why))
	}
	for _, c := range f.Calendars {
		b.note("calendrier du %s : fournisseur %s (%s), distributeur %s (%s)",
			input.Cut(strings.TrimPrefix(c.Fields["Periode"], "Du ")),
			input.Cut(c.Fields["Identifiant calendrier fournisseur"]), input.Cut(c.Fields["Libelle calendrier fournisseur"]),
			input.Cut(c.Fields["Identifiant calendrier distributeur"]), input.Cut(c.Fields["Libelle calendrier distributeur"]))
	}
	return b.result()
}

func adaptHDMBlock(b *builder, blk *HDMBlock) error {
	prm := blk.Header["Identifiant PRM"]
	kind := blk.Header["Type de donnees"]
	switch {
	case kind == "Index":
		return hdmIndexes(b, prm, blk)
	case len(blk.Columns) != 1:
		return importer.Errorf(blk.Line, "Type de donnees", "a %s table must have one value column, not %d", input.Excerpt(kind), len(blk.Columns))
	}
	u, ok := hdmUnit(b, blk)
	if !ok {
		b.res.Skipped += len(blk.Rows)
		b.res.Leave(importer.LeftOut{Line: blk.Line, Kind: kind, Reason: importer.ReasonUnit, Params: []string{blk.Header["Unite"]},
			Text: fmt.Sprintf("%s (line %d) left out: unit %s is not one the doctypes have", input.Excerpt(kind), blk.Line, input.Excerpt(blk.Header["Unite"]))})
		return nil
	}
	if u.note != "" {
		b.note("%s: %s", input.Cut(kind), u.note)
	}
	metier := metierSlug(blk.Header["Grandeur metier"])
	var starts []time.Time
	if kind == "Courbe de charge" {
		step, err := hdmStep(blk)
		if err != nil {
			return err
		}
		ends := stamps(blk)
		starts = loadCurveStarts(ends, step)
		if stampsAreStarts(ends, starts) {
			starts = ends
			b.note(startStampsNote, fmt.Sprintf("%s (line %d)", input.Cut(kind), blk.Line))
		}
	} else {
		starts = stamps(blk)
	}
	rs := make([]store.Reading, 0, len(blk.Rows)) // sized once: growing it was a third of the adapter's memory
	for i, row := range blk.Rows {
		if row.Values[0] == nil {
			b.res.Skipped++
			continue
		}
		rs = append(rs, store.Reading{At: starts[i].UTC(), Value: *row.Values[0] * u.factor})
	}
	sk := hdmKind(kind)
	b.add(prm, "enedis:"+prm+":"+metier+":"+sk, seriesName(metier, sk), u.quantity, u.unit, rs)
	return nil
}

// hdmUnit converts the block's unit, inferring an empty one from the measure (see inferUnit)
// with a note that says so.
func hdmUnit(b *builder, blk *HDMBlock) (unitConv, bool) {
	unit := strings.TrimSpace(blk.Header["Unite"])
	kind := blk.Header["Type de donnees"]
	if unit == "" {
		inferred, ok := inferUnit(kind, strings.TrimSpace(blk.Header["Grandeur physique"]))
		if !ok {
			return unitConv{}, false
		}
		b.note("%s (line %d): the unit column is empty, %s inferred from the measure", input.Cut(kind), blk.Line, inferred)
		unit = inferred
	}
	return convertUnit(unit)
}

// hdmKind names a data type in keys, matching the other channels' names.
func hdmKind(t string) string {
	switch t {
	case "Courbe de charge":
		return "load-curve"
	case "Puissance maximale quotidienne":
		return "daily-max-power"
	case "Energie quotidienne", "Consommation quotidienne", "Production quotidienne":
		return "daily-energy"
	}
	return slug(t)
}

// hdmIndexes makes one index series per column that holds a value. A row with no value at
// all is counted as skipped.
func hdmIndexes(b *builder, prm string, blk *HDMBlock) error {
	unit := blk.Header["Unite"]
	factor := 1.0
	switch unit {
	case "", "Wh":
	case "kWh":
		factor = 1000
	default:
		return importer.Errorf(blk.Line+1, "Unite", "index unit %s: Wh or kWh expected", input.Excerpt(unit))
	}
	per := make([][]store.Reading, len(blk.Columns))
	for _, row := range blk.Rows {
		empty := true
		for j, v := range row.Values {
			if v != nil {
				empty = false
				per[j] = append(per[j], store.Reading{At: row.Time.UTC(), Value: *v * factor})
			}
		}
		if empty {
			b.res.Skipped++
		}
	}
	for j, col := range blk.Columns {
		if len(per[j]) > 0 {
			b.add(prm, "enedis:"+prm+":index:"+slug(col), "Index "+col, "index", "Wh", per[j])
		}
	}
	return nil
}

// hdmStep is the header's "Pas en minutes", 0 when it is empty.
func hdmStep(blk *HDMBlock) (time.Duration, error) {
	s := strings.TrimSpace(blk.Header["Pas en minutes"])
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 24*60 {
		return 0, importer.Errorf(blk.Line+1, "Pas en minutes", "%s is not a step in minutes", input.Excerpt(s))
	}
	return time.Duration(n) * time.Minute, nil
}

func stamps(blk *HDMBlock) []time.Time {
	ts := make([]time.Time, len(blk.Rows))
	for i, r := range blk.Rows {
		ts[i] = r.Time
	}
	return ts
}

// loadCurveStarts returns the start of each row's step: its end stamp minus the step. With a
// fixed step that is all. Without one, a row's step is the time since the previous stamp,
// unless that time is longer than the previous row's step: then either the curve coarsened
// (the next row confirms it by coming as far after) or rows are missing, and the step is the
// shorter of the previous step and the time to the next row — which also catches a curve
// that resumes at a finer step after a gap. Missing rows do not lengthen a step.
func loadCurveStarts(ends []time.Time, fixed time.Duration) []time.Time {
	starts := make([]time.Time, len(ends))
	var prev time.Duration
	for i, end := range ends {
		step := fixed
		if step == 0 {
			step = derivedStep(ends, i, prev)
		}
		starts[i] = end.Add(-step)
		prev = step
	}
	return starts
}

func derivedStep(ends []time.Time, i int, prev time.Duration) time.Duration {
	const fallback = 30 * time.Minute
	var before, after time.Duration
	if i > 0 {
		before = ends[i].Sub(ends[i-1])
	}
	if i+1 < len(ends) {
		after = ends[i+1].Sub(ends[i])
	}
	switch {
	case i == 0 && after > 0:
		return after
	case before <= 0 && prev > 0: // a repeated or backward stamp: keep the step
		return prev
	case before <= 0:
		return fallback
	case before <= prev || prev == 0:
		return before
	case after == before:
		return before
	case after > 0:
		return min(prev, after)
	}
	return prev
}
