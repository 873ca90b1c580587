package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// browsePageSize is how many records a list page shows.
const browsePageSize = 50

// tr is a text of this page or of the layout, for what Go formats itself.
func tr(lang, key string) string {
	m, ok := browseTexts[key]
	if !ok {
		if m, ok = commonTexts[key]; !ok {
			return key
		}
	}
	if lang == "fr" {
		return m[1]
	}
	return m[0]
}

// fieldView is one field as shown: a text, or nested fields (an object), or items (a list).
type fieldView struct {
	Label  string
	Text   string
	Class  string // "num" for amounts and numbers, which must not wrap
	Href   string
	Fields []fieldView
	Items  []fieldView
}

// docView is one record as shown in a list, a search result or its own page.
type docView struct {
	ID, Href, Title string
	Summary         []fieldView // main fields but the title
	Fields          []fieldView // every field (record page only)
	Source          string      // who it comes from, in words
	Received        string      // when it arrived
	Doc             store.Doc
}

// catView is one doctype held, in the index.
type catView struct {
	Doctype *doctype.Doctype
	Count   string
	Href    string
}

// sourceView is one source in the index, or one choice of the list's filter.
type sourceView struct {
	Key, Name string
	Cats      []catView
	Count     int64
	Selected  bool
}

// browseIndex: GET /data — what I hold, by kind of data and by source.
func (s *Server) browseIndex(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	ctx := r.Context()
	hs, byID, err := s.holdingsAndOrgs(ctx, p)
	if err != nil {
		return err
	}
	l := lang(r)
	reg := s.gate.Registry()
	totals := map[string]int64{}
	var kinds []*doctype.Doctype
	for _, h := range hs {
		d, ok := reg.Get(h.Doctype)
		if !ok {
			continue
		}
		if _, seen := totals[d.Name]; !seen {
			kinds = append(kinds, d)
		}
		totals[d.Name] += h.Count
	}
	sort.SliceStable(kinds, func(i, j int) bool { return labelIn(l, kinds[i].Label) < labelIn(l, kinds[j].Label) })
	var byKind []catView
	for _, d := range kinds {
		byKind = append(byKind, catView{Doctype: d, Count: countText(l, totals[d.Name], d.Kind == doctype.KindSeries), Href: holdingHref(d, "")})
	}
	var sources []sourceView
	for _, c := range holdingCards(hs, byID, reg) {
		sv := sourceView{Key: c.Kind + "/" + c.ID, Name: c.Title(l)}
		for _, cat := range c.Categories {
			sv.Cats = append(sv.Cats, catView{Doctype: cat.Doctype, Count: countText(l, cat.Count, cat.Doctype.Kind == doctype.KindSeries), Href: holdingHref(cat.Doctype, sv.Key)})
		}
		sources = append(sources, sv)
	}
	return s.render(w, r, http.StatusOK, "data.html", page{Title: "data", Data: map[string]any{"Kinds": byKind, "Sources": sources}})
}

// holdingHref links a holding to its list (filtered by source when given), or a series to
// its chart.
func holdingHref(d *doctype.Doctype, source string) string {
	if d.Kind == doctype.KindSeries {
		return "/charts/" + url.PathEscape(strings.TrimPrefix(d.Name, "reading."))
	}
	h := "/data/" + url.PathEscape(d.Name)
	if source != "" {
		h += "?" + url.Values{"source": {source}}.Encode()
	}
	return h
}

// countText is "1 record", "12 345 readings", in the page's language and its plural rules.
func countText(l string, n int64, series bool) string {
	if series {
		return countIn(commonTexts, l, "readings", n)
	}
	return countIn(commonTexts, l, "records", n)
}

// sourceKindKey is the text naming a kind of source, for a source without a name of its own.
func sourceKindKey(kind string) string {
	switch kind {
	case "owner", "upload", "token", "operator", "organization":
		return kind
	case "service":
		return "browse.service"
	case "demo":
		return "browse.demo"
	}
	return "source"
}

// sourceTitle names a source of records as a list of sources shows it: an organization or
// a service by its name, a script of the person's by its kind and name, the person's other
// sources by their kind ("Files you imported").
func sourceTitle(l, kind, name string) string {
	switch {
	case (kind == "organization" || kind == "service") && name != "":
		return name
	case kind == "token" && name != "":
		return tr(l, "token") + " (" + name + ")"
	}
	return tr(l, sourceKindKey(kind))
}

// documentDoctype is the declared document doctype named in the path, or a 404.
func (s *Server) documentDoctype(name string) (*doctype.Doctype, error) {
	d, ok := s.gate.Registry().Get(name)
	if !ok || d.Kind != doctype.KindDocument {
		return nil, errorf(http.StatusNotFound, "There is no list of records called %s.", input.Excerpt(name))
	}
	return d, nil
}

// browseList: GET /data/{doctype}?source=KIND/ID&cursor= — one page of records.
func (s *Server) browseList(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	ctx := r.Context()
	d, err := s.documentDoctype(r.PathValue("doctype"))
	if err != nil {
		return err
	}
	l := lang(r)
	source := r.URL.Query().Get("source")
	srcKind, srcID, filtered := strings.Cut(source, "/")
	if source != "" && !filtered {
		return errorf(http.StatusBadRequest, "The source must be written KIND/ID, as in the links of the page.")
	}
	hs, err := s.gate.Holdings(ctx, p)
	if err != nil {
		return err
	}
	var sources []sourceView
	var total int64
	for _, h := range hs {
		if h.Doctype != d.Name {
			continue
		}
		sv := sourceView{Key: h.SourceKind + "/" + h.SourceID, Name: sourceTitle(l, h.SourceKind, h.SourceName), Count: h.Count}
		sv.Selected = sv.Key == source
		if source == "" || sv.Selected {
			total += h.Count
		}
		sources = append(sources, sv)
	}
	q := store.Query{Doctype: d.Name, Limit: browsePageSize, Cursor: r.URL.Query().Get("cursor")}
	if f, ok := d.IndexField(d.Period); ok && d.Period != "" {
		q.Sort, q.Desc = f, true
	} else if len(d.Index) > 0 {
		q.Sort = d.Index[0]
	}
	// The store pages by sort order, not by source: with a filter, read on until the page is
	// full or the records run out. The cursor stays the store's, so no record is skipped.
	var docs []store.Doc
	next := ""
	for range 20 {
		pg, err := s.gate.Query(ctx, p, q)
		if err != nil {
			return err
		}
		for _, doc := range pg.Items {
			if !filtered || doc.Source.Kind == srcKind && doc.Source.ID == srcID {
				docs = append(docs, doc)
			}
		}
		next = pg.Next
		if !filtered || next == "" || len(docs) >= browsePageSize {
			break
		}
		q.Cursor, q.Limit = next, browsePageSize-len(docs)
	}
	rv := s.viewer(ctx, p, l)
	views := make([]docView, len(docs))
	for i, doc := range docs {
		views[i] = rv.view(doc, false)
	}
	if rv.err != nil {
		return rv.err
	}
	link := func(cursor string) string {
		v := url.Values{}
		if source != "" {
			v.Set("source", source)
		}
		if cursor != "" {
			v.Set("cursor", cursor)
		}
		h := "/data/" + url.PathEscape(d.Name)
		if len(v) > 0 {
			h += "?" + v.Encode()
		}
		return h
	}
	data := map[string]any{"Doctype": d, "Records": views, "Sources": sources, "Total": countText(l, total, false), "Action": "/data/" + url.PathEscape(d.Name)}
	data["Deleted"] = r.URL.Query().Get("done") == "deleted" // a record was just deleted (ui_erase.go)
	if next != "" {
		data["Next"] = link(next)
	}
	if r.URL.Query().Get("cursor") != "" {
		data["First"] = link("")
	}
	return s.render(w, r, http.StatusOK, "data_list.html", page{Title: "data", Data: data})
}

// browseRecord: GET /data/{doctype}/{id} — one record, all of it, and where it comes from.
func (s *Server) browseRecord(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	d, err := s.documentDoctype(r.PathValue("doctype"))
	if err != nil {
		return err
	}
	doc, err := s.gate.Get(r.Context(), p, d.Name, r.PathValue("id"))
	if err != nil {
		return err
	}
	l := lang(r)
	rv := s.viewer(r.Context(), p, l)
	v := rv.view(doc, true)
	data := map[string]any{"Doctype": d, "Record": v, "List": "/data/" + url.PathEscape(d.Name),
		"Arrived": formatInstant(doc.Source.At, l), "Updated": formatInstant(doc.Updated, l)}
	if doc.Corrected != nil {
		data["Corrected"] = viewCorrection(rv, doc)
	}
	data["Rectify"] = recordRectify(r, rv, d, doc)
	if rv.err != nil {
		return rv.err
	}
	links, err := s.accountsRecordLinks(r.Context(), p, d.Name, doc.ID, l)
	if err != nil {
		return err
	}
	data["Links"] = links
	var fields struct {
		File string `json:"file"`
		Name string `json:"name"`
	}
	_ = json.Unmarshal(doc.Data, &fields) // the data was validated on the way in; a miss only hides the link
	switch {
	case d.Name == "file":
		data["Download"], data["FileName"] = "/api/v1/files/"+url.PathEscape(doc.ID), fields.Name
	case fields.File != "":
		data["Download"] = "/api/v1/files/" + url.PathEscape(fields.File)
	}
	data["Delete"] = "/data/" + url.PathEscape(d.Name) + "/" + url.PathEscape(doc.ID) + "/delete" // ui_erase.go
	return s.render(w, r, http.StatusOK, "data_record.html", page{Title: "data", Data: data})
}

// correctionView is what the record page says of a correction: who made it and when, and
// the source's value beside it.
type correctionView struct {
	Text          string      // "Corrected by you on …"
	OriginalTitle string      // "Value sent by EDF"
	Note          string      // the source sent the record again after the correction, or how the original is kept
	Original      []fieldView // the source's value, every field
}

// viewCorrection prepares the correction of doc, which has one.
func viewCorrection(rv *recordViewer, doc store.Doc) correctionView {
	l, c := rv.lang, doc.Corrected
	at, from := formatInstant(c.At, l), sourceText(l, doc.Source)
	v := correctionView{Text: fmt.Sprintf(tr(l, "browse.corrected.you"), at), OriginalTitle: fmt.Sprintf(tr(l, "browse.original"), from),
		Note: tr(l, "browse.original.kept"), Original: rv.view(store.Doc{Doctype: doc.Doctype, Data: c.Original}, true).Fields}
	if c.By.Kind == "service" {
		v.Text = fmt.Sprintf(tr(l, "browse.corrected.by"), sourceTitle(l, c.By.Kind, c.By.Name), at)
	}
	again := doc.Source.At.After(c.At)
	switch doc.Source.Kind {
	case "upload":
		v.OriginalTitle = fmt.Sprintf(tr(l, "browse.original.file"), doc.Source.Name)
		if again {
			v.Note = fmt.Sprintf(tr(l, "browse.original.reimported"), formatInstant(doc.Source.At, l))
		}
	case "owner", "token":
		v.OriginalTitle = tr(l, "browse.original.yours") // a service changed what the person wrote
	default:
		if again {
			v.Note = fmt.Sprintf(tr(l, "browse.original.again"), from, formatInstant(doc.Source.At, l))
		}
	}
	return v
}

// sourceText names where a record comes from: its source's title, and for an upload the
// file it came in.
func sourceText(l string, src store.Source) string {
	if src.Kind == "upload" && src.Name != "" {
		return tr(l, "upload") + " (" + src.Name + ")"
	}
	return sourceTitle(l, src.Kind, src.Name)
}
