package gate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
)

// service is the service volta under a grant to read alice's meters and electricity readings.
func service(inst string) Principal {
	return Principal{Kind: KindService, Instance: inst, ActorID: "volta", ActorName: "Volta", Purpose: "dpv:ServiceProvision",
		Scopes: []Scope{{Doctype: "meter", Read: true}, {Doctype: "reading.electricity", Read: true}}}
}

// seedService gives alice a bill, a meter and a water series, written by her.
func seedService(t *testing.T, g *Gate, inst string) {
	t.Helper()
	owner := Owner(inst)
	err := g.Write(ctx, owner, func(b *Batch) error {
		if _, err := b.Create("bill", mustCheck(t, g, "bill", Input{ID: "b1", Data: json.RawMessage(bill)}), owner.Source("", g)); err != nil {
			return err
		}
		if _, err := b.Create("meter", mustCheck(t, g, "meter", Input{ID: "m1", Data: json.RawMessage(`{"kind":"electricity","identifier":"12345678901234"}`)}), owner.Source("", g)); err != nil {
			return err
		}
		_, err := b.CreateSeries(store.Series{ID: "w", Doctype: "reading.water", Name: "Water", Quantity: "volume", Unit: "L"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// newEntries returns the entries of the instance's log after the first skip, oldest first.
func newEntries(t *testing.T, db store.Store, inst string, skip int) []store.LogEntry {
	t.Helper()
	log, err := db.AccessLog(ctx, inst, store.LogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var out []store.LogEntry
	for i := len(log) - 1 - skip; i >= 0; i-- {
		out = append(out, log[i])
	}
	return out
}

// TestServiceRefusalsLogged: a service's attempt outside its grant is refused with the same
// error as before and leaves one refused entry (count 0) in the person's log; the person's
// own refused tokens, unknown doctypes and allowed reads leave no refused entry.
func TestServiceRefusalsLogged(t *testing.T) {
	g, db, a, _ := setup(t)
	seedService(t, g, a.ID)
	volta := service(a.ID)
	newBill := []Input{{Data: json.RawMessage(bill)}}
	tests := []struct {
		name    string
		p       Principal
		op      func(p Principal) error
		err     string           // the error's whole message; "" for none
		entries []store.LogEntry // what the log gains (At, Seq ignored)
	}{
		{"service gets a bill", volta, func(p Principal) error { _, err := g.Get(ctx, p, "bill", "b1"); return err },
			"forbidden: this service may not read bill", []store.LogEntry{refusedEntry("bill", "read")}},
		{"service queries bills", volta, func(p Principal) error { _, err := g.Query(ctx, p, store.Query{Doctype: "bill"}); return err },
			"forbidden: this service may not read bill", []store.LogEntry{refusedEntry("bill", "read")}},
		{"service counts bills", volta, func(p Principal) error { _, err := g.Count(ctx, p, store.Query{Doctype: "bill"}); return err },
			"forbidden: this service may not read bill", []store.LogEntry{refusedEntry("bill", "read")}},
		{"service reads water readings", volta, func(p Principal) error {
			_, err := g.Readings(ctx, p, "w", time.Time{}, time.Time{}, 0)
			return err
		}, `series "w": not found`, []store.LogEntry{refusedEntry("reading.water", "read")}}, // the series is hidden, the attempt logged
		{"service aggregates water", volta, func(p Principal) error {
			_, err := g.Aggregate(ctx, p, "w", store.Aggregation{Step: store.Month, Fn: store.Sum})
			return err
		}, `series "w": not found`, []store.LogEntry{refusedEntry("reading.water", "read")}},
		{"service opens a file", volta, func(p Principal) error { _, _, err := g.OpenFile(ctx, p, "f1"); return err },
			"forbidden: this service may not read file", []store.LogEntry{refusedEntry("file", "read")}},
		{"service writes a meter it may only read", volta, func(p Principal) error {
			_, err := g.Create(ctx, p, "meter", []Input{{Data: json.RawMessage(`{"kind":"gas","identifier":"G1"}`)}}, p.Source("", g))
			return err
		}, "forbidden: this service may not write meter", []store.LogEntry{refusedEntry("meter", "write")}},
		{"a batch refused twice is logged once", volta, func(p Principal) error {
			return g.Write(ctx, p, func(b *Batch) error {
				_, err1 := b.Create("bill", mustCheck(t, g, "bill", newBill...), p.Source("", g))
				_, err2 := b.Create("contract", mustCheck(t, g, "bill", newBill...), p.Source("", g))
				return errors.Join(err1, err2)
			})
		}, "forbidden: this service may not write bill\nforbidden: this service may not write contract", []store.LogEntry{refusedEntry("bill", "write")}},
		{"service asks for an unknown doctype", volta, func(p Principal) error { _, err := g.Get(ctx, p, "nope", "x"); return err },
			`unknown doctype: "nope"`, nil},
		{"the person's token refused", token(a.ID, "meter:read"), func(p Principal) error { _, err := g.Get(ctx, p, "bill", "b1"); return err },
			"forbidden: this token may not read bill", nil},
		{"service reads a meter it may read", volta, func(p Principal) error { _, err := g.Get(ctx, p, "meter", "m1"); return err },
			"", []store.LogEntry{{Principal: string(KindService), ActorID: "volta", ActorName: "Volta", Doctype: "meter", Verb: "read", Count: 1, Purpose: "dpv:ServiceProvision", Times: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(newEntries(t, db, a.ID, 0))
			err := tt.op(tt.p)
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("error %v, want none", err)
			case tt.err != "" && (err == nil || err.Error() != tt.err):
				t.Fatalf("error %v, want %q", err, tt.err)
			case strings.HasPrefix(tt.err, "forbidden") && !errors.Is(err, ErrForbidden):
				t.Fatalf("error %v is not ErrForbidden", err)
			}
			got := newEntries(t, db, a.ID, before)
			for i := range got {
				got[i].At, got[i].Seq = time.Time{}, 0
			}
			if len(got) != len(tt.entries) || len(got) > 0 && got[0] != tt.entries[0] {
				t.Fatalf("log gained %+v, want %+v", got, tt.entries)
			}
		})
	}
}

func refusedEntry(dt, verb string) store.LogEntry {
	return store.LogEntry{Principal: string(KindService), ActorID: "volta", ActorName: "Volta", Doctype: dt, Verb: verb, Purpose: "dpv:ServiceProvision", Refused: true, Times: 1}
}

// TestRefusalUnloggable: when the refused attempt cannot be logged (here the store is
// closed), the service still gets its refusal, and the failure is reported to the gate's log.
func TestRefusalUnloggable(t *testing.T) {
	g, db, a, _ := setup(t)
	var buf bytes.Buffer
	g.Log = slog.New(slog.NewTextHandler(&buf, nil))
	db.Close()
	_, err := g.Get(ctx, service(a.ID), "bill", "b1")
	if !errors.Is(err, ErrForbidden) || err.Error() != "forbidden: this service may not read bill" {
		t.Fatalf("error %v, want the refusal", err)
	}
	if !strings.Contains(buf.String(), "a refused access could not be logged") || !strings.Contains(buf.String(), "doctype=bill") {
		t.Fatalf("the gate logged %q", buf.String())
	}
}

// TestOnServiceRead: the hook gets each read of a service once, after its entry is
// committed (it can read it back), and nothing else: not the person's reads, not a refused
// attempt, not a failed read.
func TestOnServiceRead(t *testing.T) {
	g, db, a, _ := setup(t)
	seedService(t, g, a.ID)
	type call struct {
		inst      string
		e         store.LogEntry
		committed bool
	}
	var calls []call
	g.OnServiceRead = func(_ context.Context, inst string, e store.LogEntry) {
		log, err := db.AccessLog(ctx, inst, store.LogQuery{Limit: 1})
		calls = append(calls, call{inst: inst, e: e, committed: err == nil && len(log) == 1 && log[0].At.Equal(e.At.Truncate(time.Microsecond)) && log[0].Doctype == e.Doctype})
	}
	volta := service(a.ID)
	ops := []struct {
		name  string
		op    func() error
		calls int
	}{
		{"the owner reads", func() error { _, err := g.Get(ctx, Owner(a.ID), "meter", "m1"); return err }, 0},
		{"a token reads", func() error { _, err := g.Get(ctx, token(a.ID, "*:read"), "meter", "m1"); return err }, 0},
		{"the service is refused", func() error { _, err := g.Get(ctx, volta, "bill", "b1"); return errIf(err, ErrForbidden) }, 0},
		{"the service reads nothing there", func() error { _, err := g.Get(ctx, volta, "meter", "nope"); return errIf(err, store.ErrNotFound) }, 0},
		{"the service gets a meter", func() error { _, err := g.Get(ctx, volta, "meter", "m1"); return err }, 1},
		{"the service queries meters", func() error { _, err := g.Query(ctx, volta, store.Query{Doctype: "meter"}); return err }, 1},
		{"the service lists holdings", func() error { _, err := g.Holdings(ctx, volta); return err }, 1},
	}
	for _, o := range ops {
		before := len(calls)
		if err := o.op(); err != nil {
			t.Fatalf("%s: %v", o.name, err)
		}
		if got := len(calls) - before; got != o.calls {
			t.Fatalf("%s: hook called %d times, want %d", o.name, got, o.calls)
		}
	}
	want := []struct {
		dt string
		n  int
	}{{"meter", 1}, {"meter", 1}, {"*", 1}}
	for i, c := range calls {
		if c.inst != a.ID || !c.committed || c.e.Principal != string(KindService) || c.e.ActorID != "volta" || c.e.Verb != "read" || c.e.Refused ||
			c.e.Doctype != want[i].dt || c.e.Count != want[i].n {
			t.Fatalf("call %d = %+v, want a committed read of %d %s by volta", i, c, want[i].n, want[i].dt)
		}
	}
}

// errIf turns the expected error into nil.
func errIf(err, want error) error {
	if errors.Is(err, want) {
		return nil
	}
	if err == nil {
		return errors.New("no error, want " + want.Error())
	}
	return err
}

// TestAccessSummary: the person sums up what a service did; nobody else may.
func TestAccessSummary(t *testing.T) {
	g, _, a, _ := setup(t)
	seedService(t, g, a.ID)
	volta := service(a.ID)
	if _, err := g.Get(ctx, volta, "meter", "m1"); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Get(ctx, volta, "bill", "b1"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("volta reads a bill: %v", err)
	}
	q := store.LogQuery{Principal: string(KindService), ActorID: "volta"}
	for _, p := range []Principal{volta, token(a.ID, "*:read+write")} {
		if _, err := g.AccessSummary(ctx, p, q); !errors.Is(err, ErrForbidden) {
			t.Fatalf("%s reads the summary: %v", p.Kind, err)
		}
	}
	sums, err := g.AccessSummary(ctx, Owner(a.ID), q)
	if err != nil || len(sums) != 2 || sums[0].Doctype != "bill" || sums[0].Refused != 1 || sums[1].Doctype != "meter" || sums[1].Reads != 1 || sums[1].Records != 1 {
		t.Fatalf("AccessSummary = %+v, %v", sums, err)
	}
}
