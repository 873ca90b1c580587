package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// withdrawConsent: POST /api/v1/consents/{id}/withdraw — ends a grant; the service loses
// access at once. Answers the grant as it now is; a grant already withdrawn is 400.
func (s *Server) withdrawConsent(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	g, err := s.cons.Withdraw(r.Context(), p.Instance, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, g)
}

// narrowConsent: POST /api/v1/consents/{id}/narrow {"doctypes": [...], "expires": "..."} —
// keeps only those doctypes of an active grant and, when expires is given, brings its end
// closer. Answers the grant as it now is; anything but a narrowing is 400.
func (s *Server) narrowConsent(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	body, err := s.readJSON(w, r)
	if err != nil {
		return err
	}
	var in struct {
		Doctypes []string   `json:"doctypes"`
		Expires  *time.Time `json:"expires"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return errorf(http.StatusBadRequest, "The change must be {\"doctypes\": [\"...\"], \"expires\": \"2027-01-31T00:00:00Z\"} (expires may be left out): %s", err.Error())
	}
	g, err := s.cons.Narrow(r.Context(), p.Instance, r.PathValue("id"), in.Doctypes, in.Expires)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, g)
}

// listAlerts: GET /api/v1/alerts[?unread=true] — the person's alerts about services, newest
// first, with how many are unread. Reading them here marks nothing read: that is the
// consents page's doing, where the person sees them.
func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	if s.alert == nil {
		return errorf(http.StatusNotFound, "Alerts are not enabled on this server.")
	}
	unreadOnly := false
	if v := r.URL.Query().Get("unread"); v != "" {
		var err error
		if unreadOnly, err = strconv.ParseBool(v); err != nil {
			return errorf(http.StatusBadRequest, "unread=%s: use true or false.", input.Excerpt(v))
		}
	}
	items, err := s.alert.List(r.Context(), p.Instance, unreadOnly, 0)
	if err != nil {
		return err
	}
	n, err := s.alert.Unread(r.Context(), p.Instance)
	if err != nil {
		return err
	}
	if items == nil {
		items = []store.Alert{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items, "unread": n})
}
