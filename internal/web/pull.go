package web

import (
	"net/http"

	"selfdata/internal/auth"
	"selfdata/internal/gate"
)

// connectStart: GET /connect/{org} — sends the person to the organization to authorize
// selfdata to fetch their data; the state of the request is bound to this session.
func (s *Server) connectStart(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	if s.pull == nil {
		return errorf(http.StatusNotFound, "This selfdata fetches data from no organization.")
	}
	u, err := s.pull.Authorize(r.Context(), p.Instance, sessionHash(r), r.PathValue("org"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
	return nil
}

// connectCallback: GET /connect/{org}/callback?code=&state= — the organization sends the
// person back; the grant is stored and a first pull enqueued.
func (s *Server) connectCallback(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	if s.pull == nil {
		return errorf(http.StatusNotFound, "This selfdata fetches data from no organization.")
	}
	if _, err := s.pull.Complete(r.Context(), p.Instance, sessionHash(r), r.PathValue("org"), r.URL.Query()); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// listPulls: GET /api/v1/pulls — the runs of my connections' pulls, newest first.
func (s *Server) listPulls(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	items := []any{}
	if s.pull != nil {
		runs, err := s.pull.Runs(r.Context(), p.Instance, 200)
		if err != nil {
			return err
		}
		for _, run := range runs {
			items = append(items, run)
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// sessionHash names the session a request comes with (routes for the owner have one).
func sessionHash(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	return auth.HashSecret(c.Value)
}
