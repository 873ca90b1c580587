package web

import (
	"strings"
	"testing"
	"time"

	"selfdata/internal/restore"
)

func spooled(t *testing.T, content string) *restore.Spooled {
	t.Helper()
	sp, err := restore.Spool(strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// TestPendingUploads: a kept upload is its sender's only, handed over once; a person keeps
// a few at most, the oldest forgotten first; an expired one and, at shutdown, every one is
// removed; tokens are 128 random bits.
func TestPendingUploads(t *testing.T) {
	pu := newPendingUploads()
	clock := time.Now()
	pu.now = func() time.Time { return clock }
	var toks []string
	for i := range pendingMax + 1 {
		clock = clock.Add(time.Second)
		tok, err := pu.keep("alice", "f.csv", spooled(t, "x"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(tok) != 32 || strings.Trim(tok, "0123456789abcdef") != "" || i > 0 && tok == toks[i-1] {
			t.Fatalf("token %q is not 128 random bits in hex", tok)
		}
		toks = append(toks, tok)
	}
	if n := pu.count("alice"); n != pendingMax {
		t.Errorf("alice keeps %d uploads, want at most %d", n, pendingMax)
	}
	if _, ok := pu.take("alice", toks[0]); ok {
		t.Errorf("the oldest upload was not forgotten")
	}
	if _, ok := pu.take("bob", toks[1]); ok {
		t.Errorf("bob takes alice's upload")
	}
	u, ok := pu.take("alice", toks[1])
	if !ok || u.name != "f.csv" {
		t.Fatalf("alice does not take her upload")
	}
	u.file.Close()
	if _, ok := pu.take("alice", toks[1]); ok {
		t.Errorf("an upload is taken twice")
	}
	clock = clock.Add(pendingTTL)
	if _, ok := pu.take("alice", toks[2]); ok {
		t.Errorf("an expired upload is taken")
	}
	pu.Close()
	if n := pu.count("alice"); n != 0 {
		t.Errorf("%d uploads kept after Close", n)
	}
	if _, err := pu.keep("alice", "f.csv", spooled(t, "x"), nil); err == nil {
		t.Errorf("an upload is kept after Close")
	}
}
