package doctype

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"selfdata/internal/input"
)

// Patterns with a message of their own: the validator would only say "does not match".
const (
	moneyPattern    = `^-?[0-9]+(\.[0-9]+)?$`
	currencyPattern = `^[A-Z]{3}$`
	sha256Pattern   = `^[0-9a-f]{64}$`
)

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// Valid is a document that passed its doctype's validation, with the value of its period
// field read in the same decode. Only Registry.Check makes one (its fields are unexported),
// so a write that takes a Valid cannot be handed data nobody checked, and nobody checks or
// decodes it again.
type Valid struct {
	doctype string
	data    json.RawMessage
	period  string
}

// Doctype is the doctype the document was checked against ("" for the zero Valid, which
// no write accepts).
func (v Valid) Doctype() string { return v.doctype }

// Data is the document as it was checked.
func (v Valid) Data() json.RawMessage { return v.data }

// Period is the value of the doctype's period field (its date or start: the period the
// data covers), "" when the doctype declares none or the document has no such value.
func (v Valid) Period() string { return v.period }

// Validate tells whether data is a valid document of the doctype (see Check).
func (r *Registry) Validate(name string, data json.RawMessage) error {
	_, err := r.Check(name, data)
	return err
}

// Check is called before every write of a document, so that a store only ever holds data
// its readers (pages, services, exports) can rely on. It returns the Valid document, a
// *ValidationError listing every problem, or an error wrapping ErrUnknown for a doctype that
// holds no documents. Numbers are decoded exactly, so a large amount is never rounded while
// checked.
func (r *Registry) Check(name string, data json.RawMessage) (Valid, error) {
	d, ok := r.byName[name]
	if !ok {
		return Valid{}, fmt.Errorf("%w: %s", ErrUnknown, input.Excerpt(name))
	}
	c, ok := r.schemas[name]
	if !ok {
		return Valid{}, fmt.Errorf("%w: %s is a series: it holds readings, not documents", ErrUnknown, input.Excerpt(name))
	}
	v, p := decodeObject(data)
	if p != nil {
		return Valid{}, &ValidationError{Doctype: name, Problems: []Problem{*p}}
	}
	err := c.schema.Validate(v)
	if err == nil {
		return Valid{doctype: name, data: data, period: periodIn(v, d.Period)}, nil
	}
	return Valid{}, c.problems(name, err)
}

// problems turns the validator's error into the person's list of problems.
func (c *compiled) problems(name string, err error) error {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("doctype %s: validate: %w", name, err)
	}
	var problems []Problem
	c.collect(ve, &problems)
	if len(problems) == 0 { // never expected, but a failure must not read as success
		problems = []Problem{{Message: "does not match the " + name + " schema"}}
	}
	slices.SortFunc(problems, func(a, b Problem) int {
		if n := strings.Compare(a.Path, b.Path); n != 0 {
			return n
		}
		return strings.Compare(a.Message, b.Message)
	})
	return &ValidationError{Doctype: name, Problems: slices.Compact(problems)}
}

// decodeObject parses data as exactly one JSON object, or says where it went wrong so that a
// person can find the spot in a file. What a store cannot hold (see textProblem) is refused
// here too, before decoding, so that a document nested a million levels deep costs one scan.
func decodeObject(data []byte) (any, *Problem) {
	if len(trimJSONSpace(data)) == 0 {
		return nil, &Problem{Message: "is empty: expected a JSON object"}
	}
	if p := textProblem(data); p != nil {
		return nil, p
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, syntaxProblem(data, err)
	}
	if off := dec.InputOffset(); len(trimJSONSpace(data[off:])) > 0 {
		return nil, &Problem{Message: fmt.Sprintf("is not valid JSON: unexpected data after the object (at byte offset %d)", off)}
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, &Problem{Message: "must be a JSON object, not " + jsonType(v)}
	}
	return v, nil
}

// trimJSONSpace trims only what JSON calls whitespace; bytes.TrimSpace would accept more.
func trimJSONSpace(b []byte) []byte {
	return bytes.Trim(b, " \t\r\n")
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	default:
		return "an object"
	}
}

// collectHints records, for every subschema, the message that tells a person what a valid
// value looks like, keyed by the subschema's JSON pointer within the schema.
func collectHints(v any, ptr string, hints map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		if h := hintFor(v); h != "" {
			hints[ptr] = h
		}
		for k, sub := range v {
			collectHints(sub, ptr+"/"+pointerEscaper.Replace(k), hints)
		}
	case []any:
		for i, sub := range v {
			collectHints(sub, ptr+"/"+strconv.Itoa(i), hints)
		}
	}
}

func hintFor(s map[string]any) string {
	switch s["pattern"] {
	case moneyPattern:
		return `must be a string with a decimal number like "-12.34"`
	case currencyPattern:
		return `must be an ISO 4217 currency code like "EUR"`
	case sha256Pattern:
		return "must be a SHA-256 digest: 64 lowercase hexadecimal characters"
	}
	switch s["format"] {
	case "date":
		return `must be a date like "2025-03-01"`
	case "date-time":
		return `must be an instant in UTC like "2025-03-01T08:00:00Z"`
	}
	if vals, ok := s["enum"].([]any); ok {
		return "must be one of " + quoteAll(vals)
	}
	return ""
}

func quoteAll(vals []any) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		b, _ := json.Marshal(v)
		q[i] = string(b)
	}
	return strings.Join(q, ", ")
}

// collect flattens the validator's tree of errors into one problem per wrong value, phrased
// for a person rather than for a schema author.
func (c *compiled) collect(e *jsonschema.ValidationError, out *[]Problem) {
	if len(e.Causes) > 0 {
		for _, cause := range e.Causes {
			c.collect(cause, out)
		}
		return
	}
	ptr := ""
	for _, tok := range e.InstanceLocation {
		ptr += "/" + pointerToken(tok)
	}
	hint := ""
	if _, frag, ok := strings.Cut(e.SchemaURL, "#"); ok {
		hint = c.hints[frag]
	}
	add := func(path, msg string) { *out = append(*out, Problem{Path: path, Message: msg}) }
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		for _, name := range k.Missing {
			add(ptr+"/"+pointerToken(name), "is required")
		}
	case *kind.AdditionalProperties:
		for _, name := range k.Properties {
			add(ptr+"/"+pointerToken(name), "is not an allowed property")
		}
	case *kind.Type, *kind.Enum, *kind.Pattern, *kind.Format:
		if hint != "" {
			add(ptr, hint)
			return
		}
		add(ptr, plainMessage(e.ErrorKind))
	default:
		add(ptr, plainMessage(e.ErrorKind))
	}
}

func plainMessage(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Type:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = article(w)
		}
		return "must be " + strings.Join(want, " or ") + ", not " + article(k.Got)
	case *kind.Enum:
		return "must be one of " + quoteAll(k.Want)
	case *kind.Const:
		return "must be " + quoteAll([]any{k.Want})
	case *kind.Pattern:
		return "must match the pattern " + k.Want
	case *kind.Format:
		return "must be a valid " + k.Want
	case *kind.Minimum:
		return "must be at least " + ratString(k.Want)
	case *kind.Maximum:
		return "must be at most " + ratString(k.Want)
	case *kind.ExclusiveMinimum:
		return "must be more than " + ratString(k.Want)
	case *kind.ExclusiveMaximum:
		return "must be less than " + ratString(k.Want)
	case *kind.MinLength:
		return fmt.Sprintf("must have at least %d characters", k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("must have at most %d characters", k.Want)
	case *kind.MinItems:
		return fmt.Sprintf("must have at least %d items", k.Want)
	case *kind.MaxItems:
		return fmt.Sprintf("must have at most %d items", k.Want)
	case *kind.UniqueItems:
		return fmt.Sprintf("must not repeat items (items %d and %d are equal)", k.Duplicates[0], k.Duplicates[1])
	case *kind.FalseSchema:
		return "is not allowed"
	default:
		return "does not satisfy the schema (" + strings.Join(k.KeywordPath(), "/") + ")"
	}
}

// article turns a JSON Schema type name into words: "number" -> "a number".
func article(t string) string {
	switch t {
	case "null":
		return "null"
	case "object", "array", "integer":
		return "an " + t
	default:
		return "a " + t
	}
}

func ratString(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.RatString()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}
