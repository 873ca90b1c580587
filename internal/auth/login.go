package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"selfdata/internal/store"
)

// RateLimitedError says when to try again.
type RateLimitedError struct{ RetryAfter time.Duration }

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("too many failed logins; try again in %s", e.RetryAfter.Round(time.Second))
}

// Seconds is the wait in whole seconds, rounded up, for a Retry-After header: a client that
// waits that long is let through.
func (e *RateLimitedError) Seconds() int {
	return int((e.RetryAfter + time.Second - 1) / time.Second)
}

// Attempt is one login.
type Attempt struct {
	Name, Passphrase string
	Addr             string // the client's address, as the web layer determined it
	// Devices are the device cookies the browser presented, any number; the one of the
	// named instance, if valid, makes the browser a known one (see limits.go).
	Devices []string
}

// Result is a successful login.
type Result struct {
	Session  string // the session's secret, for the session cookie
	Device   Device // a fresh device cookie, to replace the browser's one for this instance
	Instance store.Instance
}

// Login logs in without a device cookie (a script, the CLI, a test) and returns the
// session's secret.
func (s *Service) Login(ctx context.Context, name, passphrase, addr string) (secret string, in store.Instance, err error) {
	res, err := s.LoginWith(ctx, Attempt{Name: name, Passphrase: passphrase, Addr: addr})
	return res.Session, res.Instance, err
}

// LoginWith checks a passphrase under the login limits and opens a session.
func (s *Service) LoginWith(ctx context.Context, a Attempt) (Result, error) {
	now := s.now()
	in, err := s.st.Instance(ctx, a.Name)
	known := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Result{}, err
	}
	device := ""
	if known {
		if device, err = s.devices.find(ctx, a.Devices, in.ID, now); err != nil {
			return Result{}, err
		}
	}
	keys := s.limits.forAttempt(a.Name, a.Addr, device)
	if wait, err := check(ctx, keys); err != nil {
		return Result{}, err
	} else if wait > 0 {
		return Result{}, &RateLimitedError{RetryAfter: wait}
	}
	hash := s.dummy // an unknown name takes as long as a wrong passphrase
	if known {
		if hash, err = s.st.PassphraseHash(ctx, in.ID); err != nil {
			return Result{}, err
		}
	}
	if ok, verr := VerifyPassphrase(hash, a.Passphrase); !known || verr != nil || !ok {
		if err := fail(ctx, keys); err != nil {
			return Result{}, err
		}
		return Result{}, ErrBadCredentials
	}
	// The person is in: forget the failures of this browser or this client at this name.
	// The name's and the address's wider counts stay, or an attacker who also knows a
	// passphrase could reset them at will.
	if err := keys[0].lim.Reset(ctx, keys[0].key); err != nil {
		return Result{}, err
	}
	s.rehash(ctx, in.ID, hash, a.Passphrase)
	return s.open(ctx, in, now)
}

// rehash upgrades a hash made with older parameters; the old hash still works if it fails.
func (s *Service) rehash(ctx context.Context, instanceID, hash, passphrase string) {
	if NeedsRehash(hash) {
		if h, err := HashPassphrase(passphrase); err == nil {
			_ = s.st.SetPassphraseHash(ctx, instanceID, h)
		}
	}
}

// open starts a session and issues a device cookie.
func (s *Service) open(ctx context.Context, in store.Instance, now time.Time) (Result, error) {
	secret, sh, err := NewSecret(SessionPrefix)
	if err != nil {
		return Result{}, err
	}
	if err := s.st.CreateSession(ctx, store.Session{Hash: sh, Instance: in.ID, Created: now, Expires: now.Add(s.sessionTTL)}); err != nil {
		return Result{}, err
	}
	// Logins are rare enough to sweep expired sessions away at each one.
	if err := s.st.DeleteExpiredSessions(ctx, now); err != nil {
		return Result{}, err
	}
	dev, err := s.devices.issue(ctx, in.ID, now)
	if err != nil {
		return Result{}, err
	}
	return Result{Session: secret, Device: dev, Instance: in}, nil
}
