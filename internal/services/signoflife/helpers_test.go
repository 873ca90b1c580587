package signoflife_test

import (
	"bufio"
	"context"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/consent"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/services/signoflife"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

var ctx = context.Background()

// env is a real SQLite store behind a real gate, with the built-in services in the catalog.
type env struct {
	db     store.Store
	gate   *gate.Gate
	grants *consent.Grants
	rel    *auth.RelativeAuth
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, reg := sqlitetest.Open(t)
	if err := services.Ensure(ctx, db, "https://selfdata.example/privacy"); err != nil {
		t.Fatal(err)
	}
	rel, err := auth.NewRelativeAuth(db, auth.Config{SessionTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return &env{db: db, gate: gate.New(db, reg), grants: consent.NewGrants(db, reg), rel: rel}
}

// person creates an instance and switches the sign-of-life service on for it.
func (e *env) person(t *testing.T, name string) string {
	t.Helper()
	in, err := e.db.CreateInstance(ctx, name, "x")
	if err != nil {
		t.Fatal(err)
	}
	d, _ := services.Lookup(services.SignOfLife)
	if _, err := e.grants.Grant(ctx, in.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	return in.ID
}

// relative invites a relative of the person's and has them join with an address.
func (e *env) relative(t *testing.T, instanceID, name, email string, expect int, signals ...string) store.Relative {
	t.Helper()
	code, _, err := e.rel.Invite(ctx, instanceID, auth.Invitation{Name: name, PersonName: "Camille", Expect: expect, Signals: signals})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.rel.Redeem(ctx, auth.Redemption{Code: code, Login: strings.ToLower(strings.Fields(name)[0]) + instanceID[:4], Passphrase: "a long enough passphrase", Email: email})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// series writes a series of the person's, as its organization would, with a reading every
// step from `from` to `to` given by value (of the reading's start, in Europe/Paris; < 0:
// none).
func (e *env) series(t *testing.T, instanceID string, s store.Series, from, to time.Time, step time.Duration, value func(at time.Time) float64) {
	t.Helper()
	var rs []store.Reading
	for at := from; at.Before(to); at = at.Add(step) {
		if v := value(at.In(signoflife.Paris())); v >= 0 {
			rs = append(rs, store.Reading{At: at.UTC(), Value: v})
		}
	}
	owner := gate.Owner(instanceID)
	err := e.gate.Write(ctx, owner, func(b *gate.Batch) error {
		s.Source = owner.Source("", e.gate)
		if _, err := b.CreateSeries(s); err != nil {
			return err
		}
		_, err := b.AddReadings(s.ID, rs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// opener is how the web layer opens a relative's share (web.RelativeOpener): the person's
// grant to the service, narrowed to the relative's signals, as the relative's principal.
func (e *env) opener() signoflife.Opener {
	return func(ctx context.Context, r store.Relative) (services.Reader, bool, error) {
		bp, on, err := e.grants.BuiltIn(ctx, r.Instance, services.SignOfLife)
		if err != nil || !on {
			return nil, false, err
		}
		var scopes []gate.Scope
		for _, s := range bp.Scopes {
			if slices.Contains(signoflife.Doctypes(r.Signals), s.Doctype) {
				scopes = append(scopes, s)
			}
		}
		return services.Through(e.gate, gate.Relative(r.Instance, r.ID, r.Name, bp.Purpose, scopes)), true, nil
	}
}

// relativeReads are the entries of the person's log made for relative r.
func (e *env) relativeReads(t *testing.T, instanceID string, r store.Relative) []store.LogEntry {
	t.Helper()
	es, err := e.gate.AccessLog(ctx, gate.Owner(instanceID), store.LogQuery{Principal: string(gate.KindRelative), ActorID: r.ID, Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// relay is a stand-in for the operator's SMTP relay: it speaks just enough SMTP for
// net/smtp on 127.0.0.1 and keeps what it got.
type relay struct {
	addr  string
	mu    sync.Mutex
	mails []mail
}

type mail struct{ to, data string }

func newRelay(t *testing.T) *relay {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &relay{addr: ln.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { s.serve(c) })
		}
	})
	return s
}

func (s *relay) sent() []mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.mails)
}

func (s *relay) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	reply := func(line string) { c.Write([]byte(line + "\r\n")) }
	reply("220 relay.test ESMTP")
	var m mail
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		up := strings.ToUpper(cmd)
		switch {
		case strings.HasPrefix(up, "EHLO"), strings.HasPrefix(up, "HELO"):
			reply("250 relay.test")
		case strings.HasPrefix(up, "MAIL FROM:"):
			reply("250 ok")
		case strings.HasPrefix(up, "RCPT TO:"):
			_, rest, _ := strings.Cut(cmd, "<")
			m.to, _, _ = strings.Cut(rest, ">")
			reply("250 ok")
		case up == "DATA":
			reply("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil || l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			m.data = b.String()
			s.mu.Lock()
			s.mails = append(s.mails, m)
			s.mu.Unlock()
			reply("250 queued")
		case up == "QUIT":
			reply("221 bye")
			return
		default:
			reply("250 ok")
		}
	}
}
