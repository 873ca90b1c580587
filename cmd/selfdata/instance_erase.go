package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"selfdata/internal/store"
)

// instanceErase erases a person and everything of theirs (store.EraseInstance), once the
// operator typed the name again — an erasure cannot be undone, and a name mistyped on the
// command line must not erase someone else — or passed --yes for scripts.
func instanceErase(ctx context.Context, st store.Store, name string, yes bool, e env) error {
	if _, err := st.Instance(ctx, name); err != nil {
		return err
	}
	if !yes {
		fmt.Fprintf(e.stderr, "This erases %s and everything in it, for good. Type the name again to confirm: ", name)
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if strings.TrimSpace(line) != name {
			return errors.New("not confirmed: nothing erased (type the name again, or pass --yes)")
		}
	}
	n, err := st.EraseInstance(ctx, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "erased instance %s and everything in it: %s\n", name, erasedText(n))
	return nil
}

// erasedText says what an erasure removed, e.g. "3 documents, 1 series, 0 files, ...".
func erasedText(n store.Erased) string {
	parts := []struct {
		count      int64
		one, other string
	}{
		{n.Documents, "document", "documents"}, {n.Series, "series", "series"}, {n.Files, "file", "files"},
		{n.Tokens, "token", "tokens"}, {n.Sessions, "session", "sessions"}, {n.Connections, "connection", "connections"},
		{n.Grants, "grant", "grants"}, {n.Alerts, "alert", "alerts"}, {n.LogEntries, "access-log entry", "access-log entries"},
	}
	var out []string
	for _, p := range parts {
		w := p.other
		if p.count == 1 {
			w = p.one
		}
		out = append(out, fmt.Sprintf("%d %s", p.count, w))
	}
	return strings.Join(out, ", ")
}
