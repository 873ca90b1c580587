package pull_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/jobs"
	"selfdata/internal/pull"
	"selfdata/internal/pull/pulltest"
	"selfdata/internal/restore"
	"selfdata/internal/store"
	"selfdata/internal/store/postgres"
	"selfdata/internal/store/postgres/pgtest"
	"selfdata/internal/store/sqlite"
)

var ctx = context.Background()

// env is a real store (SQLite, or PostgreSQL), the real gate, two people and the fakes of
// the two organizations' APIs.
type env struct {
	t            *testing.T
	dir, pgURL   string
	db           store.Store
	gate         *gate.Gate
	reg          *doctype.Registry
	alice, bob   store.Instance
	enedis, grdf *pulltest.Fake
	logs         *syncBuffer
	runners      map[*pull.Service]*jobs.Runner // each service's, to stop it
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newEnv opens a SQLite store, or a PostgreSQL one when pgURL is set.
func newEnv(t *testing.T, pgURL string) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), pgURL: pgURL, enedis: pulltest.New(t, "enedis"), grdf: pulltest.New(t, "grdf"), logs: &syncBuffer{}}
	var err error
	if e.reg, err = doctype.Builtin(); err != nil {
		t.Fatal(err)
	}
	e.openStore()
	if e.alice, err = e.db.CreateInstance(ctx, "alice", "h"); err != nil {
		t.Fatal(err)
	}
	if e.bob, err = e.db.CreateInstance(ctx, "bob", "h"); err != nil {
		t.Fatal(err)
	}
	orgs := restore.NewOrgs(e.db, e.reg)
	for _, o := range []store.Organization{
		{ID: "enedis", Name: "Enedis", Declaration: store.Declaration{Purposes: []string{"metering"}, LegalBasis: "legal_obligation", Doctypes: []string{"meter", "reading.electricity"}, Retention: "3 years"}},
		{ID: "grdf", Name: "GRDF", Declaration: store.Declaration{Purposes: []string{"metering"}, LegalBasis: "legal_obligation", Doctypes: []string{"meter", "reading.gas"}, Retention: "3 years"}},
	} {
		if _, err := orgs.Add(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		// Tokens are never logged.
		for _, f := range []*pulltest.Fake{e.enedis, e.grdf} {
			for _, tok := range f.Tokens() {
				if strings.Contains(e.logs.String(), tok) {
					t.Errorf("a token is in the logs: %s", e.logs.String())
				}
			}
		}
	})
	return e
}

// newPGEnv is newEnv on the PostgreSQL server of SELFDATA_TEST_POSTGRES_URL, in a schema of
// its own.
func newPGEnv(t *testing.T) *env {
	return newEnv(t, pgtest.URL(t))
}

// openStore opens (or opens again, after a "restart") the store of the env.
func (e *env) openStore() {
	var err error
	if e.pgURL != "" {
		e.db, err = postgres.Open(ctx, e.pgURL, pgtest.Key)
	} else {
		e.db, err = sqlite.Open(ctx, e.dir)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	db := e.db
	e.t.Cleanup(func() { db.Close() })
	e.gate = gate.New(e.db, e.reg)
}

// service builds the pull service on a job runner of its own on the env's database, as
// main does; tweak adjusts its configuration. The runner is stopped when the test ends;
// start says whether to start it now.
func (e *env) service(start bool, tweak func(*pull.Config)) *pull.Service {
	e.t.Helper()
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	jcfg := jobs.Config{PollInterval: 20 * time.Millisecond, TestOnly: true, Logger: log}
	var r *jobs.Runner
	var err error
	if e.pgURL != "" {
		r, err = jobs.OpenPostgres(ctx, e.pgURL, jcfg)
	} else {
		r, err = jobs.OpenSQLite(ctx, sqlite.File(e.dir), jcfg)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		r.Stop(sctx)
	})
	cfg := pull.Config{
		Providers: []pull.Provider{e.enedis.Provider(), e.grdf.Provider()},
		PublicURL: "https://selfdata.example.org",
		Interval:  time.Hour,
		Backoff:   func(n int) time.Duration { return time.Duration(n) * 200 * time.Millisecond },
		Now:       func() time.Time { return pulltest.Today },
		Logger:    log,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	s, err := pull.New(r, e.db, e.gate, cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	if start {
		if err := r.Start(ctx); err != nil {
			e.t.Fatal(err)
		}
	}
	if e.runners == nil {
		e.runners = map[*pull.Service]*jobs.Runner{}
	}
	e.runners[s] = r
	return s
}

// stop stops the runner of a service, as main does at the end.
func (e *env) stop(s *pull.Service) {
	e.t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := e.runners[s].Stop(sctx); err != nil {
		e.t.Fatal(err)
	}
}

// connect plays the person's authorization of org, as the browser would carry it: to the
// organization's authorize address, and back with its answer.
func (e *env) connect(s *pull.Service, in store.Instance, org string) store.Connection {
	e.t.Helper()
	answer := e.authorize(s, in, org)
	c, err := s.Complete(ctx, in.ID, "session-of-"+in.Name, org, answer)
	if err != nil {
		e.t.Fatalf("Complete(%s): %v", org, err)
	}
	return c
}

// authorize starts an authorization and returns the organization's answer (the query of
// its redirect back).
func (e *env) authorize(s *pull.Service, in store.Instance, org string) url.Values {
	e.t.Helper()
	u, err := s.Authorize(ctx, in.ID, "session-of-"+in.Name, org)
	if err != nil {
		e.t.Fatalf("Authorize(%s): %v", org, err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(u)
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound {
		e.t.Fatalf("authorize at %s: %s", org, res.Status)
	}
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	if want := "https://selfdata.example.org/connect/" + org + "/callback"; back.Scheme+"://"+back.Host+back.Path != want {
		e.t.Fatalf("redirected to %s, want %s", back, want)
	}
	return back.Query()
}

// runs lists the runs of a connection, oldest first.
func (e *env) runs(s *pull.Service, in store.Instance, connection string) []store.PullRun {
	e.t.Helper()
	all, err := s.Runs(ctx, in.ID, 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []store.PullRun
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Connection == connection {
			out = append(out, all[i])
		}
	}
	return out
}

// waitRuns waits until a connection has n runs and returns them, oldest first.
func (e *env) waitRuns(s *pull.Service, in store.Instance, connection string, n int) []store.PullRun {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		runs := e.runs(s, in, connection)
		if len(runs) >= n {
			return runs
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("connection %s: %d runs after 20 s, want %d: %+v\nlogs:\n%s", connection, len(runs), n, runs, e.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (e *env) grant(connection string) store.PullGrant {
	e.t.Helper()
	g, err := e.db.PullGrant(ctx, connection)
	if err != nil {
		e.t.Fatal(err)
	}
	return g
}

// enqueue asks for a pull, waiting for the one before to be marked done: River completes a
// job just after its Work returns, and a pull is not doubled until then.
func (e *env) enqueue(s *pull.Service, connection string) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := s.Enqueue(ctx, connection)
		if err != nil {
			e.t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("a pull of %s is still waiting after 10 s", connection)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
