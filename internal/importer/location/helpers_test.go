package location

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"selfdata/internal/doctype"
	"selfdata/internal/importer"
	"selfdata/internal/importer/samples"
)

// samplesDir is the samples folder, or "" when it is absent.
func samplesDir() string {
	if d, ok := samples.DirIfPresent(); ok {
		return d
	}
	return ""
}

func readSample(t *testing.T, rel string) []byte {
	t.Helper()
	dir := samplesDir()
	if dir == "" {
		t.Skip("sample folder ../shared/samples not found (set SELFDATA_SAMPLES)")
	}
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	return b
}

// checkRecords validates every record against the declared doctypes and checks that keys
// are set and unique, as the store will.
func checkRecords(t *testing.T, res *importer.Result) {
	t.Helper()
	reg, err := doctype.Builtin()
	if err != nil {
		t.Fatalf("doctype registry: %v", err)
	}
	seen := map[string]bool{}
	for _, r := range res.Records {
		if r.Key == "" || seen[r.Doctype+" "+r.Key] {
			t.Errorf("record %s has an empty or repeated key %q", r.Doctype, r.Key)
		}
		seen[r.Doctype+" "+r.Key] = true
		b, _ := json.Marshal(r.Data)
		if err := reg.Validate(r.Doctype, b); err != nil {
			t.Errorf("record %s %s: %v\n%s", r.Doctype, r.Key, err, b)
		}
	}
}

// asImportError fails unless err is an *importer.Error.
func asImportError(t *testing.T, err error) *importer.Error {
	t.Helper()
	var e *importer.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *importer.Error", err, err)
	}
	return e
}

// leftOut writes each record left out as "line|element|kind|reason|params", to be compared
// whole.
func leftOut(res *importer.Result) []string {
	var out []string
	for _, l := range res.LeftOut {
		out = append(out, fmt.Sprintf("%d|%s|%s|%s|%s", l.Line, l.Element, l.Kind, l.Reason, strings.Join(l.Params, ",")))
	}
	return out
}
