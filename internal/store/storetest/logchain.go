package storetest

import (
	"testing"
	"time"

	"selfdata/internal/store"
)

// testLogChain: LogChain pages through one instance's log in order, with fields that
// ChainHash recomputes and that link each entry to the one before, up to VerifyLog's head;
// another instance's entries never show.
func testLogChain(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice").ID
	b := newInstance(t, s, "bob").ID
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 123456789, time.UTC)
	for i := range 7 {
		e := store.LogEntry{At: t0.Add(time.Duration(i) * time.Second), Principal: "owner", ActorName: "you", Doctype: "bill", Verb: "read", Count: i, Refused: i == 3, Times: 1 + i%3}
		appendLog(t, s, a, e)
		if i%2 == 0 {
			appendLog(t, s, b, e)
		}
	}
	var got []store.ChainedEntry
	after := int64(-1 << 62)
	for page := 0; ; page++ {
		es, err := s.LogChain(ctx, a, after, 3)
		if err != nil {
			t.Fatalf("LogChain: %v", err)
		}
		if len(es) == 0 {
			break
		}
		if page > 5 {
			t.Fatal("LogChain does not move on")
		}
		got = append(got, es...)
		after = es[len(es)-1].Seq
	}
	if len(got) != 7 {
		t.Fatalf("LogChain gave %d entries of alice's, want 7", len(got))
	}
	prev := ""
	for i, c := range got {
		if c.Seq != int64(i+1) || c.Prev != prev || c.Count != i || c.Refused != (i == 3) {
			t.Errorf("entry %d: seq %d, prev %q, count %d, refused %v; want seq %d after %q", i, c.Seq, c.Prev, c.Count, c.Refused, i+1, prev)
		}
		if h := store.ChainHash(a, c.Seq, c.Prev, c.AtMicros, c.LogEntry); h != c.Hash {
			t.Errorf("entry %d: ChainHash %s, stored %s", i, h, c.Hash)
		}
		if !c.At.Equal(t0.Add(time.Duration(i) * time.Second).Truncate(time.Microsecond)) {
			t.Errorf("entry %d: at %v", i, c.At)
		}
		prev = c.Hash
	}
	if v := verify(t, s, a); v.Head != prev {
		t.Errorf("the last entry's hash %s is not the head %s", prev, v.Head)
	}
}
