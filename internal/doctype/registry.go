package doctype

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"selfdata/internal/store"
)

// defs holds the declarations shipped with selfdata. Embedding them means a binary cannot run
// with declarations that disagree with its code.
//
//go:embed defs/*.json
var defs embed.FS

// Registry is the set of declared doctypes with their compiled schemas. It never changes after
// construction, so it is safe to share between goroutines.
type Registry struct {
	byName  map[string]*Doctype
	sorted  []*Doctype
	schemas map[string]*compiled // document doctypes only
}

// compiled is a schema ready to validate, with the hints used to phrase its errors.
type compiled struct {
	schema *jsonschema.Schema
	// hints maps a subschema's location (a JSON pointer into the schema) to the message a
	// person should read when a value there is wrong, e.g. the expected money format.
	hints map[string]string
}

// Builtin loads and compiles the doctypes shipped with selfdata. Compiling is the expensive
// part: call it once at startup and pass the registry down.
func Builtin() (*Registry, error) {
	sub, err := fs.Sub(defs, "defs")
	if err != nil {
		return nil, fmt.Errorf("doctype: builtin definitions: %w", err)
	}
	return Load(sub)
}

// Load reads every NAME.json at the root of fsys. It exists apart from Builtin so that tests
// (and, later, operators' own doctypes) can use other declarations; it refuses any declaration
// that is incomplete or inconsistent rather than discovering it on the first write.
func Load(fsys fs.FS) (*Registry, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("doctype: list definitions: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("doctype: no definitions found")
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	r := &Registry{byName: map[string]*Doctype{}, schemas: map[string]*compiled{}}
	for _, file := range names {
		raw, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("doctype: read %s: %w", file, err)
		}
		d, err := loadOne(c, raw, strings.TrimSuffix(path.Base(file), ".json"), r)
		if err != nil {
			return nil, fmt.Errorf("doctype: %s: %w", file, err)
		}
		r.byName[d.Name] = d
		r.sorted = append(r.sorted, d)
	}
	slices.SortFunc(r.sorted, func(a, b *Doctype) int { return strings.Compare(a.Name, b.Name) })
	if err := r.checkReferences(); err != nil {
		return nil, err
	}
	return r, nil
}

// definition is the file format: a Doctype with its index fields spelled as JSON objects.
type definition struct {
	Doctype
	Index []indexField `json:"index"`
}

func loadOne(c *jsonschema.Compiler, raw []byte, want string, r *Registry) (*Doctype, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields() // a misspelt key would silently drop a declaration
	var def definition
	if err := dec.Decode(&def); err != nil {
		return nil, err
	}
	d := def.Doctype
	for _, f := range def.Index {
		d.Index = append(d.Index, store.Field(f))
	}
	if d.Period != "" {
		if _, ok := d.IndexField(d.Period); !ok {
			return nil, fmt.Errorf("period field %q is not an index field", d.Period)
		}
	}
	if d.Name != want {
		return nil, fmt.Errorf("name %q does not match the file name", d.Name)
	}
	for what, l := range map[string]Label{"label": d.Label, "description": d.Description, "reveals": d.Reveals} {
		if strings.TrimSpace(l.FR) == "" || strings.TrimSpace(l.EN) == "" {
			return nil, fmt.Errorf("%s needs both fr and en", what)
		}
	}
	switch d.Kind {
	case KindSeries:
		if len(d.Schema) > 0 || len(d.Index) > 0 {
			return nil, fmt.Errorf("a series has neither schema nor index fields")
		}
		if d.Title != "" || d.TitleText != nil || d.List != nil || d.Money != nil || d.Enums != nil || d.References != nil {
			return nil, fmt.Errorf("a series has no fields to display")
		}
		return &d, nil
	case KindDocument:
	default:
		return nil, fmt.Errorf("kind %q is neither %q nor %q", d.Kind, KindDocument, KindSeries)
	}
	if len(d.Schema) == 0 {
		return nil, fmt.Errorf("a document doctype needs a schema")
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(d.Schema))
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	root, ok := doc.(map[string]any)
	if !ok || root["type"] != "object" {
		return nil, fmt.Errorf("schema: the data of a document must be declared as an object")
	}
	if err := checkIndex(d.Index, root); err != nil {
		return nil, err
	}
	if err := checkDisplay(&d.Display, root); err != nil {
		return nil, err
	}
	url := "https://selfdata.invalid/doctypes/" + d.Name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	hints := map[string]string{}
	collectHints(root, "", hints)
	r.schemas[d.Name] = &compiled{schema: sch, hints: hints}
	return &d, nil
}

// checkIndex makes sure the store is never asked to index a field that the schema does not
// declare with the same type, which would make filters silently match nothing.
func checkIndex(index []store.Field, root map[string]any) error {
	seen := map[string]bool{}
	for _, f := range index {
		if seen[f.Path] {
			return fmt.Errorf("index field %q is declared twice", f.Path)
		}
		seen[f.Path] = true
		if f.Type != store.String && f.Type != store.Number {
			return fmt.Errorf("index field %q: type %q is neither string nor number", f.Path, f.Type)
		}
		sch, ok := property(root, f.Path)
		if !ok {
			return fmt.Errorf("index field %q is not a property of the schema", f.Path)
		}
		t := sch["type"]
		if t == "integer" {
			t = "number"
		}
		if t != string(f.Type) {
			return fmt.Errorf("index field %q is %v in the schema but declared %s", f.Path, sch["type"], f.Type)
		}
	}
	return nil
}

// Get returns the declaration of a doctype, for pages and consent screens.
func (r *Registry) Get(name string) (*Doctype, bool) {
	d, ok := r.byName[name]
	return d, ok
}

// All returns every declaration sorted by name, so that lists and exports are stable.
func (r *Registry) All() []*Doctype {
	return slices.Clone(r.sorted)
}

// Indexes lists every declared index field of every doctype, for the store to index at
// start-up.
func (r *Registry) Indexes() []store.Index {
	var out []store.Index
	for _, d := range r.All() {
		for _, f := range d.Index {
			out = append(out, store.Index{Doctype: d.Name, Field: f})
		}
	}
	return out
}

// periodIn is the string at the dotted path of a decoded document, or "".
func periodIn(cur any, path string) string {
	if path == "" {
		return ""
	}
	for _, key := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[key]
	}
	s, _ := cur.(string)
	return s
}
