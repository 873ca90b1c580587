package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"selfdata/internal/store"
)

// Raw is what a backend's test adds to the store it opens so that the suite can tamper with
// rows as someone with access to the database would, around the store. Queries use "?"
// placeholders; the backend rewrites them as it needs. It exists for tests only: no store
// implements it. Tests that need it skip on a store without it.
type Raw interface {
	ExecRaw(ctx context.Context, query string, args ...any) error
	QueryRaw(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// WithRaw is s with raw access to its database through db; placeholders rewrites the "?"
// placeholders for the backend (nil: as they are). Closing it closes both.
func WithRaw(s store.Store, db *sql.DB, placeholders func(string) string) store.Store {
	return rawStore{Store: s, raw: db, placeholders: placeholders}
}

type rawStore struct {
	store.Store
	raw          *sql.DB
	placeholders func(string) string
}

func (r rawStore) ExecRaw(ctx context.Context, query string, args ...any) error {
	if r.placeholders != nil {
		query = r.placeholders(query)
	}
	_, err := r.raw.ExecContext(ctx, query, args...)
	return err
}

func (r rawStore) QueryRaw(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if r.placeholders != nil {
		query = r.placeholders(query)
	}
	return r.raw.QueryContext(ctx, query, args...)
}

func (r rawStore) Close() error { return errors.Join(r.raw.Close(), r.Store.Close()) }

// appendLog appends entries to the instance's log, one transaction per call.
func appendLog(t *testing.T, s store.Store, inst string, es ...store.LogEntry) {
	t.Helper()
	err := s.Update(ctx, inst, func(w store.Writer) error {
		for _, e := range es {
			if err := w.AppendLog(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("AppendLog: %v", err)
	}
}

// verify returns the instance's verification, failing on an error.
func verify(t *testing.T, s store.Store, inst string) store.LogVerification {
	t.Helper()
	v, err := s.VerifyLog(ctx, inst)
	if err != nil {
		t.Fatalf("VerifyLog: %v", err)
	}
	return v
}

// logIDs returns the database rows of the instance's entries in the order of their
// positions (the operator's handle on them, as VerifyLog reports them).
func logIDs(t *testing.T, s store.Store, inst string) []int64 {
	t.Helper()
	return rawInts(t, s, `SELECT id FROM access_log WHERE instance = ? ORDER BY pos, id`, inst)
}

// rawInts runs a query of one integer column on the store's database.
func rawInts(t *testing.T, s store.Store, query string, args ...any) []int64 {
	t.Helper()
	rows, err := s.(Raw).QueryRaw(ctx, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func testAccessChain(t *testing.T, s store.Store) {
	raw, ok := s.(Raw)
	if !ok {
		t.Skip("the store gives no raw access to its database (storetest.Raw)")
	}
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 123456000, time.UTC)
	entry := func(i int) store.LogEntry {
		return store.LogEntry{At: t0.Add(time.Duration(i) * time.Minute), Principal: "token", ActorID: "tok1", ActorName: "backup script",
			Doctype: "bill", Verb: "read", Count: i, Purpose: "backup"}
	}
	// Alice: 6 entries, some written together in one transaction; bob: 2, interleaved.
	appendLog(t, s, a.ID, entry(1))
	appendLog(t, s, b.ID, entry(1))
	appendLog(t, s, a.ID, entry(2), entry(3))
	appendLog(t, s, a.ID, entry(4))
	appendLog(t, s, b.ID, entry(2))
	appendLog(t, s, a.ID, entry(5), entry(6))
	// A failed transaction leaves no entry and no trace in the chain.
	err := s.Update(ctx, a.ID, func(w store.Writer) error {
		if err := w.AppendLog(ctx, entry(99)); err != nil {
			return err
		}
		return fmt.Errorf("give up")
	})
	if err == nil {
		t.Fatal("Update returning an error succeeded")
	}

	for _, tt := range []struct {
		inst string
		n    int64
	}{{a.ID, 6}, {b.ID, 2}} {
		v := verify(t, s, tt.inst)
		if v.Entries != tt.n || len(v.Problems) != 0 || len(v.Head) != 64 || v.Unchained != 0 {
			t.Fatalf("VerifyLog of an untouched log = %+v, want %d entries, intact", v, tt.n)
		}
	}
	if verify(t, s, a.ID).Head == verify(t, s, b.ID).Head {
		t.Fatal("two instances have the same head")
	}
	c := newInstance(t, s, "carol")
	if v := verify(t, s, c.ID); v.Entries != 0 || len(v.Problems) != 0 {
		t.Fatalf("VerifyLog of an empty log = %+v", v)
	}
	_, err = s.VerifyLog(ctx, "no-such-instance")
	mustErr(t, err, store.ErrNotFound, "VerifyLog of an unknown instance")

	ids := logIDs(t, s, a.ID) // positions 1..6
	exec := func(q string, args ...any) {
		t.Helper()
		if err := raw.ExecRaw(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	cols := `instance, at, principal, actor_id, actor_name, doctype, verb, count, purpose, pos, prev_hash, hash`
	want := func(what string, inst string, n int64, problems ...store.LogProblem) {
		t.Helper()
		v := verify(t, s, inst)
		if v.Entries != n || len(v.Problems) != len(problems) {
			t.Fatalf("%s: VerifyLog = %d entries, problems %+v; want %d entries, problems %+v", what, v.Entries, v.Problems, n, problems)
		}
		for i, p := range problems {
			got := v.Problems[i]
			if got.Kind != p.Kind || got.ID != p.ID || got.Pos != p.Pos || got.Detail == "" {
				t.Fatalf("%s: problem %d = %+v, want %+v", what, i, got, p)
			}
		}
	}

	// Altered: one field of entry 3 changed in place.
	exec(`UPDATE access_log SET purpose = ? WHERE id = ?`, "nothing to see", ids[2])
	want("altered", a.ID, 6, store.LogProblem{Kind: store.LogAltered, ID: ids[2], Pos: 3})
	exec(`UPDATE access_log SET purpose = ? WHERE id = ?`, "backup", ids[2])
	want("altered back", a.ID, 6)

	// Inserted: a copy of entry 2 replayed, and a forged entry claiming entry 4's place.
	exec(`INSERT INTO access_log (`+cols+`) SELECT `+cols+` FROM access_log WHERE id = ?`, ids[1])
	exec(`INSERT INTO access_log (`+cols+`) SELECT instance, at, 'owner', '', '', 'health', 'read', 1, '', pos, prev_hash, hash FROM access_log WHERE id = ?`, ids[3])
	after := logIDs(t, s, a.ID)
	replay, forged := after[2], after[5] // in position order: 1 2 2 3 4 4 5 6
	want("inserted", a.ID, 8,
		store.LogProblem{Kind: store.LogInserted, ID: replay, Pos: 2},
		store.LogProblem{Kind: store.LogInserted, ID: forged, Pos: 4})
	exec(`DELETE FROM access_log WHERE id IN (?, ?)`, replay, forged)
	want("insertions removed", a.ID, 6)

	// Inserted with a forged position beyond the end, and moved from another instance.
	exec(`INSERT INTO access_log (`+cols+`) SELECT instance, at, principal, actor_id, actor_name, doctype, verb, count, purpose, 7, hash, hash FROM access_log WHERE id = ?`, ids[5])
	beyond := logIDs(t, s, a.ID)[6]
	want("appended behind the store's back", a.ID, 7, store.LogProblem{Kind: store.LogInserted, ID: beyond, Pos: 7})
	exec(`DELETE FROM access_log WHERE id = ?`, beyond)

	// Removed: entry 4, then also the last one.
	exec(`DELETE FROM access_log WHERE id = ?`, ids[3])
	want("removed", a.ID, 5, store.LogProblem{Kind: store.LogRemoved, ID: ids[4], Pos: 4})
	exec(`DELETE FROM access_log WHERE id = ?`, ids[5])
	want("removed at the end too", a.ID, 4,
		store.LogProblem{Kind: store.LogRemoved, ID: ids[4], Pos: 4},
		store.LogProblem{Kind: store.LogRemoved, ID: 0, Pos: 6})

	// An entry without a hash where none was written before the chain.
	exec(`INSERT INTO access_log (`+cols+`) VALUES (?, 0, 'owner', '', '', 'bill', 'read', 1, '', 0, '', '')`, b.ID)
	unchained := logIDs(t, s, b.ID)[0] // position 0 sorts first
	want("not chained", b.ID, 3, store.LogProblem{Kind: store.LogUnchained, ID: unchained, Pos: 0})
	exec(`DELETE FROM access_log WHERE id = ?`, unchained)

	// Bob's chain is independent of alice's, and appending to a broken chain goes on.
	want("bob after alice's log was tampered with", b.ID, 2)
	appendLog(t, s, a.ID, entry(7))
	want("alice after one more entry", a.ID, 5,
		store.LogProblem{Kind: store.LogRemoved, ID: ids[4], Pos: 4},
		store.LogProblem{Kind: store.LogRemoved, ID: logIDs(t, s, a.ID)[4], Pos: 6})
}

// testAccessChainConcurrent: appends to one instance from many goroutines at once, each in
// its own transaction, form one unbroken chain.
func testAccessChainConcurrent(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, 2*workers*each)
	for w := range workers {
		inst := a.ID
		if w%4 == 3 {
			inst = b.ID
		}
		wg.Go(func() {
			for i := range each {
				errs <- s.Update(ctx, inst, func(wr store.Writer) error {
					return wr.AppendLog(ctx, store.LogEntry{At: time.Now(), Principal: "owner", Doctype: "bill", Verb: "read", Count: w*100 + i})
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent AppendLog: %v", err)
		}
	}
	for _, tt := range []struct {
		inst string
		n    int64
	}{{a.ID, 6 * each}, {b.ID, 2 * each}} {
		if v := verify(t, s, tt.inst); v.Entries != tt.n || len(v.Problems) != 0 {
			t.Fatalf("after concurrent appends: %d entries, problems %+v; want %d, intact", v.Entries, v.Problems, tt.n)
		}
	}
}
