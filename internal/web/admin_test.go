package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAdminAPI(t *testing.T) {
	ts := newTestServer(t)
	admin := httptest.NewServer(newTestAdmin(ts).Handler())
	defer admin.Close()
	do := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, admin.URL+path, strings.NewReader(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	grdf := `{"id":"grdf","name":"GRDF","website":"https://www.grdf.fr","contact":"c@example.org","dpo":"dpo@example.org",
		"declaration":{"purposes":["gas distribution"],"purposes_fr":["distribution du gaz"],"legal_basis":"legal_obligation","doctypes":["meter","reading.gas"],
		"retention":"3 years","retention_fr":"3 ans","recipients":["your gas supplier"],"recipients_fr":["votre fournisseur de gaz"]}}`
	tests := []struct {
		method, path, body string
		status             int
		contains           string
	}{
		{"POST", "/admin/v1/organizations", grdf, 201, `"key":"sdo_`},
		{"POST", "/admin/v1/organizations", grdf, 409, "already exists"},
		{"POST", "/admin/v1/organizations", strings.Replace(grdf, "legal_obligation", "because", 1), 400, "legal basis"},
		{"POST", "/admin/v1/organizations", strings.Replace(grdf, "reading.gas", "reading.gaz", 1), 400, "reading.gaz"},
		{"POST", "/admin/v1/organizations", "{", 400, "JSON"},
		// Each text a person reads, in both languages; the 422 names the one missing.
		{"POST", "/admin/v1/organizations", strings.Replace(grdf, `"purposes_fr":["distribution du gaz"],`, "", 1), 422, `"path":"/declaration/purposes_fr"`},
		{"POST", "/admin/v1/organizations", strings.Replace(grdf, `"retention":"3 years",`, "", 1), 422, `"path":"/declaration/retention"`},
		{"POST", "/admin/v1/organizations", strings.Replace(grdf, `"recipients_fr":["votre fournisseur de gaz"]`, `"recipients_fr":[]`, 1), 422, `"path":"/declaration/recipients_fr"`},
		{"POST", "/admin/v1/organizations", strings.Replace(grdf, `["distribution du gaz"]`, `["distribution","relève"]`, 1), 422, `1 purposes in English but 2 in French`},
		{"GET", "/admin/v1/organizations", "", 200, `"id":"grdf"`},
		{"GET", "/admin/v1/organizations/grdf", "", 200, `"legal_basis":"legal_obligation"`},
		{"GET", "/admin/v1/organizations/grdf", "", 200, `"purposes_fr":["distribution du gaz"]`},
		{"GET", "/admin/v1/organizations/grdf", "", 200, `"retention_fr":"3 ans","recipients":["your gas supplier"],"recipients_fr":["votre fournisseur de gaz"]`},
		{"DELETE", "/admin/v1/organizations/grdf", "", 204, ""},
		{"GET", "/admin/v1/organizations/grdf", "", 404, "grdf"},
		{"DELETE", "/admin/v1/organizations/grdf", "", 404, "grdf"},
	}
	for _, tt := range tests {
		status, body := do(tt.method, tt.path, tt.body)
		if status != tt.status || !strings.Contains(body, tt.contains) {
			t.Errorf("%s %s: %d %s; want %d with %q", tt.method, tt.path, status, body, tt.status, tt.contains)
		}
	}
	// The admin API is not reachable through the public server.
	if res := ts.do(t, request{method: "GET", path: "/admin/v1/organizations"}); res.status != 404 {
		t.Errorf("public server serves the admin API: %d", res.status)
	}
	for addr, ok := range map[string]bool{"127.0.0.1:8081": true, "[::1]:8081": true, "localhost:9": true, "0.0.0.0:8081": false, "192.0.2.1:80": false, ":8081": false} {
		if err := CheckAdminAddr(addr); (err == nil) != ok {
			t.Errorf("CheckAdminAddr(%q) = %v", addr, err)
		}
	}
}

// TestAdminUnstorableText: an organization or a service whose JSON holds text no store can
// hold (a NUL, bytes that are not UTF-8) is a 422 naming the field, on both backends — not a
// 500 from PostgreSQL — and nothing is registered.
func TestAdminUnstorableText(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *testServer{"sqlite": newTestServer, "postgres": newPGTestServer} {
		t.Run(name, func(t *testing.T) {
			ts := open(t)
			admin := httptest.NewServer(newTestAdmin(ts).Handler())
			defer admin.Close()
			for _, tt := range []struct{ path, body, field string }{
				{"/admin/v1/organizations", `{"id":"grdf","name":"GR\u0000DF","declaration":{"purposes":["gas"],"legal_basis":"legal_obligation","doctypes":["meter"],"retention":"3 years"}}`, "/name"},
				{"/admin/v1/organizations", "{\"id\":\"grdf\",\"name\":\"GR\xffDF\",\"declaration\":{\"purposes\":[\"gas\"],\"legal_basis\":\"legal_obligation\",\"doctypes\":[\"meter\"],\"retention\":\"3 years\"}}", "/name"},
				{"/admin/v1/services", `{"id":"volt","name":"Volt","company":"V\u0000","description":"d","privacy_policy":"https://v.example/p","redirect_uris":["https://v.example/cb"],"access":{"doctypes":["bill"],"verbs":["read"],"purpose":"dpv:ServiceProvision","legal_basis":"consent","retention":"1 year"}}`, "/company"},
			} {
				res, err := http.Post(admin.URL+tt.path, "application/json", strings.NewReader(tt.body))
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 422 || !strings.Contains(string(b), tt.field) {
					t.Errorf("POST %s: %d %s; want 422 naming %s", tt.path, res.StatusCode, b, tt.field)
				}
			}
			for _, path := range []string{"/admin/v1/organizations", "/admin/v1/services"} {
				res, err := http.Get(admin.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if strings.Contains(string(b), "grdf") || strings.Contains(string(b), `"volt"`) {
					t.Errorf("%s holds what was refused: %s", path, b)
				}
			}
		})
	}
}
