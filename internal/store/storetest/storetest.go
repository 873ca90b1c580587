// Package storetest is the one suite every backend of the store contract must pass: the
// SQLite and PostgreSQL packages each run it from their tests. A behaviour that matters to
// callers belongs here, not in a backend's own tests, so that the two cannot drift apart.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
)

// Opener returns a new, empty store; the suite closes it.
type Opener func(t *testing.T) store.Store

// Run runs the whole suite against the stores open returns.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Instances", testInstances},
		{"DeleteInstance", testDeleteInstance},
		{"Credentials", testCredentials},
		{"LoginFailures", testLoginFailures},
		{"LoginFailuresConcurrent", testLoginFailuresConcurrent},
		{"Documents", testDocuments},
		{"Upsert", testUpsert},
		{"Corrections", testCorrections},
		{"CorrectionsConcurrent", testCorrectionsConcurrent},
		{"RollbackOnError", testRollback},
		{"Query", testQuery},
		{"QueryIsolation", testQueryIsolation},
		{"Changes", testChanges},
		{"ChangesVisible", testChangesVisible},
		{"Holdings", testHoldings},
		{"Series", testSeries},
		{"Aggregate", testAggregate},
		{"ExactSums", testExactSums},
		{"Blobs", testBlobs},
		{"Search", testSearch},
		{"SearchWords", testSearchWords},
		{"SearchPages", testSearchPages},
		{"SearchVisible", testSearchVisible},
		{"SearchChanges", testSearchChanges},
		{"SearchConcurrent", testSearchConcurrent},
		{"AccessLog", testAccessLog},
		{"AccessChain", testAccessChain},
		{"AccessChainConcurrent", testAccessChainConcurrent},
		{"ReadingsConcurrent", testReadingsConcurrent},
		{"EnsureSeriesConcurrent", testEnsureSeriesConcurrent},
		{"UpsertConcurrent", testUpsertConcurrent},
		{"WriteAfterOtherDeletes", testWriteAfterOtherDeletes},
		{"AccessChainRefused", testAccessChainRefused},
		{"AccessHead", testAccessHead},
		{"AccessChainTimes", testAccessChainTimes},
		{"LogChain", testLogChain},
		{"AppendLogs", testAppendLogs},
		{"AccessSummary", testAccessSummary},
		{"ServiceReads", testServiceReads},
		{"Alerts", testAlerts},
		{"InstanceEmail", testInstanceEmail},
		{"Organizations", testOrganizations},
		{"Pulls", testPulls},
		{"Services", testServices},
		{"ServiceRemoval", testServiceRemoval},
		{"ServiceRemovalConcurrent", testServiceRemovalConcurrent},
		{"Consents", testConsents},
		{"Relatives", testRelatives},
		{"RelativesConcurrent", testRelativesConcurrent},
		{"Bilingual", testBilingual},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.fn(t, s)
		})
	}
}

var ctx = context.Background()

// newInstance creates an instance or fails the test.
func newInstance(t *testing.T, s store.Store, name string) store.Instance {
	t.Helper()
	in, err := s.CreateInstance(ctx, name, "hash-of-"+name)
	if err != nil {
		t.Fatalf("CreateInstance(%q): %v", name, err)
	}
	return in
}

func src(kind, id string) store.Source {
	return store.Source{Kind: kind, ID: id, Name: strings.ToUpper(id), Batch: "b1", At: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
}

// create stores documents in one transaction and returns them.
func create(t *testing.T, s store.Store, inst, doctype string, docs ...store.NewDoc) []store.Doc {
	t.Helper()
	var out []store.Doc
	err := s.Update(ctx, inst, func(w store.Writer) error {
		var err error
		out, err = w.CreateDocs(ctx, doctype, docs)
		return err
	})
	if err != nil {
		t.Fatalf("CreateDocs(%s): %v", doctype, err)
	}
	return out
}

func doc(id, data string) store.NewDoc {
	return store.NewDoc{ID: id, Data: json.RawMessage(data), Source: src("organization", "bank")}
}

func mustErr(t *testing.T, err, want error, what string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got error %v, want %v", what, err, want)
	}
}

func testInstances(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	newInstance(t, s, "bob")
	_, err := s.CreateInstance(ctx, "alice", "x")
	mustErr(t, err, store.ErrExists, "duplicate instance")
	got, err := s.Instance(ctx, "alice")
	if err != nil || got.ID != a.ID || got.Name != "alice" {
		t.Fatalf("Instance(alice) = %+v, %v; want id %s", got, err, a.ID)
	}
	byID, err := s.InstanceByID(ctx, a.ID)
	if err != nil || byID.Name != "alice" {
		t.Fatalf("InstanceByID = %+v, %v", byID, err)
	}
	_, err = s.Instance(ctx, "carol")
	mustErr(t, err, store.ErrNotFound, "unknown instance")
	list, err := s.ListInstances(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "alice" || list[1].Name != "bob" {
		t.Fatalf("ListInstances = %+v, %v", list, err)
	}
	h, err := s.PassphraseHash(ctx, a.ID)
	if err != nil || h != "hash-of-alice" {
		t.Fatalf("PassphraseHash = %q, %v", h, err)
	}
	if err := s.SetPassphraseHash(ctx, a.ID, "new"); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.PassphraseHash(ctx, a.ID); h != "new" {
		t.Fatalf("after SetPassphraseHash: %q", h)
	}
	err = s.Update(ctx, "no-such-instance", func(store.Writer) error { return nil })
	mustErr(t, err, store.ErrNotFound, "Update on unknown instance")
}

func testDeleteInstance(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	for _, in := range []store.Instance{a, b} {
		create(t, s, in.ID, "bill", doc("b1", `{"amount":"1.00"}`))
		err := s.Update(ctx, in.ID, func(w store.Writer) error {
			if _, err := w.CreateSeries(ctx, store.Series{ID: "s1", Doctype: "reading.water", Name: "water", Quantity: "volume", Unit: "L"}); err != nil {
				return err
			}
			if _, err := w.AddReadings(ctx, "s1", []store.Reading{{At: time.Unix(1e9, 0), Value: 1}}); err != nil {
				return err
			}
			if _, _, err := w.PutBlob(ctx, strings.NewReader("pdf of "+in.Name)); err != nil {
				return err
			}
			return w.AppendLog(ctx, store.LogEntry{At: time.Now(), Principal: "owner", Doctype: "bill", Verb: "write", Count: 1})
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateToken(ctx, store.Token{ID: "t-" + in.Name, Instance: in.ID, Hash: "h-" + in.Name, Scopes: "*:read", Created: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteInstance(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.DeleteInstance(ctx, "alice"), store.ErrNotFound, "second delete")
	_, err := s.TokenByHash(ctx, "h-alice")
	mustErr(t, err, store.ErrNotFound, "token of deleted instance")
	_, err = s.Doc(ctx, a.ID, "bill", "b1")
	mustErr(t, err, store.ErrNotFound, "doc of deleted instance")
	// A new instance must not inherit anything.
	a2 := newInstance(t, s, "alice")
	if hs, _ := s.Holdings(ctx, a2.ID, everything); len(hs) != 0 {
		t.Fatalf("recreated instance holds %+v", hs)
	}
	// Bob is untouched.
	if _, err := s.Doc(ctx, b.ID, "bill", "b1"); err != nil {
		t.Fatalf("bob's bill after alice's deletion: %v", err)
	}
	if rs, err := s.Readings(ctx, b.ID, "s1", time.Time{}, time.Time{}, 0); err != nil || len(rs) != 1 {
		t.Fatalf("bob's readings: %v %v", rs, err)
	}
	if log, _ := s.AccessLog(ctx, b.ID, store.LogQuery{}); len(log) != 1 {
		t.Fatalf("bob's access log has %d entries", len(log))
	}
	if _, err := s.TokenByHash(ctx, "h-bob"); err != nil {
		t.Fatalf("bob's token: %v", err)
	}
}

func testCredentials(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	now := time.Now().UTC().Truncate(time.Microsecond)
	sess := store.Session{Hash: "sh", Instance: a.ID, Created: now, Expires: now.Add(time.Hour)}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	got, err := s.Session(ctx, "sh")
	if err != nil || got.Instance != a.ID || !got.Expires.Equal(sess.Expires) {
		t.Fatalf("Session = %+v, %v", got, err)
	}
	old := store.Session{Hash: "old", Instance: a.ID, Created: now.Add(-48 * time.Hour), Expires: now.Add(-time.Hour)}
	if err := s.CreateSession(ctx, old); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteExpiredSessions(ctx, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, "old"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("an expired session survived the purge: %v", err)
	}
	if _, err := s.Session(ctx, "sh"); err != nil {
		t.Fatalf("the purge took a live session: %v", err)
	}
	if err := s.DeleteSessions(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.Session(ctx, "sh")
	mustErr(t, err, store.ErrNotFound, "deleted session")

	tok := store.Token{ID: "tok1", Instance: a.ID, Hash: "th", Label: "script", Scopes: "bill:read", Created: now}
	if err := s.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.CreateToken(ctx, tok), store.ErrExists, "duplicate token")
	got2, err := s.TokenByHash(ctx, "th")
	if err != nil || got2.ID != "tok1" || got2.Scopes != "bill:read" || got2.Revoked != nil {
		t.Fatalf("TokenByHash = %+v, %v", got2, err)
	}
	b := newInstance(t, s, "bob")
	mustErr(t, s.RevokeToken(ctx, b.ID, "tok1", now), store.ErrNotFound, "revoking another instance's token")
	if err := s.RevokeToken(ctx, a.ID, "tok1", now); err != nil {
		t.Fatal(err)
	}
	got2, _ = s.TokenByHash(ctx, "th")
	if got2.Revoked == nil {
		t.Fatal("token not marked revoked")
	}
	list, err := s.ListTokens(ctx, a.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("ListTokens = %+v, %v", list, err)
	}
	if list, _ := s.ListTokens(ctx, b.ID); len(list) != 0 {
		t.Fatalf("bob sees alice's tokens: %+v", list)
	}
}

func testDocuments(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	docs := create(t, s, a.ID, "bill", doc("", `{"amount":"12.50"}`), doc("edf-1", `{"amount":"3.00"}`))
	if docs[0].ID == "" || docs[0].Rev != "1" || docs[1].ID != "edf-1" {
		t.Fatalf("created %+v", docs)
	}
	got, err := s.Doc(ctx, a.ID, "bill", "edf-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Source.Kind != "organization" || got.Source.ID != "bank" || got.Source.Batch != "b1" || !got.Source.At.Equal(src("", "").At) {
		t.Fatalf("provenance lost: %+v", got.Source)
	}
	var data map[string]string
	if err := json.Unmarshal(got.Data, &data); err != nil || data["amount"] != "3.00" {
		t.Fatalf("data = %s", got.Data)
	}
	_, err = s.Doc(ctx, b.ID, "bill", "edf-1")
	mustErr(t, err, store.ErrNotFound, "another instance's document")
	_, err = s.Doc(ctx, a.ID, "contract", "edf-1")
	mustErr(t, err, store.ErrNotFound, "same id under another doctype")

	err = s.Update(ctx, a.ID, func(w store.Writer) error {
		_, err := w.CreateDocs(ctx, "bill", []store.NewDoc{doc("edf-1", `{}`)})
		return err
	})
	mustErr(t, err, store.ErrExists, "duplicate id")
	err = s.Update(ctx, a.ID, func(w store.Writer) error {
		_, err := w.CreateDocs(ctx, "bill", []store.NewDoc{doc("../etc", `{}`)})
		return err
	})
	mustErr(t, err, store.ErrInvalid, "bad id")

	var upd store.Doc
	err = s.Update(ctx, a.ID, func(w store.Writer) error {
		upd, err = w.UpdateDoc(ctx, "bill", "edf-1", "1", json.RawMessage(`{"amount":"4.00"}`), "")
		return err
	})
	if err != nil || upd.Rev != "2" || upd.Source.ID != "bank" || !upd.Created.Equal(got.Created) {
		t.Fatalf("UpdateDoc = %+v, %v", upd, err)
	}
	stale := func(fn func(w store.Writer) error) error { return s.Update(ctx, a.ID, fn) }
	mustErr(t, stale(func(w store.Writer) error {
		_, err := w.UpdateDoc(ctx, "bill", "edf-1", "1", json.RawMessage(`{}`), "")
		return err
	}), store.ErrConflict, "update with stale revision")
	mustErr(t, stale(func(w store.Writer) error { return w.DeleteDoc(ctx, "bill", "edf-1", "1") }), store.ErrConflict, "delete with stale revision")
	mustErr(t, stale(func(w store.Writer) error { return w.DeleteDoc(ctx, "bill", "edf-1", "x") }), store.ErrInvalid, "delete with a malformed revision")
	mustErr(t, stale(func(w store.Writer) error { return w.DeleteDoc(ctx, "bill", "nope", "1") }), store.ErrNotFound, "delete of a missing document")
	mustErr(t, s.Update(ctx, b.ID, func(w store.Writer) error { return w.DeleteDoc(ctx, "bill", "edf-1", "2") }), store.ErrNotFound, "delete through another instance")
	if got, _ := s.Doc(ctx, a.ID, "bill", "edf-1"); !strings.Contains(string(got.Data), "4.00") {
		t.Fatalf("stale writes changed the document: %s", got.Data)
	}
	if err := stale(func(w store.Writer) error { return w.DeleteDoc(ctx, "bill", "edf-1", "2") }); err != nil {
		t.Fatal(err)
	}
	_, err = s.Doc(ctx, a.ID, "bill", "edf-1")
	mustErr(t, err, store.ErrNotFound, "deleted document")
}

func testRollback(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	boom := errors.New("boom")
	err := s.Update(ctx, a.ID, func(w store.Writer) error {
		if _, err := w.CreateDocs(ctx, "bill", []store.NewDoc{doc("x", `{}`)}); err != nil {
			return err
		}
		if _, err := w.CreateSeries(ctx, store.Series{ID: "s", Doctype: "reading.gas", Name: "gas"}); err != nil {
			return err
		}
		if _, err := w.AddReadings(ctx, "s", []store.Reading{{At: time.Now(), Value: 1}}); err != nil {
			return err
		}
		if err := w.AppendLog(ctx, store.LogEntry{At: time.Now(), Principal: "owner", Doctype: "bill", Verb: "write", Count: 1}); err != nil {
			return err
		}
		return boom
	})
	mustErr(t, err, boom, "Update")
	if hs, _ := s.Holdings(ctx, a.ID, everything); len(hs) != 0 {
		t.Fatalf("a failed transaction left %+v", hs)
	}
	if ss, _ := s.ListSeries(ctx, a.ID, everything); len(ss) != 0 {
		t.Fatalf("a failed transaction left series %+v", ss)
	}
	if log, _ := s.AccessLog(ctx, a.ID, store.LogQuery{}); len(log) != 0 {
		t.Fatalf("a failed transaction left log entries %+v", log)
	}
	if ch, _ := s.Changes(ctx, a.ID, 0, 0, everything); len(ch.Items) != 0 {
		t.Fatalf("a failed transaction left changes %+v", ch)
	}
}

var (
	fDate   = store.Field{Path: "date", Type: store.String}
	fAmount = store.Field{Path: "value", Type: store.Number}
	fCat    = store.Field{Path: "category", Type: store.String}
	fNested = store.Field{Path: "period.start", Type: store.String}
)

// ops stores 30 operations; every third has no category, values run -15..14.
func ops(t *testing.T, s store.Store, inst string) {
	var docs []store.NewDoc
	for i := range 30 {
		cat := ""
		if i%3 != 0 {
			cat = fmt.Sprintf(`,"category":"c%d"`, i%3)
		}
		docs = append(docs, doc(fmt.Sprintf("op-%02d", i), fmt.Sprintf(`{"date":"2025-01-%02d","value":%d,"period":{"start":"2025-%02d"}%s}`, i+1, i-15, i%12+1, cat)))
	}
	create(t, s, inst, "bank.operation", docs...)
}

// all pages through q and returns the ids in order.
func all(t *testing.T, s store.Store, inst string, q store.Query) []string {
	t.Helper()
	var ids []string
	for pages := 0; ; pages++ {
		p, err := s.Query(ctx, inst, q)
		if err != nil {
			t.Fatalf("Query(%+v): %v", q, err)
		}
		for _, d := range p.Items {
			ids = append(ids, d.ID)
		}
		if p.Next == "" {
			return ids
		}
		if pages > 100 {
			t.Fatal("pagination does not end")
		}
		q.Cursor = p.Next
	}
}

func ids(nums ...int) []string {
	var out []string
	for _, n := range nums {
		out = append(out, fmt.Sprintf("op-%02d", n))
	}
	return out
}

func seq(from, to, step int) []int {
	var out []int
	for i := from; step > 0 && i <= to || step < 0 && i >= to; i += step {
		out = append(out, i)
	}
	return out
}

func testQuery(t *testing.T, s store.Store) {
	// Queries must give the same answers with the expression indexes; creating them twice
	// is harmless.
	var idx []store.Index
	for _, f := range []store.Field{fDate, fAmount, fCat, fNested} {
		idx = append(idx, store.Index{Doctype: "bank.operation", Field: f})
	}
	for range 2 {
		if err := s.EnsureIndexes(ctx, idx); err != nil {
			t.Fatalf("EnsureIndexes: %v", err)
		}
	}
	for _, bad := range []store.Index{
		{Doctype: "bank.operation", Field: store.Field{Path: "x'); DROP TABLE docs; --", Type: store.String}},
		{Doctype: "bill'; DROP TABLE docs; --", Field: fDate},
	} {
		if err := s.EnsureIndexes(ctx, []store.Index{bad}); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("EnsureIndexes with a hostile name %+v: %v", bad, err)
		}
	}
	if _, err := s.Query(ctx, "x", store.Query{Doctype: "bill' OR '1'='1"}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Query of a hostile doctype: %v", err)
	}
	a := newInstance(t, s, "alice")
	ops(t, s, a.ID)
	q := func(m func(*store.Query)) store.Query {
		x := store.Query{Doctype: "bank.operation", Limit: 4}
		m(&x)
		return x
	}
	tests := []struct {
		name string
		q    store.Query
		want []string
	}{
		{"all by id", q(func(*store.Query) {}), ids(seq(0, 29, 1)...)},
		{"by id desc", q(func(x *store.Query) { x.Desc = true }), ids(seq(29, 0, -1)...)},
		{"eq string", q(func(x *store.Query) { x.Filters = []store.Filter{{Field: fDate, Op: store.Eq, Value: "2025-01-05"}} }), ids(4)},
		{"range string", q(func(x *store.Query) {
			x.Filters = []store.Filter{{Field: fDate, Op: store.Gte, Value: "2025-01-10"}, {Field: fDate, Op: store.Lt, Value: "2025-01-13"}}
		}), ids(9, 10, 11)},
		{"range number", q(func(x *store.Query) {
			x.Filters = []store.Filter{{Field: fAmount, Op: store.Gt, Value: 10.0}}
		}), ids(26, 27, 28, 29)},
		{"number sorts numerically", q(func(x *store.Query) {
			x.Filters = []store.Filter{{Field: fAmount, Op: store.Lte, Value: -12.0}}
			x.Sort, x.Desc = fAmount, true
		}), ids(3, 2, 1, 0)},
		{"nested field", q(func(x *store.Query) { x.Filters = []store.Filter{{Field: fNested, Op: store.Eq, Value: "2025-02"}} }), ids(1, 13, 25)},
		{"sort by date desc", q(func(x *store.Query) { x.Sort, x.Desc = fDate, true }), ids(seq(29, 0, -1)...)},
		{"sort with missing values first", q(func(x *store.Query) { x.Sort = fCat; x.Limit = 7 }),
			ids(append(append(seq(0, 27, 3), seq(1, 28, 3)...), seq(2, 29, 3)...)...)},
		{"sort with missing values last when descending", q(func(x *store.Query) { x.Sort, x.Desc = fCat, true; x.Limit = 3 }),
			ids(append(append(seq(29, 2, -3), seq(28, 1, -3)...), seq(27, 0, -3)...)...)},
		{"eq and sort", q(func(x *store.Query) {
			x.Filters = []store.Filter{{Field: fCat, Op: store.Eq, Value: "c1"}}
			x.Sort = fAmount
		}), ids(seq(1, 28, 3)...)},
		{"nothing", q(func(x *store.Query) { x.Filters = []store.Filter{{Field: fCat, Op: store.Eq, Value: "zzz"}} }), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := all(t, s, a.ID, tt.q)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("got  %v\nwant %v", got, tt.want)
			}
			n, err := s.CountDocs(ctx, a.ID, tt.q)
			if err != nil || n != int64(len(tt.want)) {
				t.Fatalf("CountDocs = %d, %v; want %d", n, err, len(tt.want))
			}
		})
	}
	t.Run("bad cursors", func(t *testing.T) {
		p, err := s.Query(ctx, a.ID, store.Query{Doctype: "bank.operation", Limit: 2, Sort: fDate})
		if err != nil || p.Next == "" {
			t.Fatalf("first page: %v %q", err, p.Next)
		}
		for _, c := range []string{"garbage!", "e30", p.Next + "x"} {
			_, err := s.Query(ctx, a.ID, store.Query{Doctype: "bank.operation", Sort: fDate, Cursor: c})
			mustErr(t, err, store.ErrInvalid, "cursor "+c)
		}
		_, err = s.Query(ctx, a.ID, store.Query{Doctype: "bank.operation", Sort: fAmount, Cursor: p.Next})
		mustErr(t, err, store.ErrInvalid, "cursor of another sort")
		_, err = s.Query(ctx, a.ID, store.Query{Doctype: "bank.operation", Filters: []store.Filter{{Field: fAmount, Op: store.Eq, Value: "ten"}}})
		mustErr(t, err, store.ErrInvalid, "string value for a number field")
	})
}

func testQueryIsolation(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	ops(t, s, a.ID)
	create(t, s, b.ID, "bank.operation", doc("op-00", `{"date":"2025-01-01","value":1}`))
	got := all(t, s, b.ID, store.Query{Doctype: "bank.operation", Sort: fDate})
	if fmt.Sprint(got) != "[op-00]" {
		t.Fatalf("bob sees %v", got)
	}
	// A cursor taken from alice's query only moves through bob's data.
	p, _ := s.Query(ctx, a.ID, store.Query{Doctype: "bank.operation", Limit: 1})
	p2, err := s.Query(ctx, b.ID, store.Query{Doctype: "bank.operation", Cursor: p.Next})
	if err != nil || len(p2.Items) != 0 {
		t.Fatalf("bob with alice's cursor: %+v %v", p2.Items, err)
	}
	if n, _ := s.CountDocs(ctx, b.ID, store.Query{Doctype: "bank.operation"}); n != 1 {
		t.Fatalf("bob counts %d", n)
	}
}

func testChanges(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	create(t, s, a.ID, "bill", doc("x", `{}`), doc("y", `{}`))
	create(t, s, b.ID, "bill", doc("z", `{}`))
	err := s.Update(ctx, a.ID, func(w store.Writer) error {
		if _, err := w.UpdateDoc(ctx, "bill", "x", "1", json.RawMessage(`{"a":1}`), "2026-01-01"); err != nil {
			return err
		}
		return w.DeleteDoc(ctx, "bill", "y", "1")
	})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := s.Changes(ctx, a.ID, 0, 0, everything)
	if err != nil {
		t.Fatal(err)
	}
	want := "{[{3 bill x false} {4 bill y true}] 4}"
	if fmt.Sprint(ch) != want {
		t.Fatalf("Changes = %v, want %v", ch, want)
	}
	ch, _ = s.Changes(ctx, a.ID, 3, 0, everything)
	if fmt.Sprint(ch) != "{[{4 bill y true}] 4}" {
		t.Fatalf("Changes since 3 = %v", ch)
	}
	ch, _ = s.Changes(ctx, a.ID, 4, 0, everything)
	if fmt.Sprint(ch) != "{[] 4}" {
		t.Fatalf("Changes at the end = %v", ch)
	}
	ch, _ = s.Changes(ctx, b.ID, 0, 0, everything)
	if fmt.Sprint(ch) != "{[{1 bill z false}] 1}" {
		t.Fatalf("bob's changes = %v", ch)
	}
	if _, err := s.Changes(ctx, "no-such-instance", 0, 0, everything); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("changes of an unknown instance: %v", err)
	}
}

// everything shows every doctype.
var everything = store.Visible{All: true}

// testChangesVisible: a reader of some doctypes gets pages of those only, cut after the
// filtering, and each page reaches past the changes it does not show, so that it never
// stalls however many come first.
func testChangesVisible(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	var ops []store.NewDoc
	for i := range 30 {
		ops = append(ops, doc(fmt.Sprintf("op%02d", i), `{}`))
	}
	create(t, s, a.ID, "bill", doc("b1", `{}`))
	create(t, s, a.ID, "bank.operation", ops...)
	create(t, s, a.ID, "bill", doc("b2", `{}`), doc("b3", `{}`))
	err := s.Update(ctx, a.ID, func(w store.Writer) error { return w.DeleteDoc(ctx, "bank.operation", "op00", "1") })
	if err != nil {
		t.Fatal(err)
	}
	bills := store.Visible{Doctypes: []string{"bill"}}
	for _, tt := range []struct {
		since int64
		limit int
		v     store.Visible
		want  string
	}{
		{0, 2, bills, "{[{1 bill b1 false} {32 bill b2 false}] 32}"},
		{1, 10, bills, "{[{32 bill b2 false} {33 bill b3 false}] 34}"},
		{33, 10, bills, "{[] 34}"},
		{0, 1, store.Visible{Doctypes: []string{"bank.operation"}}, "{[{3 bank.operation op01 false}] 3}"}, // op00 is deleted
		{30, 10, store.Visible{Doctypes: []string{"bank.operation"}}, "{[{31 bank.operation op29 false} {34 bank.operation op00 true}] 34}"},
		{0, 10, store.Visible{}, "{[] 34}"},
		{0, 10, store.Visible{Doctypes: []string{"contract"}}, "{[] 34}"},
	} {
		got, err := s.Changes(ctx, a.ID, tt.since, tt.limit, tt.v)
		if err != nil || fmt.Sprint(got) != tt.want {
			t.Errorf("Changes(since %d, limit %d, %+v) = %v, %v; want %s", tt.since, tt.limit, tt.v, got, err, tt.want)
		}
	}
}

func testHoldings(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	create(t, s, a.ID, "bill", doc("1", `{}`), doc("2", `{}`))
	create(t, s, a.ID, "bill", store.NewDoc{ID: "3", Data: json.RawMessage(`{}`), Source: src("upload", "")})
	err := s.Update(ctx, a.ID, func(w store.Writer) error {
		if _, err := w.CreateSeries(ctx, store.Series{ID: "e", Doctype: "reading.electricity", Name: "load", Source: src("organization", "enedis")}); err != nil {
			return err
		}
		_, err := w.AddReadings(ctx, "e", []store.Reading{{At: time.Unix(1e9, 0), Value: 1}, {At: time.Unix(2e9, 0), Value: 2}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	hs, err := s.Holdings(ctx, a.ID, everything)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, h := range hs {
		got[h.SourceKind+"/"+h.SourceID+"/"+h.Doctype] = h.Count
		if h.Doctype == "reading.electricity" && (!h.First.Equal(time.Unix(1e9, 0)) || !h.Last.Equal(time.Unix(2e9, 0))) {
			t.Errorf("series holding period %v..%v", h.First, h.Last)
		}
	}
	want := map[string]int64{"organization/bank/bill": 2, "upload//bill": 1, "organization/enedis/reading.electricity": 2}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Holdings = %v, want %v", got, want)
	}
	// What a reader may not see is not counted, neither in documents nor in series.
	for _, tt := range []struct {
		v    store.Visible
		want string
	}{
		{store.Visible{Doctypes: []string{"reading.electricity"}}, "[organization/enedis/reading.electricity]"},
		{store.Visible{Doctypes: []string{"bill", "contract"}}, "[organization/bank/bill upload//bill]"},
		{store.Visible{}, "[]"},
	} {
		hs, err := s.Holdings(ctx, a.ID, tt.v)
		var got []string
		for _, h := range hs {
			got = append(got, h.SourceKind+"/"+h.SourceID+"/"+h.Doctype)
		}
		if err != nil || fmt.Sprint(got) != tt.want {
			t.Errorf("Holdings(%+v) = %v, %v; want %s", tt.v, got, err, tt.want)
		}
	}
	// Each group tells the period its data covers, from the documents' periods; an update
	// moves it.
	dated := func(id, period string) store.NewDoc {
		d := doc(id, `{}`)
		d.Period = period
		return d
	}
	create(t, s, a.ID, "bank.operation", dated("o1", "2024-03-05"), dated("o2", "2025-11-30"), dated("o3", ""))
	err = s.Update(ctx, a.ID, func(w store.Writer) error {
		_, err := w.UpdateDoc(ctx, "bank.operation", "o1", "1", json.RawMessage(`{}`), "2024-01-02")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	hs, err = s.Holdings(ctx, a.ID, everything)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		switch h.Doctype {
		case "bank.operation":
			if h.From != "2024-01-02" || h.To != "2025-11-30" || h.Count != 3 {
				t.Errorf("operations period %+v", h)
			}
		case "bill":
			if h.From != "" || h.To != "" {
				t.Errorf("bills without dates have a period: %+v", h)
			}
		}
	}
}

func testBlobs(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	var sha1, sha2 string
	err := s.Update(ctx, a.ID, func(w store.Writer) error {
		var err error
		var n int64
		if sha1, n, err = w.PutBlob(ctx, strings.NewReader("hello")); err != nil || n != 5 {
			return fmt.Errorf("PutBlob: %d %w", n, err)
		}
		sha2, _, err = w.PutBlob(ctx, strings.NewReader("hello"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if sha1 != "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" || sha2 != sha1 {
		t.Fatalf("sha256 = %s / %s", sha1, sha2)
	}
	r, err := s.OpenBlob(ctx, a.ID, sha1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r)
	r.Close()
	if string(body) != "hello" {
		t.Fatalf("content = %q", body)
	}
	_, err = s.OpenBlob(ctx, b.ID, sha1)
	mustErr(t, err, store.ErrNotFound, "another instance's blob")
}

func testAccessLog(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	t0 := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	err := s.Update(ctx, a.ID, func(w store.Writer) error {
		for i, e := range []store.LogEntry{
			{Principal: "owner", Doctype: "bill", Verb: "read", Count: 3},
			{Principal: "token", ActorID: "tok1", ActorName: "script", Doctype: "bill", Verb: "read", Count: 1, Purpose: "backup"},
			{Principal: "token", ActorID: "tok1", ActorName: "script", Doctype: "contract", Verb: "write", Count: 2},
		} {
			e.At = t0.Add(time.Duration(i) * time.Hour)
			if err := w.AppendLog(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	log, err := s.AccessLog(ctx, a.ID, store.LogQuery{})
	if err != nil || len(log) != 3 || log[0].Doctype != "contract" || log[2].Count != 3 || !log[1].At.Equal(t0.Add(time.Hour)) || log[1].Purpose != "backup" {
		t.Fatalf("AccessLog = %+v, %v", log, err)
	}
	for _, tt := range []struct {
		q    store.LogQuery
		want int
	}{
		{store.LogQuery{ActorID: "tok1"}, 2},
		{store.LogQuery{ExceptPrincipal: "owner"}, 2},
		{store.LogQuery{ExceptPrincipal: "owner", Doctype: "bill"}, 1},
		{store.LogQuery{Doctype: "bill"}, 2},
		{store.LogQuery{From: t0.Add(time.Hour)}, 2},
		{store.LogQuery{To: t0.Add(time.Hour)}, 1},
		{store.LogQuery{Limit: 1}, 1},
		{store.LogQuery{Before: log[0].Seq}, 2},
	} {
		if got, _ := s.AccessLog(ctx, a.ID, tt.q); len(got) != tt.want {
			t.Errorf("AccessLog(%+v) = %d entries, want %d", tt.q, len(got), tt.want)
		}
	}
	if got, _ := s.AccessLog(ctx, b.ID, store.LogQuery{}); len(got) != 0 {
		t.Fatalf("bob sees alice's log: %+v", got)
	}
}

func testUpsert(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	up := func(inst string, docs ...store.NewDoc) store.Upserted {
		t.Helper()
		var res store.Upserted
		err := s.Update(ctx, inst, func(w store.Writer) error {
			var err error
			res, err = w.UpsertDocs(ctx, "bank.operation", docs)
			return err
		})
		if err != nil {
			t.Fatalf("UpsertDocs: %v", err)
		}
		return res
	}
	first := up(a.ID, doc("op-1", `{"amount":"1.00"}`), doc("op-2", `{"amount":"2.00"}`))
	if first != (store.Upserted{Created: 2}) {
		t.Fatalf("first upsert = %+v", first)
	}
	again := up(a.ID, doc("op-1", `{"amount":"1.00"}`), doc("op-2", `{"amount":"2.00"}`))
	if again != (store.Upserted{Unchanged: 2}) {
		t.Fatalf("same batch again = %+v", again)
	}
	changed := store.NewDoc{ID: "op-2", Data: json.RawMessage(`{"amount":"2.50"}`), Source: src("organization", "bank2")}
	if got := up(a.ID, doc("op-1", `{"amount":"1.00"}`), changed, doc("op-3", `{}`)); got != (store.Upserted{Created: 1, Updated: 1, Unchanged: 1}) {
		t.Fatalf("mixed batch = %+v", got)
	}
	d, err := s.Doc(ctx, a.ID, "bank.operation", "op-2")
	if err != nil || d.Rev != "2" || d.Source.ID != "bank2" || !strings.Contains(string(d.Data), "2.50") {
		t.Fatalf("updated document = %+v, %v", d, err)
	}
	if d, _ := s.Doc(ctx, a.ID, "bank.operation", "op-1"); d.Rev != "1" {
		t.Fatalf("unchanged document rev %s", d.Rev)
	}
	// The same ids in another instance are other documents.
	if got := up(b.ID, doc("op-1", `{"amount":"9.00"}`)); got != (store.Upserted{Created: 1}) {
		t.Fatalf("bob's upsert = %+v", got)
	}
	err = s.Update(ctx, a.ID, func(w store.Writer) error {
		_, err := w.UpsertDocs(ctx, "bank.operation", []store.NewDoc{doc("op-9", `{}`), doc("op-9", `{}`)})
		return err
	})
	mustErr(t, err, store.ErrInvalid, "the same id twice in a batch")
	if _, err := s.Doc(ctx, a.ID, "bank.operation", "op-9"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refused batch wrote op-9: %v", err)
	}
}
