package auth

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// relEnv is the relatives' credentials over a real SQLite store holding alice and bob, on
// a clock the test moves.
type relEnv struct {
	a     *RelativeAuth
	db    store.Store
	clock *clock
	alice string
	bob   string
}

func newRelEnv(t *testing.T) *relEnv {
	t.Helper()
	db, _ := sqlitetest.Open(t)
	e := &relEnv{db: db, clock: newClock()}
	for _, n := range []struct {
		name string
		id   *string
	}{{"alice", &e.alice}, {"bob", &e.bob}} {
		in, err := db.CreateInstance(context.Background(), n.name, "x")
		if err != nil {
			t.Fatal(err)
		}
		*n.id = in.ID
	}
	a, err := NewRelativeAuth(db, Config{SessionTTL: time.Hour, Now: e.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	a.params = cheap
	e.a = a
	return e
}

var bgc = context.Background()

func (e *relEnv) invite(t *testing.T, instance, name string) (string, store.Relative) {
	t.Helper()
	code, r, err := e.a.Invite(bgc, instance, Invitation{Name: name, PersonName: "Camille", Expect: 10, Signals: []string{"usual_activity"}})
	if err != nil {
		t.Fatal(err)
	}
	return code, r
}

// TestRelativeInvitation: the code is shown once and kept as a hash; it is redeemed once,
// before it expires, with a login of the relative's own; the look-alike letters and the
// dashes of a code typed by hand do not matter.
func TestRelativeInvitation(t *testing.T) {
	e := newRelEnv(t)
	code, r := e.invite(t, e.alice, "  Dominique Martin ")
	if !regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$`).MatchString(code) {
		t.Fatalf("code %q is not four groups of four Crockford characters", code)
	}
	stored, err := e.db.Relative(bgc, e.alice, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Name != "Dominique Martin" || stored.InviteHash == "" || strings.Contains(stored.InviteHash, NormalizeCode(code)) || stored.InviteHash != HashSecret(invitePrefix+NormalizeCode(code)) {
		t.Fatalf("stored invitation %+v for code %q", stored, code)
	}
	if !stored.InviteExpires.Equal(e.clock.t.Add(7 * 24 * time.Hour)) {
		t.Errorf("expires %v, want 7 days after %v", stored.InviteExpires, e.clock.t)
	}

	for _, bad := range []struct {
		name string
		rd   Redemption
		want error
	}{
		{"a wrong code", Redemption{Code: "0000-0000-0000-0000", Login: "dominique", Passphrase: "a long enough passphrase"}, ErrInvitation},
		{"a short login", Redemption{Code: code, Login: "do", Passphrase: "a long enough passphrase"}, ErrRelativeInput},
		{"a login with a space", Redemption{Code: code, Login: "dominique martin", Passphrase: "a long enough passphrase"}, ErrRelativeInput},
		{"a short passphrase", Redemption{Code: code, Login: "dominique", Passphrase: "short"}, ErrWeakPassphrase},
		{"not an address", Redemption{Code: code, Login: "dominique", Passphrase: "a long enough passphrase", Email: "Dominique <d@example.org>"}, ErrRelativeInput},
	} {
		if _, err := e.a.Redeem(bgc, bad.rd); !errors.Is(err, bad.want) {
			t.Errorf("%s: %v, want %v", bad.name, err, bad.want)
		}
	}
	typed := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(code, "-", " "), "0", "o"))
	got, err := e.a.Redeem(bgc, Redemption{Code: typed, Login: " Dominique ", Passphrase: "a long enough passphrase", Email: "dominique@example.org", Addr: "192.0.2.1"})
	if err != nil {
		t.Fatalf("redeem %q (typed %q): %v", code, typed, err)
	}
	if got.Login != "dominique" || got.Email != "dominique@example.org" || got.Joined == nil || got.InviteHash != "" || !strings.HasPrefix(got.PassHash, "$argon2id$") {
		t.Fatalf("redeemed: %+v", got)
	}
	if _, err := e.a.Redeem(bgc, Redemption{Code: code, Login: "other", Passphrase: "a long enough passphrase"}); !errors.Is(err, ErrInvitation) {
		t.Fatalf("redeemed twice: %v", err)
	}

	// Another invitation cannot take the login; one past its week cannot be redeemed.
	code2, _ := e.invite(t, e.bob, "Sacha")
	if _, err := e.a.Redeem(bgc, Redemption{Code: code2, Login: "DOMINIQUE", Passphrase: "a long enough passphrase"}); !errors.Is(err, ErrLoginTaken) {
		t.Fatalf("a taken login: %v", err)
	}
	e.clock.advance(InvitationTTL)
	if _, err := e.a.Redeem(bgc, Redemption{Code: code2, Login: "sacha", Passphrase: "a long enough passphrase"}); !errors.Is(err, ErrInvitation) {
		t.Fatalf("an expired invitation: %v", err)
	}

	for _, bad := range []Invitation{{Name: "", PersonName: "Camille"}, {Name: "Dominique", PersonName: " "}, {Name: "Dominique\nMartin", PersonName: "Camille"}, {Name: strings.Repeat("é", 81), PersonName: "Camille"}} {
		if _, _, err := e.a.Invite(bgc, e.alice, bad); !errors.Is(err, ErrRelativeInput) {
			t.Errorf("invitation %+v: %v, want ErrRelativeInput", bad, err)
		}
	}
}

// TestRelativeLogin: a relative logs in with their own login; wrong passphrases are limited
// as a person's are; the session ends with a stop of the share, saying so once.
func TestRelativeLogin(t *testing.T) {
	e := newRelEnv(t)
	code, r := e.invite(t, e.alice, "Dominique")
	if _, err := e.a.Redeem(bgc, Redemption{Code: code, Login: "dominique", Passphrase: "a long enough passphrase"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.a.Login(bgc, "dominique", "wrong passphrase", "192.0.2.1"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("a wrong passphrase: %v", err)
	}
	if _, _, err := e.a.Login(bgc, "nobody", "a long enough passphrase", "192.0.2.1"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("an unknown login: %v", err)
	}
	secret, got, err := e.a.Login(bgc, "Dominique", "a long enough passphrase", "192.0.2.1")
	if err != nil || got.ID != r.ID || !strings.HasPrefix(secret, RelativeSessionPrefix) {
		t.Fatalf("login: %q %+v %v", secret, got, err)
	}
	if got, err := e.a.Session(bgc, secret); err != nil || got.ID != r.ID || got.Instance != e.alice {
		t.Fatalf("session: %+v %v", got, err)
	}
	for _, bad := range []string{"", "sds_" + secret[4:], secret + "x"} {
		if _, err := e.a.Session(bgc, bad); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("session %q: %v, want ErrUnauthenticated", bad, err)
		}
	}

	// Ten failures from one client at one login lock that client out of that login.
	for range maxClientName {
		if _, _, err := e.a.Login(bgc, "dominique", "wrong passphrase", "198.51.100.7"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("a failure: %v", err)
		}
	}
	var rl *RateLimitedError
	if _, _, err := e.a.Login(bgc, "dominique", "a long enough passphrase", "198.51.100.7"); !errors.As(err, &rl) {
		t.Fatalf("after %d failures: %v, want a rate limit", maxClientName, err)
	}
	if _, _, err := e.a.Login(bgc, "dominique", "a long enough passphrase", "192.0.2.1"); err != nil {
		t.Fatalf("another client is not locked out: %v", err)
	}
	// A person of the same name is counted apart: the relative's failures lock no store.
	w, err := e.db.LoginFailures(bgc, "name:dominique", e.clock.t, limitWindow)
	if err != nil || w.Count != 0 {
		t.Errorf("the relative's failures counted on the name of a store: %+v %v", w, err)
	}

	// The session expires with its time.
	e.clock.advance(time.Hour)
	if _, err := e.a.Session(bgc, secret); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("an expired session: %v", err)
	}
	secret, _, err = e.a.Login(bgc, "dominique", "a long enough passphrase", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.a.Stop(bgc, e.bob, r.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("alice's share stopped by bob: %v", err)
	}
	if err := e.a.Stop(bgc, e.alice, r.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := e.a.Session(bgc, secret); !errors.Is(err, ErrShareEnded) || got.ID != r.ID {
		t.Fatalf("a session after the stop: %+v %v, want ErrShareEnded", got, err)
	}
	if _, err := e.a.Session(bgc, secret); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("the session once the end was said: %v", err)
	}
	if _, _, err := e.a.Login(bgc, "dominique", "a long enough passphrase", "192.0.2.1"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("login after the stop: %v", err)
	}
}

// TestRelativeRedeemLimited: wrong codes count against the client like failed logins, so
// that codes cannot be tried in bulk.
func TestRelativeRedeemLimited(t *testing.T) {
	e := newRelEnv(t)
	code, _ := e.invite(t, e.alice, "Dominique")
	for range maxClient {
		if _, err := e.a.Invitation(bgc, "0000-0000-0000-0000", "203.0.113.9"); !errors.Is(err, ErrInvitation) {
			t.Fatalf("a wrong code: %v", err)
		}
	}
	var rl *RateLimitedError
	if _, err := e.a.Redeem(bgc, Redemption{Code: code, Login: "dominique", Passphrase: "a long enough passphrase", Addr: "203.0.113.9"}); !errors.As(err, &rl) {
		t.Fatalf("after %d wrong codes: %v, want a rate limit", maxClient, err)
	}
	if _, err := e.a.Redeem(bgc, Redemption{Code: code, Login: "dominique", Passphrase: "a long enough passphrase", Addr: "192.0.2.1"}); err != nil {
		t.Fatalf("from another client: %v", err)
	}
}
