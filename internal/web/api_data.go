package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// docList is the answer of a list: next is null on the last page.
type docList struct {
	Items []store.Doc `json:"items"`
	Next  *string     `json:"next"`
}

// listDocs: GET /api/v1/data/{doctype}?limit=&cursor=&sort=[-]FIELD&FIELD=V&FIELD[gte]=V
func (s *Server) listDocs(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	q, err := s.parseQuery(r)
	if err != nil {
		return err
	}
	page, err := s.gate.Query(r.Context(), p, q)
	if err != nil {
		return err
	}
	out := docList{Items: page.Items}
	if out.Items == nil {
		out.Items = []store.Doc{}
	}
	if page.Next != "" {
		out.Next = &page.Next
	}
	return writeJSON(w, http.StatusOK, out)
}

var ops = map[string]store.Op{"eq": store.Eq, "gt": store.Gt, "gte": store.Gte, "lt": store.Lt, "lte": store.Lte}

// parseQuery turns query parameters into a store query on declared index fields only.
func (s *Server) parseQuery(r *http.Request) (store.Query, error) {
	dtName := r.PathValue("doctype")
	dt, ok := s.gate.Registry().Get(dtName)
	if !ok || dt.Kind != doctype.KindDocument {
		return store.Query{}, errorf(http.StatusNotFound, "Unknown doctype %s; GET /api/v1/doctypes lists them.", input.Excerpt(dtName))
	}
	q := store.Query{Doctype: dtName, Limit: 100}
	for key, vals := range r.URL.Query() {
		v := vals[len(vals)-1]
		switch key {
		case "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1000 {
				return q, badParam(key, "give a number from 1 to 1000")
			}
			q.Limit = n
		case "cursor":
			q.Cursor = v
		case "sort":
			path, desc := strings.CutPrefix(v, "-")
			f, ok := dt.IndexField(path)
			if !ok {
				return q, badParam(key, "%s is not an index field of %s (%s)", input.Excerpt(path), dtName, indexNames(dt))
			}
			q.Sort, q.Desc = f, desc
		default:
			flt, err := parseFilter(dt, key, v)
			if err != nil {
				return q, err
			}
			q.Filters = append(q.Filters, flt)
		}
	}
	return q, nil
}

// parseFilter reads FIELD=V or FIELD[op]=V.
func parseFilter(dt *doctype.Doctype, key, v string) (store.Filter, error) {
	path, opName := key, "eq"
	if i := strings.IndexByte(key, '['); i > 0 && strings.HasSuffix(key, "]") {
		path, opName = key[:i], key[i+1:len(key)-1]
	}
	f, ok := dt.IndexField(path)
	if !ok {
		return store.Filter{}, badParam(key, "unknown parameter; filter on an index field of %s (%s), or use limit, cursor, sort", dt.Name, indexNames(dt))
	}
	op, ok := ops[opName]
	if !ok {
		return store.Filter{}, badParam(key, "unknown comparison %s; use eq, gt, gte, lt or lte", input.Excerpt(opName))
	}
	var val any = v
	if f.Type == store.Number {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return store.Filter{}, badParam(key, "%s is not a number", input.Excerpt(v))
		}
		val = n
	}
	return store.Filter{Field: f, Op: op, Value: val}, nil
}

func indexNames(dt *doctype.Doctype) string {
	var names []string
	for _, f := range dt.Index {
		names = append(names, f.Path)
	}
	if len(names) == 0 {
		return "it has none"
	}
	return strings.Join(names, ", ")
}

// createDocs: POST /api/v1/data/{doctype} with an object, or an array for a bulk create.
func (s *Server) createDocs(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	body, err := s.readDocJSON(w, r)
	if err != nil {
		return err
	}
	var in []gate.Input
	if isArray(body) {
		var items []json.RawMessage
		if err := json.Unmarshal(body, &items); err != nil {
			return errorf(http.StatusBadRequest, "The body must be a JSON object or an array of objects.")
		}
		if len(items) == 0 {
			return errorf(http.StatusBadRequest, "The array is empty: nothing to create.")
		}
		for _, it := range items {
			in = append(in, gate.Input{Data: it})
		}
	} else {
		in = []gate.Input{{Data: body}}
	}
	docs, err := s.gate.Create(r.Context(), p, r.PathValue("doctype"), in, p.Source("", s.gate))
	if err != nil {
		return err
	}
	if isArray(body) {
		return writeJSON(w, http.StatusCreated, map[string]any{"items": docs})
	}
	w.Header().Set("Location", "/api/v1/data/"+docs[0].Doctype+"/"+docs[0].ID)
	w.Header().Set("ETag", `"`+docs[0].Rev+`"`)
	return writeJSON(w, http.StatusCreated, docs[0])
}

// getDoc: GET /api/v1/data/{doctype}/{id}
func (s *Server) getDoc(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	d, err := s.gate.Get(r.Context(), p, r.PathValue("doctype"), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+d.Rev+`"`)
	return writeJSON(w, http.StatusOK, d)
}

// putDoc: PUT /api/v1/data/{doctype}/{id} with If-Match: REV
func (s *Server) putDoc(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	rev, err := ifMatch(r)
	if err != nil {
		return err
	}
	body, err := s.readDocJSON(w, r)
	if err != nil {
		return err
	}
	d, err := s.gate.Update(r.Context(), p, r.PathValue("doctype"), r.PathValue("id"), rev, body)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+d.Rev+`"`)
	return writeJSON(w, http.StatusOK, d)
}

// deleteDoc: DELETE /api/v1/data/{doctype}/{id} with If-Match: REV
func (s *Server) deleteDoc(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	rev, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.gate.Delete(r.Context(), p, r.PathValue("doctype"), r.PathValue("id"), rev); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
