package storetest

import (
	"testing"
	"time"

	"selfdata/internal/store"
)

// testPulls: grants keep their tokens usable and their progress, runs are listed per person,
// authorizations are good for one answer before they expire, and everything goes with the
// connection or the instance it belongs to.
func testPulls(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	now := time.Now().UTC().Truncate(time.Microsecond)
	for _, id := range []string{"enedis", "grdf"} {
		if err := s.CreateOrganization(ctx, store.Organization{ID: id, Name: id, KeyHash: "k-" + id, Created: now,
			Declaration: store.Declaration{Purposes: []string{"metering"}, LegalBasis: "consent", Doctypes: []string{"meter"}, Retention: "1 year"}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []store.Connection{
		{ID: "c-a", Instance: a.ID, Org: "enedis", Doctypes: []string{"meter"}, State: store.Active, Created: now},
		{ID: "c-a2", Instance: a.ID, Org: "grdf", Doctypes: []string{"meter"}, State: store.Paused, Created: now},
		{ID: "c-b", Instance: b.ID, Org: "enedis", Doctypes: []string{"meter"}, State: store.Active, Created: now},
	} {
		if err := s.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.PullGrant(ctx, "c-a")
	mustErr(t, err, store.ErrNotFound, "grant before authorization")
	expiry := now.Add(time.Hour)
	g := store.PullGrant{Connection: "c-a", Provider: "enedis", Subject: "01234567890", State: store.GrantOK, Created: now,
		Tokens: store.PullTokens{Access: "at-1", Refresh: "rt-1", Expiry: expiry, Scope: "daily"}}
	for _, g := range []store.PullGrant{g,
		{Connection: "c-a2", Provider: "grdf", Subject: "23000000000000", State: store.GrantOK, Created: now, Tokens: store.PullTokens{Access: "x", Refresh: "y"}},
		{Connection: "c-b", Provider: "enedis", Subject: "99999999999999", State: store.GrantOK, Created: now, Tokens: store.PullTokens{Access: "bob-at", Refresh: "bob-rt"}},
	} {
		if err := s.PutPullGrant(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.PullGrant(ctx, "c-a")
	if err != nil || got.Instance != a.ID || got.Org != "enedis" || got.Subject != "01234567890" || got.Tokens != g.Tokens || !got.Fetched.IsZero() || got.State != store.GrantOK {
		t.Fatalf("PullGrant = %+v, %v", got, err)
	}
	if got, _ := s.PullGrant(ctx, "c-a2"); !got.Tokens.Expiry.IsZero() {
		t.Fatalf("an unknown expiry came back as %v", got.Tokens.Expiry)
	}

	day := time.Date(2023, 3, 8, 0, 0, 0, 0, time.UTC)
	if err := s.SetPullFetched(ctx, "c-a", day, now); err != nil {
		t.Fatal(err)
	}
	refreshed := store.PullTokens{Access: "at-2", Refresh: "rt-2", Expiry: expiry.Add(time.Hour), Scope: "daily"}
	if err := s.SavePullTokens(ctx, "c-a", refreshed, now); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.SavePullTokens(ctx, "nope", refreshed, now), store.ErrNotFound, "tokens of an unknown grant")
	if got, _ := s.PullGrant(ctx, "c-a"); got.Tokens != refreshed || !got.Fetched.Equal(day) {
		t.Fatalf("after refresh: %+v", got)
	}
	// A new authorization replaces the tokens and the state but keeps the progress.
	g.Tokens.Access, g.State = "at-3", store.GrantOK
	if err := s.PutPullGrant(ctx, g); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.PullGrant(ctx, "c-a"); got.Tokens.Access != "at-3" || !got.Fetched.Equal(day) {
		t.Fatalf("after a new authorization: %+v", got)
	}
	// Forgetting a grant (the person revoked the connection) removes its tokens; twice is fine.
	if err := s.DeletePullGrant(ctx, "c-a2"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePullGrant(ctx, "c-a2"); err != nil {
		t.Fatal(err)
	}
	_, err = s.PullGrant(ctx, "c-a2")
	mustErr(t, err, store.ErrNotFound, "a forgotten grant")

	if err := s.SetPullGrantState(ctx, "c-b", store.GrantNeedsAction, now); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.SetPullGrantState(ctx, "c-b", "bogus", now), store.ErrInvalid, "unknown grant state")
	list, err := s.ListPullGrants(ctx, store.GrantOK)
	if err != nil || len(list) != 1 || list[0].Connection != "c-a" {
		t.Fatalf("ListPullGrants(ok) = %+v, %v (want alice's active connection only)", list, err)
	}
	if list, _ := s.ListPullGrants(ctx, ""); len(list) != 2 {
		t.Fatalf("ListPullGrants() = %+v, want the two active connections", list)
	}

	for i, r := range []store.PullRun{
		{ID: "r1", Connection: "c-a", Attempt: 1, Started: now, Finished: now.Add(time.Second), Status: store.RunError, Reason: "Enedis answered 500"},
		{ID: "r2", Connection: "c-a", Attempt: 2, Started: now.Add(time.Minute), Finished: now.Add(time.Minute + time.Second), Status: store.RunOK, Records: 1, Readings: 365, Added: 365},
		{ID: "r3", Connection: "c-b", Attempt: 1, Started: now, Finished: now, Status: store.RunNeedsAction, Reason: "bob-run"},
	} {
		if err := s.AddPullRun(ctx, r); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	mustErr(t, s.AddPullRun(ctx, store.PullRun{ID: "r1", Connection: "c-a", Started: now, Finished: now, Status: store.RunOK}), store.ErrExists, "same run twice")
	runs, err := s.ListPullRuns(ctx, a.ID, 10)
	if err != nil || len(runs) != 2 || runs[0].ID != "r2" || runs[0].Org != "enedis" || runs[0].Readings != 365 || runs[0].Added != 365 || runs[1].Reason != "Enedis answered 500" || !runs[1].Finished.Equal(now.Add(time.Second)) {
		t.Fatalf("alice's runs = %+v, %v", runs, err)
	}
	if runs, _ := s.ListPullRuns(ctx, b.ID, 10); len(runs) != 1 || runs[0].ID != "r3" {
		t.Fatalf("bob's runs = %+v", runs)
	}

	auth := store.PullAuthorization{StateHash: "sh", Instance: a.ID, SessionHash: "sess", Org: "enedis", Verifier: "v3r1f13r", Created: now, Expires: now.Add(10 * time.Minute)}
	if err := s.CreatePullAuthorization(ctx, auth); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.CreatePullAuthorization(ctx, auth), store.ErrExists, "same state twice")
	if err := s.CreatePullAuthorization(ctx, store.PullAuthorization{StateHash: "old", Instance: a.ID, SessionHash: "sess", Org: "enedis", Verifier: "v", Created: now, Expires: now.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	_, err = s.TakePullAuthorization(ctx, "old", now.Add(2*time.Minute))
	mustErr(t, err, store.ErrNotFound, "expired authorization")
	got2, err := s.TakePullAuthorization(ctx, "sh", now.Add(time.Minute))
	if err != nil || got2 != auth {
		t.Fatalf("TakePullAuthorization = %+v, %v; want %+v", got2, err, auth)
	}
	_, err = s.TakePullAuthorization(ctx, "sh", now.Add(time.Minute))
	mustErr(t, err, store.ErrNotFound, "authorization taken twice")

	// Everything goes with its connection, and with its instance.
	if err := s.CreatePullAuthorization(ctx, store.PullAuthorization{StateHash: "bob", Instance: b.ID, SessionHash: "s", Org: "enedis", Verifier: "v", Created: now, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteInstance(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	_, err = s.PullGrant(ctx, "c-b")
	mustErr(t, err, store.ErrNotFound, "grant of a deleted instance")
	_, err = s.TakePullAuthorization(ctx, "bob", now)
	mustErr(t, err, store.ErrNotFound, "authorization of a deleted instance")
	if err := s.DeleteOrganization(ctx, "enedis"); err != nil {
		t.Fatal(err)
	}
	_, err = s.PullGrant(ctx, "c-a")
	mustErr(t, err, store.ErrNotFound, "grant of a deleted organization")
	if runs, _ := s.ListPullRuns(ctx, a.ID, 10); len(runs) != 0 {
		t.Fatalf("runs of a deleted connection: %+v", runs)
	}
}
