package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// clock is a settable time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)} }

const rightPass = "the right passphrase"

// cheap are argon2 parameters fast enough for tests that fail hundreds of logins.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// loginEnv is a service over a real SQLite store holding alice, bob and carol, on a clock
// the test moves.
type loginEnv struct {
	t     *testing.T
	svc   *Service
	clock *clock
	db    store.Store
}

func newLoginEnv(t *testing.T, cfg Config) *loginEnv {
	db, _ := sqlitetest.Open(t)
	for _, name := range []string{"alice", "bob", "carol"} {
		h, err := HashPassphraseWith(rightPass, cheap)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateInstance(context.Background(), name, h); err != nil {
			t.Fatal(err)
		}
	}
	c := newClock()
	cfg.SessionTTL, cfg.Now = time.Hour, c.now
	svc, err := New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &loginEnv{t: t, svc: svc, clock: c, db: db}
}

// login tries once; devices are the cookies the browser shows.
func (e *loginEnv) login(name, pass, addr string, devices ...string) (Result, error) {
	return e.svc.LoginWith(context.Background(), Attempt{Name: name, Passphrase: pass, Addr: addr, Devices: devices})
}

// device logs name in from addr and returns the browser's new device cookie.
func (e *loginEnv) device(name, addr string) string {
	e.t.Helper()
	res, err := e.login(name, rightPass, addr)
	if err != nil || !strings.HasPrefix(res.Device.Cookie, DevicePrefix) {
		e.t.Fatalf("%s logs in from %s: %+v, %v", name, addr, res.Device, err)
	}
	return res.Device.Cookie
}

// mustIn and mustWait assert the outcome of a login with the right passphrase.
func (e *loginEnv) mustIn(why, name, addr string, devices ...string) {
	e.t.Helper()
	if res, err := e.login(name, rightPass, addr, devices...); err != nil || res.Instance.Name != name || res.Session == "" {
		e.t.Fatalf("%s: %s from %s: %v", why, name, addr, err)
	}
}

func (e *loginEnv) mustWait(why, name, addr string, devices ...string) time.Duration {
	e.t.Helper()
	var rl *RateLimitedError
	if _, err := e.login(name, rightPass, addr, devices...); !errors.As(err, &rl) || rl.RetryAfter <= 0 {
		e.t.Fatalf("%s: %s from %s: %v, want to wait", why, name, addr, err)
	}
	return rl.RetryAfter
}

// fails makes n wrong attempts and counts how many were refused unverified.
func (e *loginEnv) fails(n int, name, addr string, devices ...string) (refused int) {
	e.t.Helper()
	for range n {
		var rl *RateLimitedError
		switch _, err := e.login(name, "wrong", addr, devices...); {
		case errors.As(err, &rl):
			refused++
		case !errors.Is(err, ErrBadCredentials):
			e.t.Fatalf("wrong passphrase for %s from %s: %v", name, addr, err)
		}
	}
	return refused
}

const (
	addrA = "192.0.2.1"    // the attacker
	addrB = "198.51.100.2" // alice at home, where she logged in before
	addrC = "203.0.113.3"  // alice somewhere new
)

// TestLoginLockout: failures lock out whoever makes them, not the person they aim at.
func TestLoginLockout(t *testing.T) {
	tests := []struct {
		name string
		run  func(e *loginEnv)
	}{
		{"50 failures at A lock A out, not alice at B with her device nor at a new C", func(e *loginEnv) {
			dev := e.device("alice", addrB)
			if refused := e.fails(50, "alice", addrA); refused != 50-maxClientName {
				e.t.Fatalf("%d of 50 attempts refused unverified, want %d", refused, 50-maxClientName)
			}
			e.mustIn("with her device cookie", "alice", addrB, dev)
			e.mustIn("from a new address", "alice", addrC)
			e.mustWait("the attacker's address", "alice", addrA)
			e.mustIn("another person from the attacker's address", "bob", addrA)
		}},
		{"a flood from many addresses stops unknown browsers, not alice's", func(e *loginEnv) {
			dev := e.device("alice", addrB)
			for i := range maxName {
				e.fails(1, "alice", fmt.Sprintf("10.0.%d.%d", i/200, i%200+1))
			}
			e.mustWait("from a new address", "alice", addrC)
			e.mustWait("from her address, without the cookie", "alice", addrB)
			e.mustIn("with her device cookie", "alice", addrB, dev)
			e.mustIn("with her device cookie, from anywhere", "alice", addrC, dev)
			e.mustIn("another person", "bob", addrC)
		}},
		{"a device's failures count against it alone", func(e *loginEnv) {
			dev := e.device("alice", addrB)
			if refused := e.fails(maxDeviceFailures, "alice", addrB, dev); refused != 0 {
				e.t.Fatalf("%d refused", refused)
			}
			e.mustWait("the device after its failures", "alice", addrB, dev)
			other := e.device("alice", addrC) // another browser of hers
			e.mustIn("her other browser", "alice", addrC, other)
			e.clock.advance(limitWindow)
			e.mustIn("the device after the window", "alice", addrB, dev)
		}},
		{"a cookie of another person, altered or of another server is no device cookie", func(e *loginEnv) {
			dev := e.device("alice", addrB)
			bobs := e.device("bob", addrB)
			foreign := newLoginEnv(e.t, Config{}).device("alice", addrB) // signed with another key
			e.fails(maxClientName, "alice", addrA)
			last := "A"
			if strings.HasSuffix(dev, "A") {
				last = "B"
			}
			altered := dev[:len(dev)-1] + last
			swapped := strings.Replace(bobs, strings.Split(bobs, ".")[0], strings.Split(dev, ".")[0], 1) // alice's instance, bob's signature
			for name, c := range map[string]string{"bob's": bobs, "altered": altered, "re-addressed": swapped, "another server's": foreign, "junk": "sdd_" + strings.Repeat("x", 5000)} {
				e.mustWait(name+" cookie", "alice", addrA, c)
			}
			e.mustIn("her own cookie among others", "alice", addrA, bobs, altered, dev)
		}},
		{"a device cookie expires", func(e *loginEnv) {
			dev := e.device("alice", addrB)
			e.clock.advance(2 * time.Hour) // the env's devices last an hour
			e.fails(maxClientName, "alice", addrA)
			e.mustWait("an expired cookie", "alice", addrA, dev)
		}},
		{"one client trying many names is stopped", func(e *loginEnv) {
			for i := range maxClient / maxClientName {
				name := fmt.Sprintf("user%d", i)
				h, _ := HashPassphraseWith(rightPass, cheap)
				if _, err := e.db.CreateInstance(context.Background(), name, h); err != nil {
					e.t.Fatal(err)
				}
				e.fails(maxClientName, name, addrA)
			}
			dev := e.device("carol", addrB)
			e.mustWait("a fresh name from that client", "alice", addrA)
			e.mustIn("a known browser at that client", "carol", addrA, dev)
			e.mustIn("that name from another client", "alice", addrC)
		}},
		{"logging in forgets the client's failures at that name", func(e *loginEnv) {
			for range 3 {
				e.fails(maxClientName-1, "alice", addrA)
				e.mustIn("after a few mistakes", "alice", addrA)
			}
		}},
		{"an IPv6 client is its /64", func(e *loginEnv) {
			e.fails(maxClientName, "alice", "2001:db8:1:2::1")
			e.mustWait("same /64", "alice", "2001:db8:1:2:ffff::9")
			e.mustIn("another /64", "alice", "2001:db8:1:3::1")
		}},
		{"names differ by case only are one", func(e *loginEnv) {
			e.fails(maxClientName, "ALICE", addrA)
			e.mustWait("lower case", "alice", addrA)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(newLoginEnv(t, Config{DeviceTTL: time.Hour})) })
	}
}

// TestLoginRetryAfter: the wait is what is left of the window that refuses, counted from
// its first failure; when several refuse, the longest.
func TestLoginRetryAfter(t *testing.T) {
	t.Run("one count full", func(t *testing.T) {
		e := newLoginEnv(t, Config{})
		for range maxClientName {
			e.fails(1, "alice", addrA)
			e.clock.advance(30 * time.Second)
		}
		e.clock.advance(6*time.Minute - maxClientName*30*time.Second)
		if wait := e.mustWait("6 minutes after the first failure", "alice", addrA); wait != 9*time.Minute {
			t.Errorf("wait %v, want 9m", wait)
		}
		e.clock.advance(9*time.Minute - time.Second)
		if wait := e.mustWait("a second before the end", "alice", addrA); wait != time.Second {
			t.Errorf("wait %v, want 1s", wait)
		}
		e.clock.advance(time.Second)
		e.mustIn("at the end of the window", "alice", addrA)
	})
	t.Run("the longest of two", func(t *testing.T) {
		e := newLoginEnv(t, Config{})
		for i := range maxName - maxClientName {
			e.fails(1, "alice", fmt.Sprintf("10.1.%d.%d", i/200, i%200+1))
		}
		e.clock.advance(5 * time.Minute) // the name's window started 5 minutes before A's
		e.fails(maxClientName, "alice", addrA)
		e.clock.advance(time.Minute)
		if wait := e.mustWait("both full", "alice", addrA); wait != 14*time.Minute {
			t.Errorf("wait %v, want 14m (A's window), not 9m (the name's)", wait)
		}
		if wait := e.mustWait("the name's alone", "alice", addrC); wait != 9*time.Minute {
			t.Errorf("wait %v from C, want 9m", wait)
		}
	})
}

func TestRateLimitedSeconds(t *testing.T) {
	for d, want := range map[time.Duration]int{time.Nanosecond: 1, time.Second: 1, 1500 * time.Millisecond: 2, 9 * time.Minute: 540, 9*time.Minute + time.Millisecond: 541} {
		if got := (&RateLimitedError{RetryAfter: d}).Seconds(); got != want {
			t.Errorf("Seconds(%v) = %d, want %d", d, got, want)
		}
	}
}

// TestDeviceSlot: one browser keeps one cookie per person, and its name tells nobody who.
func TestDeviceSlot(t *testing.T) {
	e := newLoginEnv(t, Config{})
	a1, _ := e.login("alice", rightPass, addrB)
	a2, _ := e.login("alice", rightPass, addrC)
	b, _ := e.login("bob", rightPass, addrB)
	if a1.Device.Slot == "" || a1.Device.Slot != a2.Device.Slot || a1.Device.Slot == b.Device.Slot || strings.Contains(a1.Device.Slot, a1.Instance.ID) {
		t.Errorf("slots: alice %q and %q, bob %q", a1.Device.Slot, a2.Device.Slot, b.Device.Slot)
	}
	if a1.Device.Cookie == a2.Device.Cookie || a1.Device.TTL != DefaultDeviceTTL {
		t.Errorf("cookies: %q %q, TTL %v", a1.Device.Cookie, a2.Device.Cookie, a1.Device.TTL)
	}
}
