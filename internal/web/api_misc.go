package web

import (
	_ "embed"
	"net/http"
	"strconv"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/store"
)

//go:embed openapi.json
var openapiDoc []byte

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openapiDoc)
	return err
}

// doctypes: the declarations are public; they describe kinds of data, not anyone's data.
func (s *Server) doctypes(w http.ResponseWriter, r *http.Request, _ gate.Principal) error {
	all := s.gate.Registry().All()
	if all == nil {
		all = []*doctype.Doctype{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": all})
}

// changes: GET /api/v1/changes?since=SEQ&limit=
func (s *Server) changes(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	q := r.URL.Query()
	since, err := optInt(q.Get("since"), 0, "since")
	if err != nil {
		return err
	}
	limit, err := optInt(q.Get("limit"), 1000, "limit")
	if err != nil {
		return err
	}
	page, err := s.gate.Changes(r.Context(), p, since, int(limit))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

func optInt(v string, def int64, name string) (int64, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, badParam(name, "give a whole number")
	}
	return n, nil
}

// holdings: GET /api/v1/holdings — who holds what on me.
func (s *Server) holdings(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	hs, err := s.gate.Holdings(r.Context(), p)
	if err != nil {
		return err
	}
	if hs == nil {
		hs = []store.Holding{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": hs})
}

// accessLog: GET /api/v1/access-log?actor=&doctype=&from=&to=&before=&limit=
func (s *Server) accessLog(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	q := r.URL.Query()
	lq := store.LogQuery{ActorID: q.Get("actor"), Doctype: q.Get("doctype")}
	var err error
	if lq.From, err = instant(r, "from", time.UTC); err != nil {
		return err
	}
	if lq.To, err = instant(r, "to", time.UTC); err != nil {
		return err
	}
	if lq.Before, err = optInt(q.Get("before"), 0, "before"); err != nil {
		return err
	}
	limit, err := optInt(q.Get("limit"), 100, "limit")
	if err != nil {
		return err
	}
	lq.Limit = int(limit)
	log, err := s.gate.AccessLog(r.Context(), p, lq)
	if err != nil {
		return err
	}
	if log == nil {
		log = []store.LogEntry{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": log})
}
