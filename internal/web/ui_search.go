package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/store"
	"selfdata/internal/store/fulltext"
)

// searchPageSize is how many results a search page shows; the next page is a link away,
// and the count says how many there are in all.
const searchPageSize = 50

// maxQueryRunes cuts what a person types: a search is a few words.
const maxQueryRunes = 200

// searchResult is one record found: what a list shows of it, its kind and the words found
// in it, marked: in its title, and in the first other value holding one (Snippet).
type searchResult struct {
	docView
	Doctype *doctype.Doctype
	Marked  []fulltext.Segment // the title
	Snippet []fulltext.Segment
}

// searchPage: GET /search?q=&after=&from= — the records holding every word, newest first, a
// page at a time. after is the store's cursor; from, the rank of the page's first result,
// only numbers the page.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	query := strings.TrimSpace(r.URL.Query().Get("q"))
	if r := []rune(query); len(r) > maxQueryRunes {
		query = string(r[:maxQueryRunes])
	}
	data := map[string]any{"Query": query}
	words := fulltext.ParseQuery(query)
	if len(words.Terms) == 0 {
		return s.render(w, r, http.StatusOK, "search.html", page{Title: "search", Data: data})
	}
	after := r.URL.Query().Get("after")
	res, err := s.gate.Search(r.Context(), p, store.SearchQuery{Text: query, Limit: searchPageSize, Cursor: after})
	if err != nil {
		return err
	}
	from := 1
	if after != "" {
		from, _ = strconv.Atoi(r.URL.Query().Get("from"))
		from = max(from, 1)
	}
	data["Results"] = s.searchResults(s.viewer(r.Context(), p, lang(r)), res.Items, words)
	data["Total"], data["From"], data["To"] = res.Total, from, from+len(res.Items)-1
	if res.Next != "" {
		data["Next"] = searchHref(query, res.Next, from+len(res.Items))
	}
	if after != "" {
		data["First"] = searchHref(query, "", 0)
	}
	return s.render(w, r, http.StatusOK, "search.html", page{Title: "search", Data: data})
}

// searchResults prepares the records found for the page, each with its snippet.
func (s *Server) searchResults(rv *recordViewer, docs []store.Doc, words fulltext.Query) []searchResult {
	reg := s.gate.Registry()
	out := make([]searchResult, 0, len(docs))
	for _, doc := range docs {
		d, ok := reg.Get(doc.Doctype)
		if !ok {
			continue
		}
		v := rv.view(doc, false)
		out = append(out, searchResult{docView: v, Doctype: d, Marked: fulltext.Highlight(v.Title, words), Snippet: fulltext.Snippet(doc.Data, words, v.Title)})
	}
	return out
}

// searchHref is the address of a page of the search for query.
func searchHref(query, after string, from int) string {
	v := url.Values{"q": {query}}
	if after != "" {
		v.Set("after", after)
		v.Set("from", strconv.Itoa(from))
	}
	return "/search?" + v.Encode()
}
