package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"strings"
	"time"

	"selfdata/internal/store"
)

// Failed logins are limited so that guessing a passphrase online is slow, without letting
// anyone lock a person out (OWASP, "Slow brute force" and "Device cookies"). Every count is
// kept in the store, so that every server on one database counts the same failures.
//
// A login from a browser holding a valid device cookie for the name (one where the person
// logged in before) is limited by that cookie's own failures only; failures from elsewhere
// never block it. Any other login — unknown browser, script — is limited three ways:
//
//   - per client address and name: the guesses of one client at one person;
//   - per name, more loosely: many clients guessing one person's passphrase together;
//   - per client address, loosely too: one client trying many names.
//
// So an attacker blocks only their own address (and, with a flood from many addresses,
// the logins of that name from unknown browsers), never the person's own browser. Behind a
// reverse proxy, the client address is the proxy's unless the server is told to trust it
// (web's --trusted-proxies); device cookies still let known browsers in.
//
// Each rule is a fixed window of limitWindow that starts at a key's first failure; a
// refused attempt costs no argon2 verification and counts nothing.
const (
	limitWindow       = 15 * time.Minute
	maxDeviceFailures = 10  // per device cookie
	maxClientName     = 10  // per (client address, name), without device cookie
	maxName           = 100 // per name, without device cookie
	maxClient         = 100 // per client address, any name, without device cookie
	maxChange         = 10  // per instance, wrong current passphrases when changing it
)

// limits are the rules above, each a StoreLimiter whose keys carry the rule's prefix.
type limits struct {
	device, clientName, name, client, change *StoreLimiter
}

func newLimits(st store.Credentials, now func() time.Time) limits {
	l := func(max int) *StoreLimiter { return NewStoreLimiter(st, max, limitWindow, now) }
	return limits{device: l(maxDeviceFailures), clientName: l(maxClientName), name: l(maxName), client: l(maxClient), change: l(maxChange)}
}

// limitKey is one count an attempt is checked against and, if it fails, adds to.
type limitKey struct {
	lim *StoreLimiter
	key string
}

// forAttempt lists the counts of a login: the device's alone when the browser is known.
func (l limits) forAttempt(name, addr, device string) []limitKey {
	if device != "" {
		return []limitKey{{l.device, "device:" + device}}
	}
	n, a := nameKey(name), addrKey(addr)
	return []limitKey{{l.clientName, "client-name:" + a + " " + n}, {l.name, "name:" + n}, {l.client, "client:" + a}}
}

// check returns how long to wait when any count is full: the longest of their waits, so
// that Retry-After is when the attempt will be let through.
func check(ctx context.Context, keys []limitKey) (retryAfter time.Duration, err error) {
	for _, k := range keys {
		ok, wait, err := k.lim.Allowed(ctx, k.key)
		if err != nil {
			return 0, err
		}
		if !ok {
			retryAfter = max(retryAfter, wait)
		}
	}
	return retryAfter, nil
}

func fail(ctx context.Context, keys []limitKey) error {
	for _, k := range keys {
		if err := k.lim.Fail(ctx, k.key); err != nil {
			return err
		}
	}
	return nil
}

// nameKey is how a name is counted: case does not make another person, and a name too long
// to be one is hashed, so that junk does not fill the table with long keys.
func nameKey(name string) string {
	name = strings.ToLower(name)
	if len(name) <= 64 {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	return "#" + hex.EncodeToString(sum[:16])
}

// addrKey is how a client address is counted: an IPv6 client usually holds a whole /64, so
// that is what counts as one client; an IPv4 address counts alone.
func addrKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return nameKey(addr)
	}
	if a = a.Unmap(); a.Is6() {
		p, _ := a.WithZone("").Prefix(64)
		return p.String()
	}
	return a.String()
}
