package web

import (
	"io"
	"mime"
	"net/http"
	"time"

	"selfdata/internal/gate"
)

// exportAll: GET /api/v1/export — the person's whole store as one zip archive
// (internal/rights/export), streamed as it is written. The gate refuses anyone but the
// person before a byte is sent, so a refusal is an ordinary problem; a failure once the
// archive has begun cuts the connection, so that a cut download never looks like a whole
// one.
func (s *Server) exportAll(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	if s.exp == nil {
		return errorf(http.StatusNotFound, "Exports are not enabled on this server.")
	}
	name := "selfdata-export-" + time.Now().UTC().Format("2006-01-02") + ".zip"
	out := &startOnWrite{w: w, start: func() {
		h := w.Header()
		h.Set("Content-Type", "application/zip")
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		h.Set("Cache-Control", "private, no-store")
	}}
	_, err := s.exp.Write(r.Context(), p, out, nil)
	if err != nil && out.started {
		s.log.Error("an export failed midway", "instance", p.Instance, "err", err)
		panic(http.ErrAbortHandler)
	}
	return err
}

// startOnWrite sets an answer's headers at its first byte, not before: until then, an error
// is still answered as one.
type startOnWrite struct {
	w       io.Writer
	start   func()
	started bool
}

func (s *startOnWrite) Write(b []byte) (int, error) {
	if !s.started {
		s.started = true
		s.start()
	}
	return s.w.Write(b)
}
