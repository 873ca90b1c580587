package gate

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

var ctx = context.Background()

func setup(t *testing.T) (*Gate, store.Store, store.Instance, store.Instance) {
	t.Helper()
	db, reg := sqlitetest.Open(t)
	a, _ := db.CreateInstance(ctx, "alice", "h")
	b, _ := db.CreateInstance(ctx, "bob", "h")
	return New(db, reg), db, a, b
}

const bill = `{"vendor":"EDF","date":"2025-01-31","amount":"61.20","currency":"EUR"}`

func token(inst, scopes string) Principal {
	sc, err := ParseScopes(scopes, func(string) bool { return true })
	if err != nil {
		panic(err)
	}
	return Principal{Kind: "token", Instance: inst, ActorID: "tok", ActorName: "script", Scopes: sc}
}

// mustCheck checks documents of doctype dt, failing the test when one is invalid.
func mustCheck(t *testing.T, g *Gate, dt string, in ...Input) []Doc {
	t.Helper()
	docs, err := g.Check(dt, in)
	if err != nil {
		t.Fatalf("check %s: %v", dt, err)
	}
	return docs
}

func TestPermissions(t *testing.T) {
	g, _, a, _ := setup(t)
	owner := Owner(a.ID)
	docs, err := g.Create(ctx, owner, "bill", []Input{{ID: "b1", Data: json.RawMessage(bill)}}, owner.Source("", g))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		p    Principal
		op   func(p Principal) error
		want error
	}{
		{"owner reads", owner, func(p Principal) error { _, err := g.Get(ctx, p, "bill", "b1"); return err }, nil},
		{"token with bill:read reads", token(a.ID, "bill:read"), func(p Principal) error { _, err := g.Get(ctx, p, "bill", "b1"); return err }, nil},
		{"token with *:read reads", token(a.ID, "*:read"), func(p Principal) error { _, err := g.Get(ctx, p, "bill", "b1"); return err }, nil},
		{"token with contract:read does not read bills", token(a.ID, "contract:read"), func(p Principal) error { _, err := g.Get(ctx, p, "bill", "b1"); return err }, ErrForbidden},
		{"token with bill:write does not read", token(a.ID, "bill:write"), func(p Principal) error {
			_, err := g.Query(ctx, p, store.Query{Doctype: "bill"})
			return err
		}, ErrForbidden},
		{"token with bill:read does not write", token(a.ID, "bill:read"), func(p Principal) error {
			_, err := g.Create(ctx, p, "bill", []Input{{Data: json.RawMessage(bill)}}, p.Source("", g))
			return err
		}, ErrForbidden},
		{"token with bill:read does not delete", token(a.ID, "bill:read"), func(p Principal) error { return g.Delete(ctx, p, "bill", "b1", docs[0].Rev) }, ErrForbidden},
		{"token with bill:read does not read the access log", token(a.ID, "*:read"), func(p Principal) error {
			_, err := g.AccessLog(ctx, p, store.LogQuery{})
			return err
		}, ErrForbidden},
		{"unknown doctype", owner, func(p Principal) error { _, err := g.Get(ctx, p, "nope", "b1"); return err }, doctype.ErrUnknown},
		{"series doctype is not a document", owner, func(p Principal) error { _, err := g.Get(ctx, p, "reading.gas", "b1"); return err }, doctype.ErrUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.op(tt.p)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestLogsEveryAccess(t *testing.T) {
	g, db, a, b := setup(t)
	owner := Owner(a.ID)
	tok := token(a.ID, "bill:read")
	if _, err := g.Create(ctx, owner, "bill", []Input{{ID: "b1", Data: json.RawMessage(bill)}, {ID: "b2", Data: json.RawMessage(bill)}}, owner.Source("", g)); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Query(ctx, tok, store.Query{Doctype: "bill"}); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Get(ctx, Owner(b.ID), "bill", "b1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("bob reads alice's bill: %v", err)
	}
	log, err := g.AccessLog(ctx, owner, store.LogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].Principal != "token" || log[0].Verb != "read" || log[0].Count != 2 || log[0].ActorName != "script" ||
		log[1].Principal != "owner" || log[1].Verb != "write" || log[1].Count != 2 || log[1].Doctype != "bill" {
		t.Fatalf("access log = %+v", log)
	}
	if bl, _ := db.AccessLog(ctx, b.ID, store.LogQuery{}); len(bl) != 0 {
		t.Fatalf("bob's log = %+v (a failed read of nothing is not bob's data)", bl)
	}
}

func TestInvalidBatchWritesNothing(t *testing.T) {
	g, db, a, _ := setup(t)
	owner := Owner(a.ID)
	_, err := g.Create(ctx, owner, "bill", []Input{
		{ID: "ok", Data: json.RawMessage(bill)},
		{ID: "bad", Data: json.RawMessage(`{"vendor":"EDF","date":"2025-13-01","amount":12,"currency":"EUR"}`)},
		{ID: "bad2", Data: json.RawMessage(`[1]`)},
	}, owner.Source("", g))
	var be *BatchError
	if !errors.As(err, &be) || len(be.Records) != 2 || be.Records[0].Index != 1 || be.Records[1].Index != 2 {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "/amount") {
		t.Fatalf("error does not say where: %v", err)
	}
	if hs, _ := db.Holdings(ctx, a.ID, store.Visible{All: true}); len(hs) != 0 {
		t.Fatalf("a refused batch wrote %+v", hs)
	}
	if log, _ := db.AccessLog(ctx, a.ID, store.LogQuery{}); len(log) != 0 {
		t.Fatalf("a refused batch logged %+v", log)
	}
}

func TestSeriesAndFiles(t *testing.T) {
	g, _, a, _ := setup(t)
	owner := Owner(a.ID)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	err := g.Write(ctx, owner, func(b *Batch) error {
		if _, err := b.CreateSeries(store.Series{ID: "w", Doctype: "reading.water", Name: "Water", Quantity: "volume", Unit: "L"}); err != nil {
			return err
		}
		if _, err := b.AddReadings("w", []store.Reading{{At: t0, Value: 120}, {At: t0.Add(24 * time.Hour), Value: 130}}); err != nil {
			return err
		}
		_, err := b.PutFile("f1", "bill.pdf", "application/pdf", strings.NewReader("%PDF-1.4"), []FileRef{{Doctype: "bill", ID: "b1"}}, owner.Source("", g))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Readings(ctx, token(a.ID, "reading.gas:read"), "w", time.Time{}, time.Time{}, 0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("gas token reads water: %v, want not found, as a series that does not exist", err)
	}
	if l, _ := g.ListSeries(ctx, token(a.ID, "reading.gas:read")); len(l) != 0 {
		t.Fatalf("gas token lists %+v", l)
	}
	bs, err := g.Aggregate(ctx, token(a.ID, "reading.water:read"), "w", store.Aggregation{Step: store.Month, Fn: store.Sum})
	if err != nil || len(bs) != 1 || bs[0].Value != 250 {
		t.Fatalf("Aggregate = %+v, %v", bs, err)
	}
	d, r, err := g.OpenFile(ctx, owner, "f1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r)
	r.Close()
	if string(body) != "%PDF-1.4" || !strings.Contains(string(d.Data), `"size":8`) {
		t.Fatalf("file = %s %q", d.Data, body)
	}
	err = g.Write(ctx, owner, func(b *Batch) error {
		_, err := b.AddReadings("w", []store.Reading{{At: t0.Add(time.Hour), Value: 1}, {}})
		return err
	})
	var be *BatchError
	if !errors.As(err, &be) || len(be.Records) != 1 || be.Records[0].Index != 1 {
		t.Fatalf("reading without instant: %v", err)
	}
}

func TestParseScopes(t *testing.T) {
	known := func(dt string) bool { return dt == "bill" || dt == "contract" }
	tests := []struct {
		in, want, err string
	}{
		{"bill:read", "bill:read", ""},
		{"*:read+write", "*:read+write", ""},
		{"bill:read, contract:write", "bill:read,contract:write", ""},
		{"bill", "", "DOCTYPE:VERBS"},
		{"bill:delete", "", "unknown verb"},
		{"nope:read", "", "unknown doctype"},
		{":read", "", "DOCTYPE:VERBS"},
	}
	for _, tt := range tests {
		sc, err := ParseScopes(tt.in, known)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseScopes(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || FormatScopes(sc) != tt.want {
			t.Errorf("ParseScopes(%q) = %q, %v", tt.in, FormatScopes(sc), err)
		}
	}
}

// TestWritesTakeCheckedDocuments: a write takes documents checked against its doctype, and
// refuses one checked against another, or not checked at all, without writing anything.
func TestWritesTakeCheckedDocuments(t *testing.T) {
	g, db, a, _ := setup(t)
	owner := Owner(a.ID)
	bills := mustCheck(t, g, "bill", Input{ID: "b1", Data: json.RawMessage(bill)})
	for _, tt := range []struct {
		name string
		docs []Doc
	}{
		{"a bill written as a contract", bills},
		{"a document never checked", []Doc{{ID: "c1"}}},
	} {
		err := g.Write(ctx, owner, func(b *Batch) error {
			_, err := b.Create("contract", tt.docs, owner.Source("", g))
			return err
		})
		if err == nil {
			t.Errorf("%s: written", tt.name)
		}
	}
	if n, _ := db.CountDocs(ctx, a.ID, store.Query{Doctype: "contract"}); n != 0 {
		t.Fatalf("%d contracts written", n)
	}
	if _, err := g.Check("nope", []Input{{Data: json.RawMessage(`{}`)}}); !errors.Is(err, doctype.ErrUnknown) {
		t.Fatalf("Check of an unknown doctype: %v", err)
	}
}

// TestOnReadings: the hook hears of a write that added readings once it has committed, and
// of no other: not a document's write, not a write that failed, not readings already there.
func TestOnReadings(t *testing.T) {
	g, _, a, _ := setup(t)
	owner := Owner(a.ID)
	var heard []string
	committed := false
	g.OnReadings = func(_ context.Context, instanceID string) {
		// The write is over: its readings are there to read.
		rs, err := g.Readings(ctx, owner, "w", time.Time{}, time.Time{}, 0)
		committed = err == nil && len(rs) > 0
		heard = append(heard, instanceID)
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	add := func(rs ...store.Reading) error {
		return g.Write(ctx, owner, func(b *Batch) error {
			if _, err := b.EnsureSeries(store.Series{ID: "w", Doctype: "reading.water", Name: "Water", Quantity: "volume", Unit: "L"}); err != nil {
				return err
			}
			_, err := b.AddReadings("w", rs)
			return err
		})
	}
	if err := add(store.Reading{At: t0, Value: 120}); err != nil {
		t.Fatal(err)
	}
	if len(heard) != 1 || heard[0] != a.ID || !committed {
		t.Fatalf("heard %v (committed %v), want alice's instance once, after the commit", heard, committed)
	}
	if err := add(store.Reading{At: t0, Value: 120}); err != nil { // the same instant again
		t.Fatal(err)
	}
	if _, err := g.Create(ctx, owner, "bill", []Input{{Data: json.RawMessage(bill)}}, owner.Source("", g)); err != nil {
		t.Fatal(err)
	}
	if err := add(store.Reading{At: t0.Add(time.Hour), Value: 1}, store.Reading{}); err == nil {
		t.Fatal("a reading without instant was written")
	}
	if len(heard) != 1 {
		t.Errorf("heard %d times, want once", len(heard))
	}
}
