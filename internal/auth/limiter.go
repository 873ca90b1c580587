package auth

import (
	"container/list"
	"sync"
	"time"
)

// DefaultMaxKeys bounds the memory of a Limiter: a few megabytes at most, however many
// addresses an attacker uses.
const DefaultMaxKeys = 100_000

// Limiter slows down online guessing by counting login failures per key. A key can be an
// instance name (protects one person against a distributed attack) or a client address
// (protects all instances against one client); callers usually check both.
//
// The window is fixed and starts at a key's first failure: once maxFailures failures happened
// within it, the key is refused until the window ends. This needs one counter per key rather
// than a timestamp per failure.
//
// When the key cap is reached the oldest window is dropped first. That may forget a blocked key
// under a flood of new keys, but only after DefaultMaxKeys distinct keys, and it never lets the
// limiter grow without bound.
type Limiter struct {
	max     int
	window  time.Duration
	now     func() time.Time
	maxKeys int

	mu    sync.Mutex
	keys  map[string]*list.Element // of *failures
	order *list.List               // by window start, oldest at the front
}

type failures struct {
	key   string
	start time.Time
	count int
}

// NewLimiter takes the clock as an argument so that tests can move time. A nil now means
// time.Now. It panics when maxFailures or window is not positive, a programming error.
func NewLimiter(maxFailures int, window time.Duration, now func() time.Time) *Limiter {
	if maxFailures < 1 || window <= 0 {
		panic("auth.NewLimiter: maxFailures and window must be positive")
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{
		max: maxFailures, window: window, now: now, maxKeys: DefaultMaxKeys,
		keys: make(map[string]*list.Element), order: list.New(),
	}
}

// Allowed is checked before verifying a passphrase, so that a blocked client does not even cost
// an argon2 computation. retryAfter is for a Retry-After header and is zero when ok.
func (l *Limiter) Allowed(key string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.prune(now)
	e, found := l.keys[key]
	if !found {
		return true, 0
	}
	f := e.Value.(*failures)
	if l.expired(f, now) { // left behind by prune only if the clock went backwards
		l.remove(e)
		return true, 0
	}
	if f.count < l.max {
		return true, 0
	}
	wait := f.start.Add(l.window).Sub(now)
	// A clock that went backwards must not block for longer than one window.
	wait = min(max(wait, time.Nanosecond), l.window)
	return false, wait
}

// Fail records one failed login for key.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.prune(now)
	if e, found := l.keys[key]; found {
		if f := e.Value.(*failures); !l.expired(f, now) {
			f.count++
			return
		}
		l.remove(e)
	}
	for len(l.keys) >= l.maxKeys {
		l.remove(l.order.Front())
	}
	l.keys[key] = l.order.PushBack(&failures{key: key, start: now, count: 1})
}

// Reset forgets the failures of key after a successful login, so that a person who mistyped a
// few times is not punished later.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, found := l.keys[key]; found {
		l.remove(e)
	}
}

// Len is the number of keys currently tracked, for metrics and tests.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

func (l *Limiter) expired(f *failures, now time.Time) bool {
	return now.Sub(f.start) >= l.window
}

// prune drops expired windows from the front; windows are appended in start order, so it stops
// at the first live one and costs O(1) amortized.
func (l *Limiter) prune(now time.Time) {
	for e := l.order.Front(); e != nil && l.expired(e.Value.(*failures), now); e = l.order.Front() {
		l.remove(e)
	}
}

func (l *Limiter) remove(e *list.Element) {
	delete(l.keys, e.Value.(*failures).key)
	l.order.Remove(e)
}
