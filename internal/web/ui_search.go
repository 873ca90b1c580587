package web

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
)

// searchLimit caps a search: beyond it, the person is better served by another word.
const searchLimit = 200

// resultGroup is the search results of one kind of data.
type resultGroup struct {
	Doctype *doctype.Doctype
	Items   []docView
}

// searchPage: GET /search?q= — every record containing the words, grouped by kind of data.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	query := strings.TrimSpace(r.URL.Query().Get("q"))
	if r := []rune(query); len(r) > 200 {
		query = string(r[:200])
	}
	data := map[string]any{"Query": query}
	if query != "" {
		l := lang(r)
		docs, err := s.gate.Search(r.Context(), p, searchText(query), searchLimit)
		if err != nil {
			return err
		}
		reg := s.gate.Registry()
		byName := map[string]*resultGroup{}
		var groups []*resultGroup
		for _, doc := range docs {
			g := byName[doc.Doctype]
			if g == nil {
				d, ok := reg.Get(doc.Doctype)
				if !ok {
					continue
				}
				g = &resultGroup{Doctype: d}
				byName[doc.Doctype] = g
				groups = append(groups, g)
			}
			g.Items = append(g.Items, viewDoc(l, doc, false))
		}
		sort.SliceStable(groups, func(i, j int) bool {
			return labelIn(l, groups[i].Doctype.Label) < labelIn(l, groups[j].Doctype.Label)
		})
		data["Groups"], data["Count"], data["More"] = groups, len(docs), len(docs) >= searchLimit
	}
	return s.render(w, r, http.StatusOK, "search.html", page{Title: "search", Data: data})
}

var (
	frenchDate   = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)
	frenchAmount = regexp.MustCompile(`^-?\d+,\d+$`)
)

// searchText turns what a person types the way they read it into the way it is stored:
// 31/01/2025 into 2025-01-31, 61,20 into 61.20.
func searchText(q string) string {
	if m := frenchDate.FindStringSubmatch(q); m != nil {
		return fmt.Sprintf("%s-%02s-%02s", m[3], m[2], m[1])
	}
	if frenchAmount.MatchString(q) {
		return strings.Replace(q, ",", ".", 1)
	}
	return q
}
