package web

import (
	"net/http"
	"sync/atomic"
)

// DefaultMaxInFlight is how many requests are served at once by default; the others wait
// their turn. A request mostly waits for the database — a reader, the writer, the log's
// group commit — and a few dozen at once keep two processors and the database busy; a
// thousand at once only fight for the same connections and processors, and a request that
// holds a lock in the database waits for a processor behind them.
const DefaultMaxInFlight = 32

// turns serves at most limit requests at once and lets the others wait in the order they
// came, so that under load every request waits about as long as the others. Without it,
// each request waits for a database connection, and database/sql hands a freed one to any
// waiter at random: under 1,000 clients the median was half a second and the slowest five
// seconds. A request whose client goes away stops waiting. Go's channels queue blocked
// senders first in, first out, which makes the channel a fair queue.
type turns struct {
	slots   chan struct{}
	waiting atomic.Int64 // requests waiting for a slot
}

func newTurns(limit int) *turns {
	if limit <= 0 {
		limit = DefaultMaxInFlight
	}
	return &turns{slots: make(chan struct{}, limit)}
}

func (t *turns) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case t.slots <- struct{}{}:
		default:
			t.waiting.Add(1)
			select {
			case t.slots <- struct{}{}:
				t.waiting.Add(-1)
			case <-r.Context().Done():
				t.waiting.Add(-1)
				return
			}
		}
		defer func() { <-t.slots }()
		next.ServeHTTP(w, r)
	})
}
