package enedis

import (
	"bufio"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// HDMFile is an SGE "historique de mesures" CSV export: its blocks and calendar periods.
type HDMFile struct {
	Blocks    []HDMBlock
	Calendars []HDMCalendar
}

// HDMBlock is one header and its table.
type HDMBlock struct {
	Line int // the header's line
	// Header maps the first header line's names to the second line's values ("Identifiant
	// PRM", "Type de donnees", "Date de debut", "Grandeur metier", "Unite", "Pas en minutes"...).
	Header map[string]string
	// Table is the table's column line as written; Columns are its value columns (after
	// Horodate and any "Type de releve"), in the order of HDMRow.Values.
	Table   []string
	Columns []string
	Rows    []HDMRow
}

// HDMRow is one row: its stamp (with the offset written), its label ("Arrêté quotidien")
// when the table has one, and one value per column, nil when empty.
type HDMRow struct {
	Line   int
	Time   time.Time
	Label  string
	Values []*float64
}

// HDMCalendar is a row of the "Periode" table, by column name.
type HDMCalendar struct {
	Line   int
	Fields map[string]string
}

// isLabelColumn tells the text columns of a table, kept as the row's label.
func isLabelColumn(name string) bool { return name == "Type de releve" }

// ParseHDM reads an HDM export whole: its blocks with their rows.
func ParseHDM(r io.Reader) (*HDMFile, error) {
	c := &hdmCollector{}
	cals, err := scanHDM(r, c, true)
	if err != nil {
		return nil, err
	}
	c.flush()
	return &HDMFile{Blocks: c.blocks, Calendars: cals}, nil
}

// hdmHandler is told what scanHDM reads, as it reads it: a block's header, each of its rows
// (the row and its values are the scanner's, reused unless it keeps them), its end.
type hdmHandler interface {
	block(b *HDMBlock) error
	row(b *HDMBlock, r *HDMRow) error
	end(b *HDMBlock) error
}

// scanHDM reads an HDM export, handing its blocks and rows to h, and returns its calendar
// periods. With keep, the rows' values stay valid after h.row returns (ParseHDM); without,
// they are reused, so that a stream holds one row at a time.
func scanHDM(r io.Reader, h hdmHandler, keep bool) ([]HDMCalendar, error) {
	p := &hdmParser{sc: bufio.NewScanner(r), h: h, keep: keep}
	p.sc.Buffer(make([]byte, 0, 64<<10), importer.MaxLineBytes)
	for {
		line, ok, err := p.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if err := p.line(line); err != nil {
			return nil, err
		}
	}
	if p.block == nil {
		return nil, importer.Errorf(0, "", "no \"Identifiant PRM;...\" header: this is not an Enedis SGE measures export")
	}
	if err := h.end(p.block); err != nil {
		return nil, err
	}
	return p.calendars, nil
}

type hdmParser struct {
	sc        *bufio.Scanner
	h         hdmHandler
	keep      bool
	n         int       // current line number
	block     *HDMBlock // the current block, nil before the first header
	calendars []HDMCalendar
	calendar  []string // column names of the "Periode" table, while in it
	rows      int
	// Rows are read into slabs rather than one allocation per value: a 10-year curve is
	// 175,344 rows, and a value, a slice and a split line each were most of an import's
	// time and memory.
	fields []string   // the current row's fields, reused
	floats []float64  // slab the rows' values point into
	ptrs   []*float64 // slab the rows' Values are cut from
	zones  stampZones
}

// hdmCollector is ParseHDM's handler: every block with its rows.
type hdmCollector struct {
	blocks []HDMBlock
	// pending are the current block's rows in slabs of their own: a slice grown row by row
	// was copied over and over, five times its final size in all.
	pending [][]HDMRow
}

func (c *hdmCollector) block(b *HDMBlock) error {
	c.flush()
	c.blocks = append(c.blocks, *b)
	return nil
}

func (c *hdmCollector) end(*HDMBlock) error { return nil }

// flush makes the pending rows the last block's.
func (c *hdmCollector) flush() {
	if len(c.blocks) > 0 && len(c.pending) > 0 {
		c.blocks[len(c.blocks)-1].Rows = slices.Concat(c.pending...)
	}
	c.pending = nil
}

// row appends a row to the current block's pending rows.
func (c *hdmCollector) row(_ *HDMBlock, row *HDMRow) error {
	if n := len(c.pending); n == 0 || len(c.pending[n-1]) == cap(c.pending[n-1]) {
		c.pending = append(c.pending, make([]HDMRow, 0, slab))
	}
	last := &c.pending[len(c.pending)-1]
	*last = append(*last, *row)
	return nil
}

// slab is how many values a slab holds.
const slab = 4096

// value returns a pointer to v, kept in the current slab.
func (p *hdmParser) value(v float64) *float64 {
	if len(p.floats) == cap(p.floats) {
		p.floats = make([]float64, 0, slab)
	}
	p.floats = append(p.floats, v)
	return &p.floats[len(p.floats)-1]
}

// values returns an empty slice of capacity n cut from the current slab, so that appending
// to one row's values never writes over the next row's.
func (p *hdmParser) values(n int) []*float64 {
	if cap(p.ptrs)-len(p.ptrs) < n {
		p.ptrs = make([]*float64, 0, max(slab, n))
	}
	start := len(p.ptrs)
	p.ptrs = p.ptrs[:start+n]
	return p.ptrs[start : start : start+n]
}

// next returns the next non-blank line without its BOM and line ending.
func (p *hdmParser) next() (string, bool, error) {
	for p.sc.Scan() {
		p.n++
		s := strings.TrimRight(p.sc.Text(), "\r")
		if p.n == 1 {
			s = strings.TrimPrefix(s, "\ufeff")
		}
		if strings.TrimSpace(s) != "" {
			return s, true, nil
		}
	}
	if err := p.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return "", false, importer.Errorf(p.n+1, "", "line longer than %d bytes", importer.MaxLineBytes)
		}
		return "", false, importer.Errorf(p.n+1, "", "reading the file: %v", err)
	}
	return "", false, nil
}

func (p *hdmParser) line(s string) error {
	p.fields = splitInto(p.fields[:0], s)
	fields := p.fields
	switch {
	case fields[0] == "Identifiant PRM":
		p.calendar = nil
		return p.header(slices.Clone(fields))
	case fields[0] == "Periode":
		p.calendar = slices.Clone(fields)
		return nil
	case p.calendar != nil:
		p.calendars = append(p.calendars, HDMCalendar{Line: p.n, Fields: zip(p.calendar, fields)})
		return nil
	case p.block == nil:
		return importer.Errorf(p.n, "", "the file must start with the header \"Identifiant PRM;Type de donnees;...\"")
	}
	return p.row(fields)
}

// header ends the current block and reads the two header lines and the table's column line.
func (p *hdmParser) header(names []string) error {
	if p.block != nil {
		if err := p.h.end(p.block); err != nil {
			return err
		}
	}
	b := HDMBlock{Line: p.n}
	values, ok, err := p.next()
	if err != nil {
		return err
	}
	if !ok {
		return importer.Errorf(p.n, "Identifiant PRM", "the header line is not followed by its values")
	}
	b.Header = zip(names, splitCSV(values))
	if b.Header["Identifiant PRM"] == "" {
		return importer.Errorf(p.n, "Identifiant PRM", "the PRM is empty").WithKind(importer.KindNoMeter)
	}
	cols, ok, err := p.next()
	if err != nil {
		return err
	}
	fields := splitCSV(cols)
	if !ok || fields[0] != "Horodate" {
		return importer.Errorf(p.n, "Horodate", "the header must be followed by the table's columns, starting with \"Horodate\"")
	}
	for _, c := range fields[1:] {
		if !isLabelColumn(c) {
			b.Columns = append(b.Columns, c)
		}
	}
	b.Table = fields
	p.block = &b
	return p.h.block(p.block)
}

func (p *hdmParser) row(fields []string) error {
	b := p.block
	cols := b.Table
	if len(fields) == len(cols)+1 && fields[len(fields)-1] == "" {
		fields = fields[:len(cols)] // a trailing ';'
	}
	if len(fields) != len(cols) {
		return importer.Errorf(p.n, "", "%d fields where the table has %d columns (%s)", len(fields), len(cols), input.CutMessage(strings.Join(cols, ";")))
	}
	t, err := p.zones.parse(fields[0])
	if err != nil {
		return importer.Errorf(p.n, "Horodate", "%s is not a date and time with its offset (2021-01-07T14:00:00+01:00)", input.Excerpt(fields[0]))
	}
	p.rows++
	if p.rows > importer.MaxRecords {
		return importer.Errorf(p.n, "", "more than %d rows", importer.MaxRecords)
	}
	if !p.keep { // the last row's values are done with
		p.floats, p.ptrs = p.floats[:0], p.ptrs[:0]
	}
	row := HDMRow{Line: p.n, Time: t, Values: p.values(len(b.Columns))}
	for i, c := range cols[1:] {
		f := fields[i+1]
		if isLabelColumn(c) {
			row.Label = f
			continue
		}
		if strings.TrimSpace(f) == "" {
			row.Values = append(row.Values, nil)
			continue
		}
		v, err := parseNumber(f)
		if err != nil {
			return importer.Errorf(p.n, c, "%v", err)
		}
		row.Values = append(row.Values, p.value(v))
	}
	return p.h.row(b, &row)
}

// splitCSV splits a ';' line; SGE exports quote nothing, but quotes around a field are
// removed should a spreadsheet have added them.
func splitCSV(s string) []string { return splitInto(nil, s) }

// splitInto is splitCSV appending to dst, so that a row's split reuses the last one's slice.
func splitInto(dst []string, s string) []string {
	for {
		f, rest, more := strings.Cut(s, ";")
		f = strings.TrimSpace(f)
		if len(f) >= 2 && f[0] == '"' && f[len(f)-1] == '"' {
			f = strings.ReplaceAll(f[1:len(f)-1], `""`, `"`)
		}
		dst = append(dst, f)
		if !more {
			return dst
		}
		s = rest
	}
}

// stampZones parses the rows' stamps, keeping the zone of each offset met: time.Parse makes
// a new zone for every stamp whose offset is not the machine's.
type stampZones map[int]*time.Location

// parse reads an RFC 3339 stamp with seconds and a numeric offset
// (2021-01-07T14:00:00+01:00) by hand, and anything else, or anything out of range, with
// time.Parse, which then gives the error or reads the rarer forms (Z, fractions).
func (z *stampZones) parse(s string) (time.Time, error) {
	if len(s) != 25 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[22] != ':' || (s[19] != '+' && s[19] != '-') {
		return time.Parse(time.RFC3339, s)
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	oh, ok7 := digits(s[20:22])
	om, ok8 := digits(s[23:25])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && ok8) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(year, time.Month(month)) || hour > 23 || minute > 59 || sec > 59 || oh > 23 || om > 59 {
		return time.Parse(time.RFC3339, s)
	}
	off := (oh*60 + om) * 60
	if s[19] == '-' {
		off = -off
	}
	if *z == nil {
		*z = stampZones{}
	}
	loc, ok := (*z)[off]
	if !ok {
		// The zone time.Parse gives: the machine's when the offset is its own then.
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return t, err
		}
		loc = t.Location()
		if _, o := t.Zone(); o != off {
			return t, nil
		}
		if loc == time.Local {
			return t, nil // Local's offset varies with the date: let time.Parse decide each time
		}
		(*z)[off] = loc
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, loc), nil
}

// digits reads a run of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func zip(names, values []string) map[string]string {
	m := make(map[string]string, len(names))
	for i, n := range names {
		if i < len(values) {
			m[n] = values[i]
		} else {
			m[n] = ""
		}
	}
	return m
}
