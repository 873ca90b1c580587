package web

import (
	"net/http"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/services"
)

// genericServicePage is the page of a service whose own page is not written yet: what it
// may read, counted through its reader. It is replaced by each service's page.
func (s *Server) genericServicePage(id string) builtinPage {
	return func(w http.ResponseWriter, r *http.Request, _ gate.Principal, rd services.Reader) error {
		d, _ := services.Lookup(id)
		var counts []string
		for _, dt := range d.Doctypes {
			if dd, ok := s.gate.Registry().Get(dt); !ok || dd.Kind != "document" {
				continue
			}
			docs, err := rd.Docs(r.Context(), dt)
			if err != nil {
				return err
			}
			counts = append(counts, dt+colonIn(lang(r))+" "+formatInt(int64(len(docs)), lang(r)))
		}
		series, err := rd.Series(r.Context())
		if err != nil {
			return err
		}
		for _, sr := range series {
			rs, err := rd.Readings(r.Context(), sr.ID, time.Time{}, time.Now().AddDate(100, 0, 0), 1)
			if err != nil {
				return err
			}
			counts = append(counts, sr.ID+colonIn(lang(r))+" "+formatInt(int64(len(rs)), lang(r)))
		}
		return s.render(w, r, http.StatusOK, "service_generic.html", page{Title: "svc." + id, Data: struct {
			ID     string
			Counts []string
		}{id, counts}})
	}
}
