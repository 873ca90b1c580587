package storetest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"selfdata/internal/store"
)

// testAccessHead: the head of the log is authenticated with a key the database does not
// hold, so that whoever can write to the database but has not the key file cannot append,
// cut, empty or re-order the log without verify reporting it.
func testAccessHead(t *testing.T, s store.Store) {
	if _, ok := s.(Raw); !ok {
		t.Skip("the store gives no raw access to its database (storetest.Raw)")
	}
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	entry := func(i int) store.LogEntry {
		return store.LogEntry{At: t0.Add(time.Duration(i) * time.Minute), Principal: "service", ActorID: "volta", ActorName: "Volta", Doctype: "bill", Verb: "read", Count: i, Purpose: "dpv:ServiceProvision"}
	}
	// fresh gives each case a person with six entries, and another person interleaved.
	n := 0
	fresh := func() store.Instance {
		n++
		in := newInstance(t, s, "alice"+string(rune('a'+n)))
		other := newInstance(t, s, "bob"+string(rune('a'+n)))
		for i := 1; i <= 6; i++ {
			appendLog(t, s, in.ID, entry(i))
			appendLog(t, s, other.ID, entry(i))
		}
		if v := verify(t, s, in.ID); v.Entries != 6 || len(v.Problems) != 0 {
			t.Fatalf("untouched log: %+v", v)
		}
		return in
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if err := s.(Raw).ExecRaw(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	hashAt := func(inst string, pos int) string {
		t.Helper()
		rows, err := s.(Raw).QueryRaw(ctx, `SELECT hash FROM access_log WHERE instance = ? AND pos = ?`, inst, pos)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var h string
		if !rows.Next() || rows.Scan(&h) != nil {
			t.Fatalf("no entry at position %d", pos)
		}
		return h
	}
	cols := `instance, at, principal, actor_id, actor_name, doctype, verb, count, purpose, refused, pos, prev_hash, hash`

	for _, tt := range []struct {
		name   string
		tamper func(inst string)
		want   []store.LogProblemKind
	}{
		{"a well-hashed entry appended and the head moved", func(inst string) {
			e := entry(7)
			e.Doctype = "health.claim"
			prev := hashAt(inst, 6)
			h := independentChainHash(inst, 7, prev, e.At.UnixMicro(), e)
			exec(`INSERT INTO access_log (`+cols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				inst, e.At.UnixMicro(), e.Principal, e.ActorID, e.ActorName, e.Doctype, e.Verb, e.Count, e.Purpose, false, 7, prev, h)
			exec(`UPDATE access_log_heads SET pos = 7, hash = ? WHERE instance = ?`, h, inst)
		}, []store.LogProblemKind{store.LogHead}},
		{"the tail cut and the head moved back", func(inst string) {
			exec(`DELETE FROM access_log WHERE instance = ? AND pos > 4`, inst)
			exec(`UPDATE access_log_heads SET pos = 4, hash = ? WHERE instance = ?`, hashAt(inst, 4), inst)
		}, []store.LogProblemKind{store.LogHead}},
		{"the log and its head emptied", func(inst string) {
			exec(`DELETE FROM access_log WHERE instance = ?`, inst)
			exec(`DELETE FROM access_log_heads WHERE instance = ?`, inst)
		}, []store.LogProblemKind{store.LogHead}},
		{"the log emptied and the head reset", func(inst string) {
			exec(`DELETE FROM access_log WHERE instance = ?`, inst)
			exec(`UPDATE access_log_heads SET pos = 0, hash = '' WHERE instance = ?`, inst)
		}, []store.LogProblemKind{store.LogHead}},
		{"two entries re-ordered", func(inst string) {
			exec(`UPDATE access_log SET pos = CASE pos WHEN 2 THEN 3 ELSE 2 END WHERE instance = ? AND pos IN (2, 3)`, inst)
		}, []store.LogProblemKind{store.LogAltered, store.LogAltered, store.LogInserted}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			inst := fresh().ID
			tt.tamper(inst)
			v := verify(t, s, inst)
			var got []store.LogProblemKind
			for _, p := range v.Problems {
				got = append(got, p.Kind)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("problems %+v, want kinds %v", v.Problems, tt.want)
			}
		})
	}

	t.Run("rows re-numbered change nothing the person sees", func(t *testing.T) {
		inst := fresh().ID
		before, err := s.AccessLog(ctx, inst, store.LogQuery{})
		if err != nil {
			t.Fatal(err)
		}
		ids := logIDs(t, s, inst)
		exec(`UPDATE access_log SET id = ? WHERE id = ?`, -1, ids[1])
		exec(`UPDATE access_log SET id = ? WHERE id = ?`, ids[1], ids[4])
		exec(`UPDATE access_log SET id = ? WHERE id = ?`, ids[4], -1)
		after, err := s.AccessLog(ctx, inst, store.LogQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(before, after, func(a, b store.LogEntry) bool { return a == b }) {
			t.Fatalf("swapping two rows' ids changed the log the person reads:\n%+v\n%+v", before, after)
		}
		if v := verify(t, s, inst); len(v.Problems) != 0 {
			t.Fatalf("swapped row ids: %+v", v.Problems)
		}
	})

	t.Run("numbers count one person's entries", func(t *testing.T) {
		inst := fresh().ID
		log, err := s.AccessLog(ctx, inst, store.LogQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range log {
			if e.Seq != int64(len(log)-i) {
				t.Fatalf("entry %d of the newest first has number %d, want %d (the person's own count)", i, e.Seq, len(log)-i)
			}
		}
		older, err := s.AccessLog(ctx, inst, store.LogQuery{Before: 3})
		if err != nil || len(older) != 2 || older[0].Seq != 2 {
			t.Fatalf("entries before number 3: %+v, %v", older, err)
		}
	})

	t.Run("no append after the head is removed", func(t *testing.T) {
		inst := fresh().ID
		exec(`DELETE FROM access_log_heads WHERE instance = ?`, inst)
		err := s.Update(ctx, inst, func(w store.Writer) error { return w.AppendLog(ctx, entry(8)) })
		if err == nil {
			t.Fatal("an append to a log whose head is gone succeeded")
		}
		err = s.AppendLogs(ctx, []store.InstanceLog{{Instance: inst, Entries: []store.LogEntry{entry(8)}}})
		if err == nil {
			t.Fatal("a batch append to a log whose head is gone succeeded")
		}
		if got := verify(t, s, inst); got.Entries != 6 {
			t.Fatalf("after the refused appends: %+v", got)
		}
	})
}

// testAppendLogs: the batch append of reads chains each instance's entries in order, and a
// batch naming an instance that does not exist writes nothing.
func testAppendLogs(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	e := func(i int) store.LogEntry {
		return store.LogEntry{At: t0.Add(time.Duration(i) * time.Second), Principal: "owner", Doctype: "bill", Verb: "read", Count: i}
	}
	appendLog(t, s, a.ID, e(0))
	err := s.AppendLogs(ctx, []store.InstanceLog{
		{Instance: b.ID, Entries: []store.LogEntry{e(1), e(2)}},
		{Instance: a.ID, Entries: []store.LogEntry{e(3), e(4), e(5)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		inst   string
		counts []int
	}{{a.ID, []int{5, 4, 3, 0}}, {b.ID, []int{2, 1}}} {
		log, err := s.AccessLog(ctx, tt.inst, store.LogQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var counts []int
		for i, l := range log {
			counts = append(counts, l.Count)
			if l.Seq != int64(len(log)-i) {
				t.Errorf("entry %+v has number %d, want %d", l, l.Seq, len(log)-i)
			}
		}
		if !slices.Equal(counts, tt.counts) {
			t.Errorf("log counts %v, want %v", counts, tt.counts)
		}
		if v := verify(t, s, tt.inst); len(v.Problems) != 0 {
			t.Errorf("chain after AppendLogs: %+v", v.Problems)
		}
	}
	err = s.AppendLogs(ctx, []store.InstanceLog{
		{Instance: a.ID, Entries: []store.LogEntry{e(6)}},
		{Instance: "no-such-instance", Entries: []store.LogEntry{e(7)}},
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("AppendLogs naming an unknown instance: %v, want ErrNotFound", err)
	}
	if v := verify(t, s, a.ID); v.Entries != 4 {
		t.Fatalf("a failed batch kept %d entries of alice, want 4", v.Entries)
	}
}

// independentChainHash is the chain's documented encoding (sqlstore/accesslog.go), written
// again here as an attacker who read the source would: knowing it gives well-hashed entries,
// and only the head's key stops them.
func independentChainHash(instance string, pos int64, prev string, at int64, e store.LogEntry) string {
	h := sha256.New()
	num := func(n int64) { binary.Write(h, binary.BigEndian, n) }
	str := func(s string) { num(int64(len(s))); io.WriteString(h, s) }
	str("selfdata access log v1")
	str(instance)
	num(pos)
	str(prev)
	num(at)
	for _, s := range []string{e.Principal, e.ActorID, e.ActorName, e.Doctype, e.Verb} {
		str(s)
	}
	num(int64(e.Count))
	str(e.Purpose)
	return hex.EncodeToString(h.Sum(nil))
}

// testAccessChainTimes: an entry standing for several identical accesses is chained with
// how many; changing the number directly in the database shows, either way.
func testAccessChainTimes(t *testing.T, s store.Store) {
	if _, ok := s.(Raw); !ok {
		t.Skip("the store gives no raw access to its database (storetest.Raw)")
	}
	a := newInstance(t, s, "alice")
	e := store.LogEntry{At: time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC), Principal: "token", ActorID: "tok1", ActorName: "backup", Doctype: "bill", Verb: "read", Count: 1}
	many := e
	many.Times = 32
	appendLog(t, s, a.ID, e, many, e)
	log, err := s.AccessLog(ctx, a.ID, store.LogQuery{})
	if err != nil || len(log) != 3 || log[1].Times != 32 || log[0].Times != 1 || log[2].Times != 1 {
		t.Fatalf("AccessLog = %+v, %v; want the middle entry 32 times, the others once", log, err)
	}
	if v := verify(t, s, a.ID); len(v.Problems) != 0 {
		t.Fatalf("untouched: %+v", v.Problems)
	}
	for _, tt := range []struct {
		pos, times int
	}{{2, 1}, {1, 5}} {
		if err := s.(Raw).ExecRaw(ctx, `UPDATE access_log SET times = ? WHERE instance = ? AND pos = ?`, tt.times, a.ID, tt.pos); err != nil {
			t.Fatal(err)
		}
		v := verify(t, s, a.ID)
		if len(v.Problems) != 1 || v.Problems[0].Kind != store.LogAltered || v.Problems[0].Pos != int64(tt.pos) {
			t.Fatalf("entry %d set to %d times: %+v, want it altered", tt.pos, tt.times, v.Problems)
		}
		want := map[int]int{2: 32, 1: 1}[tt.pos]
		if err := s.(Raw).ExecRaw(ctx, `UPDATE access_log SET times = ? WHERE instance = ? AND pos = ?`, want, a.ID, tt.pos); err != nil {
			t.Fatal(err)
		}
	}
}
