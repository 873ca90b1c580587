package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"selfdata/internal/store"
)

// person is the source of what the person writes: the owner, or a script of theirs.
var (
	asOwner  = store.Source{Kind: "owner", Name: "you"}
	asScript = store.Source{Kind: "token", ID: "tok1", Name: "backup script"}
	asVolta  = store.Source{Kind: "service", ID: "volta", Name: "Volta"}
)

// edit runs UpdateDocAs in its own transaction.
func edit(s store.Store, inst, id, rev, data string, by store.Source) (store.Doc, error) {
	var d store.Doc
	err := s.Update(ctx, inst, func(w store.Writer) error {
		var err error
		d, err = w.UpdateDocAs(ctx, "bill", id, rev, json.RawMessage(data), "", by)
		return err
	})
	return d, err
}

// deposit upserts one bill from the organization edf in its own transaction.
func deposit(t *testing.T, s store.Store, inst, id, data string, batch string) store.Upserted {
	t.Helper()
	var res store.Upserted
	src := src("organization", "edf")
	src.Batch, src.At = batch, time.Now().UTC().Truncate(time.Microsecond)
	err := s.Update(ctx, inst, func(w store.Writer) error {
		var err error
		res, err = w.UpsertDocs(ctx, "bill", []store.NewDoc{{ID: id, Data: json.RawMessage(data), Source: src}})
		return err
	})
	if err != nil {
		t.Fatalf("deposit %s: %v", id, err)
	}
	return res
}

// sameJSON compares two JSON values, whatever their spacing.
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// testCorrections: the person's change of what an organization deposited keeps the
// organization as the source and its value as the original, marked corrected by the person;
// the organization's later deposits replace the original, never the person's value; setting
// the value back to the original lifts the correction. What the person wrote themselves, in
// any of their ways, is simply updated.
func testCorrections(t *testing.T, s store.Store) {
	a, b := newInstance(t, s, "alice"), newInstance(t, s, "bob")
	deposit(t, s, a.ID, "edf-1", `{"amount":"61.20"}`, "d1")
	deposit(t, s, b.ID, "edf-1", `{"amount":"61.20"}`, "d1")
	before := time.Now().UTC().Truncate(time.Microsecond)

	d, err := edit(s, a.ID, "edf-1", "1", `{"amount":"70.00"}`, asOwner)
	if err != nil || d.Rev != "2" || d.Source.Kind != "organization" || d.Source.ID != "edf" || !sameJSON(d.Data, json.RawMessage(`{"amount":"70.00"}`)) {
		t.Fatalf("the owner's correction = %+v, %v", d, err)
	}
	if c := d.Corrected; c == nil || c.At.Before(before) || c.By != (store.Corrector{Kind: "owner", Name: "you"}) || !sameJSON(c.Original, json.RawMessage(`{"amount":"61.20"}`)) {
		t.Fatalf("correction = %+v", d.Corrected)
	}
	// Every read sees it: by id, in a query, in a search; bob's bill of the same id is not his.
	got, err := s.Doc(ctx, a.ID, "bill", "edf-1")
	if err != nil || !reflect.DeepEqual(got.Corrected, d.Corrected) {
		t.Fatalf("Doc = %+v, %v; want %+v", got.Corrected, err, d.Corrected)
	}
	page, err := s.Query(ctx, a.ID, store.Query{Doctype: "bill"})
	if err != nil || len(page.Items) != 1 || !reflect.DeepEqual(page.Items[0].Corrected, d.Corrected) {
		t.Fatalf("Query = %+v, %v", page.Items, err)
	}
	found, err := s.Search(ctx, a.ID, store.SearchQuery{Text: "70.00", Visible: store.Visible{Doctypes: []string{"bill"}}})
	if err != nil || len(found.Items) != 1 || found.Items[0].Corrected == nil {
		t.Fatalf("Search = %+v, %v", found, err)
	}
	if bobs, err := s.Doc(ctx, b.ID, "bill", "edf-1"); err != nil || bobs.Corrected != nil || bobs.Rev != "1" {
		t.Fatalf("bob's bill = %+v, %v", bobs, err)
	}

	// A second correction, by the person's script: the original stays the organization's.
	d, err = edit(s, a.ID, "edf-1", "2", `{"amount":"71.00"}`, asScript)
	if err != nil || d.Corrected == nil || d.Corrected.By.Kind != "token" || d.Corrected.By.ID != "tok1" || !sameJSON(d.Corrected.Original, json.RawMessage(`{"amount":"61.20"}`)) {
		t.Fatalf("the script's correction = %+v, %v", d, err)
	}
	_, err = edit(s, a.ID, "edf-1", "2", `{"amount":"72.00"}`, asOwner)
	mustErr(t, err, store.ErrConflict, "a correction at a stale revision")

	// The organization deposits its value again: nothing changes. A new value: it becomes
	// the original, the person's value and the mark stay.
	if res := deposit(t, s, a.ID, "edf-1", `{"amount":"61.20"}`, "d2"); res != (store.Upserted{Unchanged: 1}) {
		t.Fatalf("the same deposit again = %+v", res)
	}
	if res := deposit(t, s, a.ID, "edf-1", `{"amount":"65.00"}`, "d3"); res != (store.Upserted{Updated: 1}) {
		t.Fatalf("a new value = %+v", res)
	}
	got, _ = s.Doc(ctx, a.ID, "bill", "edf-1")
	if got.Rev != "4" || !sameJSON(got.Data, json.RawMessage(`{"amount":"71.00"}`)) || got.Corrected == nil || got.Corrected.By.Kind != "token" ||
		!sameJSON(got.Corrected.Original, json.RawMessage(`{"amount":"65.00"}`)) || got.Source.Batch != "d3" || got.Source.At.Before(got.Corrected.At) {
		t.Fatalf("after the organization's new value: %+v (%+v)", got, got.Corrected)
	}
	// Back to the organization's value: nothing is corrected any more, and its next value
	// is simply taken.
	if d, err = edit(s, a.ID, "edf-1", "4", `{ "amount": "65.00" }`, asOwner); err != nil || d.Corrected != nil || !sameJSON(d.Data, json.RawMessage(`{"amount":"65.00"}`)) {
		t.Fatalf("back to the original = %+v, %v", d, err)
	}
	deposit(t, s, a.ID, "edf-1", `{"amount":"66.00"}`, "d4")
	if got, _ = s.Doc(ctx, a.ID, "bill", "edf-1"); got.Corrected != nil || !sameJSON(got.Data, json.RawMessage(`{"amount":"66.00"}`)) {
		t.Fatalf("a deposit after the correction was lifted: %+v", got)
	}

	// A service changing the organization's bill corrects it too, under its own name.
	if d, err = edit(s, a.ID, "edf-1", got.Rev, `{"amount":"1.00"}`, asVolta); err != nil || d.Corrected == nil || d.Corrected.By != (store.Corrector{Kind: "service", ID: "volta", Name: "Volta"}) {
		t.Fatalf("a service's change = %+v, %v", d, err)
	}

	// What the person wrote, in whichever of their ways, is theirs to change: no correction.
	own := store.NewDoc{ID: "mine", Data: json.RawMessage(`{"amount":"5.00"}`), Source: store.Source{Kind: "owner", Name: "you", At: before}}
	create(t, s, a.ID, "bill", own)
	for i, by := range []store.Source{asOwner, asScript} {
		d, err := edit(s, a.ID, "mine", fmt.Sprint(i+1), fmt.Sprintf(`{"amount":"%d.00"}`, 6+i), by)
		if err != nil || d.Corrected != nil || d.Source.Kind != "owner" {
			t.Fatalf("the person changing their own bill as %s = %+v, %v", by.Kind, d, err)
		}
	}
	_, err = edit(s, b.ID, "mine", "3", `{}`, asOwner)
	mustErr(t, err, store.ErrNotFound, "bob changing alice's bill")
}

// testCorrectionsConcurrent: a person's correction and the organization's new deposit of the
// same bill, at once, never lose either's value: either the correction came first and the
// deposit became its original, or the deposit came first and the correction, made on the
// revision before it, is refused.
func testCorrectionsConcurrent(t *testing.T, s store.Store) {
	a := newInstance(t, s, "alice")
	const bills = 8
	for i := range bills {
		deposit(t, s, a.ID, fmt.Sprintf("b%d", i), `{"amount":"1.00"}`, "d1")
	}
	errs := make([]error, bills)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range bills {
		id := fmt.Sprintf("b%d", i)
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = edit(s, a.ID, id, "1", `{"amount":"2.00"}`, asOwner)
		}()
		go func() {
			defer wg.Done()
			<-start
			src := src("organization", "edf")
			err := s.Update(ctx, a.ID, func(w store.Writer) error {
				_, err := w.UpsertDocs(ctx, "bill", []store.NewDoc{{ID: id, Data: json.RawMessage(`{"amount":"3.00"}`), Source: src}})
				return err
			})
			if err != nil {
				t.Errorf("deposit of %s: %v", id, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	for i := range bills {
		d, err := s.Doc(ctx, a.ID, "bill", fmt.Sprintf("b%d", i))
		switch {
		case err != nil:
			t.Fatal(err)
		case errs[i] == nil && (d.Corrected == nil || !sameJSON(d.Data, json.RawMessage(`{"amount":"2.00"}`)) || !sameJSON(d.Corrected.Original, json.RawMessage(`{"amount":"3.00"}`))):
			t.Errorf("bill %d, corrected: %s, %+v; want the correction over the new deposit", i, d.Data, d.Corrected)
		case errs[i] != nil && (!errors.Is(errs[i], store.ErrConflict) || d.Corrected != nil || !sameJSON(d.Data, json.RawMessage(`{"amount":"3.00"}`))):
			t.Errorf("bill %d, correction refused with %v: %s, %+v; want the new deposit alone", i, errs[i], d.Data, d.Corrected)
		}
	}
}
