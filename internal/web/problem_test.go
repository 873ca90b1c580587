package web

import (
	"io"
	"log/slog"
	"math"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWriteJSONEncodesFirst: a value that cannot be encoded is answered as a failure, not
// with a 200 already sent and a problem written after it (it was "200" with a 500 body).
func TestWriteJSONEncodesFirst(t *testing.T) {
	rec := httptest.NewRecorder()
	err := writeJSON(rec, 200, map[string]float64{"value": math.Inf(1)})
	if err == nil {
		t.Fatal("an infinity was encoded")
	}
	writeProblem(rec, httptest.NewRequest("GET", "/x", nil), slog.New(slog.NewTextHandler(io.Discard, nil)), err)
	if rec.Code != 500 || rec.Header().Get("Content-Type") != "application/problem+json" || !strings.Contains(rec.Body.String(), `"status":500`) {
		t.Fatalf("answer %d %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
}
