package pull_test

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/pull"
	"selfdata/internal/pull/pulltest"
	"selfdata/internal/store"
)

// TestAuthorization: the state is bound to the session that started it and good once; the
// code is exchanged with its PKCE verifier; the grant lands on an active connection with the
// subject the organization named (in the redirect for Enedis, in the token for GRDF).
func TestAuthorization(t *testing.T) {
	e := newEnv(t, "")
	s := e.service(false, nil)

	_, err := s.Authorize(ctx, e.alice.ID, "session-of-alice", "edf")
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Authorize at an organization without connector: %v", err)
	}

	answer := e.authorize(s, e.alice, "enedis")
	if _, err := s.Complete(ctx, e.alice.ID, "another-session", "enedis", answer); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Complete from another session: %v", err)
	}
	if _, err := s.Complete(ctx, e.alice.ID, "session-of-alice", "enedis", answer); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Complete with a state already used: %v", err)
	}
	answer = e.authorize(s, e.alice, "enedis")
	if _, err := s.Complete(ctx, e.bob.ID, "session-of-alice", "enedis", answer); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Complete by another person: %v", err)
	}
	answer = e.authorize(s, e.alice, "enedis")
	answer.Set("code", "forged")
	if _, err := s.Complete(ctx, e.alice.ID, "session-of-alice", "enedis", answer); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("Complete with a forged code: %v", err)
	}
	answer = e.authorize(s, e.alice, "enedis")
	denied := url.Values{"state": {answer.Get("state")}, "error": {"access_denied"}}
	if _, err := s.Complete(ctx, e.alice.ID, "session-of-alice", "enedis", denied); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "access_denied") {
		t.Fatalf("Complete after the person refused: %v", err)
	}
	if list, _ := e.db.ListConnections(ctx, e.alice.ID); len(list) != 0 {
		t.Fatalf("connections after failed authorizations: %+v", list)
	}

	c := e.connect(s, e.alice, "enedis")
	if c.State != store.Active || c.Org != "enedis" || !slices.Equal(c.Doctypes, []string{"meter", "reading.electricity"}) {
		t.Fatalf("connection %+v", c)
	}
	g := e.grant(c.ID)
	if g.Subject != pulltest.UsagePoint || g.Provider != "enedis" || g.State != store.GrantOK || g.Tokens.Access == "" || g.Tokens.Refresh == "" || g.Tokens.Scope != "data" ||
		g.Tokens.Expiry.Before(time.Now().Add(50*time.Minute)) || g.Instance != e.alice.ID {
		t.Fatalf("grant %+v", g)
	}
	gc := e.connect(s, e.alice, "grdf")
	if g := e.grant(gc.ID); g.Subject != pulltest.PCE || g.Provider != "grdf" {
		t.Fatalf("GRDF grant %+v", g)
	}
	// Authorizing again keeps the one connection and renews its grant.
	if again := e.connect(s, e.alice, "enedis"); again.ID != c.ID {
		t.Fatalf("a second authorization made a second connection: %s, %s", again.ID, c.ID)
	}
	if e.enedis.Calls("authorization_code") != 3 {
		t.Fatalf("%d code exchanges, want 3", e.enedis.Calls("authorization_code"))
	}
}

// TestPullStoresThroughGate: a pull run by a real River client stores the readings through
// the gate as the organization — visible to the person, logged under the organization —
// records an ok run with its counts, and a second pull changes nothing.
func TestPullStoresThroughGate(t *testing.T) {
	testPullStores(t, newEnv(t, ""))
}

// TestPullPostgres: the same on PostgreSQL, River on its pgx driver.
func TestPullPostgres(t *testing.T) {
	testPullStores(t, newPGEnv(t))
}

func testPullStores(t *testing.T, e *env) {
	s := e.service(true, nil)
	ce := e.connect(s, e.alice, "enedis")
	cg := e.connect(s, e.alice, "grdf")
	re := e.waitRuns(s, e.alice, ce.ID, 1)[0]
	if re.Status != store.RunOK || re.Org != "enedis" || re.Attempt != 1 || re.Readings != 365+144 || re.Added != 365+144 || re.Records != 2 || re.Finished.Before(re.Started) {
		t.Fatalf("Enedis run %+v", re)
	}
	rg := e.waitRuns(s, e.alice, cg.ID, 1)[0]
	// An index reading is in both the daily and the published data: it is added once.
	if rg.Status != store.RunOK || rg.Readings == 0 || rg.Added == 0 || rg.Added > rg.Readings {
		t.Fatalf("GRDF run %+v", rg)
	}
	if g := e.grant(ce.ID); !g.Fetched.Equal(time.Date(2023, 3, 8, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("fetched up to %v", g.Fetched)
	}

	owner := gate.Owner(e.alice.ID)
	series, err := e.gate.ListSeries(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, sr := range series {
		if sr.Source.Kind != "organization" || sr.Source.ID != sr.Source.Name && sr.Source.ID == "" {
			t.Errorf("series %s has source %+v", sr.Name, sr.Source)
		}
		counts[sr.Doctype+" "+sr.Source.ID+" "+sr.Unit] += sr.Count
	}
	if counts["reading.electricity enedis Wh"] != 365 || counts["reading.electricity enedis W"] != 144 || counts["reading.gas grdf kWh"] == 0 {
		t.Fatalf("series counts %v", counts)
	}
	meters, err := e.gate.Query(ctx, owner, store.Query{Doctype: "meter"})
	if err != nil || len(meters.Items) != 2 {
		t.Fatalf("meters %+v, %v", meters.Items, err)
	}
	log, err := e.gate.AccessLog(ctx, owner, store.LogQuery{ActorID: "enedis"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(log, func(l store.LogEntry) bool {
		return l.Principal == "organization" && l.Verb == "write" && l.Doctype == "reading.electricity" && l.ActorName == "Enedis" && l.Purpose == "metering"
	}) {
		t.Fatalf("no write by Enedis in the access log: %+v", log)
	}
	if bobs, _ := e.gate.ListSeries(ctx, gate.Owner(e.bob.ID)); len(bobs) != 0 {
		t.Fatalf("bob has series: %+v", bobs)
	}

	// Again: the overlap is fetched again, and nothing changes.
	e.enqueue(s, ce.ID)
	r2 := e.waitRuns(s, e.alice, ce.ID, 2)[1]
	if r2.Status != store.RunOK || r2.Readings == 0 || r2.Added != 0 {
		t.Fatalf("second run %+v: want readings received again and none added", r2)
	}
	series2, _ := e.gate.ListSeries(ctx, owner)
	if len(series2) != len(series) {
		t.Fatalf("%d series after the second pull, %d before", len(series2), len(series))
	}
}

// TestTokenRefresh: an expired token is refreshed before the call; a token the API refuses
// (401) is refreshed once and the call made again; the new tokens are kept.
func TestTokenRefresh(t *testing.T) {
	e := newEnv(t, "")
	s := e.service(true, nil)
	c := e.connect(s, e.alice, "enedis")
	e.waitRuns(s, e.alice, c.ID, 1)
	before := e.grant(c.ID)

	// Expired by the clock: refreshed before calling.
	expired := before.Tokens
	expired.Expiry = time.Now().Add(-time.Minute)
	if err := e.db.SavePullTokens(ctx, c.ID, expired, time.Now()); err != nil {
		t.Fatal(err)
	}
	calls := e.enedis.Calls("daily_consumption")
	e.enqueue(s, c.ID)
	if r := e.waitRuns(s, e.alice, c.ID, 2)[1]; r.Status != store.RunOK {
		t.Fatalf("run after expiry: %+v", r)
	}
	after := e.grant(c.ID)
	if e.enedis.Calls("refresh_token") != 1 || after.Tokens.Access == before.Tokens.Access || after.Tokens.Refresh == before.Tokens.Refresh || !after.Tokens.Expiry.After(time.Now()) {
		t.Fatalf("after refresh: %d refreshes, tokens %+v", e.enedis.Calls("refresh_token"), after.Tokens)
	}
	if n := e.enedis.Calls("daily_consumption") - calls; n != 1 {
		t.Fatalf("%d calls to daily_consumption, want 1 (no 401 first)", n)
	}

	// Refused although not expired: 401, refresh, call again.
	e.enedis.ExpireAccess()
	e.enqueue(s, c.ID)
	if r := e.waitRuns(s, e.alice, c.ID, 3)[2]; r.Status != store.RunOK {
		t.Fatalf("run after a 401: %+v", r)
	}
	if e.enedis.Calls("refresh_token") != 2 || e.grant(c.ID).Tokens.Access == after.Tokens.Access {
		t.Fatalf("after a 401: %d refreshes", e.enedis.Calls("refresh_token"))
	}
}

// TestNeedsAction: when the organization no longer honours the grant, the run says the
// person must act, the job is not retried, the schedule leaves the grant alone — and a new
// authorization makes it work again.
func TestNeedsAction(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(f *pulltest.Fake)
		mend   func(f *pulltest.Fake)
		reason string
	}{
		{"invalid_grant on refresh", func(f *pulltest.Fake) { f.Revoke() }, func(*pulltest.Fake) {}, "no longer accepts the access you granted"},
		{"401 after refresh", func(f *pulltest.Fake) { f.Reject(true) }, func(f *pulltest.Fake) { f.Reject(false) }, "even renewed"},
		{"403", func(f *pulltest.Fake) { f.Forbid(true) }, func(f *pulltest.Fake) { f.Forbid(false) }, "403"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "")
			s := e.service(true, nil)
			c := e.connect(s, e.alice, "enedis")
			e.waitRuns(s, e.alice, c.ID, 1)
			tc.break_(e.enedis)
			refreshes := e.enedis.Calls("refresh_token")
			e.enqueue(s, c.ID)
			r := e.waitRuns(s, e.alice, c.ID, 2)[1]
			if r.Status != store.RunNeedsAction || !strings.Contains(r.Reason, tc.reason) || !strings.Contains(r.Reason, "authorize selfdata again") {
				t.Fatalf("run %+v", r)
			}
			if g := e.grant(c.ID); g.State != store.GrantNeedsAction {
				t.Fatalf("grant state %s", g.State)
			}
			refreshed := e.enedis.Calls("refresh_token") - refreshes
			// No retry storm: several backoff periods later, nothing more was tried.
			time.Sleep(time.Second)
			if n := len(e.runs(s, e.alice, c.ID)); n != 2 {
				t.Fatalf("%d runs, want 2: the job was retried", n)
			}
			if n := e.enedis.Calls("refresh_token") - refreshes; n != refreshed || n > 1 {
				t.Fatalf("%d refreshes, want at most 1", n)
			}
			if n, err := s.Schedule(ctx); err != nil || n != 0 {
				t.Fatalf("Schedule enqueued %d, %v: the grant waits for the person", n, err)
			}
			e.enqueue(s, c.ID)
			time.Sleep(300 * time.Millisecond)
			if n := len(e.runs(s, e.alice, c.ID)); n != 2 {
				t.Fatalf("a pull of a grant waiting for the person ran: %d runs", n)
			}

			tc.mend(e.enedis)
			e.connect(s, e.alice, "enedis")
			if r := e.waitRuns(s, e.alice, c.ID, 3)[2]; r.Status != store.RunOK {
				t.Fatalf("after a new authorization: %+v", r)
			}
		})
	}
}

// TestServerErrorRetried: a 500 from the API is recorded with its reason and the job is
// retried after the backoff, which then succeeds.
func TestServerErrorRetried(t *testing.T) {
	e := newEnv(t, "")
	const backoff = 400 * time.Millisecond
	s := e.service(true, func(c *pull.Config) { c.Backoff = func(n int) time.Duration { return time.Duration(n) * backoff } })
	e.enedis.Fail("daily_consumption", 2)
	c := e.connect(s, e.alice, "enedis")
	runs := e.waitRuns(s, e.alice, c.ID, 3)
	for i, r := range runs[:2] {
		if r.Status != store.RunError || r.Attempt != i+1 || !strings.Contains(r.Reason, "500") || !strings.Contains(r.Reason, "daily_consumption") || !strings.Contains(r.Reason, "internal_server_error") {
			t.Fatalf("run %d: %+v", i, r)
		}
	}
	if r := runs[2]; r.Status != store.RunOK || r.Attempt != 3 || r.Added != 365+144 {
		t.Fatalf("third run %+v", r)
	}
	for i := 1; i < 3; i++ {
		wait := runs[i].Started.Sub(runs[i-1].Finished)
		if want := time.Duration(i) * backoff; wait < want-50*time.Millisecond {
			t.Fatalf("retry %d came %v after the failure, want at least %v", i, wait, want)
		}
	}
}

// TestOneFailingDoesNotBlockOthers: with one worker, GRDF failing again and again does not
// keep Enedis from being pulled.
func TestOneFailingDoesNotBlockOthers(t *testing.T) {
	e := newEnv(t, "")
	s := e.service(true, func(c *pull.Config) { c.Workers = 1 })
	e.grdf.Fail("donnees_consos_informatives", -1)
	cg := e.connect(s, e.alice, "grdf")
	ce := e.connect(s, e.bob, "enedis")
	if r := e.waitRuns(s, e.bob, ce.ID, 1)[0]; r.Status != store.RunOK {
		t.Fatalf("Enedis run %+v", r)
	}
	for _, r := range e.waitRuns(s, e.alice, cg.ID, 2) {
		if r.Status != store.RunError {
			t.Fatalf("GRDF run %+v", r)
		}
	}
	if e.enedis.Calls("daily_consumption") == 0 {
		t.Fatal("Enedis was never called")
	}
}

// TestJobsSurviveRestart: jobs inserted by a client that is then gone are worked by a new
// client started on the same database, after the store itself is reopened.
func TestJobsSurviveRestart(t *testing.T) {
	e := newEnv(t, "")
	first := e.service(false, nil)
	ce := e.connect(first, e.alice, "enedis")
	cg := e.connect(first, e.bob, "grdf")
	if n, err := first.Schedule(ctx); err != nil || n != 0 {
		t.Fatalf("Schedule = %d, %v: the pulls enqueued by the authorizations are already waiting", n, err)
	}
	if len(e.runs(first, e.alice, ce.ID)) != 0 {
		t.Fatal("a job ran before any client was started")
	}
	e.db.Close()
	e.openStore()

	second := e.service(true, nil)
	if r := e.waitRuns(second, e.alice, ce.ID, 1)[0]; r.Status != store.RunOK {
		t.Fatalf("Enedis run after restart %+v", r)
	}
	if r := e.waitRuns(second, e.bob, cg.ID, 1)[0]; r.Status != store.RunOK {
		t.Fatalf("GRDF run after restart %+v", r)
	}
}

// TestScheduleRunsOnStart: the periodic job enqueues a pull of every usable grant when the
// service starts.
func TestScheduleRunsOnStart(t *testing.T) {
	e := newEnv(t, "")
	first := e.service(true, nil)
	c := e.connect(first, e.alice, "enedis")
	e.waitRuns(first, e.alice, c.ID, 1)
	e.stop(first)
	second := e.service(true, nil)
	if r := e.waitRuns(second, e.alice, c.ID, 2)[1]; r.Status != store.RunOK {
		t.Fatalf("scheduled run %+v", r)
	}
}
