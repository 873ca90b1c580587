package web

// This file is what the record page says of a correction, and the record a request for
// rectification names (rectify.go is the form).

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/rights/requests"
	"selfdata/internal/store"
)

// diffRow is one value the record's holder and its source do not agree on.
type diffRow struct {
	Key, Label, Now, Original string
}

// recordDiff lists the top-level values of doc, corrected, that differ from its source's.
func recordDiff(rv *recordViewer, d *doctype.Doctype, doc store.Doc) []diffRow {
	now, _ := decodeOrdered(doc.Data).(object)
	orig, _ := decodeOrdered(doc.Corrected.Original).(object)
	nf, of := rv.formatter(d, now), rv.formatter(d, orig)
	show := func(f formatter, o object, key string) string {
		val := o.get(key)
		if val == nil {
			return "—"
		}
		return f.inline(rv.field(d, f, key, val))
	}
	var rows []diffRow
	seen := map[string]bool{}
	for _, o := range []object{now, orig} {
		for _, m := range o {
			if seen[m.Key] {
				continue
			}
			seen[m.Key] = true
			if !reflect.DeepEqual(now.get(m.Key), orig.get(m.Key)) {
				rows = append(rows, diffRow{Key: m.Key, Label: nf.label(m.Key), Now: show(nf, now, m.Key), Original: show(of, orig, m.Key)})
			}
		}
	}
	return rows
}

// rectifyView is the record page's section on correcting it.
type rectifyView struct {
	Correct       string // the form's address
	Done          bool   // a correction was just saved
	Diff          []diffRow
	NowTitle      string
	OriginalTitle string
	Ask, AskText  string // the request to the organization that sent the record
}

// recordRectify prepares the record page's section on correcting doc.
func recordRectify(r *http.Request, rv *recordViewer, d *doctype.Doctype, doc store.Doc) rectifyView {
	l := rv.lang
	v := rectifyView{Correct: recordHref(d.Name, doc.ID) + "/correct", Done: r.URL.Query().Get("done") == "corrected"}
	if doc.Corrected == nil {
		return v
	}
	v.Diff = recordDiff(rv, d, doc)
	v.NowTitle = rt(l, "rectify.now")
	v.OriginalTitle = viewCorrection(rv, doc).OriginalTitle
	if doc.Source.Kind == "organization" && doc.Source.ID != "" {
		q := url.Values{"org": {doc.Source.ID}, "kind": {requests.Rectification}, "doctype": {d.Name}, "id": {doc.ID}}
		v.Ask = "/rights/requests/new?" + q.Encode()
		v.AskText = fmt.Sprintf(rt(l, "rectify.ask"), sourceTitle(l, doc.Source.Kind, doc.Source.Name))
	}
	return v
}

// rectifyLetterView is the record a request for rectification names: the letter's words
// for it, and for the request's page its doctype, its page and a sentence saying so.
type rectifyLetterView struct {
	Corrected  requests.Corrected
	Doctype    string
	Href, Text string
}

// rectifyLetter is the record a request for rectification names, from ?doctype=&id=, with
// each value corrected; nil when none is named. The record must come from org: its values
// are no one else's to correct.
func (s *Server) rectifyLetter(r *http.Request, p gate.Principal, org store.Organization) (*rectifyLetterView, error) {
	q := r.URL.Query()
	if q.Get("doctype") == "" && q.Get("id") == "" {
		return nil, nil
	}
	d, err := s.documentDoctype(q.Get("doctype"))
	if err != nil {
		return nil, err
	}
	doc, err := s.gate.Get(r.Context(), p, d.Name, q.Get("id"))
	if err != nil {
		return nil, err
	}
	if doc.Source.Kind != "organization" || doc.Source.ID != org.ID {
		return nil, errorf(http.StatusBadRequest, "The %s record %s was not sent by %s: a request to correct it goes to whoever sent it.", d.Name, input.Excerpt(doc.ID), input.Excerpt(org.Name))
	}
	l := lang(r)
	rv := s.viewer(r.Context(), p, l)
	c := requests.Corrected{Title: rv.view(doc, false).Title, Kind: labelIn(l, d.Label), ID: doc.ID}
	if doc.Corrected != nil {
		for _, row := range recordDiff(rv, d, doc) {
			c.Values = append(c.Values, requests.Value{Field: row.Label, Held: row.Original, Correct: row.Now})
		}
	}
	if rv.err != nil {
		return nil, rv.err
	}
	quoted := "“" + c.Title + "”"
	if l == "fr" {
		quoted = "«\u202f" + c.Title + "\u202f»"
	}
	return &rectifyLetterView{Corrected: c, Doctype: d.Name, Href: recordHref(d.Name, doc.ID), Text: fmt.Sprintf(rt(l, "rectify.letter.record"), quoted, c.Kind)}, nil
}
