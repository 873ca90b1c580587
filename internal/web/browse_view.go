package web

import (
	"context"
	"errors"
	"strings"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// recordViewer prepares the records of one page in the reader's language, as their doctype
// declares them: the title, the fields a list shows, money with its currency, enumerated
// values by their labels. A field pointing to another record is named by that record's
// title, read through the gate as the reader, so that a page never shows an id; a record the
// reader may not read, or that is gone, is "not available".
type recordViewer struct {
	s      *Server
	ctx    context.Context
	p      gate.Principal
	lang   string
	titles map[string]refView // by doctype and id: a list of 50 operations reads their account once
	err    error              // the first failure of the store, other than a missing or forbidden record
}

// refView is a record pointed to, as a link names it.
type refView struct{ Title, Href string }

// viewer starts preparing the records of one page read by p.
func (s *Server) viewer(ctx context.Context, p gate.Principal, l string) *recordViewer {
	return &recordViewer{s: s, ctx: ctx, p: p, lang: l, titles: map[string]refView{}}
}

// view prepares a record: its title, the fields its list shows and its provenance, and with
// all set every field.
func (v *recordViewer) view(doc store.Doc, all bool) docView {
	out := docView{ID: doc.ID, Href: recordHref(doc.Doctype, doc.ID), Doc: doc,
		Source: sourceText(v.lang, doc.Source), Received: formatDay(doc.Source.At, v.lang)}
	d, known := v.s.gate.Registry().Get(doc.Doctype)
	obj, ok := decodeOrdered(doc.Data).(object)
	if !known || !ok {
		out.Title = tr(v.lang, "browse.untitled")
		if known {
			out.Title = labelIn(v.lang, d.Label)
		}
		return out
	}
	f := v.formatter(d, obj)
	out.Title = v.title(d, obj, f)
	for _, k := range d.List {
		val := obj.get(k)
		if val == nil {
			continue
		}
		fv := v.field(d, f, k, val)
		if fv.Fields != nil || fv.Items != nil {
			fv = fieldView{Label: fv.Label, Text: f.inline(fv)}
		}
		out.Summary = append(out.Summary, fv)
	}
	if all {
		for _, m := range obj {
			out.Fields = append(out.Fields, v.field(d, f, m.Key, m.Val))
		}
	}
	return out
}

// formatter shows the values of one record of d: its money in its currency, its
// enumerated values by their labels.
func (v *recordViewer) formatter(d *doctype.Doctype, obj object) formatter {
	f := formatter{lang: v.lang, money: map[string]string{},
		enum: func(key, value string) (string, bool) { return d.EnumLabel(key, value, v.lang) }}
	for field, curField := range d.Money {
		cur, _ := obj.get(curField).(string)
		f.money[field] = cur
	}
	return f
}

// title names a record by its title field, else by its title text, else by its kind:
// never by its id.
func (v *recordViewer) title(d *doctype.Doctype, obj object, f formatter) string {
	text := func(field string) (string, bool) {
		val := obj.get(field)
		if val == nil {
			return "", false
		}
		t := strings.TrimSpace(f.inline(f.field(field, val)))
		return t, t != "" && t != "—"
	}
	if d.Title != "" {
		if t, ok := text(d.Title); ok {
			return t
		}
	}
	if t := d.TitleFrom(v.lang, text); t != "" {
		return t
	}
	return labelIn(v.lang, d.Label)
}

// field shows one field of a record of d; a reference, and an item of a list that names a
// record ({"doctype", "id"}), as a link titled by the record pointed to.
func (v *recordViewer) field(d *doctype.Doctype, f formatter, key string, val any) fieldView {
	fv := f.field(key, val)
	if targets, ok := d.Reference(key); ok {
		if id, ok := val.(string); ok && id != "" {
			r := v.ref(targets, id)
			fv.Text, fv.Href, fv.Class = r.Title, r.Href, ""
		}
		return fv
	}
	items, _ := val.([]any)
	for i, it := range items {
		o, ok := it.(object)
		if !ok || i >= len(fv.Items) {
			continue
		}
		dt, _ := o.get("doctype").(string)
		id, _ := o.get("id").(string)
		if dt != "" && id != "" {
			r := v.ref([]string{dt}, id)
			fv.Items[i].Text, fv.Items[i].Href, fv.Items[i].Fields = r.Title, r.Href, nil
		}
	}
	return fv
}

// ref names the record id, of the first of doctypes that holds it, as a link does, reading
// it once per page.
func (v *recordViewer) ref(doctypes []string, id string) refView {
	key := strings.Join(doctypes, ",") + "\x00" + id
	if r, ok := v.titles[key]; ok {
		return r
	}
	r := refView{Title: tr(v.lang, "browse.unavailable")}
	for _, dt := range doctypes {
		doc, err := v.s.gate.Get(v.ctx, v.p, dt, id)
		if err == nil {
			r = refView{Title: v.titleOf(doc), Href: recordHref(dt, id)}
			break
		}
		if !errors.Is(err, store.ErrNotFound) && !errors.Is(err, gate.ErrForbidden) && !errors.Is(err, doctype.ErrUnknown) && v.err == nil {
			v.err = err
		}
	}
	v.titles[key] = r
	return r
}

// titleOf is the title of a record pointed to; what it points to in turn is not read, so
// that two records pointing to each other cannot loop.
func (v *recordViewer) titleOf(doc store.Doc) string {
	d, ok := v.s.gate.Registry().Get(doc.Doctype)
	if !ok {
		return tr(v.lang, "browse.untitled")
	}
	obj, ok := decodeOrdered(doc.Data).(object)
	if !ok {
		return labelIn(v.lang, d.Label)
	}
	return v.title(d, obj, v.formatter(d, obj))
}
