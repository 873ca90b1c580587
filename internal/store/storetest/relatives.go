package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"selfdata/internal/store"
)

// relT0 is when the relatives' cases happen.
var relT0 = time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC)

// invite records an invitation of inst's for name, whose code hashes to hash.
func invite(t *testing.T, s store.Store, inst, id, name, hash string) store.Relative {
	t.Helper()
	r := store.Relative{ID: id, Instance: inst, Name: name, PersonName: "Camille", Expect: 10, Signals: []string{"water_morning", "usual_activity"},
		InviteHash: hash, InviteExpires: relT0.Add(7 * 24 * time.Hour), Created: relT0}
	if err := s.CreateRelative(ctx, r); err != nil {
		t.Fatalf("CreateRelative(%s): %v", id, err)
	}
	return r
}

// testRelatives: an invitation is redeemed once, before it expires, under a login no other
// relative has; a relative is found from its own instance only; ending a share forgets its
// credentials, frees its login and leaves its sessions letting nobody in; the checks of a
// day are recorded once; deleting the instance takes it all.
func testRelatives(t *testing.T, s store.Store) {
	a, b := newInstance(t, s, "alice"), newInstance(t, s, "bob")
	invite(t, s, a.ID, "rel-a", "Dominique Martin", "hash-a")
	invite(t, s, b.ID, "rel-b", "Sacha", "hash-b")
	mustErr(t, s.CreateRelative(ctx, store.Relative{ID: "rel-a", Instance: a.ID, Name: "x", InviteExpires: relT0, Created: relT0}), store.ErrExists, "duplicate relative id")
	mustErr(t, s.CreateRelative(ctx, store.Relative{ID: "rel-c", Instance: a.ID, Name: "x", Signals: []string{"a,b"}, InviteExpires: relT0, Created: relT0}), store.ErrInvalid, "a signal with a comma")

	got, err := s.Relative(ctx, a.ID, "rel-a")
	if err != nil || got.Name != "Dominique Martin" || got.PersonName != "Camille" || got.Expect != 10 || !slices.Equal(got.Signals, []string{"water_morning", "usual_activity"}) ||
		got.Login != "" || got.InviteHash != "hash-a" || !got.InviteExpires.Equal(relT0.Add(7*24*time.Hour)) || got.Joined != nil || got.Ended != nil {
		t.Fatalf("Relative = %+v, %v", got, err)
	}
	_, err = s.Relative(ctx, b.ID, "rel-a")
	mustErr(t, err, store.ErrNotFound, "alice's relative from bob's store")
	if list, err := s.ListRelatives(ctx, a.ID); err != nil || len(list) != 1 || list[0].ID != "rel-a" {
		t.Fatalf("ListRelatives(alice) = %+v, %v", list, err)
	}
	if list, err := s.SharingRelatives(ctx); err != nil || len(list) != 0 {
		t.Fatalf("SharingRelatives before anyone joined = %+v, %v", list, err)
	}

	// The invitation.
	if r, err := s.Invitation(ctx, "hash-a", relT0.Add(time.Hour)); err != nil || r.ID != "rel-a" {
		t.Fatalf("Invitation = %+v, %v", r, err)
	}
	_, err = s.Invitation(ctx, "hash-a", relT0.Add(7*24*time.Hour))
	mustErr(t, err, store.ErrNotFound, "an invitation at its expiry")
	_, err = s.Invitation(ctx, "hash-x", relT0)
	mustErr(t, err, store.ErrNotFound, "an unknown code")
	_, err = s.RedeemInvitation(ctx, "hash-a", "late", "argon", "", relT0.Add(8*24*time.Hour))
	mustErr(t, err, store.ErrNotFound, "an expired invitation redeemed")
	joinedAt := relT0.Add(time.Hour)
	r, err := s.RedeemInvitation(ctx, "hash-a", "Dominique", "argon-a", "dominique@example.org", joinedAt)
	if err != nil || r.ID != "rel-a" || r.Login != "dominique" || r.PassHash != "argon-a" || r.Email != "dominique@example.org" || r.InviteHash != "" || r.Joined == nil || !r.Joined.Equal(joinedAt) {
		t.Fatalf("RedeemInvitation = %+v, %v", r, err)
	}
	_, err = s.RedeemInvitation(ctx, "hash-a", "again", "argon", "", joinedAt)
	mustErr(t, err, store.ErrNotFound, "an invitation redeemed twice")
	_, err = s.Invitation(ctx, "hash-a", joinedAt)
	mustErr(t, err, store.ErrNotFound, "a redeemed invitation")
	_, err = s.RedeemInvitation(ctx, "hash-b", "DOMINIQUE", "argon-b", "", joinedAt)
	mustErr(t, err, store.ErrExists, "a login another relative has")
	if r, err := s.Invitation(ctx, "hash-b", joinedAt); err != nil || r.ID != "rel-b" {
		t.Fatalf("the invitation whose login was taken is no longer live: %+v, %v", r, err)
	}
	if r, err := s.RelativeByLogin(ctx, "DoMiNiQuE"); err != nil || r.ID != "rel-a" {
		t.Fatalf("RelativeByLogin = %+v, %v", r, err)
	}
	_, err = s.RelativeByLogin(ctx, "sacha")
	mustErr(t, err, store.ErrNotFound, "a login nobody has")
	if list, err := s.SharingRelatives(ctx); err != nil || len(list) != 1 || list[0].ID != "rel-a" || list[0].Instance != a.ID {
		t.Fatalf("SharingRelatives = %+v, %v", list, err)
	}

	// The address.
	if err := s.SetRelativeEmail(ctx, a.ID, "rel-a", "d@example.org"); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.SetRelativeEmail(ctx, b.ID, "rel-a", "x@example.org"), store.ErrNotFound, "alice's relative's address from bob's store")
	if r, _ := s.Relative(ctx, a.ID, "rel-a"); r.Email != "d@example.org" {
		t.Fatalf("email %q after SetRelativeEmail", r.Email)
	}

	// Sessions.
	sess := store.RelativeSession{Hash: "sess-1", Instance: a.ID, Relative: "rel-a", Created: joinedAt, Expires: joinedAt.Add(time.Hour)}
	for _, ss := range []store.RelativeSession{sess, {Hash: "sess-2", Instance: a.ID, Relative: "rel-a", Created: joinedAt, Expires: joinedAt.Add(time.Minute)}} {
		if err := s.CreateRelativeSession(ctx, ss); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.RelativeSession(ctx, "sess-1"); err != nil || got.Relative != "rel-a" || got.Instance != a.ID || !got.Expires.Equal(sess.Expires) {
		t.Fatalf("RelativeSession = %+v, %v", got, err)
	}
	if err := s.DeleteExpiredRelativeSessions(ctx, joinedAt.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	_, err = s.RelativeSession(ctx, "sess-2")
	mustErr(t, err, store.ErrNotFound, "an expired session after the sweep")
	if _, err := s.RelativeSession(ctx, "sess-1"); err != nil {
		t.Fatalf("a live session swept: %v", err)
	}
	if err := s.DeleteRelativeSession(ctx, "sess-1"); err != nil {
		t.Fatal(err)
	}
	_, err = s.RelativeSession(ctx, "sess-1")
	mustErr(t, err, store.ErrNotFound, "a deleted session")
	if err := s.CreateRelativeSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRelativeSessions(ctx, "rel-b"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RelativeSession(ctx, "sess-1"); err != nil {
		t.Fatalf("another relative's sessions ended this one: %v", err)
	}
	if err := s.DeleteRelativeSessions(ctx, "rel-a"); err != nil {
		t.Fatal(err)
	}
	_, err = s.RelativeSession(ctx, "sess-1")
	mustErr(t, err, store.ErrNotFound, "a session of a relative whose sessions ended")

	// The daily checks.
	quiet := store.RelativeCheck{Instance: a.ID, Relative: "rel-a", Day: "2026-03-12", Quiet: true, At: relT0}
	if added, err := s.AddRelativeCheck(ctx, quiet); err != nil || !added {
		t.Fatalf("AddRelativeCheck = %v, %v", added, err)
	}
	if added, err := s.AddRelativeCheck(ctx, store.RelativeCheck{Instance: a.ID, Relative: "rel-a", Day: "2026-03-12", At: relT0.Add(time.Minute)}); err != nil || added {
		t.Fatalf("the same day checked again: added %v, %v", added, err)
	}
	if added, err := s.AddRelativeCheck(ctx, store.RelativeCheck{Instance: a.ID, Relative: "rel-a", Day: "2026-03-11", At: relT0.Add(-24 * time.Hour)}); err != nil || !added {
		t.Fatalf("the day before: added %v, %v", added, err)
	}
	if err := s.SetRelativeCheckEmailed(ctx, "rel-a", "2026-03-12"); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.SetRelativeCheckEmailed(ctx, "rel-a", "2026-01-01"), store.ErrNotFound, "an undecided day emailed")
	checks, err := s.RelativeChecks(ctx, a.ID, "rel-a", "2026-03-01")
	if err != nil || len(checks) != 2 || checks[0].Day != "2026-03-12" || !checks[0].Quiet || !checks[0].Emailed || !checks[0].At.Equal(relT0) || checks[1].Day != "2026-03-11" || checks[1].Quiet {
		t.Fatalf("RelativeChecks = %+v, %v", checks, err)
	}
	if checks, err := s.RelativeChecks(ctx, b.ID, "rel-a", "2026-03-01"); err != nil || len(checks) != 0 {
		t.Fatalf("alice's relative's checks from bob's store: %+v, %v", checks, err)
	}
	if err := s.DeleteRelativeChecks(ctx, "2026-03-12"); err != nil {
		t.Fatal(err)
	}
	if checks, err := s.RelativeChecks(ctx, a.ID, "rel-a", "2000-01-01"); err != nil || len(checks) != 1 || checks[0].Day != "2026-03-12" {
		t.Fatalf("RelativeChecks after forgetting the days before the 12th = %+v, %v", checks, err)
	}

	// Ending the share.
	if err := s.CreateRelativeSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.EndRelative(ctx, b.ID, "rel-a", relT0), store.ErrNotFound, "alice's share ended from bob's store")
	endedAt := relT0.Add(2 * time.Hour)
	if err := s.EndRelative(ctx, a.ID, "rel-a", endedAt); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.EndRelative(ctx, a.ID, "rel-a", endedAt), store.ErrNotFound, "a share ended twice")
	got, err = s.Relative(ctx, a.ID, "rel-a")
	if err != nil || got.Ended == nil || !got.Ended.Equal(endedAt) || got.Login != "" || got.PassHash != "" || got.Email != "" || got.InviteHash != "" || got.Name != "Dominique Martin" {
		t.Fatalf("an ended relative = %+v, %v", got, err)
	}
	if ss, err := s.RelativeSession(ctx, "sess-1"); err != nil || ss.Relative != "rel-a" {
		t.Fatalf("an ended relative's session is no longer found, to say the share ended: %+v, %v", ss, err)
	}
	mustErr(t, s.SetRelativeEmail(ctx, a.ID, "rel-a", "x@example.org"), store.ErrNotFound, "an ended relative's address")
	_, err = s.RelativeByLogin(ctx, "dominique")
	mustErr(t, err, store.ErrNotFound, "an ended relative's login")
	if list, err := s.SharingRelatives(ctx); err != nil || len(list) != 0 {
		t.Fatalf("SharingRelatives after the end = %+v, %v", list, err)
	}
	if r, err := s.RedeemInvitation(ctx, "hash-b", "dominique", "argon-b", "", endedAt); err != nil || r.ID != "rel-b" || r.Login != "dominique" {
		t.Fatalf("an ended relative's login is free again: %+v, %v", r, err)
	}
	// An invitation ended before it was redeemed cannot be redeemed.
	invite(t, s, a.ID, "rel-c", "Lou", "hash-c")
	if err := s.EndRelative(ctx, a.ID, "rel-c", endedAt); err != nil {
		t.Fatal(err)
	}
	_, err = s.RedeemInvitation(ctx, "hash-c", "lou", "argon", "", endedAt)
	mustErr(t, err, store.ErrNotFound, "an ended invitation redeemed")

	// Deleting the instance takes its relatives, their sessions and checks.
	if err := s.DeleteInstance(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if list, err := s.ListRelatives(ctx, a.ID); err != nil || len(list) != 0 {
		t.Fatalf("relatives of a deleted instance: %+v, %v", list, err)
	}
	_, err = s.RelativeSession(ctx, "sess-1")
	mustErr(t, err, store.ErrNotFound, "a session of a deleted instance's relative")
	if list, err := s.ListRelatives(ctx, b.ID); err != nil || len(list) != 1 {
		t.Fatalf("bob's relatives after alice left: %+v, %v", list, err)
	}
}

// testRelativesConcurrent: redeemed at once, one invitation joins one relative only, and
// two invitations claiming one login leave it to one of them; checks of one day raced by
// several servers record one decision.
func testRelativesConcurrent(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	const n = 12
	invite(t, s, a.ID, "rel-once", "Dominique", "hash-once")
	type result struct {
		login string
		err   error
	}
	results := make(chan result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			login := fmt.Sprintf("login-%d", i)
			_, err := s.RedeemInvitation(ctx, "hash-once", login, "argon", "", relT0)
			results <- result{login, err}
		})
	}
	wg.Wait()
	close(results)
	winner := ""
	for res := range results {
		switch {
		case res.err == nil && winner != "":
			t.Errorf("the invitation was redeemed twice: by %s and %s", winner, res.login)
		case res.err == nil:
			winner = res.login
		case !errors.Is(res.err, store.ErrNotFound):
			t.Errorf("a losing redemption: %v, want ErrNotFound", res.err)
		}
	}
	if r, err := s.Relative(ctx, a.ID, "rel-once"); err != nil || winner == "" || r.Login != winner {
		t.Fatalf("after the race: %+v, %v; winner %q", r, err, winner)
	}

	// Two (and more) invitations redeemed at once with the same login.
	for i := range n {
		invite(t, s, a.ID, fmt.Sprintf("rel-%d", i), "Sacha", fmt.Sprintf("hash-%d", i))
	}
	results = make(chan result, n)
	for i := range n {
		wg.Go(func() {
			_, err := s.RedeemInvitation(ctx, fmt.Sprintf("hash-%d", i), "sacha", "argon", "", relT0)
			results <- result{fmt.Sprintf("rel-%d", i), err}
		})
	}
	wg.Wait()
	close(results)
	won := 0
	for res := range results {
		switch {
		case res.err == nil:
			won++
		case !errors.Is(res.err, store.ErrExists):
			t.Errorf("%s: %v, want ErrExists", res.login, res.err)
		}
	}
	if won != 1 {
		t.Fatalf("%d invitations took the login sacha", won)
	}
	live := 0
	for i := range n {
		if _, err := s.Invitation(ctx, fmt.Sprintf("hash-%d", i), relT0); err == nil {
			live++
		}
	}
	if live != n-1 {
		t.Errorf("%d invitations are still live, want the %d that lost", live, n-1)
	}

	// One day's check, raced.
	added := make(chan bool, n)
	for i := range n {
		wg.Go(func() {
			ok, err := s.AddRelativeCheck(ctx, store.RelativeCheck{Instance: a.ID, Relative: "rel-once", Day: "2026-03-12", Quiet: i%2 == 0, At: relT0.Add(time.Duration(i) * time.Second)})
			if err != nil {
				t.Errorf("AddRelativeCheck: %v", err)
			}
			added <- ok
		})
	}
	wg.Wait()
	close(added)
	count := 0
	for ok := range added {
		if ok {
			count++
		}
	}
	if checks, err := s.RelativeChecks(ctx, a.ID, "rel-once", "2026-03-12"); count != 1 || err != nil || len(checks) != 1 {
		t.Fatalf("%d checks added for one day; stored %+v, %v", count, checks, err)
	}
}
