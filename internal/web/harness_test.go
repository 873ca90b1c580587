package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"selfdata/internal/alert"
	"selfdata/internal/auth"
	"selfdata/internal/consent"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/importer/formats"
	"selfdata/internal/oauth"
	"selfdata/internal/restore"
	"selfdata/internal/rights/export"
	"selfdata/internal/services"
	"selfdata/internal/services/signoflife"
	"selfdata/internal/store"
	"selfdata/internal/store/postgres"
	"selfdata/internal/store/postgres/pgtest"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// person is one instance of the test server with its credentials and some data.
type person struct {
	name, pass string
	in         store.Instance
	session    string // session cookie value
	token      string // *:read+write token
	billID     string
	billRev    string
	fileID     string
	seriesID   string
}

type testServer struct {
	orgKey  string // Enedis's own key
	deposit string // Enedis's deposit credential for alice (active)
	connA   string // alice's connection to Enedis (active)
	connB   string // bob's connection to Enedis (pending)
	grantA  string // alice's grant to the service volta
	grantB  string // bob's grant to volta
	// voltaSecret is volta's OAuth client secret.
	voltaSecret string
	cons        *consent.Grants
	srv         *Server
	http        *httptest.Server
	db          store.Store
	gate        *gate.Gate
	auth        *auth.Service
	alice       *person
	bob         *person
}

var bg = context.Background()

// newTestServer serves a real SQLite store with two people, alice and bob, each holding a
// bill, a file and a series, so that every test can check one cannot reach the other.
func newTestServer(t testing.TB) *testServer {
	t.Helper()
	db, reg := sqlitetest.Open(t)
	return newTestServerOn(t, db, reg)
}

// newPGTestServer is newTestServer on the PostgreSQL server of SELFDATA_TEST_POSTGRES_URL, in
// a schema of its own; it skips the test when none is named.
func newPGTestServer(t testing.TB) *testServer {
	t.Helper()
	db, err := postgres.Open(bg, pgtest.URL(t), pgtest.Key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	reg, err := doctype.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return newTestServerOn(t, db, reg)
}

// newTestServerOn serves db with the two people and their data.
func newTestServerOn(t testing.TB, db store.Store, reg *doctype.Registry) *testServer {
	t.Helper()
	a, err := auth.NewService(db, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	g := gate.New(db, reg)
	alerts := alert.New(db, reg, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	g.OnServiceRead = alerts.ServiceRead
	g.OnRefused = alerts.Refused
	cfg := DefaultConfig
	cfg.MaxBodyBytes = 64 << 10
	cfg.MaxFileBytes = 256 << 10
	deps := Deps{Gate: g, Auth: a, Orgs: restore.NewOrgs(db, reg), Importer: restore.NewImporter(g, formats.All()), Consent: consent.NewGrants(db, reg), Alerts: alerts}
	deps.Export = &export.Exporter{Gate: g, Grants: deps.Consent, Instances: db}
	deps.Erase = db
	if deps.Relatives, err = auth.NewRelativeAuth(db, auth.Config{SessionTTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	deps.SignOfLife = signoflife.NewChecker(db, RelativeOpener(g, deps.Consent), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if deps.OAuth, err = oauth.New(bg, oauth.DefaultConfig, db, deps.Consent); err != nil {
		t.Fatal(err)
	}
	if err := services.Ensure(bg, db, "https://selfdata.example/privacy"); err != nil {
		t.Fatal(err)
	}
	srv, err := New(cfg, deps, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{srv: srv, db: db, gate: g, auth: a, cons: deps.Consent}
	ts.http = httptest.NewServer(srv.Handler())
	t.Cleanup(ts.http.Close)
	ts.alice = ts.newPerson(t, "alice")
	ts.bob = ts.newPerson(t, "bob")
	ts.connectEnedis(t, deps.Orgs)
	ts.grantVolta(t, consent.NewServices(db, reg))
	return ts
}

// grantVolta registers the service volta (which asks to read meters, electricity readings,
// bills and contracts); alice and bob have each granted it their meters.
func (ts *testServer) grantVolta(t testing.TB, cat *consent.Services) {
	t.Helper()
	var err error
	_, ts.voltaSecret, err = cat.Add(bg, store.Service{ID: "volta", Name: "Volta", Company: "Volta SAS", Description: "Compares your electricity use with similar homes.",
		PrivacyPolicy: "https://volta.example/privacy", RedirectURIs: []string{"https://volta.example/callback"},
		Access: store.ServiceAccess{Doctypes: []string{"meter", "reading.electricity", "bill", "contract"}, Verbs: []string{"read"}, Purpose: "dpv:ServiceProvision",
			LegalBasis: "consent", Retention: "until you close your account", RetentionDays: 30}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		in *person
		id *string
	}{{ts.alice, &ts.grantA}, {ts.bob, &ts.grantB}} {
		g, err := ts.cons.Grant(bg, p.in.in.ID, "volta", []string{"meter"}, []string{"read"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		*p.id = g.ID
	}
}

// connectEnedis registers Enedis; alice has approved its connection and Enedis has claimed
// its deposit credential; bob's connection is still pending.
func (ts *testServer) connectEnedis(t testing.TB, orgs *restore.Orgs) {
	t.Helper()
	var err error
	ts.orgKey, err = orgs.Add(bg, store.Organization{ID: "enedis", Name: "Enedis", Website: "https://www.enedis.fr", Contact: "contact@example.org", DPO: "dpo@example.org",
		Declaration: store.Declaration{Purposes: []string{"billing", "network operation"}, LegalBasis: "legal_obligation", Doctypes: []string{"meter", "reading.electricity", "bill"}, Retention: "3 years", Recipients: []string{"your electricity supplier"}}})
	if err != nil {
		t.Fatal(err)
	}
	org, err := orgs.Organization(bg, ts.orgKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := orgs.Request(bg, org, "alice", []string{"meter", "reading.electricity", "bill"})
	if err != nil {
		t.Fatal(err)
	}
	if err := orgs.Decide(bg, ts.alice.in.ID, ca.ID, "approve"); err != nil {
		t.Fatal(err)
	}
	if _, ts.deposit, err = orgs.Claim(bg, org, ca.ID); err != nil || ts.deposit == "" {
		t.Fatalf("claim: %q %v", ts.deposit, err)
	}
	cb, err := orgs.Request(bg, org, "bob", []string{"bill"})
	if err != nil {
		t.Fatal(err)
	}
	ts.connA, ts.connB = ca.ID, cb.ID
}

func (ts *testServer) newPerson(t testing.TB, name string) *person {
	t.Helper()
	p := &person{name: name, pass: "correct horse battery " + name}
	h, err := auth.HashPassphraseWith(p.pass, auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	if p.in, err = ts.db.CreateInstance(bg, name, h); err != nil {
		t.Fatal(err)
	}
	if p.session, _, err = ts.auth.Login(bg, name, p.pass, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if p.token, _, err = ts.auth.CreateToken(bg, p.in.ID, "*:read+write", "script-"+name); err != nil {
		t.Fatal(err)
	}
	owner := gate.Owner(p.in.ID)
	err = ts.gate.Write(bg, owner, func(b *gate.Batch) error {
		checked, err := ts.gate.Check("bill", []gate.Input{{ID: "bill-" + name, Data: json.RawMessage(`{"vendor":"EDF","date":"2025-01-31","amount":"61.20","currency":"EUR","type":"electricity"}`)}})
		if err != nil {
			return err
		}
		docs, err := b.Create("bill", checked, owner.Source("", ts.gate))
		if err != nil {
			return err
		}
		p.billID, p.billRev = docs[0].ID, docs[0].Rev
		f, err := b.PutFile("file-"+name, "bill.pdf", "application/pdf", strings.NewReader("%PDF-1.4 "+name), nil, owner.Source("", ts.gate))
		if err != nil {
			return err
		}
		p.fileID = f.ID
		s, err := b.CreateSeries(store.Series{ID: "water-" + name, Doctype: "reading.water", Name: "Water", Quantity: "volume", Unit: "L", Source: owner.Source("", ts.gate)})
		if err != nil {
			return err
		}
		p.seriesID = s.ID
		_, err = b.AddReadings(s.ID, []store.Reading{{At: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Value: 120}, {At: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), Value: 130}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// request is one HTTP exchange of a scenario.
type request struct {
	method, path, body string
	header             map[string]string
	as                 string // "session:alice", "token:alice", a raw Authorization value, or "" for anonymous
	csrf               bool   // send the CSRF cookie whose value is testCSRF (a form body must carry csrf=testCSRF)
}

// testCSRF is the CSRF token a test's "browser" holds.
const testCSRF = "test-csrf-token-0123456789abcdefghijklmnopq"

type response struct {
	status int
	header http.Header
	body   string
}

func (ts *testServer) do(t testing.TB, rq request) response {
	t.Helper()
	req, err := http.NewRequest(rq.method, ts.http.URL+rq.path, strings.NewReader(rq.body))
	if err != nil {
		t.Fatal(err)
	}
	if rq.body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range rq.header {
		req.Header.Set(k, v)
	}
	if rq.csrf {
		req.AddCookie(&http.Cookie{Name: csrfCookie, Value: testCSRF})
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	who, name, _ := strings.Cut(rq.as, ":")
	p := map[string]*person{"alice": ts.alice, "bob": ts.bob}[name]
	switch {
	case who == "session" && p != nil:
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: p.session})
	case who == "token" && p != nil:
		req.Header.Set("Authorization", "Bearer "+p.token)
	case rq.as == "org":
		req.Header.Set("Authorization", "Bearer "+ts.orgKey)
	case rq.as == "deposit":
		req.Header.Set("Authorization", "Bearer "+ts.deposit)
	case rq.as != "":
		req.Header.Set("Authorization", rq.as)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// browser returns a client with a cookie jar, as a person's browser.
func (ts *testServer) browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func form(vals map[string]string) io.Reader {
	f := url.Values{}
	for k, v := range vals {
		f.Set(k, v)
	}
	return strings.NewReader(f.Encode())
}
