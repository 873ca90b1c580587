package web

import "net/http"

// DefaultMaxInFlight is how many requests are served at once by default; the others wait
// their turn. A request mostly waits for the database — a reader, the writer, the log's
// group commit — and a few dozen at once keep two processors and the database busy; a
// thousand at once only fight for the same connections.
const DefaultMaxInFlight = 64

// inFlight serves at most limit requests at once and lets the others wait in the order they
// came, so that under load every request waits about as long as the others. Without it,
// each request waits for a database connection, and database/sql hands a freed one to any
// waiter at random: under 1,000 clients the median was half a second and the slowest five
// seconds. A request whose client goes away stops waiting. Go's channels queue blocked
// senders first in, first out, which makes the channel a fair queue.
func inFlight(next http.Handler, limit int) http.Handler {
	if limit <= 0 {
		limit = DefaultMaxInFlight
	}
	slots := make(chan struct{}, limit)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
		case <-r.Context().Done():
			return
		}
		defer func() { <-slots }()
		next.ServeHTTP(w, r)
	})
}
