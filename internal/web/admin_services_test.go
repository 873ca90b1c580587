package web

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"selfdata/internal/consent"
	"selfdata/internal/store"
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
		"description_fr":"Compare votre consommation d'électricité à celle de foyers semblables.",
		"privacy_policy":"https://watt.example/privacy","redirect_uris":["https://watt.example/cb"],
		"access":{"doctypes":["meter","reading.electricity"],"verbs":["read"],"purpose":"dpv:ServiceProvision","legal_basis":"consent",
			"retention":"while your account is open","retention_fr":"tant que votre compte est ouvert","retention_days":365,"leaves_store":true}}`
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
		{"no French description", "POST", "/admin/v1/services", strings.Replace(watt, `"description_fr":"Compare votre consommation d'électricité à celle de foyers semblables."`, `"description_fr":""`, 1), 422, `"path":"/description_fr".*in English only`, ""},
		{"description in French only", "POST", "/admin/v1/services", strings.Replace(watt, `"description":"Compares your electricity use with similar homes.",`, "", 1), 422, `"path":"/description".*in French only`, ""},
		{"retention in English only", "POST", "/admin/v1/services", strings.Replace(watt, `"retention_fr":"tant que votre compte est ouvert",`, "", 1), 422, `"path":"/access/retention_fr".*in English only`, ""},
		{"list", "GET", "/admin/v1/services", "", 200, `"items":\[\{"id":"app".*\{"id":"watt"`, "client_secret"},
		{"show", "GET", "/admin/v1/services/watt", "", 200, `"purpose":"dpv:ServiceProvision".*"retention_days":365,"leaves_store":true.*"public":false.*"client_id":"watt"`, "sdc_"},
		{"show in French", "GET", "/admin/v1/services/watt", "", 200, `"description_fr":"Compare votre consommation.*"retention_fr":"tant que votre compte est ouvert"`, ""},
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

// TestRemovedServiceStartsOver: once the operator removes a service, nothing it held works
// again — not even when a service is registered again under its id, by another company.
// Its grants are ended, with an event in their records, and show so to each person; its
// tokens are gone; the new service starts with no grant and no token.
func TestRemovedServiceStartsOver(t *testing.T) {
	ts := newTestServer(t)
	admin := httptest.NewServer(newTestAdmin(ts).Handler())
	defer admin.Close()
	tok := ts.serviceToken(t, "", "bill") // alice's second grant to volta, with tokens
	if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "Bearer " + tok.AccessToken}); res.status != 200 {
		t.Fatalf("before removal: %d %s", res.status, res.body)
	}
	call := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, admin.URL+path, strings.NewReader(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := call("DELETE", "/admin/v1/services/volta", ""); code != 204 {
		t.Fatalf("remove: %d %s", code, body)
	}
	code, body := call("POST", "/admin/v1/services", `{"id":"volta","name":"Volta","company":"Other SAS","description":"Something else.","description_fr":"Autre chose.",
		"privacy_policy":"https://other.example/privacy","redirect_uris":["https://volta.example/callback"],
		"access":{"doctypes":["meter","bill"],"verbs":["read"],"purpose":"dpv:ServiceProvision","legal_basis":"consent","retention":"30 days","retention_fr":"30 jours","retention_days":30}}`)
	var added struct {
		Secret string `json:"client_secret"`
	}
	if code != 201 || json.Unmarshal([]byte(body), &added) != nil || added.Secret == "" {
		t.Fatalf("register again: %d %s", code, body)
	}
	ts.voltaSecret = added.Secret // the new company's secret

	// The old tokens are dead: the access token, and the refresh token even with the new
	// client's own secret.
	if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "Bearer " + tok.AccessToken}); res.status != http.StatusUnauthorized {
		t.Errorf("the old access token after removal and re-registration: %d %s", res.status, res.body)
	}
	if _, err := ts.voltaOAuth("bill:read").TokenSource(bg, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err == nil {
		t.Error("the old refresh token gave a new access token to the new service")
	}
	// Every grant of every person to the old service is ended, with the removal in its record.
	for _, p := range []*person{ts.alice, ts.bob} {
		gs, err := ts.cons.List(bg, p.in.ID)
		if err != nil || len(gs) == 0 {
			t.Fatalf("%s's grants: %v, %v", p.name, gs, err)
		}
		for _, g := range gs {
			hist, err := ts.cons.History(bg, p.in.ID, g.ID)
			if err != nil || g.State != store.GrantEnded || hist[len(hist)-1].Event != store.ConsentServiceRemoved {
				t.Errorf("%s's grant %s: state %s, history %+v, %v; want ended by the removal", p.name, g.ID, g.State, hist, err)
			}
		}
	}
	u, _ := url.Parse(ts.voltaOAuth("bill:read").AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	again := u.RequestURI()
	// What each person sees: the grants ended (their own only), no service using their data,
	// a consent screen that does not say the service is allowed, a receipt that still names
	// the company they agreed with.
	for _, tt := range []struct {
		as, path string
		want     []string
		absent   []string
	}{
		{"session:alice", "/consents", []string{"Ended: the service was removed from the platform", "grant-" + ts.grantA}, []string{"grant-" + ts.grantB, `action="/consents/` + ts.grantA + `/withdraw"`}},
		{"session:bob", "/consents?lang=fr", []string{"Terminé\u202f: le service a été retiré de la plateforme", "grant-" + ts.grantB}, []string{"grant-" + ts.grantA}},
		{"session:alice", "/", nil, []string{"s-volta"}},
		{"session:alice", again, []string{"Something else."}, []string{"You already allow this service"}},
	} {
		res := ts.do(t, request{method: "GET", path: tt.path, as: tt.as})
		if res.status != 200 {
			t.Errorf("%s %s: %d", tt.as, tt.path, res.status)
		}
		wantAll(t, tt.as+" "+tt.path, res.body, tt.want...)
		wantNone(t, tt.as+" "+tt.path, res.body, tt.absent...)
	}
	receipt := ts.do(t, request{method: "GET", path: "/api/v1/consents/" + ts.grantA + "/receipt", as: "session:alice"})
	if parts := strings.Split(receipt.body, "."); receipt.status != 200 || len(parts) != 3 {
		t.Errorf("receipt of an ended grant: %d %s", receipt.status, receipt.body)
	} else if payload, _ := base64.RawURLEncoding.DecodeString(parts[1]); !strings.Contains(string(payload), `"piiController":"Volta SAS"`) || !strings.Contains(string(payload), "service was removed") {
		t.Errorf("receipt of an ended grant: %s", payload)
	}
	// The new service starts from nothing, and works once alice allows it.
	fresh := ts.serviceToken(t, "", "bill")
	if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "Bearer " + fresh.AccessToken}); res.status != 200 {
		t.Errorf("the new service's own token: %d %s", res.status, res.body)
	}
}
