package bankcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// HeadBytes is how much of a file Sniff is given: the head every importer's Detect sees.
const HeadBytes = 8 << 10

var bom = []byte("\xef\xbb\xbf")

// decode turns a file's bytes into text: UTF-8 without its BOM, or Windows-1252 (the
// superset of ISO-8859-1 that French banks' exports use) when the bytes are not UTF-8.
func decode(b []byte) string {
	b = bytes.TrimPrefix(b, bom)
	if utf8.Valid(b) {
		return string(b)
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	}
	return string(s)
}

// textual tells whether s looks like text: no NUL, few control characters. A spreadsheet
// saved as .xls or a UTF-16 file is not a delimited text.
func textual(s string) bool {
	ctrl := 0
	for _, r := range s {
		switch {
		case r == 0:
			return false
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r':
			ctrl++
		}
	}
	return ctrl*100 <= len(s)
}

// newReader reads delimited text the way every part of the package does: fields may vary
// in number from row to row (a preamble is shorter than the table), quotes are strict.
func newReader(text, comma string) *csv.Reader {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, _ = utf8.DecodeRuneInString(comma)
	r.FieldsPerRecord = -1
	return r
}

// readRows reads at most n rows. cut says the text is the head of a longer file: an error
// in its last line is then the cut's, and the rows before it are kept.
func readRows(text, comma string, n int, cut bool) ([][]string, error) {
	r := newReader(text, comma)
	var rows [][]string
	for len(rows) < n {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if cut && len(rows) > 1 {
				break
			}
			return nil, err
		}
		rows = append(rows, rec)
	}
	return rows, nil
}

// headText is the decoded head of a file, cut after its last whole line when it may be cut
// (a head of HeadBytes or more), so that no row is read half.
func headText(head []byte) (string, bool) {
	cut := len(head) >= HeadBytes
	if cut {
		if i := bytes.LastIndexByte(head, '\n'); i > 0 {
			head = head[:i+1]
		}
	}
	return decode(head), cut
}

// Sniff reads the head of a file (its first 8 KiB) into a Table, with the separator that
// splits its rows most regularly into three columns or more. It is false when the head is
// not a delimited text of a bank's shape: at least a header and a row, and a row with a
// date and an amount in two of its columns.
func Sniff(head []byte) (*Table, bool) {
	text, cut := headText(head)
	if !textual(text) {
		return nil, false
	}
	var best *Table
	bestScore := 0
	for _, c := range Commas {
		rows, err := readRows(text, c, PreviewRows, cut)
		if err != nil {
			continue
		}
		w, n := modalWidth(rows)
		if w < 3 || n < 2 || n <= bestScore || !bankShaped(rows, w) {
			continue
		}
		best, bestScore = &Table{Comma: c, Rows: rows}, n
	}
	return best, best != nil
}

// Read reads the head of a file into a Table with a separator the person chose.
func Read(head []byte, comma string) (*Table, error) {
	if !isComma(comma) {
		return nil, errors.New("the separator is none of ; , tab |")
	}
	text, cut := headText(head)
	if !textual(text) {
		return nil, errors.New("the file is not text")
	}
	rows, err := readRows(text, comma, PreviewRows, cut)
	if err != nil {
		return nil, err
	}
	return &Table{Comma: comma, Rows: rows}, nil
}

// modalWidth is the number of fields most rows have (the widest on a tie) and how many
// rows have it.
func modalWidth(rows [][]string) (width, count int) {
	counts := map[int]int{}
	for _, r := range rows {
		counts[len(r)]++
	}
	for w, n := range counts {
		if n > count || n == count && w > width {
			width, count = w, n
		}
	}
	return width, count
}

// bankShaped tells whether a row of the table's width has a date in one column and an
// amount in another.
func bankShaped(rows [][]string, width int) bool {
	for _, r := range rows {
		if len(r) == width && shapedRow(r) {
			return true
		}
	}
	return false
}

func shapedRow(r []string) bool {
	date, amount := -1, -1
	for i, c := range r {
		switch {
		case date < 0 && layoutOf(c) != "":
			date = i
		case amount < 0 && amountShaped(c):
			amount = i
		}
	}
	return date >= 0 && amount >= 0
}

// layoutOf is the first layout a value reads with, or "".
func layoutOf(s string) string {
	for _, l := range Layouts {
		if _, err := readDate(s, l); err == nil {
			return l
		}
	}
	return ""
}

// amountShaped tells whether a value reads as an amount, with a decimal comma or point.
func amountShaped(s string) bool {
	if strings.TrimSpace(s) == "" {
		return false
	}
	_, e1 := readAmount(s, true)
	_, e2 := readAmount(s, false)
	return e1 == nil || e2 == nil
}
