package gate

import (
	"errors"
	"testing"

	"selfdata/internal/store"
)

// TestEverything: the person and their all-reading token may export, and each export is in
// the log before anything is read; narrower tokens, services, organizations and the
// operator may not, and their refusal logs nothing.
func TestEverything(t *testing.T) {
	g, db, a, b := setup(t)
	tests := []struct {
		name string
		p    Principal
		want error
	}{
		{"owner", Owner(a.ID), nil},
		{"token reading everything", token(a.ID, "*:read"), nil},
		{"token reading bills", token(a.ID, "bill:read"), ErrForbidden},
		{"token writing everything", token(a.ID, "*:write"), ErrForbidden},
		{"service", Service(a.ID, "svc", "Service", "dpv:ServiceProvision", []Scope{{Doctype: "*", Read: true}}), ErrForbidden},
		{"organization", Organization(a.ID, "org", "Org", "", []string{"bill"}), ErrForbidden},
		{"operator", Operator(a.ID, "import"), ErrForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := logLen(t, db, a.ID)
			r, err := g.Everything(ctx, tt.p)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Everything: %v, want %v", err, tt.want)
			}
			after := logLen(t, db, a.ID)
			if tt.want != nil {
				if r != nil || after != before {
					t.Errorf("refused export: reader %v, log %d -> %d entries", r, before, after)
				}
				return
			}
			es, _ := db.AccessLog(ctx, a.ID, store.LogQuery{Limit: 1})
			if after != before+1 || es[0].Verb != string(Export) || es[0].Doctype != "*" || es[0].Principal != string(tt.p.Kind) {
				t.Errorf("log %d -> %d entries, newest %+v; want one export entry", before, after, es)
			}
		})
	}
	if n := logLen(t, db, b.ID); n != 0 {
		t.Errorf("bob's log has %d entries after alice's exports", n)
	}
}

func logLen(t *testing.T, db store.Store, inst string) int {
	t.Helper()
	es, err := db.AccessLog(ctx, inst, store.LogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}
