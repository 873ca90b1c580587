package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const (
	guardOrg = `{"id":"grdf","name":"GRDF","website":"https://www.grdf.fr","contact":"c@example.org","dpo":"dpo@example.org",
		"declaration":{"purposes":["gas distribution"],"legal_basis":"legal_obligation","doctypes":["meter","reading.gas"],"retention":"3 years","recipients":["your gas supplier"],
		"purposes_fr":["distribution du gaz"],"retention_fr":"3 ans","recipients_fr":["votre fournisseur de gaz"]}}`
	guardService = `{"id":"watt","name":"Watt","company":"Watt SAS","description":"Compares your electricity use with similar homes.",
		"description_fr":"Compare votre consommation d'électricité à celle de foyers semblables.",
		"privacy_policy":"https://watt.example/privacy","redirect_uris":["https://watt.example/cb"],
		"access":{"doctypes":["meter"],"verbs":["read"],"purpose":"dpv:ServiceProvision","legal_basis":"consent","retention":"while your account is open","retention_fr":"tant que votre compte est ouvert","retention_days":365}}`
)

// adminCall is one request to the admin API: Host and the browser's headers as given.
type adminCall struct {
	name, method, path, body string
	host                     string            // "" keeps the server's own 127.0.0.1:PORT
	header                   map[string]string // Origin, Sec-Fetch-Site, Content-Type
}

func callAdmin(t *testing.T, base string, c adminCall) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.host != "" {
		req.Host = c.host
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

// TestAdminRefusesBrowsers: the admin API has no password, so what reaches it must come from
// the operator's machine and not through a browser on it. A page of another site gets there
// by DNS rebinding (its own name, resolved to 127.0.0.1: the Host header gives it away) or by
// a cross-site form (Origin, Sec-Fetch-Site). Both are refused before anything is done; a
// plain curl keeps working.
func TestAdminRefusesBrowsers(t *testing.T) {
	ts := newTestServer(t)
	admin := httptest.NewServer(newTestAdmin(ts).Handler())
	defer admin.Close()
	own := admin.Listener.Addr().String() // 127.0.0.1:PORT
	port := own[strings.LastIndex(own, ":"):]
	refused := []struct {
		call   adminCall
		status int
	}{
		{adminCall{name: "rebind: POST services", method: "POST", path: "/admin/v1/services", body: guardService, host: "rebind.evil.example" + port}, 421},
		{adminCall{name: "rebind: POST organizations", method: "POST", path: "/admin/v1/organizations", body: guardOrg, host: "rebind.evil.example" + port}, 421},
		{adminCall{name: "rebind without port", method: "POST", path: "/admin/v1/organizations", body: guardOrg, host: "rebind.evil.example"}, 421},
		{adminCall{name: "rebind: GET organizations", method: "GET", path: "/admin/v1/organizations", host: "rebind.evil.example" + port}, 421},
		{adminCall{name: "rebind: GET services", method: "GET", path: "/admin/v1/services", host: "rebind.evil.example" + port}, 421},
		{adminCall{name: "a name ending like localhost", method: "GET", path: "/admin/v1/organizations", host: "evil-localhost" + port}, 421},
		{adminCall{name: "a name starting like localhost", method: "GET", path: "/admin/v1/organizations", host: "localhost.evil.example" + port}, 421},
		{adminCall{name: "a name starting like 127.0.0.1", method: "GET", path: "/admin/v1/organizations", host: "127.0.0.1.evil.example" + port}, 421},
		{adminCall{name: "a public address", method: "GET", path: "/admin/v1/organizations", host: "192.0.2.1" + port}, 421},
		{adminCall{name: "any address", method: "GET", path: "/admin/v1/organizations", host: "0.0.0.0" + port}, 421},
		{adminCall{name: "cross-site form", method: "POST", path: "/admin/v1/organizations", body: "id=grdf",
			header: map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site", "Content-Type": "application/x-www-form-urlencoded"}}, 403},
		{adminCall{name: "cross-site JSON by an old browser (Origin only)", method: "POST", path: "/admin/v1/organizations", body: guardOrg,
			header: map[string]string{"Origin": "https://evil.example", "Content-Type": "text/plain"}}, 403},
		{adminCall{name: "cross-site, Sec-Fetch-Site only", method: "POST", path: "/admin/v1/services", body: guardService,
			header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, 403},
		{adminCall{name: "same-site: another port of this machine", method: "POST", path: "/admin/v1/services", body: guardService,
			header: map[string]string{"Sec-Fetch-Site": "same-site"}}, 403},
		{adminCall{name: "a local page of another origin", method: "POST", path: "/admin/v1/services", body: guardService,
			header: map[string]string{"Origin": "http://localhost:3000"}}, 403},
		{adminCall{name: "opaque origin", method: "POST", path: "/admin/v1/services", body: guardService,
			header: map[string]string{"Origin": "null"}}, 403},
		{adminCall{name: "cross-site GET lists nothing", method: "GET", path: "/admin/v1/organizations",
			header: map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}}, 403},
	}
	for _, tt := range refused {
		status, h, body := callAdmin(t, admin.URL, tt.call)
		if status != tt.status || h.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s %s, want %d problem+json", tt.call.name, status, h.Get("Content-Type"), body, tt.status)
			continue
		}
		var p Problem
		if err := json.Unmarshal([]byte(body), &p); err != nil || p.Status != tt.status || p.Detail == "" || strings.Contains(body, "evil") {
			t.Errorf("%s: problem %s (%v): want its status, a detail, and no echo of the request", tt.call.name, body, err)
		}
	}
	// Nothing was created by the refused requests.
	for _, list := range []string{"/admin/v1/organizations", "/admin/v1/services"} {
		status, _, body := callAdmin(t, admin.URL, adminCall{method: "GET", path: list})
		if status != 200 || strings.Contains(body, `"grdf"`) || strings.Contains(body, `"watt"`) {
			t.Errorf("GET %s after the refusals: %d %s", list, status, body)
		}
	}
	// The operator's own requests pass: curl (no Origin), another loopback name, the admin
	// API's own origin.
	allowed := []struct {
		call   adminCall
		status int
	}{
		{adminCall{name: "curl", method: "POST", path: "/admin/v1/organizations", body: guardOrg}, 201},
		{adminCall{name: "localhost", method: "POST", path: "/admin/v1/services", body: guardService, host: "localhost" + port}, 201},
		{adminCall{name: "LOCALHOST without port", method: "GET", path: "/admin/v1/services", host: "LOCALHOST"}, 200},
		{adminCall{name: "[::1]", method: "GET", path: "/admin/v1/organizations", host: "[::1]" + port}, 200},
		{adminCall{name: "another 127.x", method: "GET", path: "/admin/v1/organizations", host: "127.5.6.7"}, 200},
		{adminCall{name: "its own origin", method: "DELETE", path: "/admin/v1/services/watt",
			header: map[string]string{"Origin": "http://" + own, "Sec-Fetch-Site": "same-origin"}}, 204},
		{adminCall{name: "typed in the address bar", method: "GET", path: "/admin/v1/organizations",
			header: map[string]string{"Sec-Fetch-Site": "none"}}, 200},
	}
	for _, tt := range allowed {
		if status, _, body := callAdmin(t, admin.URL, tt.call); status != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.call.name, status, body, tt.status)
		}
	}
}

// TestLoopbackHost is the Host rule on its own.
func TestLoopbackHost(t *testing.T) {
	for host, ok := range map[string]bool{
		"127.0.0.1:8081": true, "127.0.0.1": true, "127.255.0.9:1": true, "localhost": true, "Localhost:8081": true,
		"[::1]:8081": true, "[::1]": true, "::1": true,
		"": false, "localhost.": false, "localhost.evil.example": false, "evil.example": false, "[::2]:80": false,
		"10.0.0.1:8081": false, "0.0.0.0:8081": false, "[::]:8081": false, "127.0.0.1.nip.io": false, "2130706433": false,
		"127.0.0.1:": true,
	} {
		if got := loopbackHost(host); got != ok {
			t.Errorf("loopbackHost(%q) = %v, want %v", host, got, ok)
		}
	}
}
