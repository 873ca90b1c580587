package track

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"selfdata/internal/doctype"
	"selfdata/internal/importer"
)

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parse reads b with format and fails the test on an error.
func parse(t *testing.T, format importer.Format, b []byte) *importer.Result {
	t.Helper()
	res, err := format.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", format.Name, err)
	}
	checkRecords(t, res)
	return res
}

// registry is built once: compiling the doctypes' schemas for every fuzz input would leave
// the fuzzer little time for the parsers.
var registry = sync.OnceValues(doctype.Builtin)

// checkRecords validates every record against the declared doctypes, and checks that keys
// are set and unique, as the store will, and that paths are bounded.
func checkRecords(t testing.TB, res *importer.Result) {
	t.Helper()
	reg, err := registry()
	if err != nil {
		t.Fatalf("doctype registry: %v", err)
	}
	seen := map[string]bool{}
	for _, r := range res.Records {
		if r.Doctype != "journey" || r.Key == "" || seen[r.Key] {
			t.Fatalf("record %s has an empty or repeated key %q", r.Doctype, r.Key)
		}
		seen[r.Key] = true
		b, _ := json.Marshal(r.Data)
		if err := reg.Validate(r.Doctype, b); err != nil {
			t.Fatalf("record %s %s: %v\n%.500s", r.Doctype, r.Key, err, b)
		}
		if p, _ := r.Data["path"].([]any); len(p) > MaxPathPoints {
			t.Fatalf("record %s: a path of %d points", r.Key, len(p))
		}
	}
}

// byName indexes journeys by their name.
func byName(res *importer.Result) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, r := range res.Records {
		out[str(r.Data["name"])] = r.Data
	}
	return out
}

// refusal parses b with format, wants an *importer.Error and returns it.
func refusal(t *testing.T, format importer.Format, b string) *importer.Error {
	t.Helper()
	res, err := format.Parse(strings.NewReader(b))
	var e *importer.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *importer.Error", err, err)
	}
	if res != nil {
		t.Fatal("a result came with the error")
	}
	return e
}

// unprefixedTag is a start or end tag whose element name has no prefix.
var unprefixedTag = regexp.MustCompile(`<(/?)([A-Za-z_][A-Za-z0-9_.\-]*)([\s/>])`)

// prefixed gives every element without a prefix the prefix p, bound to the default
// namespace: the same document, as some tools write it.
func prefixed(p string, b []byte) []byte {
	b = unprefixedTag.ReplaceAll(b, []byte("<${1}"+p+":${2}${3}"))
	return bytes.ReplaceAll(b, []byte(`xmlns="`), []byte(`xmlns:`+p+`="`))
}

func near(got any, want, tolerance float64) bool {
	f, ok := got.(float64)
	return ok && f >= want-tolerance && f <= want+tolerance
}
