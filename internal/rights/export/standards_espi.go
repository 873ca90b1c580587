package export

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/store"
	"selfdata/internal/store/chunk"
)

// espiService is the ESPI ServiceCategory kind and ReadingType commodity of each meter
// doctype: 0 electricity (commodity 1, electricity secondary metered), 1 gas (7, natural
// gas), 2 water (9, potable water).
var espiService = map[string]struct{ kind, commodity int }{
	"reading.electricity": {0, 1},
	"reading.gas":         {1, 7},
	"reading.water":       {2, 9},
}

// espiUnit is how a series' unit is written in ESPI: the UnitSymbolKind code (REQ.21
// UomType) and the power of ten from that unit to the series' (kWh is Wh × 10^3).
type espiUnit struct{ uom, shift int }

var espiUnits = map[string]espiUnit{
	"Wh": {72, 0}, "kWh": {72, 3}, "MWh": {72, 6},
	"W": {38, 0}, "kW": {38, 3},
	"m3": {42, 0}, "L": {134, 0},
	"degC": {23, 0},
}

// espiFeed is what a Green Button feed of one series says besides its readings.
type espiFeed struct {
	Series     store.Series
	Kind       int // ServiceCategory kind
	Commodity  int
	Unit       espiUnit
	Updated    time.Time
	MeterLabel string // the meter's label, the UsagePoint's title
}

// greenButton writes standards/greenbutton/<series id>.xml for each series of a meter
// doctype in a unit ESPI has; the others are in series/ only.
func (e *run) greenButton() error {
	all, err := e.r.ListSeries(e.ctx, e.in.ID, store.Visible{All: true})
	if err != nil {
		return err
	}
	for _, s := range all {
		if !espiWritable(s) {
			continue
		}
		svc, u := espiService[s.Doctype], espiUnits[s.Unit]
		f := espiFeed{Series: s, Kind: svc.kind, Commodity: svc.commodity, Unit: u, Updated: e.m.Exported, MeterLabel: e.meterLabel(s.Meter)}
		w, err := e.create("standards/greenbutton/" + safeName(s.ID) + ".xml")
		if err != nil {
			return err
		}
		var n int64
		err = overlap(w, func(w io.Writer) (err error) {
			n, err = writeESPI(w, f, e.readingPages(s.ID))
			return err
		})
		if err != nil {
			return fmt.Errorf("series %s: %w", s.ID, err)
		}
		e.m.Counts.Standards.GreenButtonSeries++
		e.m.Counts.Standards.GreenButtonReadings += n
	}
	return nil
}

// espiWritable tells whether a series goes in standards/greenbutton/: a meter doctype's,
// in a unit ESPI has.
func espiWritable(s store.Series) bool {
	_, meter := espiService[s.Doctype]
	_, unit := espiUnits[s.Unit]
	return meter && unit
}

// overlap runs produce on a goroutine of its own, its writes handed over buffer by buffer,
// while this one writes them to w (which compresses): reading and formatting the readings
// overlap their compression, as for the CSV. The buffers go round, so memory stays a few
// of them.
func overlap(w io.Writer, produce func(io.Writer) error) error {
	const buffers = 3
	full, free, stop := make(chan []byte, buffers), make(chan []byte, buffers), make(chan struct{})
	for range buffers {
		free <- make([]byte, 0, 80<<10)
	}
	errc := make(chan error, 1)
	go func() {
		defer close(full)
		errc <- produce(handoff{full: full, free: free, stop: stop})
	}()
	var werr error
	for b := range full {
		if werr == nil {
			if _, werr = w.Write(b); werr != nil {
				close(stop) // the producer's next write fails; full is drained until it ends
			}
		}
		free <- b[:0]
	}
	if err := <-errc; werr == nil {
		return err
	}
	return werr
}

// errStopped is what a handoff's write returns once the writing side has failed.
var errStopped = errors.New("the archive's writing stopped")

// handoff is the producing side of overlap: each write is copied into a free buffer and
// sent to be written.
type handoff struct {
	full chan<- []byte
	free <-chan []byte
	stop <-chan struct{}
}

func (h handoff) Write(p []byte) (int, error) {
	var b []byte
	select {
	case b = <-h.free:
	case <-h.stop:
		return 0, errStopped
	}
	select {
	case h.full <- append(b, p...):
		return len(p), nil
	case <-h.stop:
		return 0, errStopped
	}
}

// meterLabel is the label of the meter document id, "" when there is none.
func (e *run) meterLabel(id string) string {
	if id == "" {
		return ""
	}
	d, err := e.r.Doc(e.ctx, e.in.ID, "meter", id)
	if err != nil {
		return ""
	}
	var m struct {
		Label string `json:"label"`
	}
	json.Unmarshal(d.Data, &m)
	return m.Label
}

// readingPages reads a series page by page, oldest first, counting each page done.
func (e *run) readingPages(id string) func(fn func([]store.Reading) error) error {
	return func(fn func([]store.Reading) error) error {
		var from time.Time
		for {
			rs, err := e.r.Readings(e.ctx, e.in.ID, id, from, time.Time{}, readingsPage)
			if err != nil {
				return err
			}
			if err := fn(rs); err != nil {
				return err
			}
			e.advance(int64(len(rs)))
			if len(rs) < readingsPage {
				return nil
			}
			from = rs[len(rs)-1].At.Add(time.Nanosecond)
		}
	}
}

// espiBlock is the most readings an IntervalBlock holds; a block is also cut at each UTC
// day, as utilities write them.
const espiBlock = 4096

// writeESPI writes one series as a Green Button feed (NAESB ESPI, an Atom feed): its
// UsagePoint, its MeterReading, its IntervalBlocks as the pages come, then its ReadingType,
// which says the interval length once every reading has shown whether the series is
// regular. Memory holds one block, whatever the series holds. It returns how many
// readings it wrote.
//
// Each IntervalReading is at the start of its interval (Unix seconds) and lasts until the
// next reading; the last lasts the series' interval when it is regular, else the gap before
// it. Values are integers × 10^powerOfTenMultiplier, the multiplier taken from the series'
// decimals, so that a value reads back exactly as the CSV writes it (a series finer than
// chunk.MaxDecimals is written at chunk.FinerDecimals, rounded).
func writeESPI(w io.Writer, f espiFeed, pages func(fn func([]store.Reading) error) error) (int64, error) {
	s := f.Series
	dec := min(max(s.Decimals, 0), chunk.FinerDecimals)
	x := &espiWriter{w: w, f: f, dec: dec, buf: make([]byte, 0, 80<<10)}
	x.links()
	x.head()
	err := pages(func(rs []store.Reading) error {
		for _, r := range rs {
			if err := x.add(r); err != nil {
				return err
			}
		}
		return x.flushBuf(false)
	})
	if err != nil {
		return x.n, err
	}
	if err := x.block(0, false); err != nil {
		return x.n, err
	}
	x.readingType()
	x.buf = append(x.buf, "</feed>\n"...)
	return x.n, x.flushBuf(true)
}

type espiWriter struct {
	w   io.Writer
	f   espiFeed
	dec int
	buf []byte
	n   int64

	up, mrColl, mr, blocks, rt string // the links between the entries

	blk     []store.Reading // the block being gathered
	blocksN int
	gap     int64 // the interval between readings so far; -1 once they differ
	last    int64 // Unix second of the last reading written or gathered
	seen    bool
}

// links names the entries by the URL hierarchy of ESPI's REST interface, as our importer
// and others follow it: the MeterReading under its UsagePoint, its blocks under it.
func (x *espiWriter) links() {
	s := x.f.Series
	point := s.Meter
	if point == "" {
		point = s.ID
	}
	const base = "/espi/1_1/resource"
	x.up = base + "/RetailCustomer/1/UsagePoint/" + url.PathEscape(point)
	x.mrColl = x.up + "/MeterReading"
	x.mr = x.mrColl + "/" + url.PathEscape(s.ID)
	x.blocks = x.mr + "/IntervalBlock"
	x.rt = base + "/ReadingType/" + url.PathEscape(s.ID)
}

func (x *espiWriter) text(s string) {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	x.buf = append(x.buf, b.String()...)
}

func (x *espiWriter) elem(name, value string) {
	x.buf = append(x.buf, '<')
	x.buf = append(x.buf, name...)
	x.buf = append(x.buf, '>')
	x.text(value)
	x.buf = append(x.buf, "</"...)
	x.buf = append(x.buf, name...)
	x.buf = append(x.buf, '>')
}

// intElem writes a number element: digits need no escaping, and nothing is allocated, as
// it runs three times a reading.
func (x *espiWriter) intElem(name string, v int64) {
	x.buf = append(x.buf, '<')
	x.buf = append(x.buf, name...)
	x.buf = append(x.buf, '>')
	x.buf = strconv.AppendInt(x.buf, v, 10)
	x.buf = append(x.buf, "</"...)
	x.buf = append(x.buf, name...)
	x.buf = append(x.buf, '>')
}

// entry opens an Atom entry: its id, title, links and update time, then <content>.
func (x *espiWriter) entry(self, title string, up string, related ...string) {
	x.buf = append(x.buf, "<entry>"...)
	x.elem("id", "urn:selfdata:espi:"+self)
	x.elem("title", title)
	x.link("self", self)
	if up != "" {
		x.link("up", up)
	}
	for _, r := range related {
		x.link("related", r)
	}
	x.elem("updated", x.f.Updated.UTC().Format(time.RFC3339))
	x.buf = append(x.buf, "<content>"...)
}

func (x *espiWriter) link(rel, href string) {
	x.buf = append(x.buf, `<link rel="`+rel+`" href="`...)
	x.text(href)
	x.buf = append(x.buf, `"/>`...)
}

func (x *espiWriter) endEntry() {
	x.buf = append(x.buf, "</content></entry>\n"...)
}

func (x *espiWriter) head() {
	s := x.f.Series
	x.buf = append(x.buf, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">`+"\n"...)
	x.elem("id", "urn:selfdata:espi:series:"+s.ID)
	x.elem("title", s.Name)
	x.elem("updated", x.f.Updated.UTC().Format(time.RFC3339))
	if s.Source.Name != "" {
		x.buf = append(x.buf, "<author>"...)
		x.elem("name", s.Source.Name)
		x.buf = append(x.buf, "</author>"...)
	}
	x.buf = append(x.buf, '\n')
	title := x.f.MeterLabel
	if title == "" {
		title = s.Meter
	}
	x.entry(x.up, title, "", x.mrColl)
	x.buf = append(x.buf, `<UsagePoint xmlns="http://naesb.org/espi"><ServiceCategory>`...)
	x.intElem("kind", int64(x.f.Kind))
	x.buf = append(x.buf, "</ServiceCategory></UsagePoint>"...)
	x.endEntry()
	x.entry(x.mr, s.Name, x.mrColl, x.blocks, x.rt)
	x.buf = append(x.buf, `<MeterReading xmlns="http://naesb.org/espi"/>`...)
	x.endEntry()
}

// add gathers a reading into the block, writing the block first when r starts another.
func (x *espiWriter) add(r store.Reading) error {
	t := r.At.Unix()
	if x.seen {
		g := t - x.last
		switch {
		case x.gap == 0 && x.n+int64(len(x.blk)) == 1:
			x.gap = g
		case g != x.gap:
			x.gap = -1
		}
	}
	if len(x.blk) > 0 && (len(x.blk) >= espiBlock || dayOf(t) != dayOf(x.blk[0].At.Unix())) {
		if err := x.block(t, true); err != nil {
			return err
		}
	}
	x.blk = append(x.blk, r)
	x.last, x.seen = t, true
	return nil
}

func dayOf(unix int64) int64 {
	d := unix / 86400
	if unix < 0 && unix%86400 != 0 {
		d--
	}
	return d
}

// block writes the gathered readings as one IntervalBlock entry; next is the start of the
// reading after them, when hasNext.
func (x *espiWriter) block(next int64, hasNext bool) error {
	if len(x.blk) == 0 {
		return nil
	}
	x.blocksN++
	first := x.blk[0].At.Unix()
	lastDur := int64(0)
	switch {
	case hasNext:
		lastDur = next - x.last
	case x.gap > 0:
		lastDur = x.gap
	case len(x.blk) > 1:
		lastDur = x.last - x.blk[len(x.blk)-2].At.Unix()
	}
	x.entry(x.blocks+"/"+strconv.Itoa(x.blocksN), x.f.Series.Name, x.blocks)
	x.buf = append(x.buf, `<IntervalBlock xmlns="http://naesb.org/espi"><interval>`...)
	x.intElem("duration", x.last+lastDur-first)
	x.intElem("start", first)
	x.buf = append(x.buf, "</interval>"...)
	for i, r := range x.blk {
		t := r.At.Unix()
		dur := lastDur
		if i+1 < len(x.blk) {
			dur = x.blk[i+1].At.Unix() - t
		}
		x.buf = append(x.buf, "<IntervalReading><timePeriod>"...)
		x.intElem("duration", dur)
		x.intElem("start", t)
		x.buf = append(x.buf, "</timePeriod><value>"...)
		var err error
		if x.buf, err = appendESPIValue(x.buf, r.Value, x.dec); err != nil {
			return fmt.Errorf("the reading at %s: %w", r.At.UTC().Format(time.RFC3339Nano), err)
		}
		x.buf = append(x.buf, "</value></IntervalReading>"...)
		if err := x.flushBuf(false); err != nil {
			return err
		}
	}
	x.buf = append(x.buf, "</IntervalBlock>"...)
	x.endEntry()
	x.n += int64(len(x.blk))
	x.blk = x.blk[:0]
	return nil
}

// readingType writes the ReadingType entry: unit, power of ten, interval length when every
// reading follows the one before by the same whole number of seconds, commodity, and how
// the values accumulate (a meter index is a bulk quantity, energy and volume are deltas,
// temperature and power are instantaneous).
func (x *espiWriter) readingType() {
	s := x.f.Series
	acc, kind := 4, 0
	switch {
	case s.Quantity == "index":
		acc = 1
	case s.Quantity == "temperature" || s.Quantity == "power" || x.f.Unit.uom == 38 || x.f.Unit.uom == 23:
		acc = 6
	}
	switch x.f.Unit.uom {
	case 72:
		kind = 12
	case 38:
		kind = 37
	}
	x.entry(x.rt, s.Name+" ("+s.Unit+")", "")
	x.buf = append(x.buf, `<ReadingType xmlns="http://naesb.org/espi">`...)
	x.intElem("accumulationBehaviour", int64(acc))
	x.intElem("commodity", int64(x.f.Commodity))
	x.intElem("flowDirection", 1)
	if x.gap > 0 {
		x.intElem("intervalLength", x.gap)
	}
	if kind != 0 {
		x.intElem("kind", int64(kind))
	}
	x.intElem("powerOfTenMultiplier", int64(x.f.Unit.shift-x.dec))
	x.intElem("uom", int64(x.f.Unit.uom))
	x.buf = append(x.buf, "</ReadingType>"...)
	x.endEntry()
}

// flushBuf writes the buffer out when it is full, or always.
func (x *espiWriter) flushBuf(always bool) error {
	if !always && len(x.buf) < 64<<10 {
		return nil
	}
	_, err := x.w.Write(x.buf)
	x.buf = x.buf[:0]
	return err
}

// errESPIRange: ESPI values are 64-bit integers.
var errESPIRange = errors.New("the value does not fit a 64-bit ESPI integer at the series' decimals")

// appendESPIValue writes v × 10^dec as a whole number: the decimal text of v at dec
// decimals (as the CSV writes it), without its point and leading zeros, so that the integer
// is exact.
func appendESPIValue(buf []byte, v float64, dec int) ([]byte, error) {
	start := len(buf)
	buf = strconv.AppendFloat(buf, v, 'f', dec, 64)
	s := buf[start:]
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	out := buf[:start]
	if neg {
		out = append(out, '-')
	}
	digits := 0
	for _, c := range s { // out never overtakes s: it drops the point and leading zeros
		switch {
		case c == '.':
		case c >= '0' && c <= '9':
			if digits > 0 || c != '0' {
				out = append(out, c)
				digits++
			}
		default:
			return buf[:start], fmt.Errorf("%v is not a number ESPI can hold", v)
		}
	}
	switch {
	case digits > 18:
		return buf[:start], fmt.Errorf("%v: %w", v, errESPIRange)
	case digits == 0:
		return append(buf[:start], '0'), nil
	}
	return out, nil
}
