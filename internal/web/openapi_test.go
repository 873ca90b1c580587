package web

import (
	"encoding/json"
	"strings"
	"testing"
)

// openapiPath turns a mux pattern into an OpenAPI path: "{$}" means the exact path, and a
// trailing-slash subtree is documented as "{file}" under it.
func openapiPath(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.ReplaceAll(path, "{$}", "")
	if strings.HasSuffix(path, "/") && path != "/" {
		path += "{file}"
	}
	return strings.ToLower(method), path
}

// TestOpenAPICoversEveryRoute: every registered route is documented, and nothing else is.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Fatalf("openapi version %q, want 3.1.x", doc.OpenAPI)
	}
	s := newTestServer(t)
	seen := map[string]bool{}
	for _, p := range s.srv.Patterns() {
		m, path := openapiPath(p)
		seen[m+" "+path] = true
		if _, ok := doc.Paths[path][m]; !ok {
			t.Errorf("route %q is not in openapi.json (as %s %s)", p, m, path)
		}
	}
	for path, ops := range doc.Paths {
		for m := range ops {
			if m == "parameters" || m == "summary" || m == "description" {
				continue
			}
			if !seen[m+" "+path] {
				t.Errorf("openapi.json documents %s %s, which is not a route", m, path)
			}
		}
	}
}
