package web

import (
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
)

// TestAccessLogShowsTheMove: the entry `selfdata instance import` writes reads, in each
// language, as the store brought to this server.
func TestAccessLogShowsTheMove(t *testing.T) {
	ts := newTestServer(t)
	err := ts.db.Update(bg, ts.alice.in.ID, func(w store.Writer) error {
		return w.AppendLog(bg, store.LogEntry{At: time.Now(), Principal: "operator", ActorName: "selfdata instance import", Doctype: "*", Verb: "move", Count: 12})
	})
	if err != nil {
		t.Fatal(err)
	}
	for lg, want := range map[string]string{"en": "brought your store to this server (move)", "fr": "a apporté votre espace sur ce serveur (déménagement)"} {
		res := ts.do(t, request{method: "GET", path: "/access-log", as: "session:alice", header: map[string]string{"Accept-Language": lg}})
		if res.status != 200 || !strings.Contains(res.body, want) {
			t.Errorf("access log in %s: %d, no %q", lg, res.status, want)
		}
	}
}
