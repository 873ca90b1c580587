package gate

import (
	"encoding/json"
	"testing"

	"selfdata/internal/store"
)

// TestSearch: a principal finds only what it may read, and the total says so; the labels of
// the kinds of data are words of the search, in French and English.
func TestSearch(t *testing.T) {
	g, _, a, b := setup(t)
	owner := Owner(a.ID)
	create := func(inst store.Instance, dt, id, data string) {
		t.Helper()
		p := Owner(inst.ID)
		if _, err := g.Create(ctx, p, dt, []Input{{ID: id, Data: json.RawMessage(data)}}, p.Source("", g)); err != nil {
			t.Fatal(err)
		}
	}
	create(a, "bill", "b1", bill)
	create(a, "bank.operation", "o1", `{"account":"acc","date":"2025-02-03","label":"PRLV EDF","amount":"-61.20","currency":"EUR"}`)
	create(b, "bill", "b1", bill)
	tests := []struct {
		name  string
		p     Principal
		text  string
		total int64
	}{
		{"the owner finds both", owner, "edf", 2},
		{"the owner finds bills by their name", owner, "facture EDF", 1},
		{"and in English", owner, "bill 61.20", 1},
		{"a date in French", owner, "31 janvier 2025", 1},
		{"a reader of bills finds no operation", token(a.ID, "bill:read"), "edf", 1},
		{"a reader of bills does not find operations by their name", token(a.ID, "bill:read"), "opération", 0},
		{"a writer of bills reads nothing", token(a.ID, "bill:write"), "edf", 0},
		{"a reader of everything", token(a.ID, "*:read"), "edf", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := g.Search(ctx, tt.p, store.SearchQuery{Text: tt.text, Visible: store.Visible{All: true}})
			if err != nil || page.Total != tt.total || int64(len(page.Items)) != tt.total {
				t.Fatalf("Search(%q) = %d of %d, %v; want %d", tt.text, len(page.Items), page.Total, err, tt.total)
			}
			for _, d := range page.Items {
				if !tt.p.Allows(d.Doctype, Read) {
					t.Fatalf("found a %s it may not read", d.Doctype)
				}
			}
		})
	}
}
