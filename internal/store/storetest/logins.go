package storetest

import (
	"sync"
	"testing"
	"time"

	"selfdata/internal/store"
)

// testLoginFailures: a window counts from its first failure, ends after window, and a reset
// forgets it; keys do not mix.
func testLoginFailures(t *testing.T, s store.Store) {
	const window = 15 * time.Minute
	t0 := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	steps := []struct {
		name  string
		do    string // add, read or reset
		key   string
		at    time.Duration // after t0
		start time.Duration // of the window returned; -1: none
		count int
	}{
		{"no failure yet", "read", "alice", 0, -1, 0},
		{"first", "add", "alice", 0, 0, 1},
		{"second, in the window", "add", "alice", 5 * time.Minute, 0, 2},
		{"read in the window", "read", "alice", 14 * time.Minute, 0, 2},
		{"another key", "add", "bob", 6 * time.Minute, 6 * time.Minute, 1},
		{"read when the window is over", "read", "alice", window, -1, 0},
		{"a failure after the window starts another", "add", "alice", window + time.Minute, window + time.Minute, 1},
		{"bob's window still counts", "read", "bob", 16 * time.Minute, 6 * time.Minute, 1},
		{"reset", "reset", "alice", window + 2*time.Minute, -1, 0},
		{"read after reset", "read", "alice", window + 2*time.Minute, -1, 0},
	}
	for _, st := range steps {
		now := t0.Add(st.at)
		var w store.LoginWindow
		var err error
		switch st.do {
		case "add":
			w, err = s.AddLoginFailure(ctx, st.key, now, window)
		case "read":
			w, err = s.LoginFailures(ctx, st.key, now, window)
		case "reset":
			err = s.ResetLoginFailures(ctx, st.key)
		}
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		want := store.LoginWindow{Count: st.count}
		if st.start >= 0 {
			want.Start = t0.Add(st.start)
		}
		if st.do != "reset" && (w.Count != want.Count || !w.Start.Equal(want.Start)) {
			t.Errorf("%s: window = %+v, want %+v", st.name, w, want)
		}
	}
}

// testLoginFailuresConcurrent: failures counted at once by several servers are all counted.
func testLoginFailuresConcurrent(t *testing.T, s store.Store) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := s.AddLoginFailure(ctx, "carol", now, time.Hour); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if w, err := s.LoginFailures(ctx, "carol", now, time.Hour); err != nil || w.Count != 20 {
		t.Fatalf("after 20 concurrent failures: %+v, %v", w, err)
	}
}
