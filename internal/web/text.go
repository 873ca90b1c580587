package web

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"selfdata/internal/input"
)

// maxFormBytes bounds a urlencoded form; the forms of the pages are a few fields.
const maxFormBytes = 64 << 10

// textHeaders are the request headers whose values reach a store (a file's media type, a
// revision, a credential looked up); the others are only read.
var textHeaders = []string{"Content-Type", "If-Match", "Authorization"}

// checkText refuses, with a 400 naming the part, a request whose URL path, query, headers
// read by the handlers or urlencoded form hold text no store can hold (see
// input.TextProblem). Handlers then read these parts as they are, and no such text reaches
// a SQL parameter, where PostgreSQL refuses it with a 500 and SQLite keeps it.
func (s *Server) checkText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.textError(w, r); err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) textError(w http.ResponseWriter, r *http.Request) error {
	if err := s.pathError(r); err != nil {
		return err
	}
	if err := valuesError("query parameter", r.URL.Query()); err != nil {
		return err
	}
	for _, h := range textHeaders {
		if msg := input.TextProblem(r.Header.Get(h)); msg != "" {
			return errorf(http.StatusBadRequest, "Header %s %s.", h, msg)
		}
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return nil
	}
	// Parsed here, the form is what the handlers read afterwards (r.PostForm).
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		return errorf(http.StatusBadRequest, "The form could not be read.")
	}
	return valuesError("form field", r.PostForm)
}

// pathError checks each segment of the path, and names it by the route's wildcard when it is
// one ({id}, {doctype}...).
func (s *Server) pathError(r *http.Request) error {
	if input.TextProblem(r.URL.Path) == "" {
		return nil
	}
	_, pattern := s.mux.Handler(r)
	_, pattern, _ = strings.Cut(pattern, " ")
	names := strings.Split(pattern, "/")
	for i, seg := range strings.Split(r.URL.EscapedPath(), "/") {
		v, err := url.PathUnescape(seg)
		if err != nil {
			v = seg
		}
		msg := input.TextProblem(v)
		if msg == "" {
			continue
		}
		if i < len(names) && strings.HasPrefix(names[i], "{") {
			name := strings.TrimSuffix(strings.Trim(names[i], "{}"), "...")
			return errorf(http.StatusBadRequest, "Path parameter %q %s.", name, msg)
		}
		return errorf(http.StatusBadRequest, "Segment %d of the URL path %s.", i, msg)
	}
	return errorf(http.StatusBadRequest, "The URL path %s.", input.TextProblem(r.URL.Path))
}

// valuesError checks names and values, in the order of the names so that the answer is
// always the same.
func valuesError(what string, vals url.Values) error {
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if msg := input.TextProblem(k); msg != "" {
			return errorf(http.StatusBadRequest, "A %s name (%s) %s.", what, input.Excerpt(k), msg)
		}
		for i, v := range vals[k] {
			if msg := input.TextProblem(v); msg != "" {
				return errorf(http.StatusBadRequest, "The %s %s %s%s.", what, input.Excerpt(k), msg, nth(i, len(vals[k])))
			}
		}
	}
	return nil
}

// nth says which of repeated values it is, when there are several.
func nth(i, n int) string {
	if n == 1 {
		return ""
	}
	return " (value " + strconv.Itoa(i+1) + " of " + strconv.Itoa(n) + ")"
}

// partTextError checks what a multipart file part says of itself, in the body where
// checkText does not look.
func partTextError(name, mediaType string) error {
	if msg := input.TextProblem(name); msg != "" {
		return errorf(http.StatusBadRequest, "The file name of the multipart field \"file\" %s.", msg)
	}
	if msg := input.TextProblem(mediaType); msg != "" {
		return errorf(http.StatusBadRequest, "The Content-Type of the multipart field \"file\" %s.", msg)
	}
	return nil
}
