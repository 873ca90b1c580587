package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"

	"selfdata/internal/auth"
	"selfdata/internal/gate"
	"selfdata/internal/input"
)

// errorView is what error.html shows: a heading and a message in the person's language,
// the problem's own words for the expert (written in English by the handlers), and a way on.
type errorView struct {
	Status  int
	Heading string // text key
	Message string // already in the person's language
	Detail  string // the problem's detail, "" when it would say nothing more (404, 500)
	Back    string // where the link leads
	BackKey string // text key of the link
}

// fallbacks answers, in the site's own words, what the routes table does not: an address
// no route has (404), a method a route does not take (405), and a handler that panics
// (500). ServeMux has no hook for its own 404 and 405, so a request it cannot route is
// first answered by the mux into a buffer; only when that answer is a 404 or a 405 is it
// replaced, so the mux's redirects (a cleaned path, a missing trailing slash) stay its own.
func (s *Server) fallbacks(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &trackedWriter{ResponseWriter: w}
		defer s.recoverPanic(tw, r)
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(tw, r)
			return
		}
		held := &heldAnswer{header: http.Header{}}
		mux.ServeHTTP(held, r)
		switch held.status {
		case http.StatusNotFound, http.StatusMethodNotAllowed:
			s.unrouted(tw, r, held.status, held.header.Get("Allow"))
		default:
			held.replay(tw)
		}
	})
}

// unrouted answers an address no route has, or a method its route does not take: a problem
// for the API and the machine documents, a page in the layout for a person.
func (s *Server) unrouted(w http.ResponseWriter, r *http.Request, status int, allow string) {
	if allow != "" {
		w.Header().Set("Allow", allow)
	}
	if !isPage(route{pattern: "GET " + r.URL.Path, access: public}) {
		if status == http.StatusMethodNotAllowed {
			writeProblem(w, r, s.log, errorf(status, "This address does not take %s; it takes %s.", input.Cut(r.Method), allow))
			return
		}
		writeProblem(w, r, s.log, errorf(status, "No such address; the API is described at /api/v1/openapi.json."))
		return
	}
	s.renderError(w, r, errorView{Status: status})
}

// renderError renders error.html, filling what v leaves empty from its status.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, v errorView) {
	lg := lang(r)
	key := statusKey(v.Status)
	if v.Heading == "" {
		v.Heading = "error.title." + key
	}
	if v.Message == "" {
		v.Message = s.t(lg, "error."+key)
	}
	if v.Back == "" {
		v.Back, v.BackKey = "/", "error.back"
	}
	w.Header().Del("Content-Length")
	r, owner := s.withPerson(r)
	if err := s.render(w, r, v.Status, "error.html", page{Title: v.Heading, Data: v, NoMenu: !owner}); err != nil {
		s.log.Error("render error page", "err", err)
	}
}

// withPerson is r knowing its person, for the menu of a page no route authenticated (an
// address no route has, a panic); owner is false for a visitor who is not logged in, who is
// shown no menu.
func (s *Server) withPerson(r *http.Request) (_ *http.Request, owner bool) {
	if _, ok := r.Context().Value(ownerKey{}).(gate.Principal); ok {
		return r, true
	}
	if r.Header.Get("Authorization") != "" {
		return r, false
	}
	p, err := s.principal(r)
	if err != nil || p.Kind != gate.KindOwner {
		return r, false
	}
	return r.WithContext(withOwner(r.Context(), p)), true
}

// statusKey groups the statuses a page may answer with into the few the texts explain.
func statusKey(status int) string {
	switch status {
	case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusForbidden, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests:
		return fmt.Sprint(status)
	case http.StatusConflict, http.StatusPreconditionFailed:
		return "409"
	}
	if status >= 500 {
		return "500"
	}
	return "400"
}

// pageErrorView is what a page's failure shows. A 404 says only that nothing is here (the
// same for "does not exist" and "not yours to see"), a 500 nothing technical; other
// refusals keep the handler's own detail, which says what in the request was wrong.
func (s *Server) pageErrorView(r *http.Request, err error, p Problem) errorView {
	v := errorView{Status: p.Status}
	var rl *auth.RateLimitedError
	switch {
	case errors.As(err, &rl):
		v.Message = fmt.Sprintf(s.t(lang(r), "error.429.wait"), (rl.Seconds()+59)/60)
	case p.Status == http.StatusNotFound || p.Status >= 500:
	default:
		v.Detail = p.Detail
	}
	return v
}

// recoverPanic turns a handler's panic into a 500 — a page saying nothing technical, or a
// problem for the API — and logs it with the method and path only: never the query, the
// form, the headers or the cookies, where secrets travel. http.ErrAbortHandler is the
// handler's own way to cut the answer, and is passed on.
func (s *Server) recoverPanic(w *trackedWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	s.log.Error("handler panicked", "method", r.Method, "path", r.URL.Path, "panic", input.CutMessage(fmt.Sprint(v)), "stack", string(debug.Stack()))
	if w.wrote {
		panic(http.ErrAbortHandler) // half an answer is sent: cut the connection rather than end it well
	}
	if s.patternIsPage(r.Pattern, r.URL.Path) {
		s.renderError(w, r, errorView{Status: http.StatusInternalServerError})
		return
	}
	writeProblem(w, r, s.log, errorf(http.StatusInternalServerError, "Something went wrong on our side; it has been logged. Try again later."))
}

// patternIsPage tells whether the route of pattern answers pages; a request no route took
// is judged by its path.
func (s *Server) patternIsPage(pattern, path string) bool {
	for _, rt := range s.routes() {
		if rt.pattern == pattern {
			return isPage(rt)
		}
	}
	return isPage(route{pattern: "GET " + path, access: public})
}

// backTo is where a "go back" link leads after a form's post failed: the page the form was
// on, as the browser says (the Referer, sent to this site only: Referrer-Policy
// same-origin), when it is a page of this site; otherwise the section of the post's path.
func backTo(r *http.Request) string {
	if u, err := url.Parse(r.Referer()); err == nil && u.Host == r.Host && u.Host != "" {
		if p := localPath(u.RequestURI()); p != "" {
			return p
		}
	}
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 3)
	if len(parts) >= 2 && parts[0] == "services" {
		return localPath("/services/" + url.PathEscape(parts[1]))
	}
	return localPath("/" + url.PathEscape(parts[0]))
}

// trackedWriter knows whether the answer has started, so that a panic after it did cuts the
// connection instead of appending an error page to half a page.
type trackedWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *trackedWriter) WriteHeader(code int) {
	if code >= 200 {
		w.wrote = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *trackedWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (deadlines, flushes).
func (w *trackedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// heldAnswer holds the mux's own answer to a request it could not route: a few headers, a
// status and a line of text.
type heldAnswer struct {
	header http.Header
	status int
	body   []byte
}

func (h *heldAnswer) Header() http.Header { return h.header }

func (h *heldAnswer) WriteHeader(code int) {
	if h.status == 0 {
		h.status = code
	}
}

func (h *heldAnswer) Write(b []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	if len(h.body) < 4<<10 {
		h.body = append(h.body, b...)
	}
	return len(b), nil
}

// replay sends the held answer as the mux gave it.
func (h *heldAnswer) replay(w http.ResponseWriter) {
	for k, v := range h.header {
		w.Header()[k] = v
	}
	if h.status == 0 {
		h.status = http.StatusOK
	}
	w.WriteHeader(h.status)
	w.Write(h.body)
}
