package web

import (
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

	"selfdata/internal/auth"
	"selfdata/internal/consent"
	"selfdata/internal/gate"
	"selfdata/internal/importer/formats"
	"selfdata/internal/jobs"
	"selfdata/internal/oauth"
	"selfdata/internal/pull"
	"selfdata/internal/pull/pulltest"
	"selfdata/internal/restore"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// pullServer is a server with the pull connectors on, Enedis's API faked, alice and bob
// logged in.
type pullServer struct {
	url            string
	pull           *pull.Service
	enedis         *pulltest.Fake
	db             store.Store
	alice, bob     *http.Client
	aliceID, bobID string
}

func newPullServer(t *testing.T) *pullServer {
	t.Helper()
	db, reg := sqlitetest.Open(t)
	a, err := auth.NewService(db, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	g := gate.New(db, reg)
	orgs := restore.NewOrgs(db, reg)
	if _, err := orgs.Add(bg, store.Organization{ID: "enedis", Name: "Enedis",
		Declaration: store.Declaration{Purposes: []string{"metering"}, LegalBasis: "legal_obligation", Doctypes: []string{"meter", "reading.electricity"}, Retention: "3 years"}}); err != nil {
		t.Fatal(err)
	}
	ps := &pullServer{enedis: pulltest.New(t, "enedis"), db: db}
	var h http.Handler
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(hs.Close)
	ps.url = hs.URL
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	runner, err := jobs.OpenSQLite(bg, db.File(), jobs.Config{PollInterval: 20 * time.Millisecond, TestOnly: true, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { runner.Stop(bg) })
	ps.pull, err = pull.New(runner, db, g, pull.Config{Providers: []pull.Provider{ps.enedis.Provider()}, PublicURL: hs.URL,
		Now: func() time.Time { return pulltest.Today }, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.Start(bg); err != nil {
		t.Fatal(err)
	}
	grants := consent.NewGrants(db, reg)
	servicesAuth, err := oauth.New(bg, oauth.DefaultConfig, db, grants)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(DefaultConfig, Deps{Gate: g, Auth: a, Orgs: orgs, Importer: restore.NewImporter(g, formats.All()), Pull: ps.pull, Consent: grants, OAuth: servicesAuth}, log)
	if err != nil {
		t.Fatal(err)
	}
	h = srv.Handler()
	for _, name := range []string{"alice", "bob"} {
		hash, err := auth.HashPassphraseWith("correct horse battery "+name, auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
		if err != nil {
			t.Fatal(err)
		}
		in, err := db.CreateInstance(bg, name, hash)
		if err != nil {
			t.Fatal(err)
		}
		secret, _, err := a.Login(bg, name, "correct horse battery "+name, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		jar, _ := cookiejar.New(nil)
		u, _ := url.Parse(hs.URL)
		jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: secret, Path: "/"}})
		c := &http.Client{Jar: jar}
		if name == "alice" {
			ps.alice, ps.aliceID = c, in.ID
		} else {
			ps.bob, ps.bobID = c, in.ID
		}
	}
	return ps
}

func (ps *pullServer) get(t *testing.T, c *http.Client, path string) (int, string) {
	t.Helper()
	res, err := c.Get(ps.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestConnectAndPull: alice's browser goes to /connect/enedis, is sent to Enedis, comes back
// to the callback with a code; the grant is stored, the first pull runs on River, and her
// readings, her runs and the organization's writes in her access log are there through the
// API — bob sees none of it and cannot finish her authorization.
func TestConnectAndPull(t *testing.T) {
	ps := newPullServer(t)

	// Bob cannot finish an authorization alice started.
	noFollow := *ps.alice
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := noFollow.Get(ps.url + "/connect/enedis")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc.String(), ps.enedis.URL+"/authorize?") || loc.Query().Get("code_challenge_method") != "S256" ||
		loc.Query().Get("redirect_uri") != ps.url+"/connect/enedis/callback" || loc.Query().Get("duration") != "P1Y" {
		t.Fatalf("start: %d to %s", res.StatusCode, loc)
	}
	res, err = noFollow.Get(loc.String()) // Enedis answers with a redirect to the callback
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back := res.Header.Get("Location")
	if st, body := ps.get(t, ps.bob, strings.TrimPrefix(back, ps.url)); st != http.StatusBadRequest || !strings.Contains(body, "matches no authorization") {
		t.Fatalf("bob's callback with alice's answer: %d %s", st, body)
	}
	if st, body := ps.get(t, ps.alice, "/connect/edf"); st != http.StatusNotFound {
		t.Fatalf("an organization without connector: %d %s", st, body)
	}

	// Alice, all the way: selfdata → Enedis → callback → home.
	if st, body := ps.get(t, ps.alice, "/connect/enedis"); st != http.StatusOK || !strings.Contains(body, "Who has what on me") {
		t.Fatalf("after the callback: %d %s", st, body)
	}
	st, body := ps.get(t, ps.alice, "/api/v1/connections")
	var conns struct {
		Items []store.Connection `json:"items"`
	}
	json.Unmarshal([]byte(body), &conns)
	if st != 200 || len(conns.Items) != 1 || conns.Items[0].State != store.Active || conns.Items[0].Org != "enedis" {
		t.Fatalf("alice's connections: %d %s", st, body)
	}
	g, err := ps.db.PullGrant(bg, conns.Items[0].ID)
	if err != nil || g.Subject != pulltest.UsagePoint || g.Tokens.Access == "" {
		t.Fatalf("grant %+v, %v", g, err)
	}
	if strings.Contains(body, g.Tokens.Access) || strings.Contains(body, g.Tokens.Refresh) {
		t.Fatalf("tokens in the connections list: %s", body)
	}

	var runs struct {
		Items []store.PullRun `json:"items"`
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(runs.Items) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no pull run after 10 s")
		}
		time.Sleep(20 * time.Millisecond)
		_, body = ps.get(t, ps.alice, "/api/v1/pulls")
		json.Unmarshal([]byte(body), &runs)
	}
	if r := runs.Items[0]; r.Status != store.RunOK || r.Org != "enedis" || r.Added != 365+144 {
		t.Fatalf("run %+v", r)
	}
	if strings.Contains(body, g.Tokens.Access) {
		t.Fatalf("a token in the runs: %s", body)
	}
	if st, body := ps.get(t, ps.alice, "/api/v1/series"); st != 200 || !strings.Contains(body, `"count":365`) || !strings.Contains(body, `"id":"enedis"`) {
		t.Fatalf("alice's series: %d %s", st, body)
	}
	if st, body := ps.get(t, ps.alice, "/api/v1/access-log"); st != 200 || !strings.Contains(body, `"principal":"organization","actor_id":"enedis"`) {
		t.Fatalf("alice's access log: %d %s", st, body)
	}
	if st, body := ps.get(t, ps.bob, "/api/v1/pulls"); st != 200 || body != "{\"items\":[]}\n" {
		t.Fatalf("bob's runs: %d %s", st, body)
	}
	if st, body := ps.get(t, ps.bob, "/api/v1/series"); st != 200 || strings.Contains(body, "enedis") {
		t.Fatalf("bob's series: %d %s", st, body)
	}
}
