package restore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"selfdata/internal/gate"
	"selfdata/internal/importer"
	"selfdata/internal/importer/bankcsv"
	"selfdata/internal/store"
)

// Options say what the person told about a file that its content does not say for sure.
type Options struct {
	Format string // a format's name; "" detects it from the content
	// Mapping names the columns of a bank's CSV export; nil: the columns the person saved
	// for its layout, else the guess.
	Mapping *bankcsv.Mapping
}

// File imports one file for p, from src (an organization, or the person's upload). format
// may be empty to detect it. progress, if set, is told how many bytes the parser has read.
func (im *Importer) File(ctx context.Context, p gate.Principal, src store.Source, name string, r io.Reader, format string, progress func(int64)) (*Report, error) {
	return im.FileWith(ctx, p, src, name, r, Options{Format: format}, progress)
}

// UnsureError is a file that no format claims for sure while some may be it (or that two
// claim): the person chooses among the candidates, and nothing is written meanwhile.
type UnsureError struct {
	File       string
	Candidates []string // format names, in the order of detection
}

func (e *UnsureError) Error() string {
	return fmt.Sprintf("%s: selfdata cannot tell for sure which format this file is in; it may be %s", e.File, strings.Join(e.Candidates, " or "))
}

// MappingFormat is the name of the format whose columns the person names.
const MappingFormat = "bank-csv"

// MappingDoctype holds the columns a person confirmed for a bank's layout.
const MappingDoctype = "import.mapping"

// Columns is what a page needs to ask for a bank CSV's columns: the first rows, and the
// columns to propose.
type Columns struct {
	Table     *bankcsv.Table
	Signature string          // the layout's (bankcsv.Signature)
	Mapping   bankcsv.Mapping // the person's saved columns for this layout, else the guess
	Sure      bool            // Mapping is saved or a sure guess
	Bank      string          // the bank's name the person gave, when Mapping is saved
	Saved     bool            // Mapping is the person's, saved for this layout
}

// MappingError is a bank CSV whose columns the person must name: the guess is not sure,
// or the columns given do not fit the file (Err says where). It unwraps to the importer's
// *importer.Error of kind importer.KindNeedsMapping.
type MappingError struct {
	File string
	Columns
	Err error
}

func (e *MappingError) Error() string { return e.Err.Error() }
func (e *MappingError) Unwrap() error { return e.Err }

// choose picks the format of a file: the one named, or the one format whose Detect claims
// it. When none claims it but some are likely, or when two claim it, the person must choose
// (*UnsureError); when none is even likely, it is the unknown-format refusal.
func (im *Importer) choose(name string, head []byte, format string) (importer.Format, error) {
	if format != "" {
		return im.byName(format)
	}
	var claim, likely []importer.Format
	for _, f := range im.formats {
		switch {
		case f.Detect(head, name):
			claim = append(claim, f)
		case f.Likely != nil && f.Likely(head, name):
			likely = append(likely, f)
		}
	}
	switch {
	case len(claim) == 1:
		return claim[0], nil
	case len(claim) > 1:
		return importer.Format{}, unsure(name, claim)
	case len(likely) > 0:
		return importer.Format{}, unsure(name, likely)
	}
	return im.Detect(head, name)
}

func unsure(name string, fs []importer.Format) *UnsureError {
	e := &UnsureError{File: name}
	for _, f := range fs {
		e.Candidates = append(e.Candidates, f.Name)
	}
	return e
}

// chooseFor picks the format of a file as choose does, except that a bank CSV whose columns
// the person saved for its layout is theirs: no question.
func (im *Importer) chooseFor(ctx context.Context, p gate.Principal, name string, head []byte, format string) (importer.Format, error) {
	f, err := im.choose(name, head, format)
	var unsure *UnsureError
	if errors.As(err, &unsure) && slices.Contains(unsure.Candidates, MappingFormat) {
		c, ok, cerr := im.columns(ctx, p, head)
		if cerr != nil {
			return importer.Format{}, cerr
		}
		if ok && c.Saved {
			return im.byName(MappingFormat)
		}
	}
	return f, err
}

// parseBank reads a bank CSV with m, or else with the columns p saved for its layout, or
// else with a sure guess; lacking all three, the person must name the columns.
func (im *Importer) parseBank(ctx context.Context, p gate.Principal, name string, head []byte, sp *Spooled, m *bankcsv.Mapping, progress func(int64)) (*importer.Result, *SavedColumns, error) {
	c, ok, err := im.columns(ctx, p, head)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, &importer.Error{File: name, Format: MappingFormat, Reason: "this file is not a bank's export in delimited text (a CSV)"}
	}
	var used *SavedColumns
	switch {
	case m != nil:
		if err := m.Check(c.Table); err != nil {
			c.Mapping, c.Sure = *m, false
			return nil, nil, &MappingError{File: name, Columns: c, Err: needsMapping(name, err)}
		}
	case !c.Sure:
		return nil, nil, &MappingError{File: name, Columns: c, Err: needsMapping(name, errors.New("the columns of this bank export cannot be told for sure: name the date, the label and the amount"))}
	default:
		m = &c.Mapping
		if c.Saved {
			used = &SavedColumns{Signature: c.Signature, Bank: c.Bank, Mapping: c.Mapping}
		}
	}
	res, err := bankcsv.Parse(&counting{r: sp.Reader(), fn: progress}, *m)
	if err != nil {
		return nil, nil, importer.InFormat(MappingFormat, importer.InFile(name, err))
	}
	if res.Format == "" {
		res.Format = MappingFormat
	}
	return res, used, nil
}

// needsMapping is err as the refusal of kind importer.KindNeedsMapping.
func needsMapping(name string, err error) error {
	var ie *importer.Error
	if errors.As(err, &ie) {
		c := *ie
		c.File, c.Kind, c.Format = name, importer.KindNeedsMapping, MappingFormat
		return &c
	}
	return &importer.Error{File: name, Kind: importer.KindNeedsMapping, Format: MappingFormat, Reason: err.Error()}
}

// ColumnsOf is what to ask about the columns of a spooled file, and false when it is no
// bank CSV at all.
func (im *Importer) ColumnsOf(ctx context.Context, p gate.Principal, sp *Spooled) (Columns, bool, error) {
	head, err := sp.Head(detectBytes)
	if err != nil {
		return Columns{}, false, err
	}
	return im.columns(ctx, p, head)
}

// ColumnsAs is ColumnsOf with the rows split at comma, a separator the person chose.
func (im *Importer) ColumnsAs(ctx context.Context, p gate.Principal, sp *Spooled, comma string) (Columns, error) {
	head, err := sp.Head(detectBytes)
	if err != nil {
		return Columns{}, err
	}
	t, err := bankcsv.Read(head, comma)
	if err != nil {
		return Columns{}, err
	}
	c := Columns{Table: t, Signature: bankcsv.Signature(t)}
	c.Mapping, c.Sure = bankcsv.Guess(t)
	if !c.Sure {
		proposeDefaults(&c.Mapping, t)
	}
	return c, nil
}

// columns sniffs head, and proposes the columns p saved for its layout when they still fit
// it, else the guess.
func (im *Importer) columns(ctx context.Context, p gate.Principal, head []byte) (Columns, bool, error) {
	c, ok := Propose(head)
	if !ok {
		return Columns{}, false, nil
	}
	t := c.Table
	saved, found, err := im.SavedColumns(ctx, p, c.Signature)
	if err != nil {
		return Columns{}, false, err
	}
	if found && saved.Mapping.Check(t) == nil {
		c.Mapping, c.Sure, c.Saved, c.Bank = saved.Mapping, true, true, saved.Bank
		return c, true, nil
	}
	return c, true, nil
}

// Propose is the columns guessed from a bank CSV's head, what a guess leaves unknown filled
// in with the likeliest; false when head is no bank CSV.
func Propose(head []byte) (Columns, bool) {
	t, ok := bankcsv.Sniff(head)
	if !ok {
		return Columns{}, false
	}
	c := Columns{Table: t, Signature: bankcsv.Signature(t)}
	c.Mapping, c.Sure = bankcsv.Guess(t)
	if !c.Sure {
		proposeDefaults(&c.Mapping, t)
	}
	return c, true
}

// SavedColumns are the columns a person confirmed for one bank's layout (an import.mapping
// document).
type SavedColumns struct {
	Signature string          `json:"signature"`
	Bank      string          `json:"bank,omitempty"`
	Mapping   bankcsv.Mapping `json:"mapping"`
}

// MappingID is the id of the document holding the columns of the layout sig: derived from
// it, so that confirming the columns again rewrites the same document.
func MappingID(sig string) string {
	return ID(store.Source{Kind: "person"}, MappingDoctype, sig)
}

// SavedColumns reads, as p, the columns p saved for the layout sig; false when there are
// none, or when p may not read them (a token for other data): then the columns are asked.
func (im *Importer) SavedColumns(ctx context.Context, p gate.Principal, sig string) (SavedColumns, bool, error) {
	d, err := im.g.Get(ctx, p, MappingDoctype, MappingID(sig))
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, gate.ErrForbidden) {
		return SavedColumns{}, false, nil
	}
	if err != nil {
		return SavedColumns{}, false, err
	}
	var sc SavedColumns
	if err := json.Unmarshal(d.Data, &sc); err != nil {
		return SavedColumns{}, false, fmt.Errorf("read the saved columns %s: %w", d.ID, err)
	}
	return sc, true, nil
}

// SaveColumns writes, as p, the columns p confirmed for a layout, replacing those saved
// before for it.
func (im *Importer) SaveColumns(ctx context.Context, p gate.Principal, sc SavedColumns) error {
	raw, err := json.Marshal(sc)
	if err != nil {
		return err
	}
	docs, err := im.g.Check(MappingDoctype, []gate.Input{{ID: MappingID(sc.Signature), Data: raw}})
	if err != nil {
		return err
	}
	return im.g.Write(ctx, p, func(b *gate.Batch) error {
		_, err := b.Upsert(MappingDoctype, docs, p.Source("", im.g))
		return err
	})
}

// proposeDefaults fills in what a guess left unknown, so that the form starts from the
// likeliest: the first row as wide as the widest for the header, a French day-first date,
// the decimal comma of a ";" file, euros.
func proposeDefaults(m *bankcsv.Mapping, t *bankcsv.Table) {
	if m.HeaderRow < 0 {
		width := 0
		for _, row := range t.Rows {
			width = max(width, len(row))
		}
		for i, row := range t.Rows {
			if len(row) == width {
				m.HeaderRow = i
				break
			}
		}
	}
	if m.DateLayout == "" {
		m.DateLayout = bankcsv.Layouts[0]
	}
	if m.Currency == "" {
		m.Currency = "EUR"
		m.DecimalComma = t.Comma == ";"
	}
}
