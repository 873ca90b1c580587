package signoflife_test

import (
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"selfdata/internal/alert"
	"selfdata/internal/services/signoflife"
	"selfdata/internal/store"
)

// at is a time of Thursday 12 March 2026 in Europe/Paris, plus days.
func at(days, h, m int) time.Time {
	return time.Date(2026, time.March, 12+days, h, m, 0, 0, signoflife.Paris())
}

// morning is Wh per half hour: 75 at rest, up at 7:00 on the days `up` says.
func morning(up func(day time.Time) bool) func(time.Time) float64 {
	return func(t time.Time) float64 {
		if up(t) && t.Hour() >= 7 && t.Hour() < 9 {
			return 400
		}
		return 75
	}
}

// loadCurve is a Linky load curve: Wh per half hour, over five weeks up to two days after
// Thursday 12 March (the readings after a check's time are there, and must not count).
func loadCurve(id string) (store.Series, time.Time, time.Time, time.Duration) {
	return store.Series{ID: id, Doctype: "reading.electricity", Name: "Courbe de charge", Quantity: "energy", Unit: "Wh"}, at(-35, 0, 0), at(2, 0, 0), 30 * time.Minute
}

// TestCheckNotices: after the expected hour, a relative of a person with no activity gets a
// notice, once a day, by email when they gave an address and there is a relay; a person
// with activity gets none; the check's reads are logged under the relative's name, in that
// person's log only; a day decided is not read again; a withdrawn grant reads nothing.
func TestCheckNotices(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.person(t, "alice"), e.person(t, "bob")
	today := func(d time.Time) bool { return d.Day() == 12 && d.Month() == time.March }
	s, from, to, step := loadCurve("linky")
	e.series(t, alice, s, from, to, step, morning(func(d time.Time) bool { return !today(d) })) // not up today
	e.series(t, bob, s, from, to, step, morning(func(time.Time) bool { return true }))
	dominique := e.relative(t, alice, "Dominique Martin", "dominique@example.org", 10, signoflife.UsualActivity, signoflife.WaterMorning)
	lou := e.relative(t, alice, "Lou", "", 10, signoflife.UsualActivity)
	sacha := e.relative(t, bob, "Sacha", "sacha@example.org", 9, signoflife.UsualActivity)

	r := newRelay(t)
	mailer, err := alert.NewMailer(alert.SMTP{Addr: r.addr, From: "selfdata@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	c := signoflife.NewChecker(e.db, e.opener(), mailer, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c.PageURL = "https://selfdata.example/relative/login"
	check := func(now time.Time, r store.Relative, want signoflife.Outcome) {
		t.Helper()
		c.Now = func() time.Time { return now }
		got, err := c.Check(ctx, r)
		if err != nil || got != want {
			t.Fatalf("check of %s at %v: %s, %v; want %s", r.Name, now, got, err, want)
		}
	}

	c.Now = func() time.Time { return at(0, 8, 59) }
	if err := c.CheckAll(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.relativeReads(t, alice, dominique)); n != 0 {
		t.Fatalf("before the expected hour the check read %d times", n)
	}
	check(at(0, 9, 5), sacha, signoflife.Active)
	check(at(0, 9, 30), dominique, signoflife.Early)

	c.Now = func() time.Time { return at(0, 10, 20) }
	if err := c.CheckAll(ctx); err != nil {
		t.Fatal(err)
	}
	mails := r.sent()
	if len(mails) != 1 || mails[0].to != "dominique@example.org" {
		t.Fatalf("emails %+v, want one to Dominique", mails)
	}
	for _, want := range []string{"Camille", "10:00", "12/03/2026", "Dominique Martin", "https://selfdata.example/relative/login"} {
		if !strings.Contains(mails[0].data, want) {
			t.Errorf("email lacks %q: %s", want, mails[0].data)
		}
	}
	for _, never := range []string{"Wh", "75", "400", "kWh", "linky"} {
		if strings.Contains(strings.SplitN(mails[0].data, "\r\n\r\n", 2)[1], never) {
			t.Errorf("email tells %q: %s", never, mails[0].data)
		}
	}
	for _, rel := range []store.Relative{dominique, lou} {
		ns, err := c.Notices(ctx, rel)
		if err != nil || len(ns) != 1 || ns[0].Day != "2026-03-12" || ns[0].Emailed != (rel.Email != "") {
			t.Errorf("notices of %s: %+v, %v", rel.Name, ns, err)
		}
	}
	if ns, err := c.Notices(ctx, sacha); err != nil || len(ns) != 0 {
		t.Errorf("notices of bob's relative, whose person was up: %+v, %v", ns, err)
	}

	reads := e.relativeReads(t, alice, dominique)
	if len(reads) == 0 {
		t.Fatal("the check's reads are not in alice's log")
	}
	for _, en := range reads {
		if en.ActorName != "Dominique Martin" || en.Verb != "read" || en.Refused || (en.Doctype != "reading.electricity" && en.Doctype != "*") {
			t.Errorf("a read for Dominique logged as %+v", en)
		}
	}
	for _, en := range e.relativeReads(t, alice, lou) {
		if en.Doctype != "reading.electricity" && en.Doctype != "*" {
			t.Errorf("Lou shares usual activity only, yet read %s", en.Doctype)
		}
	}
	if es := e.relativeReads(t, bob, dominique); len(es) != 0 {
		t.Errorf("bob's log holds %d reads for alice's relative", len(es))
	}

	// Decided: not read again, not sent again.
	check(at(0, 10, 45), dominique, signoflife.Decided)
	c.Now = func() time.Time { return at(0, 11, 0) }
	if err := c.CheckAll(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.relativeReads(t, alice, dominique)); n != len(reads) {
		t.Errorf("a decided day read %d more times", n-len(reads))
	}
	if n := len(r.sent()); n != 1 {
		t.Errorf("%d emails after checking again, want 1", n)
	}

	// Bob has no water meter: water this morning cannot be told, the day stays undecided,
	// and once LookFor has passed the check stops reading for it.
	wes := e.relative(t, bob, "Wes", "wes@example.org", 10, signoflife.WaterMorning)
	check(at(0, 10, 30), wes, signoflife.Undecided)
	looked := len(e.relativeReads(t, bob, wes))
	if looked == 0 {
		t.Fatal("an undecided check read nothing")
	}
	check(at(0, 12, 50), wes, signoflife.Undecided)
	if n := len(e.relativeReads(t, bob, wes)); n <= looked {
		t.Fatalf("the check before LookFor did not look again (%d reads)", n)
	}
	looked = len(e.relativeReads(t, bob, wes))
	check(at(0, 13, 0), wes, signoflife.Late)
	if n := len(e.relativeReads(t, bob, wes)); n != looked {
		t.Errorf("the check read %d times after LookFor", n-looked)
	}
	if ns, err := c.Notices(ctx, wes); err != nil || len(ns) != 0 {
		t.Errorf("notices for a day the readings could not tell: %+v, %v", ns, err)
	}

	// The next day alice is up: nothing to send. Bob's relative alone is checked.
	c.Now = func() time.Time { return at(1, 10, 30) }
	if err := c.CheckInstance(ctx, bob); err != nil {
		t.Fatal(err)
	}
	check(at(1, 10, 30), dominique, signoflife.Active)
	if n := len(r.sent()); n != 1 {
		t.Errorf("%d emails after an active day", n)
	}

	// Withdrawn, the grant reads nothing and notices nothing.
	active, err := e.grants.Active(ctx, alice, "selfdata-signoflife")
	if err != nil || len(active) != 1 {
		t.Fatalf("active grants %+v, %v", active, err)
	}
	if _, err := e.grants.Withdraw(ctx, alice, active[0].ID); err != nil {
		t.Fatal(err)
	}
	before := len(e.relativeReads(t, alice, lou))
	check(at(1, 10, 30), lou, signoflife.Off)
	if n := len(e.relativeReads(t, alice, lou)); n != before {
		t.Errorf("after the withdrawal the check read %d times", n-before)
	}
}

// TestCheckRaced: two servers checking at once send one notice.
func TestCheckRaced(t *testing.T) {
	e := newEnv(t)
	alice := e.person(t, "alice")
	s, from, to, step := loadCurve("linky")
	e.series(t, alice, s, from, to, step, morning(func(d time.Time) bool { return d.Day() != 12 }))
	e.relative(t, alice, "Dominique Martin", "dominique@example.org", 10, signoflife.UsualActivity)
	r := newRelay(t)
	mailer, err := alert.NewMailer(alert.SMTP{Addr: r.addr, From: "selfdata@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		c := signoflife.NewChecker(e.db, e.opener(), mailer, slog.New(slog.NewTextHandler(io.Discard, nil)))
		c.Now = func() time.Time { return at(0, 10, 30) }
		wg.Go(func() {
			if err := c.CheckAll(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := len(r.sent()); n != 1 {
		t.Fatalf("%d emails from checks raced, want 1", n)
	}
}
