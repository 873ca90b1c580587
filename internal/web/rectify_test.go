package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"selfdata/internal/gate"
	"selfdata/internal/restore"
	"selfdata/internal/store"
)

// correctPost posts the correction form of alice's bill id as who, with the form's fields.
func (ts *testServer) correctPost(t *testing.T, who, id, rev string, fields map[string]string) response {
	t.Helper()
	f := url.Values{"csrf": {testCSRF}, "rev": {rev}}
	for k, v := range fields {
		f.Set("f."+k, v)
	}
	return ts.do(t, request{method: "POST", path: "/data/bill/" + id + "/correct", body: f.Encode(), csrf: true, as: who})
}

// aliceBill is alice's bill id as the store holds it now.
func (ts *testServer) aliceBill(t *testing.T, id string) store.Doc {
	t.Helper()
	d, err := ts.gate.Get(bg, gate.Owner(ts.alice.in.ID), "bill", id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// enedisF1 deposits Enedis's bill F1 for alice and returns its id.
func (ts *testServer) enedisF1(t *testing.T) string {
	t.Helper()
	ts.enedisBill(t, "1234.5")
	return restore.ID(store.Source{Kind: "organization", ID: "enedis"}, "bill", "F1")
}

// TestRectifyFromPages: alice corrects in the pages the amount of a bill Enedis deposited
// (typed as French writes it): the bill still comes from Enedis, Enedis's amount is kept,
// and the record page shows both side by side with the request to Enedis; the form then
// shows Enedis's value beside the input.
func TestRectifyFromPages(t *testing.T) {
	ts := newTestServer(t)
	id := ts.enedisF1(t)
	form := html.UnescapeString(ts.page(t, "/data/bill/"+id+"/correct?lang=en", 200))
	wantAll(t, "the form", form, `name="f.amount" value="1234.5"`, `name="f.date" value="2024-11-30" type="date"`, `name="f.vendor" value="Enedis"`,
		`<select id="f-type" name="f.type"`, `<option value="electricity">Electricity</option>`, `name="rev" value="1"`, "Amount", "(required)")
	wantNone(t, "the form of a record never corrected", form, `id="o-amount"`)
	record := ts.page(t, "/data/bill/"+id+"?lang=en", 200)
	wantAll(t, "the record page before", record, `href="/data/bill/`+id+`/correct"`, "Correct this record")

	res := ts.correctPost(t, "session:alice", id, "1", map[string]string{"amount": "1 200,00", "vendor": "Enedis", "date": "2024-11-30", "currency": "EUR", "type": ""})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/data/bill/"+id+"?done=corrected" {
		t.Fatalf("the correction: %d %q %s", res.status, res.header.Get("Location"), res.body)
	}
	d := ts.aliceBill(t, id)
	if amountOf(d.Data) != "1200.00" || d.Source.Kind != "organization" || d.Source.ID != "enedis" || d.Corrected == nil || d.Corrected.By.Kind != "owner" || amountOf(d.Corrected.Original) != "1234.5" {
		t.Fatalf("the corrected bill: %s %+v", d.Data, d.Corrected)
	}
	if strings.Contains(string(d.Data), `"type"`) {
		t.Errorf("a select left empty added a value: %s", d.Data)
	}

	ask := "/rights/requests/new?" + url.Values{"org": {"enedis"}, "kind": {"rectification"}, "doctype": {"bill"}, "id": {id}}.Encode()
	record = html.UnescapeString(ts.page(t, "/data/bill/"+id+"?done=corrected&lang=en", 200))
	wantAll(t, "the corrected record", record, "Your correction is saved.", "What you corrected", `id="diff-amount"`, "Your value", "€1,200.00", "Value sent by Enedis", "€1,234.50",
		`href="`+ask+`"`, "Ask Enedis to correct it too")
	if i, j := strings.Index(record, "€1,200.00</dd>"), strings.Index(record, "€1,234.50</dd>"); i < 0 || j < i || strings.Count(record[i:j], `class="rectify-orig"`) != 1 {
		t.Errorf("the two amounts are not side by side in one row (%d, %d)", i, j)
	}
	wantNone(t, "the corrected record", record, `id="diff-vendor"`, `id="diff-date"`)
	fr := html.UnescapeString(ts.page(t, "/data/bill/"+id+"?lang=fr", 200))
	wantAll(t, "the corrected record in French", fr, "Ce que vous avez corrigé", "Votre valeur", "Valeur envoyée par Enedis", "Demander à Enedis de le corriger aussi")
	wantNone(t, "the record without ?done", fr, "Votre correction est enregistrée")

	form = html.UnescapeString(ts.page(t, "/data/bill/"+id+"/correct?lang=en", 200))
	wantAll(t, "the form of the corrected bill", form, `name="f.amount" value="1200.00"`, `id="o-amount"`, "Value sent by Enedis", "€1,234.50", `name="rev" value="2"`)
	wantNone(t, "the form of the corrected bill", form, `id="o-vendor"`)
}

// TestRectifyRefused: values the schema refuses are named, each beside its input, in the
// page's language, with what was typed kept; nothing is written.
func TestRectifyRefused(t *testing.T) {
	ts := newTestServer(t)
	id := ts.enedisF1(t)
	for lang, want := range map[string][]string{
		"en": {"Nothing was saved: 3 values to fix", "Amount: must be an amount, such as 1200.50", "Date: must be a day, such as 2025-03-01", "Currency: is required"},
		"fr": {"Rien n'a été enregistré\u202f: 3 valeurs à revoir", "Montant\u202f: doit être un montant, comme 1200,50", "Date\u202f: doit être un jour", "Devise\u202f: est obligatoire"},
	} {
		f := url.Values{"csrf": {testCSRF}, "rev": {"1"}, "f.amount": {"douze"}, "f.date": {"2024-13-45"}, "f.currency": {""}}
		res := ts.do(t, request{method: "POST", path: "/data/bill/" + id + "/correct?lang=" + lang, body: f.Encode(), csrf: true, as: "session:alice"})
		body := html.UnescapeString(res.body)
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d", lang, res.status)
		}
		wantAll(t, lang+": the refused form", body, want...)
		wantAll(t, lang+": the refused form", body, `name="f.amount" value="douze"`, `id="f-amount" name="f.amount" value="douze" type="text" inputmode="decimal" aria-invalid="true"`, `id="e-amount"`, `id="e-currency"`)
		wantNone(t, lang+": the refused form", body, `id="e-vendor"`)
	}
	if d := ts.aliceBill(t, id); d.Rev != "1" || d.Corrected != nil || amountOf(d.Data) != "1234.5" {
		t.Errorf("a refused correction was written: rev %s %s", d.Rev, d.Data)
	}
}

// TestRectifyStale: a form made before Enedis sent the bill again does not undo what Enedis
// sent: it is refused, saying so, and shows the bill as it is now; nothing is written.
func TestRectifyStale(t *testing.T) {
	ts := newTestServer(t)
	id := ts.enedisF1(t)
	form := ts.page(t, "/data/bill/"+id+"/correct?lang=en", 200)
	wantAll(t, "the form", form, `name="rev" value="1"`)
	if rep := ts.enedisBill(t, "1300.00"); rep["updated"] != 1.0 {
		t.Fatalf("Enedis's new amount: %v", rep)
	}
	res := ts.correctPost(t, "session:alice", id, "1", map[string]string{"amount": "1200.00"})
	body := html.UnescapeString(res.body)
	if res.status != http.StatusConflict {
		t.Fatalf("a stale form: %d %s", res.status, body)
	}
	wantAll(t, "the stale form", body, "This record changed while you were correcting it", "Nothing was saved", `name="f.amount" value="1300.00"`, `name="rev" value="2"`)
	if d := ts.aliceBill(t, id); d.Rev != "2" || d.Corrected != nil || amountOf(d.Data) != "1300.00" {
		t.Errorf("a stale correction was written: rev %s %s", d.Rev, d.Data)
	}
	fr := ts.correctPost(t, "session:alice", id, "1", map[string]string{"amount": "1200.00"})
	if fr.status != http.StatusConflict {
		t.Errorf("a stale form again: %d", fr.status)
	}
}

// TestRectifyOthers: bob finds neither the form of alice's bill nor a way to post it, the
// same answer as for a record that does not exist; alice's bill stays as it was.
func TestRectifyOthers(t *testing.T) {
	ts := newTestServer(t)
	id := ts.enedisF1(t)
	for _, path := range []string{"/data/bill/" + id + "/correct", "/data/bill/nothing-here/correct"} {
		if res := ts.do(t, request{method: "GET", path: path, as: "session:bob"}); res.status != http.StatusNotFound || strings.Contains(res.body, "1234.5") {
			t.Errorf("bob GET %s: %d", path, res.status)
		}
	}
	if res := ts.correctPost(t, "session:bob", id, "1", map[string]string{"amount": "1.00"}); res.status != http.StatusNotFound {
		t.Errorf("bob POST: %d %s", res.status, res.body)
	}
	if res := ts.correctPost(t, "session:bob", "nothing-here", "1", map[string]string{"amount": "1.00"}); res.status != http.StatusNotFound {
		t.Errorf("bob POST a bill that is not: %d", res.status)
	}
	if d := ts.aliceBill(t, id); d.Rev != "1" || amountOf(d.Data) != "1234.5" {
		t.Errorf("bob changed alice's bill: %s", d.Data)
	}
	ask := "/rights/requests/new?org=enedis&kind=rectification&doctype=bill&id=" + id
	if res := ts.do(t, request{method: "GET", path: ask, as: "session:bob"}); res.status != http.StatusNotFound || strings.Contains(res.body, "1234") {
		t.Errorf("bob's letter about alice's bill: %d", res.status)
	}
}

// TestRectifyLetter: the request the record page links to is the Art. 16 letter to Enedis,
// naming the bill and its amount as Enedis holds it and as corrected, in French and in
// English, the email too; a record Enedis did not send is refused.
func TestRectifyLetter(t *testing.T) {
	ts := newTestServer(t)
	id := ts.enedisF1(t)
	if res := ts.correctPost(t, "session:alice", id, "1", map[string]string{"amount": "1200.00"}); res.status != http.StatusSeeOther {
		t.Fatalf("the correction: %d %s", res.status, res.body)
	}
	ask := "/rights/requests/new?org=enedis&kind=rectification&doctype=bill&id=" + id
	for lang, want := range map[string][]string{
		"en": {"Request to exercise the right to rectification (Article 16 GDPR)", "The record “Enedis” (Bill, id " + id + ") you sent me holds inaccurate data:",
			"– Amount: you hold “€1,234.50”; the correct value is “€1,200.00”.", "This letter names your record “Enedis” (Bill)"},
		"fr": {"Demande d'exercice du droit de rectification (article 16 du RGPD)", "L'enregistrement «\u202fEnedis\u202f» (Facture, identifiant " + id + ") que vous m'avez transmis contient des données inexactes\u202f:",
			"– Montant\u202f: vous détenez «\u202f1\u202f234,50\u00a0€\u202f»\u202f; la valeur exacte est «\u202f1\u202f200,00\u00a0€\u202f».", "Cette lettre désigne votre enregistrement «\u202fEnedis\u202f» (Facture)"},
	} {
		body := html.UnescapeString(ts.page(t, ask+"&lang="+lang, 200))
		wantAll(t, lang+": the letter", body, want...)
		wantAll(t, lang+": the letter", body, `value="rectification" checked`, `<input type="hidden" name="doctype" value="bill"><input type="hidden" name="id" value="`+id+`">`)
		start := strings.Index(body, `href="mailto:`)
		if start < 0 {
			t.Fatalf("%s: no email link", lang)
		}
		mailto, _ := url.PathUnescape(body[start : start+strings.Index(body[start:], `"`+">")])
		wantAll(t, lang+": the email", mailto, want[2])
		if other := html.UnescapeString(ts.page(t, "/rights/requests/new?org=enedis&kind=access&doctype=bill&id="+id+"&lang="+lang, 200)); strings.Contains(other, want[2]) {
			t.Errorf("%s: a request of access lists the corrected values", lang)
		}
	}
	res := ts.do(t, request{method: "GET", path: "/rights/requests/new?org=enedis&kind=rectification&doctype=bill&id=" + ts.alice.billID, as: "session:alice"})
	if res.status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(res.body), `was not sent by "Enedis"`) {
		t.Errorf("a bill alice wrote, to Enedis: %d %s", res.status, res.body)
	}
}
