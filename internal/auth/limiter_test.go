package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// clock is a settable time source for the limiter.
type clock struct{ t time.Time }

func (c *clock) now() time.Time           { return c.t }
func (c *clock) advance(d time.Duration)  { c.t = c.t.Add(d) }
func newClock() *clock                    { return &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }
func allowed(l *Limiter, key string) bool { ok, _ := l.Allowed(key); return ok }

func TestLimiter(t *testing.T) {
	const max, window = 3, time.Minute
	tests := []struct {
		name string
		run  func(t *testing.T, l *Limiter, c *clock)
	}{
		{"fresh key allowed", func(t *testing.T, l *Limiter, c *clock) {
			if ok, wait := l.Allowed("alice"); !ok || wait != 0 {
				t.Errorf("Allowed = %v, %v; want true, 0", ok, wait)
			}
		}},
		{"allowed below max", func(t *testing.T, l *Limiter, c *clock) {
			for range max - 1 {
				l.Fail("alice")
			}
			if !allowed(l, "alice") {
				t.Error("blocked after max-1 failures")
			}
		}},
		{"blocked at max with retryAfter", func(t *testing.T, l *Limiter, c *clock) {
			for range max {
				l.Fail("alice")
				c.advance(10 * time.Second)
			}
			ok, wait := l.Allowed("alice")
			if ok {
				t.Fatal("allowed after max failures")
			}
			if wait <= 0 || wait > window {
				t.Errorf("retryAfter = %v, want in (0, %v]", wait, window)
			}
			if want := window - 30*time.Second; wait != want {
				t.Errorf("retryAfter = %v, want %v (window counted from the first failure)", wait, want)
			}
		}},
		{"window expiry unblocks", func(t *testing.T, l *Limiter, c *clock) {
			for range max {
				l.Fail("alice")
			}
			c.advance(window - time.Second)
			if allowed(l, "alice") {
				t.Fatal("allowed before the window ended")
			}
			c.advance(time.Second)
			if !allowed(l, "alice") {
				t.Fatal("still blocked after the window")
			}
			l.Fail("alice") // a new window starts with one failure
			if !allowed(l, "alice") {
				t.Error("blocked after one failure in a new window")
			}
		}},
		{"failures spread beyond window do not add up", func(t *testing.T, l *Limiter, c *clock) {
			for range 3 * max {
				l.Fail("alice")
				c.advance(window)
			}
			if !allowed(l, "alice") {
				t.Error("blocked although no window held max failures")
			}
		}},
		{"reset unblocks", func(t *testing.T, l *Limiter, c *clock) {
			for range max {
				l.Fail("alice")
			}
			l.Reset("alice")
			if !allowed(l, "alice") {
				t.Error("blocked after Reset")
			}
			l.Reset("nobody") // no panic on an unknown key
		}},
		{"keys independent", func(t *testing.T, l *Limiter, c *clock) {
			for range max {
				l.Fail("alice")
			}
			if !allowed(l, "bob") || !allowed(l, "192.0.2.1") {
				t.Error("other keys blocked by alice's failures")
			}
			if allowed(l, "alice") {
				t.Error("alice not blocked")
			}
		}},
		{"expired keys pruned", func(t *testing.T, l *Limiter, c *clock) {
			for i := range 10 {
				l.Fail(fmt.Sprint("k", i))
			}
			c.advance(window)
			l.Fail("new")
			if n := l.Len(); n != 1 {
				t.Errorf("Len = %d after the window, want 1", n)
			}
		}},
		{"clock going backwards blocks at most one window", func(t *testing.T, l *Limiter, c *clock) {
			for range max {
				l.Fail("alice")
			}
			c.advance(-time.Hour)
			if ok, wait := l.Allowed("alice"); ok || wait <= 0 || wait > window {
				t.Errorf("Allowed = %v, %v; want false, in (0, %v]", ok, wait, window)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			tt.run(t, NewLimiter(max, window, c.now), c)
		})
	}
}

func TestLimiterCap(t *testing.T) {
	c := newClock()
	l := NewLimiter(1, time.Hour, c.now)
	l.maxKeys = 100
	for i := range 1000 {
		l.Fail(fmt.Sprint("k", i))
		c.advance(time.Millisecond)
		if n := l.Len(); n > l.maxKeys {
			t.Fatalf("Len = %d > cap %d", n, l.maxKeys)
		}
	}
	if !allowed(l, "k0") {
		t.Error("k0 still blocked: the oldest key should have been evicted")
	}
	if allowed(l, "k999") {
		t.Error("k999 allowed: the newest key should be kept")
	}
}

func TestLimiterDefaultCap(t *testing.T) {
	l := NewLimiter(1, time.Hour, nil)
	for i := range DefaultMaxKeys + 10 {
		l.Fail(fmt.Sprint("k", i))
	}
	if n := l.Len(); n != DefaultMaxKeys {
		t.Errorf("Len = %d, want %d", n, DefaultMaxKeys)
	}
}

func TestLimiterConcurrent(t *testing.T) {
	l := NewLimiter(5, time.Minute, nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				key := fmt.Sprint("k", (g*1000+i)%50)
				l.Allowed(key)
				l.Fail(key)
				if i%7 == 0 {
					l.Reset(key)
				}
			}
		})
	}
	wg.Wait()
}

func TestNewLimiterPanics(t *testing.T) {
	for _, tt := range []struct {
		max    int
		window time.Duration
	}{{0, time.Minute}, {3, 0}, {-1, -time.Second}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewLimiter(%d, %v) did not panic", tt.max, tt.window)
				}
			}()
			NewLimiter(tt.max, tt.window, nil)
		}()
	}
}
