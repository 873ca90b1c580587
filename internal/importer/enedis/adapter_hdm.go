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

// StreamHDM reads an HDM export and hands its meter records and readings to sink as it reads
// them, in bounded batches: the rows of a block become readings as they come. A load curve
// whose first stamp is a local midnight may have start stamps, which only its last row tells
// (stampsAreStarts): its readings wait for its end, up to a batch of them; a longer one is read
// again, from open, once the convention is known. The errors are those of ParseHDM then
// AdaptHDM, in that order: an adapter's refusal of a block is kept until the whole file has
// been read.
func StreamHDM(open importer.Open, sink importer.Sink) (*importer.Result, error) {
	a := newHDMAdapter(sink)
	cals, err := scanHDM(importer.LimitReader(open()), a, false)
	if err != nil {
		return nil, err
	}
	if a.refused != nil {
		return nil, a.refused
	}
	if len(a.again) > 0 {
		a.pass2 = true
		a.blocks = 0
		if _, err := scanHDM(importer.LimitReader(open()), a, false); err != nil {
			return nil, err
		}
	}
	return a.result(cals)
}

// hdmAdapter turns blocks and rows into records and readings as they come (StreamHDM).
type hdmAdapter struct {
	b         *builder
	out       *emitter
	blocks    int // blocks begun in this pass
	firstLine int // the first block's header line
	// refused is the first block the adapter refused: ParseHDM's errors, anywhere in the
	// file, come first, so it is only returned once the file is read.
	refused error
	cur     *hdmBlockState
	// again are the load curves to read again (by block number) and whether their stamps are
	// starts; pass2 is that second reading, which only sends their readings.
	again map[int]bool
	pass2 bool
}

// hdmBlockState is what the adapter knows of the current block.
type hdmBlockState struct {
	skip   bool // left out, or refused: its rows are only counted
	index  bool
	factor float64
	kind   string
	curve  *curveStamps // a load curve's stamps, nil for other tables
}

func newHDMAdapter(sink importer.Sink) *hdmAdapter {
	b := newBuilder(NameHDM)
	return &hdmAdapter{b: b, out: newEmitter(sink), again: map[int]bool{}}
}

func (a *hdmAdapter) block(blk *HDMBlock) error {
	n := a.blocks
	a.blocks++
	if n == 0 && !a.pass2 {
		a.firstLine = blk.Line
	}
	if a.pass2 {
		a.cur = &hdmBlockState{skip: true}
		if starts, ok := a.again[n]; ok {
			a.cur = a.curveBlock(blk)
			a.cur.curve.decided, a.cur.curve.starts = true, starts
		}
		return nil
	}
	if a.refused != nil {
		a.cur = &hdmBlockState{skip: true}
		return nil
	}
	st, err := a.begin(blk)
	if err != nil {
		a.refused, st = err, &hdmBlockState{skip: true}
	}
	a.cur = st
	return nil
}

// begin reads a block's header: its unit, its kind of series, its step.
func (a *hdmAdapter) begin(blk *HDMBlock) (*hdmBlockState, error) {
	prm := blk.Header["Identifiant PRM"]
	kind := blk.Header["Type de donnees"]
	switch {
	case kind == "Index":
		return a.indexBlock(blk, prm)
	case len(blk.Columns) != 1:
		return nil, importer.Errorf(blk.Line, "Type de donnees", "a %s table must have one value column, not %d", input.Excerpt(kind), len(blk.Columns))
	}
	u, ok := hdmUnit(a.b, blk)
	if !ok {
		a.b.res.Leave(importer.LeftOut{Line: blk.Line, Kind: kind, Reason: importer.ReasonUnit, Params: []string{blk.Header["Unite"]},
			Text: fmt.Sprintf("%s (line %d) left out: unit %s is not one the doctypes have", input.Excerpt(kind), blk.Line, input.Excerpt(blk.Header["Unite"]))})
		return &hdmBlockState{skip: true, kind: kind}, nil
	}
	if u.note != "" {
		a.b.note("%s: %s", input.Cut(kind), u.note)
	}
	st := &hdmBlockState{factor: u.factor, kind: kind}
	if kind == "Courbe de charge" {
		step, err := hdmStep(blk)
		if err != nil {
			return nil, err
		}
		st.curve = &curveStamps{fixed: step}
	}
	metier := metierSlug(blk.Header["Grandeur metier"])
	sk := hdmKind(kind)
	a.out.begin(prm, []importer.Series{{Key: "enedis:" + prm + ":" + metier + ":" + sk, Doctype: "reading.electricity",
		Name: seriesName(metier, sk), Quantity: u.quantity, Unit: u.unit, MeterKey: prm}})
	return st, nil
}

// curveBlock is the state of a load curve read again: its series, its step.
func (a *hdmAdapter) curveBlock(blk *HDMBlock) *hdmBlockState {
	prm := blk.Header["Identifiant PRM"]
	u, _ := hdmUnit(&builder{res: &importer.Result{}}, blk) // its notes were taken the first time
	step, _ := hdmStep(blk)
	metier := metierSlug(blk.Header["Grandeur metier"])
	a.out.begin(prm, []importer.Series{{Key: "enedis:" + prm + ":" + metier + ":load-curve", Doctype: "reading.electricity",
		Name: seriesName(metier, "load-curve"), Quantity: u.quantity, Unit: u.unit, MeterKey: prm}})
	return &hdmBlockState{factor: u.factor, kind: "Courbe de charge", curve: &curveStamps{fixed: step}}
}

// indexBlock reads an index table's header: one series per column that holds a value.
func (a *hdmAdapter) indexBlock(blk *HDMBlock, prm string) (*hdmBlockState, error) {
	unit := blk.Header["Unite"]
	factor := 1.0
	switch unit {
	case "", "Wh":
	case "kWh":
		factor = 1000
	default:
		return nil, importer.Errorf(blk.Line+1, "Unite", "index unit %s: Wh or kWh expected", input.Excerpt(unit))
	}
	series := make([]importer.Series, len(blk.Columns))
	for j, col := range blk.Columns {
		series[j] = importer.Series{Key: "enedis:" + prm + ":index:" + slug(col), Doctype: "reading.electricity",
			Name: "Index " + col, Quantity: "index", Unit: "Wh", MeterKey: prm}
	}
	a.out.begin(prm, series)
	return &hdmBlockState{index: true, factor: factor, kind: "Index"}, nil
}

func (a *hdmAdapter) row(_ *HDMBlock, row *HDMRow) error {
	st := a.cur
	switch {
	case st.skip:
		if !a.pass2 && a.refused == nil {
			a.b.res.Skipped++ // a table left out counts its rows
		}
		return nil
	case st.index:
		empty := true
		for j, v := range row.Values {
			if v != nil {
				empty = false
				if err := a.out.add(j, store.Reading{At: row.Time.UTC(), Value: *v * st.factor}); err != nil {
					return err
				}
			}
		}
		if empty && !a.pass2 {
			a.b.res.Skipped++
		}
		return nil
	case st.curve != nil:
		return a.curveRow(st, row)
	}
	v := row.Values[0]
	if v == nil {
		a.b.res.Skipped++
		return nil
	}
	return a.out.add(0, store.Reading{At: row.Time.UTC(), Value: *v * st.factor})
}

// curveRow takes a load curve's row: the previous row's step is known now.
func (a *hdmAdapter) curveRow(st *hdmBlockState, row *HDMRow) error {
	c := st.curve
	if row.Values[0] == nil && !a.pass2 {
		a.b.res.Skipped++
	}
	v := 0.0
	if row.Values[0] != nil {
		v = *row.Values[0] * st.factor
	}
	if !c.decided && c.n == 0 && !isLocalMidnight(row.Time.In(paris())) {
		c.decided = true // end stamps: only a curve from a local midnight may have start stamps
	}
	if r, ok := c.next(row.Time, v, row.Values[0] != nil); ok && r.ok {
		return a.curveReading(st, r)
	}
	return nil
}

// curveReading sends, or keeps until the convention is known, one reading of a curve.
func (a *hdmAdapter) curveReading(st *hdmBlockState, r stepped) error {
	c := st.curve
	switch {
	case c.decided:
		return a.out.add(0, r.reading(c.starts))
	case c.held != nil || !c.overflow:
		if len(c.held) == importer.StreamReadings {
			c.held, c.overflow = nil, true // read again once the convention is known
			return nil
		}
		c.held = append(c.held, r)
	}
	return nil
}

func (a *hdmAdapter) end(blk *HDMBlock) error {
	st := a.cur
	if st == nil || st.skip {
		return nil
	}
	if c := st.curve; c != nil {
		if r, ok := c.last(); ok && r.ok {
			if err := a.curveReading(st, r); err != nil {
				return err
			}
		}
		if !c.decided {
			c.starts = c.n >= 2 && startStamps(c.first, c.lastEnd, c.lastStep)
			if c.starts && !a.pass2 {
				a.b.note(startStampsNote, fmt.Sprintf("%s (line %d)", input.Cut(st.kind), blk.Line))
			}
			if c.overflow {
				a.again[a.blocks-1] = c.starts
			}
			for _, r := range c.held {
				if err := a.out.add(0, r.reading(c.starts)); err != nil {
					return err
				}
			}
			c.held = nil
		}
	}
	return a.out.end(!st.index && !a.pass2)
}

// result ends the stream: the calendars' notes, and the refusals of a file that yields
// nothing.
func (a *hdmAdapter) result(cals []HDMCalendar) (*importer.Result, error) {
	if a.out.declared == 0 {
		// Every block names its PRM (the parser checks it): say why nothing came of them
		// rather than claim that there is no PRM.
		whys := slices.Clone(a.b.res.Notes)
		for _, l := range a.b.res.LeftOut {
			whys = append(whys, l.Text)
		}
		why := strings.Join(whys, "; ")
		if why == "" {
			why = "no row holds a value"
		}
		return nil, importer.Errorf(a.firstLine, "", "nothing to import: %s", input.CutMessage(why))
	}
	for _, c := range cals {
		a.b.note("calendrier du %s : fournisseur %s (%s), distributeur %s (%s)",
			input.Cut(strings.TrimPrefix(c.Fields["Periode"], "Du ")),
			input.Cut(c.Fields["Identifiant calendrier fournisseur"]), input.Cut(c.Fields["Libelle calendrier fournisseur"]),
			input.Cut(c.Fields["Identifiant calendrier distributeur"]), input.Cut(c.Fields["Libelle calendrier distributeur"]))
	}
	if a.out.meters == 0 {
		return nil, importer.Errorf(0, "", "the file names no PRM: nothing to import").WithKind(importer.KindNoMeter)
	}
	return a.b.res, nil
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
