package enedis

import (
	"bufio"
	"errors"
	"io"
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

// ParseHDM reads an HDM export.
func ParseHDM(r io.Reader) (*HDMFile, error) {
	p := &hdmParser{sc: bufio.NewScanner(r), file: &HDMFile{}}
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
	if len(p.file.Blocks) == 0 {
		return nil, importer.Errorf(0, "", "no \"Identifiant PRM;...\" header: this is not an Enedis SGE measures export")
	}
	return p.file, nil
}

type hdmParser struct {
	sc       *bufio.Scanner
	n        int // current line number
	file     *HDMFile
	calendar []string // column names of the "Periode" table, while in it
	rows     int
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
	fields := splitCSV(s)
	switch {
	case fields[0] == "Identifiant PRM":
		p.calendar = nil
		return p.header(fields)
	case fields[0] == "Periode":
		p.calendar = fields
		return nil
	case p.calendar != nil:
		p.file.Calendars = append(p.file.Calendars, HDMCalendar{Line: p.n, Fields: zip(p.calendar, fields)})
		return nil
	case len(p.file.Blocks) == 0:
		return importer.Errorf(p.n, "", "the file must start with the header \"Identifiant PRM;Type de donnees;...\"")
	}
	return p.row(fields)
}

// header reads the two header lines and the table's column line.
func (p *hdmParser) header(names []string) error {
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
	p.file.Blocks = append(p.file.Blocks, b)
	return nil
}

func (p *hdmParser) row(fields []string) error {
	b := &p.file.Blocks[len(p.file.Blocks)-1]
	cols := b.Table
	if len(fields) == len(cols)+1 && fields[len(fields)-1] == "" {
		fields = fields[:len(cols)] // a trailing ';'
	}
	if len(fields) != len(cols) {
		return importer.Errorf(p.n, "", "%d fields where the table has %d columns (%s)", len(fields), len(cols), input.CutMessage(strings.Join(cols, ";")))
	}
	t, err := time.Parse(time.RFC3339, fields[0])
	if err != nil {
		return importer.Errorf(p.n, "Horodate", "%s is not a date and time with its offset (2021-01-07T14:00:00+01:00)", input.Excerpt(fields[0]))
	}
	p.rows++
	if p.rows > importer.MaxRecords {
		return importer.Errorf(p.n, "", "more than %d rows", importer.MaxRecords)
	}
	row := HDMRow{Line: p.n, Time: t}
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
		row.Values = append(row.Values, &v)
	}
	b.Rows = append(b.Rows, row)
	return nil
}

// splitCSV splits a ';' line; SGE exports quote nothing, but quotes around a field are
// removed should a spreadsheet have added them.
func splitCSV(s string) []string {
	fields := strings.Split(s, ";")
	for i, f := range fields {
		f = strings.TrimSpace(f)
		if len(f) >= 2 && f[0] == '"' && f[len(f)-1] == '"' {
			f = strings.ReplaceAll(f[1:len(f)-1], `""`, `"`)
		}
		fields[i] = f
	}
	return fields
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
