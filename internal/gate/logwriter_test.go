package gate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/store"
	"selfdata/internal/store/postgres"
	"selfdata/internal/store/postgres/pgtest"
	"selfdata/internal/store/sqlite"
)

// backends opens, for each backend, two handles on one database: two servers sharing it.
// PostgreSQL runs when SELFDATA_TEST_POSTGRES_URL is set.
func backends(t *testing.T) map[string]func(t *testing.T) (store.Store, store.Store) {
	return map[string]func(t *testing.T) (store.Store, store.Store){
		"sqlite": func(t *testing.T) (store.Store, store.Store) {
			dir := t.TempDir()
			return openTwice(t, func() (store.Store, error) { return sqlite.Open(ctx, dir) })
		},
		"postgres": func(t *testing.T) (store.Store, store.Store) {
			u := pgtest.URL(t)
			return openTwice(t, func() (store.Store, error) { return postgres.Open(ctx, u, pgtest.Key) })
		},
	}
}

func openTwice(t *testing.T, open func() (store.Store, error)) (store.Store, store.Store) {
	t.Helper()
	var out [2]store.Store
	for i := range out {
		s, err := open()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out[i] = s
	}
	return out[0], out[1]
}

// commits counts the batches a gate commits, passing everything else to the real store.
type commits struct {
	store.Store
	n atomic.Int64
}

func (c *commits) AppendLogs(ctx context.Context, logs []store.InstanceLog) error {
	c.n.Add(1)
	return c.Store.AppendLogs(ctx, logs)
}

// TestGroupCommit: many readers at once, through two servers on one database, each read
// answered only with its entry in the log: every read is there, each person's chain is
// whole, and the entries were committed in fewer transactions than there were reads.
func TestGroupCommit(t *testing.T) {
	reg, err := doctype.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s1, s2 := open(t)
			a, _ := s1.CreateInstance(ctx, "alice", "h")
			b, _ := s1.CreateInstance(ctx, "bob", "h")
			c1, c2 := &commits{Store: s1}, &commits{Store: s2}
			g1, g2 := New(c1, reg), New(c2, reg)
			for _, in := range []store.Instance{a, b} {
				if _, err := g1.Create(ctx, Owner(in.ID), "bill", []Input{{ID: "b1", Data: json.RawMessage(bill)}}, Owner(in.ID).Source("", g1)); err != nil {
					t.Fatal(err)
				}
			}
			const readers, each = 32, 25
			var wg sync.WaitGroup
			for r := range readers {
				g, inst := g1, a.ID
				if r%2 == 1 {
					g = g2
				}
				if r%4 == 3 {
					inst = b.ID
				}
				wg.Go(func() {
					for range each {
						if _, err := g.Get(ctx, token(inst, "bill:read"), "bill", "b1"); err != nil {
							t.Errorf("read: %v", err)
						}
					}
				})
			}
			wg.Wait()
			for _, tt := range []struct {
				in    store.Instance
				reads int64
			}{{a, readers * 3 / 4 * each}, {b, readers / 4 * each}} {
				v, err := s1.VerifyLog(ctx, tt.in.ID)
				if err != nil || len(v.Problems) != 0 {
					t.Errorf("%s's log: problems %+v, %v; want it intact", tt.in.Name, v.Problems, err)
				}
				log, err := s1.AccessLog(ctx, tt.in.ID, store.LogQuery{Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				var reads int64
				for _, e := range log {
					if e.Verb == "read" && e.Doctype == "bill" && e.Count == 1 {
						reads += int64(e.Occurrences())
					}
				}
				if reads != tt.reads || int64(len(log)) != v.Entries {
					t.Errorf("%s's log: %d reads in %d entries (%d verified); want %d reads", tt.in.Name, reads, len(log), v.Entries, tt.reads)
				}
			}
			if n := c1.n.Load() + c2.n.Load(); n >= readers*each {
				t.Errorf("%d reads took %d commits: none were grouped", readers*each, n)
			}
			t.Logf("%d reads in %d + %d commits", readers*each, c1.n.Load(), c2.n.Load())
		})
	}
}

// TestGroupCommitIsolatesFailures: when one person's log cannot be written (here the
// person's store was deleted while their read was pending), the others' entries of the same
// batch are still committed, and only that read fails.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	_, db, a, b := setup(t)
	lw := &logWriter{data: db}
	e := store.LogEntry{At: time.Now(), Principal: "owner", Doctype: "bill", Verb: "read", Count: 1}
	e2 := e
	e2.Count = 2
	batch := []*pendingEntry{{instance: a.ID, entry: e}, {instance: "deleted", entry: e}, {instance: b.ID, entry: e}, {instance: a.ID, entry: e2}}
	errs := lw.commit(batch)
	for i, want := range []error{nil, store.ErrNotFound, nil, nil} {
		if want == nil && errs[i] != nil || want != nil && !errors.Is(errs[i], want) {
			t.Errorf("entry %d of the batch: %v, want %v", i, errs[i], want)
		}
	}
	for _, tt := range []struct {
		in store.Instance
		n  int64
	}{{a, 2}, {b, 1}} {
		if v, err := db.VerifyLog(ctx, tt.in.ID); err != nil || v.Entries != tt.n || len(v.Problems) != 0 {
			t.Errorf("%s: %+v, %v; want %d entries", tt.in.Name, v, err, tt.n)
		}
	}
}

// TestGroupCommitLead: the lead passes on when requests arrive during a commit, and a
// request that arrives when none is under way commits at once on its own.
func TestGroupCommitLead(t *testing.T) {
	_, db, a, _ := setup(t)
	gated := &slowLog{Store: db, entered: make(chan struct{}), release: make(chan struct{})}
	lw := &logWriter{data: gated}
	e := store.LogEntry{At: time.Now(), Principal: "owner", Doctype: "bill", Verb: "read"}
	first := make(chan error)
	go func() { first <- lw.append(a.ID, e) }()
	<-gated.entered // the first commit is under way, and waits
	const more = 10
	errs := make(chan error, more)
	for range more {
		go func() { errs <- lw.append(a.ID, e) }()
	}
	for {
		lw.mu.Lock()
		n := len(lw.queue)
		lw.mu.Unlock()
		if n == more {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(gated.release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	for range more {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := gated.calls.Load(); got != 2 {
		t.Fatalf("%d commits for 1 + %d entries, want 2 (the ten waiting ones together)", got, more)
	}
	if err := lw.append(a.ID, e); err != nil || gated.calls.Load() != 3 {
		t.Fatalf("a lone append: %v, %d commits", err, gated.calls.Load())
	}
}

// slowLog holds the first commit until released, so that a test can queue entries behind it.
type slowLog struct {
	store.Store
	calls   atomic.Int64
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (s *slowLog) AppendLogs(ctx context.Context, logs []store.InstanceLog) error {
	if s.calls.Add(1) == 1 {
		s.once.Do(func() { s.entered <- struct{}{} })
		<-s.release
	}
	return s.Store.AppendLogs(ctx, logs)
}

// TestIdenticalAccessesOneEntry: the reads a batch holds of one principal, doctype, count
// and purpose are one entry that says how many times, with the time of the first; reads
// that differ in any of these stay apart, and so do other people's.
func TestIdenticalAccessesOneEntry(t *testing.T) {
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	read := func(actor, dt string, count int, at time.Duration) store.LogEntry {
		return store.LogEntry{At: t0.Add(at), Principal: "token", ActorID: actor, ActorName: actor, Doctype: dt, Verb: "read", Count: count, Purpose: "", Times: 1}
	}
	batch := []*pendingEntry{
		{instance: "a", entry: read("t1", "bill", 1, 0)},
		{instance: "a", entry: read("t1", "bill", 1, time.Millisecond)},
		{instance: "a", entry: read("t1", "bill", 2, 2*time.Millisecond)},
		{instance: "b", entry: read("t1", "bill", 1, 3*time.Millisecond)},
		{instance: "a", entry: read("t2", "bill", 1, 4*time.Millisecond)},
		{instance: "a", entry: read("t1", "contract", 1, 5*time.Millisecond)},
		{instance: "a", entry: read("t1", "bill", 1, 6*time.Millisecond)},
	}
	logs := group(batch)
	var got []string
	for _, l := range logs {
		for _, e := range l.Entries {
			got = append(got, fmt.Sprintf("%s %s %s %d×%d +%v", l.Instance, e.ActorID, e.Doctype, e.Count, e.Times, e.At.Sub(t0)))
		}
	}
	want := []string{"a t1 bill 1×3 +0s", "a t1 bill 2×1 +2ms", "a t2 bill 1×1 +4ms", "a t1 contract 1×1 +5ms", "b t1 bill 1×1 +3ms"}
	if !slices.Equal(got, want) {
		t.Fatalf("group =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestWriteTakesPendingReads: a write of a person's data appends, in its own transaction,
// the entries of that person's reads waiting to be committed, before its own, and releases
// them when it commits; another person's stay queued. If the write's transaction is rolled
// back after they were taken (here its commit fails), they are committed on their own.
func TestWriteTakesPendingReads(t *testing.T) {
	reg, err := doctype.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, fail := range []bool{false, true} {
		s1, _ := backends(t)["sqlite"](t)
		a, _ := s1.CreateInstance(ctx, "alice", "h")
		b, _ := s1.CreateInstance(ctx, "bob", "h")
		c := &commits{Store: s1}
		var data store.Data = c
		if fail {
			data = failingCommit{c}
		}
		g := New(data, reg)
		read := func(inst string) *pendingEntry {
			return &pendingEntry{instance: inst, entry: store.LogEntry{At: time.Now(), Principal: "token", ActorID: "t", Doctype: "bill", Verb: "read", Count: 1, Times: 1}, done: make(chan outcome, 1)}
		}
		ra, rb := read(a.ID), read(b.ID)
		g.trail.queue = []*pendingEntry{ra, rb}
		g.trail.leading = true // as if a leader were about to take them
		err := g.Write(ctx, Owner(a.ID), func(bt *Batch) error {
			docs, err := g.Check("bill", []Input{{Data: json.RawMessage(bill)}})
			if err == nil {
				_, err = bt.Create("bill", docs, Owner(a.ID).Source("", g))
			}
			return err
		})
		if fail != (err != nil) {
			t.Fatalf("write (fail %v): %v", fail, err)
		}
		select {
		case o := <-ra.done:
			if o.err != nil || o.lead {
				t.Fatalf("alice's pending read (fail %v): %+v", fail, o)
			}
		default:
			t.Fatalf("alice's pending read was not released (fail %v)", fail)
		}
		if len(g.trail.queue) != 1 || g.trail.queue[0] != rb {
			t.Fatalf("the queue holds %d entries, want bob's alone", len(g.trail.queue))
		}
		log, err := s1.AccessLog(ctx, a.ID, store.LogQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i := len(log) - 1; i >= 0; i-- {
			got = append(got, log[i].Verb+" "+log[i].Doctype)
		}
		want, commits := []string{"read bill", "write bill"}, int64(0)
		if fail {
			want, commits = []string{"read bill"}, 1 // committed on its own
		}
		if !slices.Equal(got, want) || c.n.Load() != commits {
			t.Fatalf("fail %v: alice's log %v in %d batch commits; want %v in %d", fail, got, c.n.Load(), want, commits)
		}
	}
}

// failingCommit is the store whose write transactions all fail at their end, after fn ran:
// as a commit that fails.
type failingCommit struct{ *commits }

func (f failingCommit) Update(ctx context.Context, instance string, fn func(store.Writer) error) error {
	return f.commits.Update(ctx, instance, func(w store.Writer) error {
		if err := fn(w); err != nil {
			return err
		}
		return errors.New("the commit fails")
	})
}
