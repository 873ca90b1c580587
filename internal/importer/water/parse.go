package water

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// Header is the required first non-comment line.
const Header = "compteur;date;index_m3;consommation_l;temperature_c"

var (
	bom     = []byte("\xef\xbb\xbf")
	columns = strings.Split(Header, ";")
)

// File is a parsed water CSV file.
type File struct {
	Provider string // from "# fournisseur: ...", "" when absent
	Rows     []Row  // in file order
}

// Row is one meter's reading for one day. Quantities are fixed point so that they are
// exactly what the file says.
type Row struct {
	Line        int
	Serial      string
	Day         time.Time // the civil date, at midnight UTC
	IndexL      int64     // index in litres (m3 with 3 decimals)
	VolumeML    int64     // the day's consumption in millilitres
	Temperature *float64  // degrees Celsius; nil when the column is empty
}

// Parse reads a whole file. It refuses the file at the first problem: a wrong header, a
// malformed field (named by its column), or the same day twice for a meter.
func Parse(r io.Reader) (*File, error) {
	g := &lineGuard{r: r, line: 1}
	br := bufio.NewReader(g)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, bom) {
		br.Discard(3)
	}
	f := &File{}
	skipped, err := readComments(br, f)
	if err != nil {
		return nil, guardErr(g, err, skipped+1)
	}
	cr := csv.NewReader(br)
	cr.Comma, cr.Comment, cr.FieldsPerRecord, cr.TrimLeadingSpace = ';', '#', -1, true
	p := parser{cr: cr, offset: skipped, seen: map[string]int{}}
	if err := p.header(); err != nil {
		return nil, guardErr(g, err, 0)
	}
	for {
		row, err := p.row()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			return nil, guardErr(g, err, 0)
		}
		f.Rows = append(f.Rows, row)
		if len(f.Rows) > importer.MaxRecords/3 {
			return nil, importer.Errorf(row.Line, "", "more than %d readings in one file", importer.MaxRecords/3)
		}
	}
}

// readComments consumes the comment lines before the header, noting the provider. It
// returns how many lines it read, so that CSV line numbers can be shifted.
func readComments(br *bufio.Reader, f *File) (int, error) {
	n := 0
	for {
		b, err := br.Peek(1)
		if err != nil || b[0] != '#' {
			return n, nil
		}
		line, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return n, err
		}
		n++
		key, value, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(line, "#")), ":")
		if k := strings.ToLower(strings.TrimSpace(key)); ok && (k == "fournisseur" || k == "provider") {
			f.Provider = strings.TrimSpace(value)
		}
		if err == io.EOF {
			return n, nil
		}
	}
}

type parser struct {
	cr     *csv.Reader
	offset int            // comment lines read before the CSV reader started
	seen   map[string]int // serial + day -> line
}

func (p *parser) read() ([]string, int, error) {
	rec, err := p.cr.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) && !errors.Is(err, errLineTooLong) {
			return nil, 0, importer.Errorf(pe.Line+p.offset, "", "malformed CSV: %v", pe.Err)
		}
		return nil, 0, err
	}
	line, _ := p.cr.FieldPos(0)
	return rec, line + p.offset, nil
}

func (p *parser) header() error {
	rec, line, err := p.read()
	if err == io.EOF {
		return importer.Errorf(p.offset+1, "", "the file is empty; its first line must be %q", Header).WithKind(importer.KindEmpty)
	}
	if err != nil {
		return err
	}
	got := make([]string, len(rec))
	for i, c := range rec {
		got[i] = strings.ToLower(strings.TrimSpace(c))
	}
	if strings.Join(got, ";") != Header {
		return importer.Errorf(line, "", "the header must be %q, found %s", Header, input.Excerpt(strings.Join(rec, ";")))
	}
	return nil
}

func (p *parser) row() (Row, error) {
	rec, line, err := p.read()
	if err != nil {
		return Row{}, err
	}
	if len(rec) != len(columns) {
		return Row{}, importer.Errorf(line, "", "%d columns, expected %d (%s)", len(rec), len(columns), Header)
	}
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	r := Row{Line: line, Serial: rec[0]}
	if r.Serial == "" {
		return r, importer.Errorf(line, "compteur", "empty meter serial").WithKind(importer.KindNoMeter)
	}
	if r.Day, err = time.Parse(time.DateOnly, rec[1]); err != nil {
		return r, importer.Errorf(line, "date", "%s is not a date YYYY-MM-DD", input.Excerpt(rec[1]))
	}
	if r.IndexL, err = fixed(rec[2], 3, false); err != nil {
		return r, importer.Errorf(line, "index_m3", "%v", err)
	}
	if r.VolumeML, err = fixed(rec[3], 3, false); err != nil {
		return r, importer.Errorf(line, "consommation_l", "%v", err)
	}
	if rec[4] != "" {
		t, err := fixed(rec[4], 2, true)
		if err != nil {
			return r, importer.Errorf(line, "temperature_c", "%v", err)
		}
		v := float64(t) / 100
		r.Temperature = &v
	}
	key := r.Serial + "\x00" + rec[1]
	if first, ok := p.seen[key]; ok {
		return r, importer.Errorf(line, "date", "date %s appears twice for meter %s (lines %d and %d)", rec[1], input.Cut(r.Serial), first, line)
	}
	p.seen[key] = line
	return r, nil
}

// fixed reads a decimal number with '.' or ',' as decimal separator and at most decimals
// digits after it, scaled to an integer (fixed("12,5", 3) = 12500). There is no thousands
// separator: "1.234" is one and a quarter, never a thousand.
func fixed(s string, decimals int, signed bool) (int64, error) {
	if s == "" {
		return 0, fmt.Errorf("empty; a number is required")
	}
	t, neg := s, false
	if signed && strings.HasPrefix(t, "-") {
		t, neg = t[1:], true
	}
	intPart, frac, _ := strings.Cut(strings.Replace(t, ",", ".", 1), ".")
	if !digits(intPart) || !digits(frac) && frac != "" || len(intPart) > 12 {
		return 0, fmt.Errorf("%s is not a number (digits, with a decimal comma or point)", input.Excerpt(s))
	}
	if len(frac) > decimals {
		return 0, fmt.Errorf("%s has more than %d decimals", input.Excerpt(s), decimals)
	}
	var v int64
	for _, c := range intPart + frac + strings.Repeat("0", decimals-len(frac)) {
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, nil
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
