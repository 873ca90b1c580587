// Package importer holds what every format importer shares: the records they produce, the
// error that locates a problem in a file, and the limits that keep hostile files harmless.
//
// Each format family lives in its own package (greenbutton, enedis, grdf, water, ofx, camt,
// fhir, location, ical, vcard). Each is a pure parser — a reader in, a Result out, no storage —
// plus an adapter into the declared doctypes (docs/doctypes-spec.md). The restore package
// stores a Result through the gate in one transaction; formats/ lists the importers in order
// of detection.
package importer

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"selfdata/internal/input"
	"selfdata/internal/store"
)

// Record is one document in a declared doctype.
type Record struct {
	Doctype string
	// Key identifies the record at its source — a transaction id (OFX FITID), a bill
	// reference, a resource id — or, lacking one, a natural key built from its fields. It is
	// stable: importing the same data again yields the same keys, so nothing is duplicated.
	Key  string
	Data map[string]any
}

// Series is a time series with its readings.
type Series struct {
	Key      string // stable, e.g. "enedis:12345678901234:load-curve"
	Doctype  string // reading.electricity, reading.gas or reading.water
	Name     string // plain-language name, e.g. "Courbe de charge (30 min)"
	Quantity string // energy, power, volume, temperature, index
	Unit     string // Wh, kWh, W, m3, L, degC
	MeterKey string // Key of the meter Record it belongs to, if any
	Readings []store.Reading
}

// Result is what one file yields.
type Result struct {
	Format  string // name of the format, e.g. "ofx", "camt.053.001.02"
	Records []Record
	Series  []Series
	// Skipped counts values left out on purpose (e.g. empty measures), reported to the person.
	Skipped int
	Notes   []string
	// LeftOut lists, one by one, the records of a well-formed file that could not be mapped
	// and were left out whole (each also counted in Skipped): the file imports every record
	// that maps, and the person is told which ones did not, where and why.
	LeftOut []LeftOut
}

// LeftOut is one record left out of an import. Its reason is a code with parameters, so that
// a page can say it in the person's language; Text is the same in English, for the CLI, the
// API and any code a page does not know.
type LeftOut struct {
	File    string   `json:"file,omitempty"`    // the file of an archive it is in, "" for a file alone
	Line    int      `json:"line,omitempty"`    // 1-based line in the file, 0 when unknown
	Element string   `json:"element,omitempty"` // JSON path or XML element of the record
	Kind    string   `json:"kind"`              // what the record is: a resource type, a doctype, a table
	Reason  Reason   `json:"reason"`
	Params  []string `json:"params,omitempty"` // the reason's parameters, in order (see each Reason)
	Text    string   `json:"text"`
}

// Reason is the machine-readable reason a record was left out.
type Reason string

// The reasons a record is left out.
const (
	ReasonBadValue  Reason = "bad-value"  // a value of the record cannot be read; Params: where
	ReasonNoAmount  Reason = "no-amount"  // a claim states no amount at all
	ReasonNoDate    Reason = "no-date"    // a claim states no date at all
	ReasonNotBooked Reason = "not-booked" // a bank entry not yet booked; Params: its status
	ReasonUnit      Reason = "unit"       // a table's unit is none the doctypes have; Params: the unit
	ReasonNoCash    Reason = "no-cash"    // an investment transaction that moved no cash; Params: its aggregate
)

// Position says where a left-out record is, in English ("a.json, line 3, entry[2]").
func (l LeftOut) Position() string {
	var parts []string
	if l.File != "" {
		parts = append(parts, l.File)
	}
	if l.Line > 0 {
		parts = append(parts, fmt.Sprintf("line %d", l.Line))
	}
	if l.Element != "" {
		parts = append(parts, l.Element)
	}
	return strings.Join(parts, ", ")
}

// Leave records one left-out record in res; the caller counts it in Skipped (a table left
// out counts its values). Its texts are bounded
// (input.CutMessage): they come from the file.
func (res *Result) Leave(l LeftOut) {
	l.File, l.Element, l.Kind, l.Text = input.CutMessage(l.File), input.CutMessage(l.Element), input.CutMessage(l.Kind), input.CutMessage(l.Text)
	for i, p := range l.Params {
		l.Params[i] = input.CutMessage(p)
	}
	res.LeftOut = append(res.LeftOut, l)
}

// Error locates a problem in an input file. Line is 1-based (0 when unknown); Element names
// the XML element, JSON path or CSV column concerned.
type Error struct {
	File    string
	Line    int
	Element string
	Reason  string
	Err     error // the underlying error, when there is one (e.g. a size limit)
	// Kind says what went wrong in a word a program can test (KindEmpty, ...), so that a
	// page can tell the person what to do in their language; "" for a malformed file.
	Kind Kind
	// Format is the format the file was read as, when one was recognized: what to do
	// depends on who provides the file.
	Format string
}

// Kind is the machine-readable kind of a refusal.
type Kind string

// The kinds of refusal that call for advice other than "the file is malformed".
const (
	KindUnknownFormat Kind = "unknown-format" // no importer recognizes the file (nor any file of an archive)
	KindEmpty         Kind = "empty"          // the file holds nothing at all
	KindNoMeter       Kind = "no-meter"       // a meter's file names no meter (PRM, PCE, serial)
	KindNeedsMapping  Kind = "needs-mapping"  // a delimited file whose columns the person must name
)

// WithKind sets e's Kind and returns e, for a refusal built with Errorf.
func (e *Error) WithKind(k Kind) *Error {
	e.Kind = k
	return e
}

// InFormat sets the format a file was read as on its *Error (a copy); other errors are
// returned as they are.
func InFormat(format string, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Format = format
	return &c
}

// ErrTooLarge is the failure of LimitReader past MaxFileBytes.
var ErrTooLarge = fmt.Errorf("the file is larger than %d MiB", MaxFileBytes>>20)

// Unwrap lets callers recognize the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Error is what a person reads. Each part is bounded by input.CutMessage, also for an
// Error built without Errorf: a name built from a file (an element path holding a key, a
// file name) must not make an answer as large as the file.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(input.CutMessage(e.File) + ": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Element != "" {
		b.WriteString(input.CutMessage(e.Element) + ": ")
	}
	b.WriteString(input.CutMessage(e.Reason))
	return b.String()
}

// Errorf builds an *Error. Values of the file are quoted with input.Excerpt; the parts are
// bounded anyway (input.CutMessage), the import page showing them one by one.
func Errorf(line int, element, format string, args ...any) *Error {
	return &Error{Line: line, Element: input.CutMessage(element), Reason: input.CutMessage(fmt.Sprintf(format, args...))}
}

// InFile sets the file name on an *Error (or wraps another error with it).
func InFile(name string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		c := *e
		c.File = input.CutMessage(name)
		return &c
	}
	return &Error{File: input.CutMessage(name), Reason: input.CutMessage(err.Error()), Err: err}
}

// Format is one importer.
type Format struct {
	Name string
	// Detect tells from the first bytes of a file (at most 8 KiB) and its name whether the
	// format is this one. It must be cheap and must not claim other formats' files.
	Detect func(head []byte, name string) bool
	// Likely is optional: a looser test than Detect, true when the file may be of this
	// format though Detect is not sure; the import page then asks the person to choose
	// among the likely formats.
	Likely func(head []byte, name string) bool
	// Parse reads a whole file. It returns an *Error for malformed input.
	Parse func(r io.Reader) (*Result, error)
}

// Limits that apply to every importer.
const (
	// MaxFileBytes is the largest file an importer reads. An importer holds what it parses
	// in memory until its one transaction commits, at 6 to 20 times the file's size (the
	// most is OFX, whose transactions become maps of fields), and the server's budget for
	// one upload is 256 MiB resident: 6 MiB of OFX peaks at about 165 MiB, 8 MiB at up to
	// 235 MiB, too near the budget (docs/benchmarks.md). Real files are far smaller: a year
	// of 30-minute load curve is 0.5 MiB, a decade of a bank account's statements 3 MiB.
	MaxFileBytes = 6 << 20
	// MaxLineBytes is the longest line a line-based format accepts (the longest real OFX
	// line in the samples is a whole file on one line, about 15 KB).
	MaxLineBytes = 4 << 20
	// MaxRecords bounds what one file may produce, readings included.
	MaxRecords = 20_000_000
)

// LimitReader reads at most MaxFileBytes and fails past it instead of truncating silently.
func LimitReader(r io.Reader) io.Reader {
	return &limited{r: io.LimitReader(r, MaxFileBytes+1)}
}

type limited struct {
	r io.Reader
	n int64
}

func (l *limited) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > MaxFileBytes {
		return n, ErrTooLarge
	}
	if err != nil && err != io.EOF {
		return n, err // keep the reader's own error (e.g. the HTTP body's size limit)
	}
	return n, err
}
