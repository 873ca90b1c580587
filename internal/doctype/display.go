package doctype

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Display is how pages show the records of a doctype: which field names a record, which
// fields a list shows, which hold money, the words an enumerated field may hold with their
// labels, and which fields point to another record. It is declared in the doctype's file
// beside the schema, so that the list, the record page, the search and the restore all read
// the same declaration instead of keeping maps of their own that drift apart.
type Display struct {
	// Title is the field that names a record ("label" of a bank operation).
	Title string `json:"title,omitempty"`
	// TitleText names a record that has no Title field, or whose Title is empty: a text
	// in both languages where {field} is the field's value as pages show it, and a part in
	// [brackets] is left out when a field inside it is missing ("{kind} on {at}[, {bytes}]").
	TitleText *Label `json:"title_text,omitempty"`
	// List are the fields a list shows under a record's title, in order.
	List []string `json:"list,omitempty"`
	// Money maps each field that holds an exact decimal amount to the field holding its
	// currency ("" when the doctype has none).
	Money map[string]string `json:"money,omitempty"`
	// Enums maps an enumerated field to the label of each value it may hold, per value,
	// so that the same word in two doctypes can read differently.
	Enums map[string]map[string]Label `json:"enums,omitempty"`
	// References maps a field holding the id of another record to that record's doctype,
	// or to the doctypes it may be, in the order to look for it (a bill's contract is a
	// contract, or an insurance contract for an insurer's bill). Restore turns an importer's
	// key into the id of a record of the first.
	References map[string]Targets `json:"references,omitempty"`
}

// Targets are the doctypes a reference may point to; a definition writes one as a string.
type Targets []string

// UnmarshalJSON reads "contract" or ["contract", "insurance.contract"].
func (t *Targets) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*t = Targets{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("a reference names a doctype or a list of doctypes")
	}
	*t = many
	return nil
}

// EnumLabel is the label of an enumerated field's value in lang ("fr" or "en"); ok is
// false when the field is not enumerated or the value is not declared, and the caller shows
// the value as it is.
func (d *Doctype) EnumLabel(field, value, lang string) (string, bool) {
	l, ok := d.Enums[field][value]
	if !ok {
		return "", false
	}
	if lang == "fr" {
		return l.FR, true
	}
	return l.EN, true
}

// EnumLabel is Doctype.EnumLabel for a doctype named by pages and services that hold only
// its name ("bank.operation", "category", "groceries", "fr" gives "Courses").
func (r *Registry) EnumLabel(doctype, field, value, lang string) (string, bool) {
	d, ok := r.byName[doctype]
	if !ok {
		return "", false
	}
	return d.EnumLabel(field, value, lang)
}

// MoneyCurrency tells whether field holds money, and which field holds its currency.
func (d *Doctype) MoneyCurrency(field string) (currency string, ok bool) {
	currency, ok = d.Money[field]
	return currency, ok
}

// Reference is the doctypes the record that field points to may be, in the order to look
// for it, if it points to one.
func (d *Doctype) Reference(field string) ([]string, bool) {
	t, ok := d.References[field]
	return t, ok
}

// TitleFrom writes the TitleText in lang with value giving each field as pages show it
// (ok false when the record lacks it). It returns "" when the doctype declares no
// TitleText or a field outside brackets is missing: the caller then names the record by
// its doctype's label, never by its id.
func (d *Doctype) TitleFrom(lang string, value func(field string) (string, bool)) string {
	if d.TitleText == nil {
		return ""
	}
	tpl := d.TitleText.EN
	if lang == "fr" {
		tpl = d.TitleText.FR
	}
	out, ok := expand(tpl, value)
	if !ok {
		return ""
	}
	return strings.TrimSpace(out)
}

// expand writes a title template; ok is false when a field outside brackets is missing.
func expand(tpl string, value func(string) (string, bool)) (string, bool) {
	var b strings.Builder
	for tpl != "" {
		i := strings.IndexAny(tpl, "[{")
		if i < 0 {
			b.WriteString(tpl)
			break
		}
		b.WriteString(tpl[:i])
		if tpl[i] == '{' {
			end := strings.IndexByte(tpl[i:], '}')
			v, ok := value(tpl[i+1 : i+end])
			if !ok {
				return "", false
			}
			b.WriteString(v)
			tpl = tpl[i+end+1:]
			continue
		}
		end := strings.IndexByte(tpl[i:], ']')
		if part, ok := expand(tpl[i+1:i+end], value); ok {
			b.WriteString(part)
		}
		tpl = tpl[i+end+1:]
	}
	return b.String(), true
}

// templateFields lists the fields a title template names, or says why it is malformed:
// a template the loader accepts never fails to expand for want of a closing brace.
func templateFields(tpl string) ([]string, error) {
	var fields []string
	depth := 0
	for i := 0; i < len(tpl); i++ {
		switch tpl[i] {
		case '[':
			if depth++; depth > 1 {
				return nil, fmt.Errorf("brackets cannot nest")
			}
		case ']':
			if depth--; depth < 0 {
				return nil, fmt.Errorf("a ] closes nothing")
			}
		case '{':
			end := strings.IndexByte(tpl[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("a { is not closed")
			}
			name := tpl[i+1 : i+end]
			if name == "" || strings.ContainsAny(name, "[]{") {
				return nil, fmt.Errorf("%q names no field", tpl[i:i+end+1])
			}
			fields = append(fields, name)
			i += end
		case '}':
			return nil, fmt.Errorf("a } closes nothing")
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("a [ is not closed")
	}
	return fields, nil
}

// checkDisplay refuses a display that names a field the schema does not declare, an enum
// value without a label in both languages, or a declared enum value left without a label:
// a page would otherwise show an English code on a French page, or nothing at all.
// References to other doctypes are checked once every doctype is loaded (checkReferences).
func checkDisplay(d *Display, root map[string]any) error {
	prop := func(what, field string) (map[string]any, error) {
		sch, ok := property(root, field)
		if !ok {
			return nil, fmt.Errorf("%s field %q is not a property of the schema", what, field)
		}
		return sch, nil
	}
	if d.Title != "" {
		if _, err := prop("title", d.Title); err != nil {
			return err
		}
	}
	if d.TitleText != nil {
		for lang, tpl := range map[string]string{"fr": d.TitleText.FR, "en": d.TitleText.EN} {
			if strings.TrimSpace(tpl) == "" {
				return fmt.Errorf("title_text needs both fr and en")
			}
			fields, err := templateFields(tpl)
			if err != nil {
				return fmt.Errorf("title_text (%s): %w", lang, err)
			}
			for _, f := range fields {
				if _, err := prop("title_text", f); err != nil {
					return err
				}
			}
		}
	}
	for i, f := range d.List {
		if slices.Contains(d.List[:i], f) {
			return fmt.Errorf("list field %q is listed twice", f)
		}
		if _, err := prop("list", f); err != nil {
			return err
		}
	}
	for f, cur := range d.Money {
		sch, err := prop("money", f)
		if err != nil {
			return err
		}
		if sch["type"] != "string" {
			return fmt.Errorf("money field %q must be a string (an exact decimal), not %v", f, sch["type"])
		}
		if cur != "" {
			if _, err := prop("currency of money", cur); err != nil {
				return err
			}
		}
	}
	for f, values := range d.Enums {
		sch, err := prop("enum", f)
		if err != nil {
			return err
		}
		for v, l := range values {
			if strings.TrimSpace(l.FR) == "" || strings.TrimSpace(l.EN) == "" {
				return fmt.Errorf("enum field %q: value %q needs a label in both fr and en", f, v)
			}
		}
		for _, v := range declaredEnum(sch) {
			if _, ok := values[v]; !ok {
				return fmt.Errorf("enum field %q: value %q has no label", f, v)
			}
		}
	}
	for f := range d.References {
		if _, err := prop("reference", f); err != nil {
			return err
		}
	}
	return checkEnumsLabelled(d, root)
}

// checkEnumsLabelled refuses a schema that declares the values of a field (an "enum") when
// the display gives them no labels: that field would show its codes.
func checkEnumsLabelled(d *Display, root map[string]any) error {
	props, _ := root["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	slices.Sort(names) // the same error on every run
	for _, name := range names {
		sch, _ := props[name].(map[string]any)
		if len(declaredEnum(sch)) > 0 && d.Enums[name] == nil {
			return fmt.Errorf("enum field %q: the schema declares its values but enums gives them no labels", name)
		}
	}
	return nil
}

// declaredEnum is the list of string values a schema property declares, directly or for
// the items of an array.
func declaredEnum(sch map[string]any) []string {
	e, _ := sch["enum"].([]any)
	if e == nil {
		if items, ok := sch["items"].(map[string]any); ok {
			e, _ = items["enum"].([]any)
		}
	}
	var out []string
	for _, v := range e {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// property is the schema of a dotted property path ("address.city").
func property(root map[string]any, path string) (map[string]any, bool) {
	sch := root
	for _, name := range strings.Split(path, ".") {
		props, _ := sch["properties"].(map[string]any)
		sub, ok := props[name].(map[string]any)
		if !ok {
			return nil, false
		}
		sch = sub
	}
	return sch, true
}

// checkReferences refuses a reference to a doctype that is not declared, or that holds no
// documents: a link to it could never be followed.
func (r *Registry) checkReferences() error {
	for _, d := range r.sorted {
		fields := make([]string, 0, len(d.References))
		for f := range d.References {
			fields = append(fields, f)
		}
		slices.Sort(fields)
		for _, f := range fields {
			if len(d.References[f]) == 0 {
				return fmt.Errorf("doctype: %s: reference field %q names no doctype", d.Name, f)
			}
			for _, name := range d.References[f] {
				t, ok := r.byName[name]
				if !ok {
					return fmt.Errorf("doctype: %s: reference field %q names unknown doctype %q", d.Name, f, name)
				}
				if t.Kind != KindDocument {
					return fmt.Errorf("doctype: %s: reference field %q names %q, which holds no documents", d.Name, f, t.Name)
				}
			}
		}
	}
	return nil
}
