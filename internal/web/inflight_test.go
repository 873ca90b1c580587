package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestTurns: at most limit requests are served at once; the others are served in the
// order they came, and one whose client gives up while waiting is never served.
func TestTurns(t *testing.T) {
	release := make(chan struct{})
	var in, most atomic.Int64
	var mu sync.Mutex
	var order []string
	tr := newTurns(2)
	h := tr.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := in.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		mu.Lock()
		order = append(order, r.URL.Path)
		mu.Unlock()
		<-release
		in.Add(-1)
	}))
	until := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("never: %s", what)
			}
		}
	}
	served := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(order)
	}
	var wg sync.WaitGroup
	serve := func(path string, ctx context.Context) {
		wg.Go(func() { h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil).WithContext(ctx)) })
	}
	serve("/1", context.Background())
	serve("/2", context.Background())
	until("two served", func() bool { return served() == 2 })
	gone, cancel := context.WithCancel(context.Background())
	serve("/gone", gone)
	until("one waiting", func() bool { return tr.waiting.Load() == 1 })
	for i, p := range []string{"/3", "/4", "/5"} {
		serve(p, context.Background())
		until(p+" waiting", func() bool { return tr.waiting.Load() == int64(i+2) })
	}
	cancel()
	until("the one that gave up gone", func() bool { return tr.waiting.Load() == 3 })
	// One request ends at a time, and the next in line is served before another ends: the
	// order they are served in is then the order of their turns.
	for n := 3; n <= 5; n++ {
		release <- struct{}{}
		until(fmt.Sprintf("%d served", n), func() bool { return served() == n })
	}
	release <- struct{}{}
	release <- struct{}{}
	wg.Wait()
	if most.Load() != 2 {
		t.Errorf("%d requests were served at once, want 2", most.Load())
	}
	if want := []string{"/3", "/4", "/5"}; len(order) != 5 || !slices.Equal(order[2:], want) {
		t.Errorf("served %v, want /1 and /2, then %v in order, without the one that gave up", order, want)
	}
}
