package gate

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"testing"

	"selfdata/internal/alert"
	"selfdata/internal/store"
)

// TestOnRefused: a service's attempt outside its grant — a read or a write — is refused,
// logged, and handed to the hook once logged; the real alerts then hold one alert for the
// day. The person's own refused tokens, and a service's allowed reads, call nothing.
func TestOnRefused(t *testing.T) {
	g, db, a, b := setup(t)
	seedService(t, g, a.ID)
	alerts := alert.New(db, g.Registry(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var calls []store.LogEntry
	g.OnRefused = func(ctx context.Context, inst string, e store.LogEntry) {
		if log, err := db.AccessLog(ctx, inst, store.LogQuery{Limit: 1}); err != nil || len(log) != 1 || !log[0].Refused {
			t.Errorf("the hook ran before the refusal was logged: %+v, %v", log, err)
		}
		calls = append(calls, e)
		alerts.Refused(ctx, inst, e)
	}
	volta := service(a.ID)
	write := func(p Principal) error {
		return g.Write(ctx, p, func(bt *Batch) error {
			_, err := bt.Create("bill", mustCheck(t, g, "bill", Input{ID: "b2", Data: json.RawMessage(bill)}), p.Source("", g))
			return err
		})
	}
	ops := []struct {
		name    string
		op      func() error
		refused bool
		calls   int
	}{
		{"a token is refused", func() error { _, err := g.Get(ctx, token(a.ID, "meter:read"), "bill", "b1"); return err }, true, 0},
		{"the service reads a meter", func() error { _, err := g.Get(ctx, volta, "meter", "m1"); return err }, false, 0},
		{"the service reads a bill", func() error { _, err := g.Get(ctx, volta, "bill", "b1"); return err }, true, 1},
		{"the service writes a bill", func() error { return write(volta) }, true, 1},
	}
	for _, o := range ops {
		before := len(calls)
		if err := o.op(); o.refused != errors.Is(err, ErrForbidden) || !o.refused && err != nil {
			t.Fatalf("%s: %v, want refused %v", o.name, err, o.refused)
		}
		if got := len(calls) - before; got != o.calls {
			t.Fatalf("%s: hook called %d times, want %d", o.name, got, o.calls)
		}
	}
	if calls[0].Doctype != "bill" || calls[0].Verb != "read" || calls[1].Verb != "write" || calls[0].ActorID != "volta" || !calls[0].Refused {
		t.Fatalf("calls = %+v", calls)
	}
	got, err := alerts.List(ctx, a.ID, false, 0)
	if err != nil || len(got) != 1 || got[0].Kind != store.AlertRefusedAttempt || got[0].Service != "volta" || got[0].Params["doctype"] != "bill" {
		t.Fatalf("alerts = %+v, %v; want one refused attempt by volta (two attempts, one day)", got, err)
	}
	if bobs, _ := alerts.List(ctx, b.ID, false, 0); len(bobs) != 0 {
		t.Fatalf("bob has alerts: %+v", bobs)
	}
}
