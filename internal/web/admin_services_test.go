package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"selfdata/internal/consent"
)

// newTestAdmin is the admin API over the test server's store.
func newTestAdmin(ts *testServer) *Admin {
	return NewAdmin(ts.srv.cfg, ts.srv.orgs, consent.NewServices(ts.db, ts.gate.Registry()), slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func TestAdminServices(t *testing.T) {
	ts := newTestServer(t)
	admin := httptest.NewServer(newTestAdmin(ts).Handler())
	defer admin.Close()
	watt := `{"id":"watt","name":"Watt","company":"Watt SAS","description":"Compares your electricity use with similar homes.",
		"privacy_policy":"https://watt.example/privacy","redirect_uris":["https://watt.example/cb"],
		"access":{"doctypes":["meter","reading.electricity"],"verbs":["read"],"purpose":"dpv:ServiceProvision","legal_basis":"consent",
			"retention":"while your account is open","retention_days":365,"leaves_store":true}}`
	app := strings.NewReplacer(`"id":"watt"`, `"id":"app"`, `"name":"Watt"`, `"name":"An app"`,
		`"https://watt.example/cb"`, `"http://127.0.0.1:8123/cb"`, `"legal_basis"`, `"purpose":"dpv:PersonalisedBenefits","legal_basis"`).Replace(watt)
	app = strings.Replace(app, `"purpose":"dpv:ServiceProvision",`, "", 1)
	app = strings.Replace(app, `"access"`, `"public":true,"access"`, 1)
	tests := []struct {
		name, method, path, body string
		status                   int
		match                    string // a regular expression the body must match
		absent                   string // a string the body must not hold
	}{
		{"add", "POST", "/admin/v1/services", watt, 201, `"client_id":"watt","client_secret":"sdc_[A-Za-z0-9_-]{43}"`, "secret_hash"},
		{"add again", "POST", "/admin/v1/services", watt, 409, `already exists`, ""},
		{"add a public client", "POST", "/admin/v1/services", app, 201, `"public":true.*"client_id":"app"`, "client_secret"},
		{"bad purpose", "POST", "/admin/v1/services", strings.Replace(watt, "dpv:ServiceProvision", "dpv:Profit", 1), 400, `purpose \\"dpv:Profit\\".*dpv:ResearchAndDevelopment`, ""},
		{"bad redirect URI", "POST", "/admin/v1/services", strings.Replace(watt, "https://watt.example/cb", "http://watt.example/cb", 1), 400, `redirect URI .*use https`, ""},
		{"unknown doctype", "POST", "/admin/v1/services", strings.Replace(watt, `"meter"`, `"meters"`, 1), 400, `unknown doctype \\"meters\\"`, ""},
		{"bad legal basis", "POST", "/admin/v1/services", strings.Replace(watt, `"consent"`, `"whim"`, 1), 400, `legal basis`, ""},
		{"misspelt field", "POST", "/admin/v1/services", strings.Replace(watt, "redirect_uris", "redirect_uri", 1), 400, `unknown field \\"redirect_uri\\"`, ""},
		{"no secret hash from outside", "POST", "/admin/v1/services", strings.Replace(watt, `"id":"watt"`, `"id":"x","SecretHash":"h"`, 1), 400, `unknown field`, ""},
		{"not JSON", "POST", "/admin/v1/services", "{", 400, `JSON`, ""},
		{"list", "GET", "/admin/v1/services", "", 200, `"items":\[\{"id":"app".*\{"id":"watt"`, "client_secret"},
		{"show", "GET", "/admin/v1/services/watt", "", 200, `"purpose":"dpv:ServiceProvision".*"retention_days":365,"leaves_store":true.*"public":false.*"client_id":"watt"`, "sdc_"},
		{"remove", "DELETE", "/admin/v1/services/watt", "", 204, ``, ""},
		{"show removed", "GET", "/admin/v1/services/watt", "", 404, `watt`, ""},
		{"remove twice", "DELETE", "/admin/v1/services/watt", "", 404, `No service \\"watt\\"`, ""},
		{"the other stays", "GET", "/admin/v1/services/app", "", 200, `"id":"app"`, ""},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, admin.URL+tt.path, strings.NewReader(tt.body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body := string(b)
		if res.StatusCode != tt.status || !regexp.MustCompile(tt.match).MatchString(body) || (tt.absent != "" && strings.Contains(body, tt.absent)) {
			t.Errorf("%s: %s %s: %d %s; want %d matching %s without %q", tt.name, tt.method, tt.path, res.StatusCode, body, tt.status, tt.match, tt.absent)
		}
	}
	// The catalog is the operator's: the public server does not serve it.
	if res := ts.do(t, request{method: "GET", path: "/admin/v1/services"}); res.status != 404 {
		t.Errorf("public server serves the services catalog: %d", res.status)
	}
}
