package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"selfdata/internal/auth"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/store"
	"selfdata/internal/store/chunk"
)

// Problem is an RFC 9457 problem detail. Detail is always written for the person reading it;
// an internal cause is logged, never sent.
type Problem struct {
	Type     string             `json:"type"`
	Title    string             `json:"title"`
	Status   int                `json:"status"`
	Detail   string             `json:"detail,omitempty"`
	Instance string             `json:"instance,omitempty"`
	Errors   []gate.RecordError `json:"errors,omitempty"`
	Params   []doctype.Problem  `json:"invalid_params,omitempty"`
}

// httpError is an error with a status and a message safe to show, and the parameters it is
// about, if any.
type httpError struct {
	status int
	detail string
	params []doctype.Problem
}

func (e *httpError) Error() string { return e.detail }

// errorf builds an error whose message is sent to the client as is.
func errorf(status int, format string, args ...any) error {
	return &httpError{status: status, detail: fmt.Sprintf(format, args...)}
}

// problemFor maps an error to the problem sent; ok is false for internal failures. Handlers
// quote input with input.Excerpt; the detail is bounded anyway, as the store and the gate
// compose some messages from the request (an id in the path, say).
func problemFor(err error) (Problem, bool) {
	p, ok := problemOf(err)
	p.Detail = input.CutMessage(p.Detail)
	return p, ok
}

func problemOf(err error) (p Problem, ok bool) {
	var he *httpError
	var be *gate.BatchError
	var mb *http.MaxBytesError
	var rl *auth.RateLimitedError
	switch {
	case errors.As(err, &he):
		return Problem{Status: he.status, Detail: he.detail, Params: he.params}, true
	case errors.As(err, &be):
		return Problem{Status: http.StatusUnprocessableEntity, Detail: "The data does not match its doctype; see errors for each record.", Errors: be.Records}, true
	case errors.As(err, &mb):
		return Problem{Status: http.StatusRequestEntityTooLarge, Detail: fmt.Sprintf("The request body is larger than the limit of %d bytes.", mb.Limit)}, true
	case errors.Is(err, chunk.ErrOverflow):
		return Problem{Status: http.StatusUnprocessableEntity, Detail: "The aggregate cannot be answered: " + err.Error() + "."}, true
	case errors.As(err, &rl):
		return Problem{Status: http.StatusTooManyRequests, Detail: rl.Error()}, true
	case errors.Is(err, auth.ErrUnauthenticated):
		return Problem{Status: http.StatusUnauthorized, Detail: "Log in, or send a valid token in the Authorization header (Bearer)."}, true
	case errors.Is(err, auth.ErrBadCredentials):
		return Problem{Status: http.StatusUnauthorized, Detail: "Unknown instance or wrong passphrase."}, true
	case errors.Is(err, auth.ErrWeakPassphrase):
		return Problem{Status: http.StatusBadRequest, Detail: err.Error()}, true
	case errors.Is(err, gate.ErrForbidden), errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvalid),
		errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrExists), errors.Is(err, doctype.ErrUnknown):
		// These messages are composed by the store and the gate from the request itself.
		return Problem{Status: statusOf(err), Detail: err.Error()}, true
	}
	return Problem{Status: http.StatusInternalServerError, Detail: "Something went wrong on our side; it has been logged. Try again later."}, false
}

func statusOf(err error) int {
	switch {
	case errors.Is(err, gate.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, store.ErrNotFound), errors.Is(err, doctype.ErrUnknown):
		return http.StatusNotFound
	case errors.Is(err, store.ErrConflict):
		return http.StatusPreconditionFailed
	case errors.Is(err, store.ErrExists):
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

// writeProblem sends err as problem+json and logs internal causes.
func writeProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	p, ok := problemFor(err)
	if !ok {
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	p.Type = "about:blank"
	p.Title = http.StatusText(p.Status)
	p.Instance = input.CutMessage(r.URL.Path)
	setRetryAfter(w, err)
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="selfdata"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

// writeJSON sends v with the status. v is encoded before anything is written, so that a
// value that cannot be encoded is answered as the failure it is, never as a status 200
// followed by half a document.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return fmt.Errorf("encode the answer: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// writePageError answers a page with an HTML page saying what went wrong, in the person's
// language, with the status a problem would have had; internal causes are logged, never
// shown. An expired form is shown again where it can be (errors_forms.go).
func (s *Server) writePageError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errCSRF) {
		s.formExpired(w, r)
		return
	}
	p, ok := problemFor(err)
	if !ok {
		s.log.Error("page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	setRetryAfter(w, err)
	s.renderError(w, r, s.pageErrorView(r, err, p))
}

// setRetryAfter tells a rate-limited client the real wait, in whole seconds rounded up.
func setRetryAfter(w http.ResponseWriter, err error) {
	var rl *auth.RateLimitedError
	if errors.As(err, &rl) {
		w.Header().Set("Retry-After", strconv.Itoa(rl.Seconds()))
	}
}
