package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"selfdata/internal/consent"
	"selfdata/internal/oauth"
	"selfdata/internal/store"
)

// voltaAuthorize is a valid authorization request of volta for bills and contracts, with
// its PKCE challenge (of the verifier "v" × 43).
var voltaAuthorize = "/oauth/authorize?" + url.Values{
	"response_type": {"code"}, "client_id": {"volta"}, "redirect_uri": {"https://volta.example/callback"},
	"scope": {"bill:read contract:read"}, "state": {"state-0123456789"},
	"code_challenge": {oauth2.S256ChallengeFromVerifier(strings.Repeat("v", 43))}, "code_challenge_method": {"S256"},
}.Encode()

// voltaBasic is volta's client authentication, as an Authorization header.
func voltaBasic(ts *testServer) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte("volta:"+ts.voltaSecret))
}

// voltaOAuth is volta's OAuth client, as the service would configure it against ts.
func (ts *testServer) voltaOAuth(scopes ...string) *oauth2.Config {
	return &oauth2.Config{ClientID: "volta", ClientSecret: ts.voltaSecret, RedirectURL: "https://volta.example/callback", Scopes: scopes,
		Endpoint: oauth2.Endpoint{AuthURL: ts.http.URL + "/oauth/authorize", TokenURL: ts.http.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInHeader}}
}

// decide plays a person (as) at the consent screen of the authorization request authURL:
// they keep the doctypes of keep ticked and approve for days, or refuse when keep is nil.
// It returns where the server sends the browser back: the service's redirect URI.
func (ts *testServer) decide(t testing.TB, as, authURL string, keep []string, days int) *url.URL {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	if res := ts.do(t, request{method: "GET", path: u.RequestURI(), as: as}); res.status != http.StatusOK {
		t.Fatalf("consent screen: %d %s", res.status, res.body)
	}
	f := url.Values{"csrf": {testCSRF}, "days": {strconv.Itoa(days)}, "decision": {"refuse"}}
	if keep != nil {
		f.Set("decision", "approve")
		f["doctype"] = keep
	}
	res := ts.do(t, request{method: "POST", path: u.RequestURI(), body: f.Encode(), as: as, csrf: true})
	if res.status != http.StatusSeeOther && res.status != http.StatusFound {
		t.Fatalf("decision: %d %s", res.status, res.body)
	}
	back, err := url.Parse(res.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// serviceToken plays volta and alice through the whole flow: volta asks for keep with PKCE,
// alice approves, volta exchanges the code at tokenURL ("" for the server's own).
func (ts *testServer) serviceToken(t testing.TB, tokenURL string, keep ...string) *oauth2.Token {
	t.Helper()
	cfg := ts.voltaOAuth(oauth.Scopes(keep, []string{"read"})...)
	verifier := oauth2.GenerateVerifier()
	back := ts.decide(t, "session:alice", cfg.AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(verifier)), keep, 30)
	if back.Query().Get("state") != "state-0123456789" || back.Query().Get("code") == "" {
		t.Fatalf("redirect back = %s", back)
	}
	if tokenURL != "" {
		cfg.Endpoint.TokenURL = tokenURL
	}
	tok, err := cfg.Exchange(bg, back.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// newestGrant is alice's latest grant.
func (ts *testServer) newestGrant(t *testing.T) store.Grant {
	t.Helper()
	gs, err := ts.cons.List(bg, ts.alice.in.ID)
	if err != nil || len(gs) == 0 {
		t.Fatalf("grants = %v, %v", gs, err)
	}
	return gs[0]
}

// TestServiceEndToEnd plays a third-party service, Kilowatt, over HTTP from end to end: the
// operator registers it; it sends alice to the consent screen with PKCE, asking for her
// bills and contracts; she narrows the request to bills; the service exchanges the code
// and reads her bills; her contracts and her files are refused; she withdraws; the next
// read is refused. The consent history and the access log show each step.
func TestServiceEndToEnd(t *testing.T) {
	ts := newTestServer(t)

	// The service: its callback receives the code and exchanges it, as a real one would.
	type result struct {
		tok *oauth2.Token
		err error
	}
	got := make(chan result, 1)
	var cfg *oauth2.Config
	verifier := oauth2.GenerateVerifier()
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("state") != "kw-state-0123456789" {
			got <- result{err: errors.New("state " + r.URL.Query().Get("state"))}
			return
		}
		tok, err := cfg.Exchange(r.Context(), r.URL.Query().Get("code"), oauth2.VerifierOption(verifier))
		got <- result{tok, err}
		w.Write([]byte("Connected."))
	}))
	defer svc.Close()

	// Registration, by the operator through the admin API.
	admin := httptest.NewServer(newTestAdmin(ts).Handler())
	defer admin.Close()
	body := `{"id":"kilowatt","name":"Kilowatt","company":"Kilowatt SAS","description":"Tells you which of your bills could be lower.",
		"description_fr":"Vous dit lesquelles de vos factures pourraient baisser.",
		"privacy_policy":"https://kilowatt.example/privacy","redirect_uris":["` + svc.URL + `/callback"],
		"access":{"doctypes":["bill","contract"],"verbs":["read"],"purpose":"dpv:OptimisationForConsumer","legal_basis":"consent",
			"retention":"90 days","retention_fr":"90 jours","retention_days":90,"leaves_store":true}}`
	res, err := http.Post(admin.URL+"/admin/v1/services", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var reg struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := json.NewDecoder(res.Body).Decode(&reg); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("registration: %d %v", res.StatusCode, err)
	}
	res.Body.Close()

	// Discovery, then authorization with PKCE: the service asks for bills and contracts.
	var meta map[string]any
	if r := ts.do(t, request{method: "GET", path: "/.well-known/oauth-authorization-server"}); json.Unmarshal([]byte(r.body), &meta) != nil {
		t.Fatalf("metadata: %s", r.body)
	}
	cfg = &oauth2.Config{ClientID: reg.ClientID, ClientSecret: reg.ClientSecret, RedirectURL: svc.URL + "/callback", Scopes: []string{"bill:read", "contract:read"},
		Endpoint: oauth2.Endpoint{AuthURL: meta["authorization_endpoint"].(string), TokenURL: meta["token_endpoint"].(string)}}
	authURL := cfg.AuthCodeURL("kw-state-0123456789", oauth2.S256ChallengeOption(verifier))
	u, _ := url.Parse(authURL)
	screen := ts.do(t, request{method: "GET", path: u.RequestURI(), as: "session:alice"})
	for _, want := range []string{"Kilowatt", "Tells you which of your bills", `value="bill" checked`, `value="contract" checked`, "To help you use less or pay less", "A copy leaves your store"} {
		if !strings.Contains(screen.body, want) {
			t.Errorf("consent screen lacks %q", want)
		}
	}

	if csp := screen.header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "form-action 'self' "+svc.URL) {
		t.Errorf("the consent screen's policy does not let its form lead to the service: %s", csp)
	}

	// Alice narrows to bills only, for 30 days; her browser follows the redirect to the service.
	back := ts.decide(t, "session:alice", authURL, []string{"bill"}, 30)
	if !strings.HasPrefix(back.String(), svc.URL+"/callback?") {
		t.Fatalf("sent back to %s", back)
	}
	if _, err := http.Get(back.String()); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.err != nil {
		t.Fatalf("the service's exchange: %v", r.err)
	}
	if scope, _ := r.tok.Extra("scope").(string); scope != "bill:read" {
		t.Errorf("granted scope = %q, want bill:read", scope)
	}

	// Reads inside the grant succeed; outside it, they are refused.
	api := cfg.Client(context.Background(), r.tok)
	read := func(path string) (int, string) {
		res, err := api.Get(ts.http.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, string(b)
	}
	if code, body := read("/api/v1/data/bill"); code != 200 || !strings.Contains(body, "bill-alice") || strings.Contains(body, "bill-bob") {
		t.Fatalf("reading bills: %d %s", code, body)
	}
	for _, path := range []string{"/api/v1/data/contract", "/api/v1/files/file-alice"} {
		if code, body := read(path); code != http.StatusForbidden {
			t.Errorf("%s: %d %s; want 403", path, code, body)
		}
	}
	// A series' doctype is not in its address: one it may not read is not there for it.
	if code, body := read("/api/v1/series/water-alice/readings"); code != http.StatusNotFound {
		t.Errorf("water readings: %d %s; want 404", code, body)
	}

	// Withdrawal: the very next read fails, and the refresh token is dead too.
	g := ts.newestGrant(t)
	if g.Service != "kilowatt" || strings.Join(g.Doctypes, ",") != "bill" {
		t.Fatalf("grant = %+v", g)
	}
	if _, err := ts.cons.Withdraw(bg, ts.alice.in.ID, g.ID); err != nil {
		t.Fatal(err)
	}
	if code, body := read("/api/v1/data/bill"); code != http.StatusUnauthorized {
		t.Fatalf("after withdrawal: %d %s", code, body)
	}
	if _, err := cfg.TokenSource(bg, &oauth2.Token{RefreshToken: r.tok.RefreshToken}).Token(); err == nil {
		t.Fatal("a refresh token outlived the withdrawal")
	}

	// The consent history: given (bills only), then withdrawn.
	hist, err := ts.cons.History(bg, ts.alice.in.ID, g.ID)
	if err != nil || len(hist) != 2 || hist[0].Event != store.ConsentGiven || hist[1].Event != store.ConsentWithdrawn {
		t.Fatalf("history = %+v, %v", hist, err)
	}
	// The access log: Kilowatt's read of bills, under its purpose, and its refused attempt on
	// contracts; and alice was alerted of its first access.
	var log struct {
		Items []store.LogEntry `json:"items"`
	}
	logged := ts.do(t, request{method: "GET", path: "/api/v1/access-log?actor=kilowatt", as: "session:alice"})
	if err := json.Unmarshal([]byte(logged.body), &log); err != nil {
		t.Fatalf("access log: %s", logged.body)
	}
	var didRead, refused bool
	for _, e := range log.Items {
		if e.ActorName != "Kilowatt" || e.Purpose != "dpv:OptimisationForConsumer" {
			t.Errorf("entry %+v is not Kilowatt's under its purpose", e)
		}
		didRead = didRead || e.Doctype == "bill" && !e.Refused && e.Count > 0
		refused = refused || e.Doctype == "contract" && e.Refused && e.Count == 0
	}
	if !didRead || !refused {
		t.Errorf("access log: read of bills %v, refused contracts %v: %+v", didRead, refused, log.Items)
	}
	if alerts := ts.do(t, request{method: "GET", path: "/api/v1/alerts", as: "session:alice"}); !strings.Contains(alerts.body, "kilowatt") {
		t.Errorf("no alert of Kilowatt's first access: %s", alerts.body)
	}
}

// TestOAuthProtocol checks the authorization server's rules, each a way a service (or an
// attacker holding a piece of the flow) could get more than the person gave.
func TestOAuthProtocol(t *testing.T) {
	ts := newTestServer(t)
	cfg := ts.voltaOAuth("bill:read")
	authURL := func(extra ...oauth2.AuthCodeOption) string {
		u, _ := url.Parse(cfg.AuthCodeURL("state-0123456789", extra...))
		return u.RequestURI()
	}
	verifier := oauth2.GenerateVerifier()
	redirectError := func(t *testing.T, res response, want string) {
		t.Helper()
		loc, err := url.Parse(res.header.Get("Location"))
		if res.status != http.StatusSeeOther && res.status != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), "https://volta.example/callback?") || loc.Query().Get("error") != want {
			t.Fatalf("got %d to %q, want the error %s sent back to volta", res.status, res.header.Get("Location"), want)
		}
	}

	t.Run("PKCE is required", func(t *testing.T) {
		redirectError(t, ts.do(t, request{method: "GET", path: authURL(), as: "session:alice"}), "invalid_request")
	})
	t.Run("plain PKCE is refused", func(t *testing.T) {
		plain := authURL(oauth2.SetAuthURLParam("code_challenge", verifier), oauth2.SetAuthURLParam("code_challenge_method", "plain"))
		redirectError(t, ts.do(t, request{method: "GET", path: plain, as: "session:alice"}), "invalid_request")
	})
	t.Run("a scope beyond the service's declared access", func(t *testing.T) {
		wide := ts.voltaOAuth("bill:read", "bank.operation:read")
		u, _ := url.Parse(wide.AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(verifier)))
		redirectError(t, ts.do(t, request{method: "GET", path: u.RequestURI(), as: "session:alice"}), "invalid_scope")
	})
	t.Run("an unregistered redirect URI is never followed", func(t *testing.T) {
		evil := *cfg
		evil.RedirectURL = "https://evil.example/cb"
		u, _ := url.Parse(evil.AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(verifier)))
		res := ts.do(t, request{method: "GET", path: u.RequestURI(), as: "session:alice"})
		if res.status != http.StatusBadRequest || strings.Contains(res.header.Get("Location"), "evil") {
			t.Fatalf("got %d to %q", res.status, res.header.Get("Location"))
		}
	})
	t.Run("refusal", func(t *testing.T) {
		back := ts.decide(t, "session:alice", authURL(oauth2.S256ChallengeOption(verifier)), nil, 30)
		if back.Query().Get("error") != "access_denied" || back.Query().Get("code") != "" {
			t.Fatalf("refusal sent back %s", back)
		}
	})
	t.Run("consent only narrows", func(t *testing.T) {
		f := url.Values{"csrf": {testCSRF}, "days": {"30"}, "decision": {"approve"}, "doctype": {"bill", "contract"}}
		res := ts.do(t, request{method: "POST", path: authURL(oauth2.S256ChallengeOption(verifier)), body: f.Encode(), as: "session:alice", csrf: true})
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "only narrow") {
			t.Fatalf("widened consent: %d %s", res.status, res.body)
		}
		f.Set("doctype", "bill")
		f.Set("days", "31") // volta keeps data 30 days; consent cannot outlast that
		if res := ts.do(t, request{method: "POST", path: authURL(oauth2.S256ChallengeOption(verifier)), body: f.Encode(), as: "session:alice", csrf: true}); res.status != http.StatusBadRequest {
			t.Fatalf("31 days: %d %s", res.status, res.body)
		}
		f.Del("doctype")
		if res := ts.do(t, request{method: "POST", path: authURL(oauth2.S256ChallengeOption(verifier)), body: f.Encode(), as: "session:alice", csrf: true}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "at least one") || strings.Contains(res.body, "checked") {
			t.Fatalf("nothing ticked: %d %s", res.status, res.body)
		}
	})
	t.Run("wrong verifier, then the code is dead", func(t *testing.T) {
		back := ts.decide(t, "session:alice", authURL(oauth2.S256ChallengeOption(verifier)), []string{"bill"}, 30)
		code := back.Query().Get("code")
		if _, err := cfg.Exchange(bg, code, oauth2.VerifierOption(oauth2.GenerateVerifier())); err == nil {
			t.Fatal("a wrong PKCE verifier was accepted")
		}
		if _, err := cfg.Exchange(bg, code, oauth2.VerifierOption(verifier)); err == nil {
			t.Fatal("a code was accepted after a failed exchange") // fosite drops the PKCE session on failure
		}
	})
	t.Run("a code is exchanged once; a replay revokes what it gave", func(t *testing.T) {
		back := ts.decide(t, "session:alice", authURL(oauth2.S256ChallengeOption(verifier)), []string{"bill"}, 30)
		tok, err := cfg.Exchange(bg, back.Query().Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cfg.Exchange(bg, back.Query().Get("code"), oauth2.VerifierOption(verifier)); err == nil {
			t.Fatal("a code was exchanged twice")
		}
		if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "Bearer " + tok.AccessToken}); res.status != http.StatusUnauthorized {
			t.Fatalf("the first exchange's token after a replay: %d", res.status)
		}
	})
	t.Run("refresh rotates; reusing an old refresh token revokes the authorization", func(t *testing.T) {
		first := ts.serviceToken(t, "", "bill")
		second, err := cfg.TokenSource(bg, &oauth2.Token{RefreshToken: first.RefreshToken}).Token()
		if err != nil || second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
			t.Fatalf("refresh = %+v, %v", second, err)
		}
		if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "Bearer " + first.AccessToken}); res.status != http.StatusUnauthorized {
			t.Fatalf("the access token before rotation: %d", res.status)
		}
		if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "Bearer " + second.AccessToken}); res.status != http.StatusOK {
			t.Fatalf("the rotated access token: %d %s", res.status, res.body)
		}
		if _, err := cfg.TokenSource(bg, &oauth2.Token{RefreshToken: first.RefreshToken}).Token(); err == nil {
			t.Fatal("an old refresh token was accepted")
		}
		if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "Bearer " + second.AccessToken}); res.status != http.StatusUnauthorized {
			t.Fatalf("after a replayed refresh token, the new access token: %d", res.status)
		}
		if _, err := cfg.TokenSource(bg, &oauth2.Token{RefreshToken: second.RefreshToken}).Token(); err == nil {
			t.Fatal("after a replay, the new refresh token still works")
		}
	})
	t.Run("revocation of a refresh token takes its access token", func(t *testing.T) {
		tok := ts.serviceToken(t, "", "bill")
		form := url.Values{"token": {tok.RefreshToken}, "token_type_hint": {"refresh_token"}}
		if res := ts.do(t, request{method: "POST", path: "/oauth/revoke", body: form.Encode(), as: voltaBasic(ts),
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}); res.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", res.status, res.body)
		}
		if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "Bearer " + tok.AccessToken}); res.status != http.StatusUnauthorized {
			t.Fatalf("access token after revocation: %d", res.status)
		}
	})
	t.Run("a refresh token is no access token", func(t *testing.T) {
		tok := ts.serviceToken(t, "", "bill")
		for _, fake := range []string{tok.RefreshToken, oauth.AccessPrefix + strings.TrimPrefix(tok.RefreshToken, oauth.RefreshPrefix)} {
			if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "Bearer " + fake}); res.status != http.StatusUnauthorized {
				t.Fatalf("%s: %d", fake[:5], res.status)
			}
		}
	})
	t.Run("login brings the person back to the consent screen", func(t *testing.T) {
		path := authURL(oauth2.S256ChallengeOption(verifier))
		res := ts.do(t, request{method: "GET", path: path})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/login?next="+url.QueryEscape(path) {
			t.Fatalf("to %q", res.header.Get("Location"))
		}
		f := url.Values{"csrf": {testCSRF}, "instance": {"alice"}, "passphrase": {ts.alice.pass}, "next": {path}}
		if res := ts.do(t, request{method: "POST", path: "/login", body: f.Encode(), csrf: true}); res.header.Get("Location") != path {
			t.Fatalf("after login, to %q", res.header.Get("Location"))
		}
		f.Set("next", "//evil.example/x")
		if res := ts.do(t, request{method: "POST", path: "/login", body: f.Encode(), csrf: true}); res.header.Get("Location") != "/" {
			t.Fatalf("after login with an off-site next, to %q", res.header.Get("Location"))
		}
	})
	t.Run("metadata names the public URL when there is one", func(t *testing.T) {
		ts.srv.cfg.PublicURL = "https://selfdata.example.org/"
		defer func() { ts.srv.cfg.PublicURL = "" }()
		res := ts.do(t, request{method: "GET", path: "/.well-known/oauth-authorization-server"})
		for _, want := range []string{`"issuer":"https://selfdata.example.org"`, `"token_endpoint":"https://selfdata.example.org/oauth/token"`} {
			if !strings.Contains(res.body, want) {
				t.Errorf("metadata lacks %s: %s", want, res.body)
			}
		}
	})
	t.Run("the screen says when the service is already allowed", func(t *testing.T) {
		// alice's grant to volta (the harness's) stands: her screen says so. Bob withdrew
		// his: his does not.
		res := ts.do(t, request{method: "GET", path: authURL(oauth2.S256ChallengeOption(verifier)), as: "session:alice"})
		if !strings.Contains(res.body, "You already allow this service, since") {
			t.Errorf("the screen does not say volta is already allowed: %s", res.body)
		}
		if _, err := ts.cons.Withdraw(bg, ts.bob.in.ID, ts.grantB); err != nil {
			t.Fatal(err)
		}
		if res := ts.do(t, request{method: "GET", path: authURL(oauth2.S256ChallengeOption(verifier)), as: "session:bob"}); res.status != 200 || strings.Contains(res.body, "You already allow") {
			t.Errorf("bob's screen says volta is already allowed after he withdrew: %d", res.status)
		}
	})
	t.Run("the consent screen in French", func(t *testing.T) {
		res := ts.do(t, request{method: "GET", path: authURL(oauth2.S256ChallengeOption(verifier)) + "&lang=fr", as: "session:alice"})
		for _, want := range []string{"Un service demande vos données", "Décochez ce que vous ne voulez pas partager", "Pour vous rendre le service que vous utilisez", "Refuser"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("French screen lacks %q", want)
			}
		}
	})
}

// TestPurposesHaveWords checks that every purpose a service may state has plain words on
// the consent screen, in both languages.
func TestPurposesHaveWords(t *testing.T) {
	all := texts()
	for _, p := range consent.Purposes {
		if w, ok := all["purpose."+p]; !ok || w[0] == "" || w[1] == "" {
			t.Errorf("purpose %s has no words", p)
		}
	}
}

// TestTokenEndpointSweeps checks that the token endpoint clears codes and tokens long
// expired, and keeps the rest.
func TestTokenEndpointSweeps(t *testing.T) {
	ts := newTestServer(t)
	old := time.Now().Add(-2 * time.Hour)
	stale := store.OAuthToken{Kind: store.OAuthAccess, Signature: "stale", RequestID: "r", Grant: ts.grantA, Instance: ts.alice.in.ID, Service: "volta",
		Active: true, Expires: old, Request: json.RawMessage(`{}`)}
	if err := ts.db.CreateOAuthToken(bg, stale); err != nil {
		t.Fatal(err)
	}
	tok := ts.serviceToken(t, "", "bill")
	if _, err := ts.db.OAuthToken(bg, store.OAuthAccess, "stale"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a token expired two hours ago is still stored: %v", err)
	}
	if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "Bearer " + tok.AccessToken}); res.status != http.StatusOK {
		t.Errorf("the fresh token after the sweep: %d", res.status)
	}
}

// TestNarrowFromPage: alice unticks contracts of her grant to volta on the Consents page and
// brings its end closer; volta's very next read of contracts is refused, bills still read,
// and the consent record says narrowed.
func TestNarrowFromPage(t *testing.T) {
	ts := newTestServer(t)
	tok := ts.serviceToken(t, "", "bill", "contract")
	g := ts.newestGrant(t)
	read := func(dt string) int {
		return ts.do(t, request{method: "GET", path: "/api/v1/data/" + dt, as: "Bearer " + tok.AccessToken}).status
	}
	if read("bill") != 200 || read("contract") != 200 {
		t.Fatal("before narrowing, volta does not read both")
	}
	narrow := func(form string) response {
		return ts.do(t, request{method: "POST", path: "/consents/" + g.ID + "/narrow", body: "csrf=" + testCSRF + "&" + form, csrf: true, as: "session:alice"})
	}
	if res := narrow("days=7"); res.status != http.StatusSeeOther || !strings.Contains(res.header.Get("Location"), "error=narrow") {
		t.Fatalf("nothing ticked: %d to %q", res.status, res.header.Get("Location"))
	}
	if res := narrow("doctype=bill&days=7"); res.status != http.StatusSeeOther || res.header.Get("Location") != "/consents?done=narrowed" {
		t.Fatalf("narrowing: %d to %q", res.status, res.header.Get("Location"))
	}
	if read("bill") != 200 || read("contract") != http.StatusForbidden {
		t.Fatalf("after narrowing: bill %d, contract %d", read("bill"), read("contract"))
	}
	if after := ts.newestGrant(t); after.Expires == nil || after.Expires.After(time.Now().AddDate(0, 0, 7)) || strings.Join(after.Doctypes, ",") != "bill" {
		t.Fatalf("grant after narrowing = %+v", after)
	}
	hist, err := ts.cons.History(bg, ts.alice.in.ID, g.ID)
	if err != nil || len(hist) != 2 || hist[1].Event != store.ConsentNarrowed {
		t.Fatalf("history = %+v, %v", hist, err)
	}
	page := ts.do(t, request{method: "GET", path: "/consents?done=narrowed", as: "session:alice"})
	if !strings.Contains(page.body, "Your consent is changed") || !strings.Contains(page.body, `action="/consents/`+g.ID+`/narrow"`) {
		t.Errorf("the page does not confirm the change or lost its form: %s", page.body)
	}
}
