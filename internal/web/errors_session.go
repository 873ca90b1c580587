package web

import (
	"net/http"
	"net/url"
	"strings"
)

// toLogin sends a person who must log in to the login page, saying why, and back afterwards
// to where they were. A session cookie the server no longer knows means the session ended
// (it expired, the passphrase changed, the person logged out elsewhere): the login page says
// so, and the dead cookie is dropped so that it does not say so again. A form posted
// without a session was not saved, which the login page says too.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	ended := sessionEnded(r)
	if ended {
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r), MaxAge: -1})
	}
	why := ""
	switch {
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		why = "unsaved"
	case ended:
		why = "ended"
	}
	http.Redirect(w, r, loginURL(r, why), http.StatusSeeOther)
}

// sessionEnded tells whether the request came with a session cookie (and no token, which
// would have been what was refused).
func sessionEnded(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" {
		return false
	}
	c, err := r.Cookie(sessionCookie)
	return err == nil && c.Value != ""
}

// loginURL is the login page's address for a request that must log in first: next is the
// page asked for (a GET), or for a form's post the page the form was on; why says what the
// login page tells the person ("ended", "unsaved", or nothing).
func loginURL(r *http.Request, why string) string {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		next = backTo(r)
	}
	q := url.Values{}
	if next != "/" && next != "" {
		q.Set("next", next)
	}
	if why != "" {
		q.Set("why", why)
	}
	if len(q) == 0 {
		return "/login"
	}
	return "/login?" + q.Encode()
}

// loginWhy is the login page's why parameter, if it is one the page explains.
func loginWhy(v string) string {
	if v == "ended" || v == "unsaved" {
		return v
	}
	return ""
}

// pageSections name the sections of the site as the menu does, for "log in again to go
// back to …"; a prefix matches whole path segments.
var pageSections = []struct{ prefix, key string }{
	{"/oauth/authorize", "login.page.authorize"},
	{"/access-log", "nav.log"},
	{"/connections", "nav.connections"},
	{"/connect/", "nav.connections"},
	{"/consents", "nav.consents"},
	{"/services", "nav.services"},
	{"/settings", "nav.settings"},
	{"/charts", "nav.charts"},
	{"/import", "nav.import"},
	{"/search", "search"},
	{"/data", "nav.data"},
}

// pageName is the name of the page at next, in lang: the menu's name of its section, the
// home page's for none.
func (s *Server) pageName(lg, next string) string {
	p, _, _ := strings.Cut(next, "?")
	if p == "" || p == "/" {
		return s.t(lg, "nav.home")
	}
	for _, sec := range pageSections {
		if p == strings.TrimSuffix(sec.prefix, "/") || strings.HasPrefix(p, strings.TrimSuffix(sec.prefix, "/")+"/") {
			return s.t(lg, sec.key)
		}
	}
	return p
}
