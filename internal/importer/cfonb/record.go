package cfonb

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"selfdata/internal/importer"
	"selfdata/internal/input"
	"selfdata/internal/money"
)

// recordLen is the length of every CFONB 120 record, in characters.
const recordLen = 120

// The record codes of an account statement.
const (
	codeOld        = "01" // ancien solde
	codeMovement   = "04" // mouvement
	codeComplement = "05" // complément de mouvement
	codeNew        = "07" // nouveau solde
)

// minLen is how short a record of each code may be when the bank trimmed its trailing
// blanks: up to the end of its last field that cannot be blank (the amount at 91–104 for
// balances and movements, the qualifier at 46–48 for a complement).
var minLen = map[string]int{codeOld: 104, codeMovement: 104, codeComplement: 48, codeNew: 104}

// record is one 120-character record of the file, padded with blanks when its line was
// trimmed.
type record struct {
	text   []rune // exactly recordLen characters
	line   int    // 1-based line in the file; 0 in a file without line breaks
	number int    // 1-based rank of the record among the file's records
}

// field is the text at 1-based positions from..to, as the standard numbers them.
func (r record) field(from, to int) string { return string(r.text[from-1 : to]) }

// trimmed is field without its blanks on either side.
func (r record) trimmed(from, to int) string { return strings.TrimSpace(r.field(from, to)) }

func (r record) code() string { return r.field(1, 2) }

// where locates a field of r for an error or a left-out record, in words of no language:
// its line and its positions in the line — in a file without line breaks, which is one
// line, its positions in the file. The record as a whole is its line alone.
func (r record) where(f span) (int, string) {
	if r.line > 0 {
		if f == fWhole {
			return r.line, ""
		}
		return r.line, f.positions(0)
	}
	return 1, f.positions((r.number - 1) * recordLen)
}

// errorf refuses the file at field f of r; in a file without line breaks the reason says
// which record it is.
func (r record) errorf(f span, format string, args ...any) *importer.Error {
	line, el := r.where(f)
	if r.line == 0 {
		format = "record %d: " + format
		args = append([]any{r.number}, args...)
	}
	return importer.Errorf(line, el, format, args...)
}

// span is a field of the standard: its name and its 1-based positions.
type span struct {
	name     string
	from, to int
}

func (s span) String() string { return s.name + " (" + s.positions(0) + ")" }

// positions are the span's, offset by base characters.
func (s span) positions(base int) string {
	if s.from == s.to {
		return fmt.Sprintf("position %d", base+s.from)
	}
	return fmt.Sprintf("positions %d–%d", base+s.from, base+s.to)
}

// The fields this importer reads (positions of the CFONB brochure, see the package doc).
var (
	fCode       = span{"record code", 1, 2}
	fBank       = span{"bank code", 3, 7}
	fInternal   = span{"internal operation code", 8, 11}
	fBranch     = span{"branch code", 12, 16}
	fCurrency   = span{"currency code", 17, 19}
	fDecimals   = span{"number of decimals", 20, 20}
	fAccount    = span{"account number", 22, 32}
	fInterbank  = span{"interbank operation code", 33, 34}
	fDate       = span{"date", 35, 40}
	fRejection  = span{"rejection reason", 41, 42}
	fValueDate  = span{"value date", 43, 48}
	fLabel      = span{"label", 49, 79}
	fEntry      = span{"entry number", 82, 88}
	fAmount     = span{"amount", 91, 104}
	fReference  = span{"reference", 105, 120}
	fQualifier  = span{"complement qualifier", 46, 48}
	fComplement = span{"complement", 49, 118}
	fWhole      = span{"record", 1, 120}
)

func (r record) get(f span) string  { return r.field(f.from, f.to) }
func (r record) trim(f span) string { return r.trimmed(f.from, f.to) }

// text decodes a file: UTF-8 when it is valid UTF-8 (a leading byte order mark dropped),
// else Windows-1252, the 8-bit code page French banking software writes when a label
// holds an accent. Either way a record is 120 characters, not bytes.
func text(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil { // cannot happen: every byte has a decoding
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(out)
}

// split cuts a decoded file into records (see chunks), each checked for its length and
// characters, and padded to 120.
func split(s string) ([]record, error) {
	var recs []record
	for _, c := range chunks(s) {
		r, err := pad(c.text, c.line, len(recs)+1)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// chunk is the text of one record as the file holds it, and its line (0 without line breaks).
type chunk struct {
	text string
	line int
}

// chunks cuts a decoded file into the texts of its records: one per line when it has line
// breaks (LF, CRLF or CR) between records, else one every 120 characters. Blank lines,
// and a DOS end-of-file mark, are no records.
func chunks(s string) []chunk {
	var out []chunk
	add := func(t string, line int) {
		if strings.Trim(t, " \x1a") != "" {
			out = append(out, chunk{t, line})
		}
	}
	if one := strings.TrimRight(s, "\r\n\x1a"); !strings.ContainsAny(one, "\r\n") {
		// No line breaks, but maybe one at the end of the file.
		runes := []rune(one)
		for i := 0; i < len(runes); i += recordLen {
			add(string(runes[i:min(i+recordLen, len(runes))]), 0)
		}
		return out
	}
	sep := "\n"
	if !strings.Contains(s, "\n") {
		sep = "\r" // old Mac line ends
	}
	for i, l := range strings.Split(s, sep) {
		add(strings.TrimSuffix(l, "\r"), i+1)
	}
	return out
}

// pad checks one record's text and pads it to 120 characters: a line may have lost its
// trailing blanks, or gained some, but not lost or gained anything else.
func pad(t string, line, number int) (record, error) {
	r := record{line: line, number: number, text: []rune(t)}
	n := len(r.text)
	if n > recordLen {
		if strings.TrimRight(string(r.text[recordLen:]), " ") != "" {
			return r, importer.Errorf(line, "", "the line is %d characters long: a CFONB 120 record has 120", n)
		}
		r.text = r.text[:recordLen]
	}
	for i, c := range r.text {
		if unicode.IsControl(c) {
			return r, r.errorf(span{"character", i + 1, i + 1}, "character %U is not text: a CFONB record holds letters, digits, blanks and punctuation only", c)
		}
	}
	// A record of an unknown code is padded too: the parser refuses it for its code.
	if need, known := minLen[string(r.text[:min(2, n)])]; known && n < need {
		return r, r.errorf(fWhole, "the record is %d characters long: a CFONB 120 record has 120 (at least %d when its end is blank), it was cut short", n, need)
	}
	if n < recordLen {
		r.text = append(r.text, []rune(strings.Repeat(" ", recordLen-n))...)
	}
	return r, nil
}

// digits tells whether s is made of ASCII digits only, and is not empty.
func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// overpunch maps the last character of an amount to its digit and sign: "{" and A–I are
// +0 to +9, "}" and J–R are −0 to −9 (the signed zone of the COBOL tradition).
func overpunch(c byte) (digit byte, negative, ok bool) {
	switch {
	case c == '{':
		return '0', false, true
	case c == '}':
		return '0', true, true
	case c >= 'A' && c <= 'I':
		return '1' + c - 'A', false, true
	case c >= 'J' && c <= 'R':
		return '1' + c - 'J', true, true
	}
	return 0, false, false
}

// amount reads the 14-character amount field of r with r's number of decimals: 13 digits
// (leading blanks read as zeros) and a signed last character.
func (r record) amount() (money.Amount, error) {
	dec, err := r.decimals()
	if err != nil {
		return money.Amount{}, err
	}
	raw := r.get(fAmount)
	bad := len(raw) != 14 // a character that is not ASCII
	var body string
	var digit byte
	var neg bool
	if !bad {
		var ok bool
		body = strings.TrimLeft(raw[:13], " ")
		digit, neg, ok = overpunch(raw[13])
		bad = !ok || body != "" && !digits(body)
	}
	if bad {
		return money.Amount{}, fmt.Errorf("%s is not an amount: 13 digits and a signed last character ({, A–I for a credit, }, J–R for a debit) are expected", input.Excerpt(raw))
	}
	all := strings.Repeat("0", 13-len(body)) + body + string(digit)
	s := all[:14-dec] + "." + all[14-dec:]
	if dec == 0 {
		s = all
	}
	if neg {
		s = "-" + s
	}
	return money.Parse(s)
}

// decimals is the number of decimals of r's amount (position 20).
func (r record) decimals() (int, error) {
	d := r.get(fDecimals)
	if !digits(d) {
		return 0, fmt.Errorf("the number of decimals %s is not a digit", input.Excerpt(d))
	}
	return int(d[0] - '0'), nil
}

// date reads a DDMMYY date as YYYY-MM-DD; "" for a field left blank or zero. Years 80 to
// 99 are 1980 to 1999, 00 to 79 are 2000 to 2079: the format dates from the 1980s, and a
// fixed pivot keeps the dates, and so the keys, the same from one import to the next.
func (r record) date(f span) (string, error) {
	s := r.get(f)
	if strings.TrimSpace(s) == "" || s == "000000" {
		return "", nil
	}
	bad := fmt.Errorf("%s is not a date (DDMMYY)", input.Excerpt(s))
	if !digits(s) || len(s) != 6 {
		return "", bad
	}
	day, month, year := two(s[0:2]), two(s[2:4]), 2000+two(s[4:6])
	if year >= 2080 {
		year -= 100
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || int(t.Month()) != month {
		return "", bad
	}
	return t.Format(time.DateOnly), nil
}

// two reads two ASCII digits.
func two(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }
