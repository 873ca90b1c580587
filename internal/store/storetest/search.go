package storetest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"selfdata/internal/store"
)

// searchIDs are the documents of a search page as "doctype/id", sorted.
func searchIDs(docs []store.Doc) string {
	var out []string
	for _, d := range docs {
		out = append(out, d.Doctype+"/"+d.ID)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// only is what a reader of the doctypes named sees.
func only(doctypes ...string) store.Visible { return store.Visible{Doctypes: doctypes} }

// search runs a search or fails the test.
func search(t *testing.T, s store.Store, inst string, q store.SearchQuery) store.SearchPage {
	t.Helper()
	page, err := s.Search(ctx, inst, q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return page
}

// searchNames are the labels of the doctypes the cases use, as the gate gives them.
var searchNames = map[string][]string{
	"bill":           {"Bill", "Facture"},
	"bank.operation": {"Bank operation", "Opération bancaire"},
	"contact":        {"Contact", "Contact"},
}

func testSearch(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	create(t, s, a.ID, "bill", doc("b1", `{"vendor":"Orange","label":"Forfait 50% mobile"}`), doc("b2", `{"vendor":"EDF"}`), doc("b3", `{"vendor":"AT\u0026T"}`))
	create(t, s, a.ID, "contact", doc("c1", `{"fullName":"Camille ORANGE"}`))
	create(t, s, b.ID, "bill", doc("b1", `{"vendor":"Orange"}`), doc("b9", `{"vendor":"Orange"}`))
	for _, tt := range []struct {
		text string
		v    store.Visible
		want string
	}{
		{"orange", only("bill", "contact"), "bill/b1 contact/c1"},
		{"orange", store.Visible{All: true}, "bill/b1 contact/c1"},
		{"ORANGE", only("bill"), "bill/b1"},
		{"50%", only("bill"), "bill/b1"},
		{"0_%", only("bill"), ""},
		{"edf", only("contact"), ""},
		{"  ", only("bill"), ""},
		{"orange", only(), ""},
		{"vendor", only("bill"), ""}, // a field's name, in every bill, is no match
		{"fullname", only("contact"), ""},
		{"forfait 50", only("bill"), "bill/b1"},
		{"at&t", only("bill"), "bill/b3"},                 // stored escaped
		{"bank", only("bill"), "bill/b1 bill/b2 bill/b3"}, // the source's name (BANK)
		// What a person types is never the index's syntax.
		{`"`, store.Visible{All: true}, ""},
		{`AND OR NOT *`, store.Visible{All: true}, ""},
		{`orange OR edf`, store.Visible{All: true}, ""},
		{`"orange`, store.Visible{All: true}, "bill/b1 contact/c1"},
		{`'orange':* & !edf | (x)`, store.Visible{All: true}, ""},
		{`\ ' " * : ^ - + NEAR(a b)`, store.Visible{All: true}, ""},
	} {
		got, err := s.Search(ctx, a.ID, store.SearchQuery{Text: tt.text, Visible: tt.v})
		if err != nil || searchIDs(got.Items) != tt.want || got.Total != int64(len(got.Items)) {
			t.Errorf("Search(%q, %+v) = %q (total %d), %v; want %q", tt.text, tt.v, searchIDs(got.Items), got.Total, err, tt.want)
		}
	}
}

// testSearchWords: accents and case folded, every word required, the last one as a prefix,
// doctypes found by their names, organizations by theirs, dates in French and English.
func testSearchWords(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	edf := store.Source{Kind: "organization", ID: "edf", Name: "EDF"}
	bank := store.Source{Kind: "organization", ID: "bank", Name: "Crédit Mutuel"}
	mustUpdate(t, s, a.ID, func(w store.Writer) error {
		_, err := w.CreateDocs(ctx, "bill", []store.NewDoc{
			{ID: "elec", Data: json.RawMessage(`{"label":"Électricité novembre","amount":"61.20","date":"2026-11-30"}`), Source: edf, Period: "2026-11"},
			{ID: "gas", Data: json.RawMessage(`{"label":"Gaz","amount":"40.00","date":"2026-10-01"}`), Source: edf, Period: "2026-10"},
			{ID: "water", Data: json.RawMessage(`{"vendor":"Eau du Grand Lyon","label":"electricite (sic)","date":"2026-12-15T08:00:00Z"}`), Source: store.Source{Kind: "organization", ID: "water", Name: "Eau du Grand Lyon"}},
		})
		if err != nil {
			return err
		}
		_, err = w.CreateDocs(ctx, "bank.operation", []store.NewDoc{
			{ID: "op1", Data: json.RawMessage(`{"label":"PRLV EDF facture 2026-11","amount":"-61.20","date":"2026-12-02"}`), Source: bank},
			{ID: "op2", Data: json.RawMessage(`{"label":"Boulangerie Œuf & Cœur","amount":"-4.10","date":"2026-11-30"}`), Source: bank},
			{ID: "op3", Data: json.RawMessage(`{"label":"Pharmacie","amount":"-30.00","date":"2026-11-12","at":"2026-11-12T10:30:00Z"}`), Source: bank},
		})
		return err
	})
	all := store.Visible{All: true}
	for _, tt := range []struct {
		text string
		want string
	}{
		{"electricite", "bill/elec bill/water"},
		{"ÉLECTRICITÉ", "bill/elec bill/water"},
		{"électricité novembre", "bill/elec"},
		{"Électricité Lyon", "bill/water"},
		{"electricite gaz", ""},                          // every word
		{"elec", "bill/elec bill/water"},                 // the last word as a prefix
		{"elec edf", ""},                                 // only the last one
		{"edf", "bank.operation/op1 bill/elec bill/gas"}, // an organization's name, in the data or as the source
		{"facture EDF", "bank.operation/op1 bill/elec bill/gas"},
		{"bill edf", "bill/elec bill/gas"},
		{"factures", ""},
		{"opération edf", "bank.operation/op1"},
		{"credit mutuel", "bank.operation/op1 bank.operation/op2 bank.operation/op3"},
		{"30 novembre", "bank.operation/op2 bill/elec"}, // not a 30 beside a November date, nor 10:30
		{"12 nov", "bank.operation/op3"},
		{"pharmacie 30", "bank.operation/op3"},
		{"pharmacie 10", ""}, // an instant's hours are not words
		{"30 November 2026", "bank.operation/op2 bill/elec"},
		{"November 30, 2026", "bank.operation/op2 bill/elec"},
		{"1er octobre", "bill/gas"},
		{"1 October", "bill/gas"},
		{"15 décembre", "bill/water"},
		{"decembre 2026", "bank.operation/op1 bill/water"},
		{"novembre 2026 facture", "bank.operation/op1 bill/elec"},
		{"30/11/2026", "bank.operation/op2 bill/elec"},
		{"61,20", "bank.operation/op1 bill/elec"},
		{"61.20 edf", "bank.operation/op1 bill/elec"},
		{"oeuf coeur", "bank.operation/op2"},
		{"202", ""}, // a number is a whole word: 202 is not 2026
	} {
		got, err := s.Search(ctx, a.ID, store.SearchQuery{Text: tt.text, Visible: all, Names: searchNames})
		if err != nil || searchIDs(got.Items) != tt.want {
			t.Errorf("Search(%q) = %q, %v; want %q", tt.text, searchIDs(got.Items), err, tt.want)
		}
	}
}

// testSearchPages: 250 matches, read a page at a time, are each found once, and every page
// tells how many there are; newest first.
func testSearchPages(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	var docs []store.NewDoc
	for i := range 260 {
		city := "Lyon"
		if i%26 == 25 {
			city = "Paris"
		}
		docs = append(docs, doc(fmt.Sprintf("v%03d", i), fmt.Sprintf(`{"name":"Visite %d","address":"%d rue X, %s"}`, i, i, city)))
	}
	// Three transactions: documents of one write share their time, and the pages must cut
	// through both equal and different times.
	create(t, s, a.ID, "visit", docs[:100]...)
	create(t, s, a.ID, "place", docs[100:200]...)
	create(t, s, a.ID, "visit", docs[200:]...)
	seen := map[string]int{}
	var q = store.SearchQuery{Text: "lyon", Visible: store.Visible{All: true}, Limit: 100}
	pages := 0
	for {
		page := search(t, s, a.ID, q)
		pages++
		if page.Total != 250 {
			t.Fatalf("page %d: Total = %d, want 250", pages, page.Total)
		}
		for i, d := range page.Items {
			seen[d.Doctype+"/"+d.ID]++
			if i > 0 && d.Updated.After(page.Items[i-1].Updated) {
				t.Fatalf("page %d is not newest first at %s", pages, d.ID)
			}
		}
		if page.Next == "" {
			break
		}
		if len(page.Items) != 100 || pages > 3 {
			t.Fatalf("page %d has %d items and a next page", pages, len(page.Items))
		}
		q.Cursor = page.Next
	}
	if pages != 3 || len(seen) != 250 {
		t.Fatalf("%d pages, %d documents found, want 3 and 250", pages, len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("%s found %d times", id, n)
		}
	}
	q.Cursor = "not-a-cursor"
	if _, err := s.Search(ctx, a.ID, q); err == nil || !strings.Contains(err.Error(), "cursor") {
		t.Fatalf("a bad cursor: %v", err)
	}
}

// testSearchVisible: a reader of bills finds no operation, and the count says so.
func testSearchVisible(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	create(t, s, a.ID, "bill", doc("b1", `{"vendor":"EDF"}`), doc("b2", `{"vendor":"EDF"}`))
	var ops []store.NewDoc
	for i := range 30 {
		ops = append(ops, doc(fmt.Sprintf("o%d", i), `{"label":"PRLV EDF"}`))
	}
	create(t, s, a.ID, "bank.operation", ops...)
	page := search(t, s, a.ID, store.SearchQuery{Text: "edf", Visible: only("bill"), Names: searchNames, Limit: 1})
	if page.Total != 2 || len(page.Items) != 1 || page.Items[0].Doctype != "bill" || page.Next == "" {
		t.Fatalf("a reader of bills: %d of %d, %q", len(page.Items), page.Total, searchIDs(page.Items))
	}
	page = search(t, s, a.ID, store.SearchQuery{Text: "edf", Visible: only("bill"), Names: searchNames, Limit: 1, Cursor: page.Next})
	if page.Total != 2 || len(page.Items) != 1 || page.Items[0].Doctype != "bill" || page.Next != "" {
		t.Fatalf("a reader of bills, page 2: %d of %d, %q", len(page.Items), page.Total, searchIDs(page.Items))
	}
	// A word naming a doctype it may not read shows none of it.
	if page := search(t, s, a.ID, store.SearchQuery{Text: "opération", Visible: only("bill"), Names: searchNames}); page.Total != 0 {
		t.Fatalf("a reader of bills finds operations by their name: %q", searchIDs(page.Items))
	}
	if page := search(t, s, a.ID, store.SearchQuery{Text: "edf", Visible: store.Visible{All: true}, Names: searchNames}); page.Total != 32 {
		t.Fatalf("the owner: Total = %d, want 32", page.Total)
	}
}

// testSearchChanges: the index follows each write — an update, a correction, an upsert, a
// deletion, an instance's removal.
func testSearchChanges(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	b := newInstance(t, s, "bob")
	d := create(t, s, a.ID, "bill", doc("b1", `{"vendor":"Orange"}`), doc("b2", `{"vendor":"Free"}`))
	create(t, s, b.ID, "bill", doc("b1", `{"vendor":"Orange"}`))
	all := store.Visible{All: true}
	found := func(inst, text string) string {
		t.Helper()
		return searchIDs(search(t, s, inst, store.SearchQuery{Text: text, Visible: all}).Items)
	}
	var rev string
	mustUpdate(t, s, a.ID, func(w store.Writer) error {
		got, err := w.UpdateDoc(ctx, "bill", "b1", d[0].Rev, json.RawMessage(`{"vendor":"Sosh"}`), "2026-03")
		rev = got.Rev
		return err
	})
	if found(a.ID, "orange") != "" || found(a.ID, "sosh mars") != "bill/b1" {
		t.Fatalf("after an update: orange %q, sosh %q", found(a.ID, "orange"), found(a.ID, "sosh mars"))
	}
	if _, err := edit(s, a.ID, "b1", rev, `{"vendor":"Sosh mobile"}`, store.Source{Kind: "owner", Name: "you"}); err != nil {
		t.Fatal(err)
	}
	if found(a.ID, "sosh mobile") != "bill/b1" {
		t.Fatalf("after a correction: %q", found(a.ID, "sosh mobile"))
	}
	mustUpdate(t, s, a.ID, func(w store.Writer) error {
		_, err := w.UpsertDocs(ctx, "bill", []store.NewDoc{
			{ID: "b2", Data: json.RawMessage(`{"vendor":"Bouygues"}`), Source: src("organization", "bank")},
			{ID: "b3", Data: json.RawMessage(`{"vendor":"Bouygues"}`), Source: src("organization", "bank")},
		})
		return err
	})
	if found(a.ID, "free") != "" || found(a.ID, "bouygues") != "bill/b2 bill/b3" {
		t.Fatalf("after an upsert: free %q, bouygues %q", found(a.ID, "free"), found(a.ID, "bouygues"))
	}
	mustUpdate(t, s, a.ID, func(w store.Writer) error {
		cur, err := w.Doc(ctx, "bill", "b2")
		if err != nil {
			return err
		}
		return w.DeleteDoc(ctx, "bill", "b2", cur.Rev)
	})
	if found(a.ID, "bouygues") != "bill/b3" {
		t.Fatalf("after a deletion: %q", found(a.ID, "bouygues"))
	}
	// Written, changed and deleted in one transaction: the index holds the end of it.
	mustUpdate(t, s, a.ID, func(w store.Writer) error {
		docs, err := w.CreateDocs(ctx, "bill", []store.NewDoc{doc("t1", `{"vendor":"Transient"}`), doc("t2", `{"vendor":"Draft"}`)})
		if err != nil {
			return err
		}
		if err := w.DeleteDoc(ctx, "bill", "t1", docs[0].Rev); err != nil {
			return err
		}
		_, err = w.UpdateDoc(ctx, "bill", "t2", docs[1].Rev, json.RawMessage(`{"vendor":"Final"}`), "")
		return err
	})
	if found(a.ID, "transient") != "" || found(a.ID, "draft") != "" || found(a.ID, "final") != "bill/t2" {
		t.Fatalf("after one transaction: transient %q, draft %q, final %q", found(a.ID, "transient"), found(a.ID, "draft"), found(a.ID, "final"))
	}
	if err := s.DeleteInstance(ctx, a.Name); err != nil {
		t.Fatal(err)
	}
	if raw, ok := s.(Raw); ok {
		rows, err := raw.QueryRaw(ctx, `SELECT COUNT(*) FROM docs_search WHERE instance = ?`, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var left int
		for rows.Next() {
			err = rows.Scan(&left)
		}
		rows.Close()
		if err != nil || left != 0 {
			t.Fatalf("the removed instance's words: %d left, %v", left, err)
		}
	}
	if found(b.ID, "orange") != "bill/b1" {
		t.Fatalf("bob after alice's removal: %q", found(b.ID, "orange"))
	}
}

// testSearchConcurrent: searches beside writers neither fail nor see a document twice, and
// afterwards find every document written.
func testSearchConcurrent(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers+2)
	for wr := range writers {
		wg.Go(func() {
			for i := range each {
				err := s.Update(ctx, a.ID, func(w store.Writer) error {
					_, err := w.UpsertDocs(ctx, "bill", []store.NewDoc{doc(fmt.Sprintf("w%d-%d", wr, i), `{"vendor":"Électricité de France"}`)})
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			for range 20 {
				page, err := s.Search(ctx, a.ID, store.SearchQuery{Text: "electricite france", Visible: store.Visible{All: true}, Limit: 500})
				if err != nil {
					errs <- err
					return
				}
				if int64(len(page.Items)) > page.Total+writers*each || len(page.Items) > writers*each {
					errs <- fmt.Errorf("%d items of %d", len(page.Items), page.Total)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	page := search(t, s, a.ID, store.SearchQuery{Text: "électricité", Visible: store.Visible{All: true}, Limit: 500})
	if page.Total != writers*each || len(page.Items) != writers*each {
		t.Fatalf("after the writers: %d of %d, want %d", len(page.Items), page.Total, writers*each)
	}
}
