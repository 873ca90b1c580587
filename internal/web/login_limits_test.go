package web

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"selfdata/internal/auth"
)

// testClock is a time source the test moves.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time { return c.t }

// edge changes the test server for the tests of the server's edge.
type edge struct {
	cfg   func(*Config) // changes the configuration
	clock *testClock    // the auth service's clock; nil: the harness's service
	log   *slog.Logger  // nil: discard
}

// newTestServerWith is newTestServer served again as e says (the sessions made so far stay
// valid: they are in the store).
func newTestServerWith(t *testing.T, e edge) *testServer {
	t.Helper()
	ts := newTestServer(t)
	cfg := ts.srv.cfg
	if e.cfg != nil {
		e.cfg(&cfg)
	}
	if e.clock != nil {
		a, err := auth.New(ts.db, auth.Config{SessionTTL: time.Hour, Now: e.clock.now})
		if err != nil {
			t.Fatal(err)
		}
		ts.auth = a
	}
	log := cmp.Or(e.log, ts.srv.log)
	d := Deps{Gate: ts.gate, Auth: ts.auth, Orgs: ts.srv.orgs, Importer: ts.srv.imp, Pull: ts.srv.pull, Consent: ts.srv.cons, OAuth: ts.srv.oauth, Alerts: ts.srv.alert}
	srv, err := New(cfg, d, log)
	if err != nil {
		t.Fatal(err)
	}
	ts.srv = srv
	ts.http = httptest.NewServer(srv.Handler())
	t.Cleanup(ts.http.Close)
	return ts
}

// postLogin posts the login form as the client at xff (behind the test's proxy; "" for
// none) holding cookies.
func (ts *testServer) postLogin(t *testing.T, name, pass, xff string, cookies ...*http.Cookie) response {
	t.Helper()
	h := map[string]string{}
	if xff != "" {
		h["X-Forwarded-For"] = xff
	}
	var jar []string
	for _, c := range cookies {
		jar = append(jar, c.Name+"="+c.Value)
	}
	if len(jar) > 0 {
		h["Cookie"] = strings.Join(jar, "; ")
	}
	f := url.Values{"csrf": {testCSRF}, "instance": {name}, "passphrase": {pass}}
	return ts.do(t, request{method: "POST", path: "/login", body: f.Encode(), csrf: true, header: h})
}

// deviceCookie is the device cookie a login answer sets, or nil.
func deviceCookie(res response) *http.Cookie {
	for _, line := range res.header.Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(line); err == nil && strings.HasPrefix(c.Name, deviceCookiePrefix) {
			return c
		}
	}
	return nil
}

var localProxy = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} // the test client is the proxy

// TestLoginDeviceCookie: an attacker failing at alice's name from one address locks out
// that address; alice's browser, known by its device cookie, logs in at once, and so does
// alice from an address that failed nothing.
func TestLoginDeviceCookie(t *testing.T) {
	ts := newTestServerWith(t, edge{cfg: func(c *Config) { c.TrustedProxies = localProxy }})
	const a, b, c = "192.0.2.1", "198.51.100.2", "203.0.113.3"
	res := ts.postLogin(t, "alice", ts.alice.pass, b)
	dev := deviceCookie(res)
	if res.status != http.StatusSeeOther || dev == nil || !dev.HttpOnly || dev.SameSite != http.SameSiteStrictMode || dev.MaxAge < 30*24*3600 || !strings.HasPrefix(dev.Value, auth.DevicePrefix) {
		t.Fatalf("alice's first login: %d, device cookie %+v", res.status, dev)
	}
	var refused int
	for range 50 {
		if res := ts.postLogin(t, "alice", "wrong", a); res.status == http.StatusTooManyRequests {
			refused++
		} else if res.status != http.StatusUnauthorized {
			t.Fatalf("a wrong passphrase: %d", res.status)
		}
	}
	if refused != 40 {
		t.Errorf("%d of the attacker's 50 attempts refused unverified, want 40", refused)
	}
	if res := ts.postLogin(t, "alice", ts.alice.pass, b, dev); res.status != http.StatusSeeOther || deviceCookie(res) == nil {
		t.Errorf("alice's browser: %d", res.status)
	}
	if res := ts.postLogin(t, "alice", ts.alice.pass, c); res.status != http.StatusSeeOther {
		t.Errorf("alice from a new address: %d", res.status)
	}
	if res := ts.postLogin(t, "alice", ts.alice.pass, a); res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Errorf("the attacker's address with the right passphrase: %d", res.status)
	}
	// A device cookie of bob's is nothing for alice.
	bobs := deviceCookie(ts.postLogin(t, "bob", ts.bob.pass, a))
	bobs.Name = dev.Name
	if res := ts.postLogin(t, "alice", ts.alice.pass, a, bobs); res.status != http.StatusTooManyRequests {
		t.Errorf("bob's device cookie under alice's name: %d", res.status)
	}
}

// TestLoginRetryAfterHeader: the login page tells the real wait, in the header and the text.
func TestLoginRetryAfterHeader(t *testing.T) {
	clock := &testClock{t: time.Now()}
	ts := newTestServerWith(t, edge{clock: clock})
	for range 10 {
		ts.postLogin(t, "bob", "wrong", "")
	}
	clock.t = clock.t.Add(6 * time.Minute)
	res := ts.postLogin(t, "bob", ts.bob.pass, "")
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") != "540" || !strings.Contains(res.body, "9 min") {
		t.Fatalf("6 minutes after the first of 10 failures: %d, Retry-After %q, want 540 and 9 min in %s", res.status, res.header.Get("Retry-After"), res.body)
	}
	clock.t = clock.t.Add(8*time.Minute + 30*time.Second)
	f := url.Values{"csrf": {testCSRF}, "instance": {"bob"}, "passphrase": {ts.bob.pass}}
	fr := ts.do(t, request{method: "POST", path: "/login", body: f.Encode(), csrf: true, header: map[string]string{"Accept-Language": "fr"}})
	if fr.status != http.StatusTooManyRequests || fr.header.Get("Retry-After") != "30" || !strings.Contains(fr.body, "Réessayez dans 1 min") {
		t.Fatalf("30 s before the end, in French: %d, Retry-After %q, %s", fr.status, fr.header.Get("Retry-After"), fr.body)
	}
}

// TestLoginBehindProxy: behind a reverse proxy every client has the proxy's address. Trusted
// (--trusted-proxies), the proxy's X-Forwarded-For tells the clients apart, so one client's
// failures do not lock the others out; untrusted, the header is ignored, so that a client
// cannot pick a fresh address for each guess.
func TestLoginBehindProxy(t *testing.T) {
	const attacker, other = "192.0.2.1", "203.0.113.3"
	t.Run("trusted proxy", func(t *testing.T) {
		ts := newTestServerWith(t, edge{cfg: func(c *Config) { c.TrustedProxies = localProxy }})
		for _, name := range []string{"alice", "bob"} {
			for range 15 {
				ts.postLogin(t, name, "wrong", attacker)
			}
		}
		if res := ts.postLogin(t, "alice", ts.alice.pass, other); res.status != http.StatusSeeOther {
			t.Errorf("another client behind the proxy: %d", res.status)
		}
		if res := ts.postLogin(t, "bob", ts.bob.pass, "198.51.100.9, "+other); res.status != http.StatusSeeOther {
			t.Errorf("another client, whatever it put before its address: %d", res.status)
		}
		if res := ts.postLogin(t, "alice", ts.alice.pass, other+", "+attacker); res.status != http.StatusTooManyRequests {
			t.Errorf("the attacker, hiding behind another address: %d", res.status)
		}
	})
	for name, trusted := range map[string][]netip.Prefix{"no proxy trusted": nil, "another proxy trusted": {netip.MustParsePrefix("10.0.0.0/8")}} {
		t.Run(name+": a spoofed header changes nothing", func(t *testing.T) {
			ts := newTestServerWith(t, edge{cfg: func(c *Config) { c.TrustedProxies = trusted }})
			for i := range 10 {
				ts.postLogin(t, "alice", "wrong", fmt.Sprintf("198.51.100.%d", i+1))
			}
			if res := ts.postLogin(t, "alice", ts.alice.pass, other); res.status != http.StatusTooManyRequests {
				t.Errorf("a fresh X-Forwarded-For from an untrusted peer: %d, want 429", res.status)
			}
		})
	}
}

// TestChangePassphraseRetryAfter: wrong current passphrases on the settings page are limited
// too, and the refusal tells the real wait as well.
func TestChangePassphraseRetryAfter(t *testing.T) {
	clock := &testClock{t: time.Now()}
	ts := newTestServerWith(t, edge{clock: clock})
	change := func(current string) response {
		f := url.Values{"csrf": {testCSRF}, "current": {current}, "new": {"a new passphrase for alice"}, "confirm": {"a new passphrase for alice"}}
		return ts.do(t, request{method: "POST", path: "/settings/passphrase", body: f.Encode(), csrf: true, as: "session:alice"})
	}
	for range 10 {
		if res := change("wrong"); res.status != http.StatusBadRequest {
			t.Fatalf("a wrong current passphrase: %d", res.status)
		}
	}
	clock.t = clock.t.Add(time.Minute)
	if res := change(ts.alice.pass); res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") != "840" {
		t.Fatalf("after 10 wrong ones: %d, Retry-After %q, want 429 and 840", res.status, res.header.Get("Retry-After"))
	}
}
