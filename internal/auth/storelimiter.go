package auth

import (
	"context"
	"time"

	"selfdata/internal/store"
)

// StoreLimiter is Limiter's rule — at most max failures in a window that starts at a key's
// first failure — counted in the store, so that every server on one database counts the
// same failures: with several servers, an in-memory count would let an attacker try as many
// times as there are servers.
type StoreLimiter struct {
	st     store.Credentials
	max    int
	window time.Duration
	now    func() time.Time
}

// NewStoreLimiter takes the clock as an argument so that tests can move time. A nil now
// means time.Now. It panics when maxFailures or window is not positive, a programming error.
func NewStoreLimiter(st store.Credentials, maxFailures int, window time.Duration, now func() time.Time) *StoreLimiter {
	if maxFailures < 1 || window <= 0 {
		panic("auth.NewStoreLimiter: maxFailures and window must be positive")
	}
	if now == nil {
		now = time.Now
	}
	return &StoreLimiter{st: st, max: maxFailures, window: window, now: now}
}

// Allowed is checked before verifying a passphrase; retryAfter is zero when ok.
func (l *StoreLimiter) Allowed(ctx context.Context, key string) (ok bool, retryAfter time.Duration, err error) {
	now := l.now()
	w, err := l.st.LoginFailures(ctx, key, now, l.window)
	if err != nil || w.Count < l.max {
		return err == nil, 0, err
	}
	// A clock that went backwards must not block for longer than one window.
	return false, min(max(w.Start.Add(l.window).Sub(now), time.Nanosecond), l.window), nil
}

// Fail records one failed login for key.
func (l *StoreLimiter) Fail(ctx context.Context, key string) error {
	_, err := l.st.AddLoginFailure(ctx, key, l.now(), l.window)
	return err
}

// Reset forgets the failures of key after a successful login.
func (l *StoreLimiter) Reset(ctx context.Context, key string) error {
	return l.st.ResetLoginFailures(ctx, key)
}
