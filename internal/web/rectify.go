package web

// This file is the person's correction of a record in the pages (GDPR Art. 16 in their own
// store): a form with one input per value they may correct, written through the gate as
// the owner, so that the store keeps the source's value beside theirs (Writer.UpdateDocAs);
// and the request asking the organization to correct it too.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// rt is a text of the correction pages in lang.
func rt(lang, key string) string { return textIn(rectifyTexts, lang, key) }

// schemaProp is what a doctype's schema says of one top-level property, enough to choose
// the input that fits it.
type schemaProp struct {
	Types    []string
	Format   string
	Enum     []string
	Required bool
}

// schemaProps reads the top-level properties of d's schema in the order it declares them.
func schemaProps(d *doctype.Doctype) ([]string, map[string]schemaProp) {
	var sch struct {
		Properties map[string]struct {
			Type   any      `json:"type"`
			Format string   `json:"format"`
			Enum   []string `json:"enum"`
		} `json:"properties"`
		Required []string `json:"required"`
	}
	props := map[string]schemaProp{}
	if json.Unmarshal(d.Schema, &sch) != nil {
		return nil, props
	}
	for k, p := range sch.Properties {
		sp := schemaProp{Format: p.Format, Enum: p.Enum}
		switch t := p.Type.(type) {
		case string:
			sp.Types = []string{t}
		case []any:
			for _, x := range t {
				if s, ok := x.(string); ok {
					sp.Types = append(sp.Types, s)
				}
			}
		}
		props[k] = sp
	}
	for _, k := range sch.Required {
		if p, ok := props[k]; ok {
			p.Required = true
			props[k] = p
		}
	}
	var order []string
	var raw struct {
		Properties json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(d.Schema, &raw) == nil {
		if o, ok := decodeOrdered(raw.Properties).(object); ok {
			for _, m := range o {
				order = append(order, m.Key)
			}
		}
	}
	return order, props
}

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// correctField is one input of the form.
type correctField struct {
	Key      string
	Label    string
	Kind     string // what the value is: "string", "number", "integer" or "boolean"
	Input    string // "text", "date", "decimal" (a number or an amount) or "select"
	Value    string // as the input holds it
	Options  []option
	Required bool
	Hint     string
	Original string // the source's value as pages show it, when it differs from the value
	Error    string // what is wrong with the value typed, naming the field
}

// correctView is what data_correct.html shows.
type correctView struct {
	Doctype       *doctype.Doctype
	Record        docView
	List, Back    string
	Action        string
	Rev           string
	Fields        []correctField
	ReadOnly      []fieldView // nested values and links to other records, shown as they are
	OriginalTitle string      // "Value sent by Enedis", "" when the record was never corrected
	Problems      int         // values to fix
	Refused       string      // "Nothing was saved: 2 values to fix"
	General       []string    // problems that are not one input's
	Conflict      bool        // the record changed meanwhile: nothing was saved
}

// scalarKind is the kind of a value an input can hold, "" for an object, an array or null.
func scalarKind(v any) string {
	switch x := v.(type) {
	case string:
		return "string"
	case json.Number:
		if !strings.ContainsAny(x.String(), ".eE") {
			return "integer"
		}
		return "number"
	case bool:
		return "boolean"
	}
	return ""
}

// schemaKind is the first scalar kind a property may hold, "" for none.
func schemaKind(p schemaProp) string {
	for _, t := range p.Types {
		switch t {
		case "string", "number", "integer", "boolean":
			return t
		}
	}
	return ""
}

// correctForm prepares the form of doc: one input per scalar value it holds and per scalar
// property its schema declares, the rest read-only; typed, when not nil, are the values the
// person posted.
func (s *Server) correctForm(rv *recordViewer, d *doctype.Doctype, doc store.Doc, typed url.Values) correctView {
	l := rv.lang
	v := correctView{Doctype: d, Record: rv.view(doc, false), List: "/data/" + url.PathEscape(d.Name), Back: recordHref(d.Name, doc.ID), Rev: doc.Rev}
	v.Action = v.Back + "/correct"
	obj, _ := decodeOrdered(doc.Data).(object)
	var orig object
	if doc.Corrected != nil {
		orig, _ = decodeOrdered(doc.Corrected.Original).(object)
		v.OriginalTitle = viewCorrection(rv, doc).OriginalTitle
	}
	f := rv.formatter(d, obj)
	of := rv.formatter(d, orig)
	order, props := schemaProps(d)
	seen := map[string]bool{}
	add := func(key string, val any, present bool) {
		seen[key] = true
		p := props[key]
		kind := scalarKind(val)
		if !present || val == nil {
			kind = schemaKind(p)
		}
		if _, ref := d.Reference(key); ref || kind == "" {
			if present {
				v.ReadOnly = append(v.ReadOnly, rv.field(d, f, key, val))
			}
			return
		}
		if kind == "integer" && schemaKind(p) == "number" {
			kind = "number"
		}
		cf := correctField{Key: key, Label: f.label(key), Kind: kind, Input: "text", Required: p.Required}
		switch x := val.(type) {
		case string:
			cf.Value = x
		case json.Number:
			cf.Value = x.String()
		case bool:
			cf.Value = fmt.Sprint(x)
		}
		if t, ok := typed["f."+key]; ok && len(t) > 0 { // a value not posted stays as it is
			cf.Value = t[0]
		}
		switch {
		case kind == "boolean":
			cf.Input = "select"
			cf.Options = []option{{Value: "true", Label: tr(l, "browse.yes")}, {Value: "false", Label: tr(l, "browse.no")}}
		case len(p.Enum) > 0:
			cf.Input = "select"
			for _, e := range p.Enum {
				lb, ok := d.EnumLabel(key, e, l)
				if !ok {
					lb = e
				}
				cf.Options = append(cf.Options, option{Value: e, Label: lb})
			}
		case p.Format == "date":
			cf.Input, cf.Hint = "date", rt(l, "rectify.hint.date")
		case p.Format == "date-time":
			cf.Hint = rt(l, "rectify.hint.instant")
		case f.isMoney(key) || kind == "number" || kind == "integer":
			cf.Input = "decimal"
			if f.isMoney(key) {
				cf.Hint = rt(l, "rectify.hint.money")
			}
		}
		if cf.Input == "select" {
			known := false
			for i := range cf.Options {
				cf.Options[i].Selected = cf.Options[i].Value == cf.Value
				known = known || cf.Options[i].Selected
			}
			if !known && cf.Value != "" { // a value the schema does not list: keep it choosable
				cf.Options = append(cf.Options, option{Value: cf.Value, Label: cf.Value, Selected: true})
			}
			if !cf.Required {
				cf.Options = append([]option{{Value: "", Label: "—", Selected: cf.Value == ""}}, cf.Options...)
			}
		}
		if doc.Corrected != nil {
			ov := orig.get(key)
			if !reflect.DeepEqual(ov, obj.get(key)) {
				cf.Original = "—"
				if ov != nil {
					cf.Original = of.inline(rv.field(d, of, key, ov))
				}
			}
		}
		v.Fields = append(v.Fields, cf)
	}
	for _, m := range obj {
		add(m.Key, m.Val, true)
	}
	for _, k := range order {
		if !seen[k] {
			add(k, nil, false)
		}
	}
	return v
}

var (
	plainNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
	plainInt    = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	numberSpace = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "")
)

// parse reads the value typed for cf: nil and remove when the input was left empty, or the
// problem's text key.
func (cf correctField) parse(money bool) (val any, remove bool, problem string) {
	t := strings.TrimSpace(cf.Value)
	if t == "" {
		return nil, true, ""
	}
	if input.TextProblem(t) != "" || utf8.RuneCountInString(t) > 2000 {
		return nil, false, "rectify.problem.text"
	}
	if money || cf.Kind == "number" || cf.Kind == "integer" {
		t = numberSpace.Replace(t)
		if strings.Count(t, ",") == 1 && !strings.Contains(t, ".") {
			t = strings.Replace(t, ",", ".", 1) // 1200,50 as French writes it
		}
	}
	switch cf.Kind {
	case "number":
		if !plainNumber.MatchString(t) {
			return nil, false, "rectify.problem.number"
		}
		return json.Number(t), false, ""
	case "integer":
		if !plainInt.MatchString(t) {
			return nil, false, "rectify.problem.integer"
		}
		return json.Number(t), false, ""
	case "boolean":
		if t != "true" && t != "false" {
			return nil, false, "rectify.problem.boolean"
		}
		return t == "true", false, ""
	}
	return t, false, ""
}

// encodeOrdered writes v, as decodeOrdered reads it, keeping the order of its objects.
func encodeOrdered(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case object:
		b.WriteByte('{')
		for i, m := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(m.Key)
			b.Write(k)
			b.WriteByte(':')
			encodeOrdered(b, m.Val)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, it := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			encodeOrdered(b, it)
		}
		b.WriteByte(']')
	case json.Number:
		b.WriteString(x.String())
	default:
		j, _ := json.Marshal(x)
		b.Write(j)
	}
}

// correctPage: GET /data/{doctype}/{id}/correct — the form to correct a record.
func (s *Server) correctPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	d, err := s.documentDoctype(r.PathValue("doctype"))
	if err != nil {
		return err
	}
	doc, err := s.gate.Get(r.Context(), p, d.Name, r.PathValue("id"))
	if err != nil {
		return err
	}
	rv := s.viewer(r.Context(), p, lang(r))
	v := s.correctForm(rv, d, doc, nil)
	if rv.err != nil {
		return rv.err
	}
	return s.render(w, r, http.StatusOK, "data_correct.html", page{Title: "data", Data: v})
}

// correctSave: POST /data/{doctype}/{id}/correct (csrf, rev, f.FIELD) — the correction,
// checked against the doctype's schema and written at the revision the form was made from:
// a value refused shows the form again with what is wrong beside it, and a record changed
// meanwhile shows it as it is now. Nothing is written in either case.
func (s *Server) correctSave(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	d, err := s.documentDoctype(r.PathValue("doctype"))
	if err != nil {
		return err
	}
	ctx, l := r.Context(), lang(r)
	doc, err := s.gate.Get(ctx, p, d.Name, r.PathValue("id"))
	if err != nil {
		return err
	}
	rv := s.viewer(ctx, p, l)
	rev := r.PostFormValue("rev")
	if rev != doc.Rev {
		return s.correctConflict(w, r, rv, d, doc)
	}
	v := s.correctForm(rv, d, doc, r.PostForm)
	obj, _ := decodeOrdered(doc.Data).(object)
	f := rv.formatter(d, obj)
	values := map[string]any{}
	removed := map[string]bool{}
	for i, cf := range v.Fields {
		val, remove, problem := cf.parse(f.isMoney(cf.Key))
		switch {
		case problem != "":
			v.Fields[i].Error = fmt.Sprintf(rt(l, "rectify.problem.named"), cf.Label, rt(l, problem))
			v.Problems++
		case remove:
			removed[cf.Key] = true
		default:
			values[cf.Key] = val
		}
	}
	if v.Problems > 0 {
		return s.correctRefused(w, r, rv, v)
	}
	var next object
	for _, m := range obj {
		if removed[m.Key] {
			continue
		}
		if val, ok := values[m.Key]; ok {
			m.Val = val
			delete(values, m.Key)
		}
		next = append(next, m)
	}
	for _, cf := range v.Fields { // values added, in the form's order
		if val, ok := values[cf.Key]; ok {
			next = append(next, member{Key: cf.Key, Val: val})
		}
	}
	var b bytes.Buffer
	encodeOrdered(&b, next)
	if next == nil {
		b.Reset()
		b.WriteString("{}")
	}
	if reflect.DeepEqual(decodeOrdered(b.Bytes()), decodeOrdered(doc.Data)) {
		http.Redirect(w, r, recordHref(d.Name, doc.ID), http.StatusSeeOther) // nothing changed: nothing to write
		return nil
	}
	_, err = s.gate.Update(ctx, p, d.Name, doc.ID, rev, b.Bytes())
	var be *gate.BatchError
	switch {
	case errors.Is(err, store.ErrConflict):
		cur, gerr := s.gate.Get(ctx, p, d.Name, doc.ID)
		if gerr != nil {
			return gerr
		}
		return s.correctConflict(w, r, rv, d, cur)
	case errors.As(err, &be) && len(be.Records) > 0:
		for _, pr := range be.Records[0].Problems {
			key, _, _ := strings.Cut(strings.TrimPrefix(pr.Path, "/"), "/")
			text := problemWords(l, pr.Message)
			i := -1
			for j, cf := range v.Fields {
				if cf.Key == key && key != "" {
					i = j
				}
			}
			v.Problems++
			if i < 0 {
				label := rt(l, "rectify.problem.record")
				if key != "" {
					label = f.label(key)
				}
				v.General = append(v.General, fmt.Sprintf(rt(l, "rectify.problem.named"), label, text))
				continue
			}
			if v.Fields[i].Error == "" {
				v.Fields[i].Error = fmt.Sprintf(rt(l, "rectify.problem.named"), v.Fields[i].Label, text)
			}
		}
		return s.correctRefused(w, r, rv, v)
	case err != nil:
		return err
	}
	http.Redirect(w, r, recordHref(d.Name, doc.ID)+"?done=corrected", http.StatusSeeOther)
	return nil
}

// correctRefused shows the form again with the values typed and what is wrong with them.
func (s *Server) correctRefused(w http.ResponseWriter, r *http.Request, rv *recordViewer, v correctView) error {
	if rv.err != nil {
		return rv.err
	}
	v.Refused = countIn(rectifyTexts, rv.lang, "rectify.refused", int64(v.Problems))
	return s.render(w, r, http.StatusUnprocessableEntity, "data_correct.html", page{Title: "data", Data: v})
}

// correctConflict shows the form of the record as it is now, saying that it changed since
// the form was made and that nothing was saved: the person's values would otherwise
// silently undo the change they never saw.
func (s *Server) correctConflict(w http.ResponseWriter, r *http.Request, rv *recordViewer, d *doctype.Doctype, cur store.Doc) error {
	v := s.correctForm(rv, d, cur, nil)
	v.Conflict = true
	if rv.err != nil {
		return rv.err
	}
	return s.render(w, r, http.StatusConflict, "data_correct.html", page{Title: "data", Data: v})
}

// problemTexts are the schema's messages (internal/doctype) a person may meet in the form,
// by the key of their words in both languages.
var problemTexts = map[string]string{
	"is required": "rectify.problem.required",
	`must be a string with a decimal number like "-12.34"`:          "rectify.problem.money",
	`must be an ISO 4217 currency code like "EUR"`:                  "rectify.problem.currency",
	`must be a date like "2025-03-01"`:                              "rectify.problem.date",
	`must be an instant in UTC like "2025-03-01T08:00:00Z"`:         "rectify.problem.instant",
	"must be a SHA-256 digest: 64 lowercase hexadecimal characters": "rectify.problem.digest",
}

// problemWords says a schema's message in lang; one it does not know keeps the schema's
// English words, in the French sentence that introduces them.
func problemWords(l, msg string) string {
	if k, ok := problemTexts[msg]; ok {
		return rt(l, k)
	}
	if strings.HasPrefix(msg, "must be one of ") {
		return rt(l, "rectify.problem.enum")
	}
	if l == "fr" {
		return fmt.Sprintf(rt(l, "rectify.problem.other"), msg)
	}
	return msg
}
