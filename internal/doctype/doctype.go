// Package doctype is the registry of declared doctypes: the kinds of personal data selfdata
// knows (bank operations, bills, meter readings...).
//
// A doctype is declared once, in one embedded JSON file under defs/, and everything else reads
// that declaration instead of repeating it: the store learns which fields it may index, writes
// are validated against the schema before they are committed (so bad input never reaches a
// person's store), pages and consent screens show the same French and English labels and the
// same plain-language sentence of what the data can reveal, and export documentation is
// generated from the same source. Adding a kind of data is adding one file, not editing five
// packages that might disagree.
//
// The registry is built once at startup by main and passed down; it is immutable afterwards, so
// it needs no locking and there is no global to reach for.
package doctype

import (
	"encoding/json"
	"errors"
	"strings"

	"selfdata/internal/store"
)

// Kinds of doctypes. Series are stored as compact readings (store.Series), not as documents,
// so they have no document schema.
const (
	KindDocument = "document"
	KindSeries   = "series"
)

// ErrUnknown is wrapped by Validate when the doctype is not declared or holds no documents, so
// that callers can answer 404 or 400 without parsing messages.
var ErrUnknown = errors.New("unknown doctype")

// Label is a text in both languages of the interface; every declared text must have both,
// because a consent screen in one language with a blank in the other is not informed consent.
type Label struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

// Doctype is one declaration. Treat it as read-only: the registry shares it between callers.
type Doctype struct {
	Name            string `json:"name"`
	Kind            string `json:"kind"` // KindDocument or KindSeries
	Label           Label  `json:"label"`
	Description     Label  `json:"description"`
	Reveals         Label  `json:"reveals"`          // what this data can reveal about a person
	SpecialCategory bool   `json:"special_category"` // GDPR Art. 9
	// Period is the index field that dates a record (an operation's date, an event's
	// start): what "the period the data covers" is computed from.
	Period string          `json:"period,omitempty"`
	Index  []store.Field   `json:"-"`                // the fields the API may filter and sort on
	Schema json.RawMessage `json:"schema,omitempty"` // JSON Schema (2020-12) of the data; absent for series
	Display
}

// indexField is the wire form of store.Field, which has no JSON tags of its own.
type indexField struct {
	Path string          `json:"path"`
	Type store.FieldType `json:"type"`
}

// MarshalJSON exists so that the declared index fields appear in API answers and exports with
// lower-case keys, without adding JSON tags to the store's types.
func (d *Doctype) MarshalJSON() ([]byte, error) {
	type plain Doctype // no methods: avoids recursion
	idx := make([]indexField, len(d.Index))
	for i, f := range d.Index {
		idx[i] = indexField(f)
	}
	return json.Marshal(struct {
		*plain
		Index []indexField `json:"index"`
	}{(*plain)(d), idx})
}

// IndexField lets the API turn a user-supplied filter or sort name into a typed store.Field,
// refusing anything that was not declared (and so is not indexed).
func (d *Doctype) IndexField(path string) (store.Field, bool) {
	for _, f := range d.Index {
		if f.Path == path {
			return f, true
		}
	}
	return store.Field{}, false
}

// Problem is one reason data was refused, addressed by a JSON pointer so that a form can put
// the message next to the right input and an importer can name the field in its report.
type Problem struct {
	Path    string `json:"path"` // JSON pointer ("/amount"); "" is the whole document
	Message string `json:"message"`
}

// ValidationError lists every problem at once, so that a person fixes a file in one pass
// instead of one error per attempt.
type ValidationError struct {
	Doctype  string
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("invalid ")
	b.WriteString(e.Doctype)
	b.WriteString(": ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		if p.Path != "" {
			b.WriteString(p.Path)
			b.WriteString(": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}
