package web

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"selfdata/internal/consent"
)

// fastCut is a grace and rate small enough that a trickled body is cut within a second.
func fastCut(c *Config) { c.BodyGrace, c.BodyMinRate = 300*time.Millisecond, 1024 }

// trickle sends a request whose body, after prefix, comes one byte every 100 ms, and returns the status
// of the answer (0 when the server closed the connection without one), and whether the
// server cut the body before all of it was sent. The body would take 100 s; the test gives
// the server 10 s to cut it.
func trickle(t *testing.T, addr, head, prefix string) (status int, cut bool) {
	t.Helper()
	const size = 1000
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "%sContent-Length: %d\r\n\r\n%s", head, len(prefix)+size, prefix); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var sent int
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for sent < size {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			if _, err := conn.Write([]byte("a")); err != nil {
				return
			}
			sent++
		}
	})
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	close(stop)
	wg.Wait()
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		t.Fatalf("no answer within 10 s: the trickled body was not cut (%d bytes sent)", sent)
	case err != nil: // closed without an answer
		return 0, sent < size
	}
	res.Body.Close()
	return res.StatusCode, sent < size
}

// TestSlowBodyIsCut: a body trickled far below the minimum rate is cut — on the anonymous
// login form, on the API and on the admin API — with a 408 or a closed connection, and
// nothing of it in the log.
func TestSlowBodyIsCut(t *testing.T) {
	var logged bytes.Buffer
	ts := newTestServerWith(t, edge{cfg: fastCut, log: slog.New(slog.NewTextHandler(&logged, nil))})
	cfg := ts.srv.cfg
	admin := httptest.NewServer(NewAdmin(cfg, ts.srv.orgs, consent.NewServices(ts.db, ts.gate.Registry()), slog.New(slog.NewTextHandler(&logged, nil))).Handler())
	defer admin.Close()
	tests := []struct {
		name, addr, head, prefix string
	}{
		{"POST /login", ts.http.Listener.Addr().String(), "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n", "instance=alice&passphrase="},
		{"POST /api/v1/data/bill", ts.http.Listener.Addr().String(), "POST /api/v1/data/bill HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer " + ts.alice.token + "\r\n", `[{"id":"`},
		{"POST /admin/v1/services", admin.Listener.Addr().String(), "POST /admin/v1/services HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n", `{"id":"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, cut := trickle(t, tt.addr, tt.head, tt.prefix)
			if !cut || status != 0 && status != http.StatusRequestTimeout {
				t.Errorf("answer %d, cut %v: want 408 or a closed connection before the body's end", status, cut)
			}
		})
	}
	if strings.Contains(logged.String(), "aaa") || strings.Count(logged.String(), "\n") > len(tests) {
		t.Errorf("the log holds the body or more than a line per cut:\n%s", logged.String())
	}
}

// TestFastBodyPasses: a body sent at a normal speed is read whole, however long it is, under
// the same small grace and rate; and the connection serves the next request.
func TestFastBodyPasses(t *testing.T) {
	ts := newTestServerWith(t, edge{cfg: fastCut})
	big := bytes.Repeat([]byte("%PDF-1.4 0123456789\n"), 12<<10) // 240 KiB, far more than rate × grace
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	for i := range 2 {
		req, _ := http.NewRequest("POST", ts.http.URL+"/api/v1/files?name=big.pdf", bytes.NewReader(big))
		req.Header.Set("Authorization", "Bearer "+ts.alice.token)
		req.Header.Set("Content-Type", "application/pdf")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("upload %d: %d %s", i, res.StatusCode, b)
		}
	}
}

// TestSlowBodyNotAfterIt: once the body is read, the deadline no longer applies: a handler
// that works longer than the grace after reading keeps its request alive.
func TestSlowBodyNotAfterIt(t *testing.T) {
	var ctxErr error
	h := slowBodies(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(600 * time.Millisecond) // twice the grace
		ctxErr = r.Context().Err()
		w.WriteHeader(http.StatusNoContent)
	}), 300*time.Millisecond, 1024, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := http.Post(srv.URL, "text/plain", strings.NewReader("a short body"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent || ctxErr != nil {
		t.Fatalf("answer %d, request context %v", res.StatusCode, ctxErr)
	}
}

// TestBodyDeadline is the rule itself: the grace, then the time the bytes read so far take
// at the minimum rate.
func TestBodyDeadline(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		read int64
		want time.Duration
	}{{0, 10 * time.Second}, {4096, 11 * time.Second}, {100 << 20, 10*time.Second + 25600*time.Second}} {
		if got := bodyDeadline(start, tt.read, 10*time.Second, 4096); !got.Equal(start.Add(tt.want)) {
			t.Errorf("bodyDeadline(%d bytes) = start + %v, want + %v", tt.read, got.Sub(start), tt.want)
		}
	}
}
