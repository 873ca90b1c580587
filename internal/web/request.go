package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"selfdata/internal/doctype"
	"selfdata/internal/input"
)

// readJSON reads a JSON body of at most the configured size and reports where it is broken,
// or where it holds text no store can hold (doctype.JSONTextProblem): such text would reach
// a text column or be turned into U+FFFD by json.Unmarshal. A 422 names its JSON pointer.
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request) (json.RawMessage, error) {
	body, err := s.readDocJSON(w, r)
	if err != nil {
		return nil, err
	}
	if p := doctype.JSONTextProblem(body); p != nil {
		return nil, &httpError{status: http.StatusUnprocessableEntity, detail: "The body holds text that cannot be stored; see invalid_params.", params: []doctype.Problem{*p}}
	}
	return body, nil
}

// readDocJSON is readJSON for a body of documents (one, or an array): the doctype checks
// their text, and names each refused document.
func (s *Server) readDocJSON(w http.ResponseWriter, r *http.Request) (json.RawMessage, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, err
		}
		return nil, errorf(http.StatusBadRequest, "The request body could not be read.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errorf(http.StatusBadRequest, "The request body is empty; send a JSON object.")
	}
	if err := jsonError(body); err != nil {
		return nil, err
	}
	return body, nil
}

// jsonError says where a JSON text is invalid, or returns nil.
func jsonError(b []byte) error {
	if json.Valid(b) {
		return nil
	}
	var v any
	err := json.Unmarshal(b, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := position(b, se.Offset)
		return errorf(http.StatusBadRequest, "The body is not valid JSON: %s (line %d, column %d).", se.Error(), line, col)
	}
	return errorf(http.StatusBadRequest, "The body is not valid JSON.")
}

func position(b []byte, off int64) (line, col int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	before := b[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n') - 1
	return line, max(col, 1)
}

// isArray tells whether a JSON text is an array (bulk create) rather than an object.
func isArray(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && t[0] == '['
}

// ifMatch reads the revision a write applies to; writes without one are refused so that no
// one overwrites a change they have not seen.
func ifMatch(r *http.Request) (string, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	v = strings.TrimPrefix(v, "W/")
	v = strings.Trim(v, `"`)
	if v == "" {
		return "", errorf(http.StatusPreconditionRequired, "Send the document's current revision in an If-Match header (its \"rev\").")
	}
	return v, nil
}

func badParam(name, format string, args ...any) error {
	return errorf(http.StatusBadRequest, "Parameter %s: %s", input.Excerpt(name), fmt.Sprintf(format, args...))
}
