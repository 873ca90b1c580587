package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// client is the HTTP side of a run: one transport shared by every simulated client, sized
// so that each of them keeps its own connection, as that many real clients would.
type client struct {
	base  string
	token string
	http  *http.Client
}

func newClient(base *url.URL, token string, conns int, timeout time.Duration) *client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, Control: loopbackOnly}
	tr := &http.Transport{
		DialContext:           dialer.DialContext,
		MaxConnsPerHost:       conns,
		MaxIdleConns:          conns,
		MaxIdleConnsPerHost:   conns,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: timeout,
		ForceAttemptHTTP2:     false, // one connection per client, as HTTP/1.1 clients open
	}
	return &client{
		base:  strings.TrimRight(base.String(), "/"),
		token: token,
		http: &http.Client{
			Transport: tr,
			Timeout:   timeout,
			// The API does not redirect; following one could lead off this machine.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

func (c *client) close() { c.http.CloseIdleConnections() }

// loopbackOnly refuses a connection to anything but a loopback address, whatever the URL's
// name resolved to.
func loopbackOnly(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to connect to %s: not a loopback address", address)
	}
	return nil
}

// statusError is an answer with another status than the one expected.
type statusError struct {
	status int
	detail string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("HTTP %d: %s", e.status, e.detail)
}

// do sends one request (body as JSON unless nil) and decodes the answer into out (unless
// nil) when its status is want.
func (c *client) do(ctx context.Context, method, path string, body, out any, want int) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	if res.StatusCode != want {
		return &statusError{status: res.StatusCode, detail: problemDetail(b)}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s %s: decoding the answer: %w", method, path, err)
	}
	return nil
}

// problemDetail is the detail of an RFC 9457 answer, or the start of the body.
func problemDetail(b []byte) string {
	var p struct{ Title, Detail string }
	if json.Unmarshal(b, &p) == nil && (p.Detail != "" || p.Title != "") {
		return strings.TrimSpace(p.Title + " " + p.Detail)
	}
	if len(b) > 200 {
		b = b[:200]
	}
	return string(b)
}

// reason classifies a failed request for the error table: by status, or as a timeout or
// another transport error.
func reason(err error) string {
	var se *statusError
	var ne net.Error
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("HTTP %d", se.status)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, errNotAdded):
		return "added 0"
	}
	return "transport"
}
