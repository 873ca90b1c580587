package web

import (
	"net/http"

	"selfdata/internal/gate"
)

// formExpired answers a form posted with a token this browser no longer holds (the token
// cookie ends with the browser; a form left open in a tab outlives it), or one that did not
// come from this site. Nothing was done; where the form can be shown again with what was
// typed, it is (never a passphrase, never a file), with a word saying so; otherwise a page
// says that nothing was changed and leads back to the form's page. Rendering any page sets
// a fresh token, so the next post goes through.
func (s *Server) formExpired(w http.ResponseWriter, r *http.Request) {
	switch r.Pattern {
	case "POST /settings/passphrase", "POST /settings/email":
		if s.settingsExpired(w, r) {
			return
		}
	case "POST /import":
		v := s.newImportView()
		v.Problem = "form.expired.import"
		s.renderOrLog(w, r, http.StatusForbidden, "import.html", page{Title: "import", Data: v})
		return
	}
	s.renderError(w, r, errorView{Status: http.StatusForbidden, Heading: "form.expired.title", Message: s.t(lang(r), "form.expired"),
		Back: backTo(r), BackKey: "error.back.page"})
}

// settingsExpired shows the settings page again after an expired form, with the alert
// address that was typed; false when there is no person to show it to.
func (s *Server) settingsExpired(w http.ResponseWriter, r *http.Request) bool {
	p, ok := r.Context().Value(ownerKey{}).(gate.Principal)
	if !ok {
		return false
	}
	data, err := s.settingsData(r, p, "")
	if err != nil {
		s.log.Error("settings after an expired form", "err", err)
		return false
	}
	if r.Pattern == "POST /settings/email" && data["Alerts"] == true {
		data["Email"] = r.PostFormValue("email")
	}
	s.renderOrLog(w, r, http.StatusForbidden, "settings.html", page{Title: "settings", Error: "form.expired", Data: data})
	return true
}

// renderOrLog renders a page whose failure can only be logged: the answer has begun.
func (s *Server) renderOrLog(w http.ResponseWriter, r *http.Request, status int, name string, pg page) {
	if err := s.render(w, r, status, name, pg); err != nil {
		s.log.Error("render page", "page", name, "err", err)
	}
}
