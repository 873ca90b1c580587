package web

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// A client that sends its body a byte every few seconds holds a connection and a goroutine
// for as long as it likes (slowloris), even on the anonymous POST /login. A fixed
// http.Server.ReadTimeout would cut honest uploads of 100 MB over a slow line too. So the
// body must come at a minimum average rate after a short grace: by time start+grace+n/rate,
// at least n bytes must have arrived. The read deadline of the connection is moved forward
// as bytes come (http.ResponseController), so a trickle hits it and its read fails; the
// answer is then a 408 whatever the handler makes of the failed read, the connection is
// closed, and one short line is logged — never the body.

// Production defaults: 10 s to start, then 4 KiB/s on average (32 kbit/s, below the
// slowest mobile uplink still in use). A 100 MiB upload may take up to 7 hours at that rate;
// a trickle of a byte every 4 s is cut after 10 s.
const (
	DefaultBodyGrace   = 10 * time.Second
	DefaultBodyMinRate = 4 << 10 // bytes per second
)

// errSlowBody is what a handler reads when the body came too slowly; as an httpError it is
// answered, not logged as an internal failure.
var errSlowBody = errorf(http.StatusRequestTimeout, "The request body arrived too slowly.")

// bodyDeadline is when the body's next byte must have arrived, read bytes after start.
func bodyDeadline(start time.Time, read int64, grace time.Duration, rate int64) time.Time {
	return start.Add(grace + time.Duration(float64(read)/float64(rate)*float64(time.Second)))
}

// slowBodies enforces the minimum rate on every request body. It must wrap the writer the
// server gave, so that the ResponseController reaches the connection.
func slowBodies(next http.Handler, grace time.Duration, rate int64, log *slog.Logger) http.Handler {
	if grace <= 0 {
		grace = DefaultBodyGrace
	}
	if rate <= 0 {
		rate = DefaultBodyMinRate
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		b := &deadlineBody{body: r.Body, rc: rc, start: time.Now(), grace: grace, rate: rate}
		if rc.SetReadDeadline(b.start.Add(grace)) != nil {
			next.ServeHTTP(w, r) // not a connection (a test's recorder): nothing to enforce
			return
		}
		r.Body = b
		sw := &slowWriter{ResponseWriter: w, body: b}
		next.ServeHTTP(sw, r)
		if b.slow() {
			sw.refuse()
			log.Info("request body too slow: cut", "method", r.Method, "path", r.URL.Path)
		}
	})
}

// deadlineBody moves the read deadline forward as bytes come.
type deadlineBody struct {
	body  io.ReadCloser
	rc    *http.ResponseController
	start time.Time
	grace time.Duration
	rate  int64

	mu       sync.Mutex // a handler may read in one goroutine and answer in another
	read     int64
	timedOut bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.read += int64(n)
	// At io.EOF nothing is moved: net/http clears the deadline itself when it starts
	// watching the connection for the next request, so the handler's work after reading
	// the body is not cut (TestSlowBodyNotAfterIt).
	switch {
	case err == nil:
		b.rc.SetReadDeadline(bodyDeadline(b.start, b.read, b.grace, b.rate))
	case isTimeout(err):
		b.timedOut = true
		return n, errSlowBody
	}
	return n, err
}

func (b *deadlineBody) Close() error { return b.body.Close() }

func (b *deadlineBody) slow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.timedOut
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// slowWriter answers 408 instead of whatever the handler answers once the body was cut:
// the handler only saw a failed read, and may call it a bad request or a forged form.
type slowWriter struct {
	http.ResponseWriter
	body    *deadlineBody
	wrote   bool // the answer has started
	refused bool // and it is the 408
}

func (w *slowWriter) WriteHeader(code int) {
	if w.wrote {
		return
	}
	if w.body.slow() {
		w.refuse()
		return
	}
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *slowWriter) Write(p []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if w.refused {
		return len(p), nil // the handler's answer to a failed read is not sent
	}
	return w.ResponseWriter.Write(p)
}

// refuse sends the 408 unless an answer has started already.
func (w *slowWriter) refuse() {
	if w.wrote {
		return
	}
	w.wrote, w.refused = true, true
	h := w.ResponseWriter.Header()
	for _, k := range []string{"Content-Length", "Location", "Set-Cookie", "Retry-After", "WWW-Authenticate"} {
		h.Del(k)
	}
	h.Set("Connection", "close")
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	w.ResponseWriter.WriteHeader(http.StatusRequestTimeout)
	io.WriteString(w.ResponseWriter, `{"type":"about:blank","title":"Request Timeout","status":408,"detail":"The request body arrived too slowly."}`+"\n")
}

// Unwrap lets the handlers' own ResponseControllers reach the server's writer.
func (w *slowWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
