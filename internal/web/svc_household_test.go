package web

import (
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/money"
	"selfdata/internal/services"
	"selfdata/internal/store"
)

// seedContracts gives alice and bob one EDF contract each and switches My contracts on for
// alice only: what the access scenarios of the letter route need.
func (ts *testServer) seedContracts(t testing.TB) {
	t.Helper()
	for _, p := range []*person{ts.alice, ts.bob} {
		owner := gate.Owner(p.in.ID)
		err := ts.gate.Write(bg, owner, func(b *gate.Batch) error {
			data, _ := json.Marshal(map[string]any{"type": "electricity", "provider": "EDF", "reference": "EDF-" + strings.ToUpper(p.name),
				"holder": "Holder " + p.name, "address": "1 rue de la République, 69001 Lyon", "start": "2020-01-01",
				"price": "12.00", "priceUnit": "month", "currency": "EUR"})
			checked, err := ts.gate.Check("contract", []gate.Input{{ID: "contract-" + p.name, Data: data}})
			if err != nil {
				return err
			}
			_, err = b.Create("contract", checked, owner.Source("", ts.gate))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	d, _ := services.Lookup(services.Contracts)
	if _, err := ts.cons.Grant(bg, ts.alice.in.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
}

// seedDemoFor gives alice the demo person's year ending at end and switches the service on.
func (ts *testServer) seedDemoFor(t *testing.T, end time.Time, service string) *demo.Dataset {
	t.Helper()
	for _, o := range demo.Organizations() {
		if _, err := ts.srv.orgs.Add(bg, o); err != nil && !errors.Is(err, store.ErrExists) {
			t.Fatal(err)
		}
	}
	ds := demo.Generate(end, 1)
	if err := demo.Seed(bg, ts.gate, ts.alice.in.ID, ds); err != nil {
		t.Fatal(err)
	}
	d, _ := services.Lookup(service)
	if _, err := ts.cons.Grant(bg, ts.alice.in.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	return ds
}

// isoDate finds a date written the way the store keeps it, which no page shows.
var isoDateRE = regexp.MustCompile(`>[^<]*\b20\d\d-\d\d-\d\d\b`)

// TestMyHomeDemo: the demo person's My home, in French and in English, shows each housing
// category with its total and the year's total, equal to the sum of the bills the generator
// issued for the home (each bill once though the bank statement debits every one), a chart
// with its table, and no raw date.
func TestMyHomeDemo(t *testing.T) {
	ts := newTestServer(t)
	now := time.Now()
	ds := ts.seedDemoFor(t, now, services.Home)
	today := householdToday()
	last := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	from, to := last.AddDate(-1, 1, 0), last.AddDate(0, 1, -1)
	want := map[string]money.Amount{}
	var total money.Amount
	for _, b := range ds.Docs {
		for _, d := range b.Docs {
			if b.Doctype != "bill" {
				continue
			}
			due, _ := time.Parse(time.DateOnly, d.Data["dueDate"].(string))
			typ := d.Data["type"].(string)
			if due.Before(from) || due.After(to) || typ == "insurance" && d.Data["contract"] != "insurance-maif-home" {
				continue
			}
			a := money.MustParse(d.Data["amount"].(string))
			want[typ], total = want[typ].Add(a), total.Add(a)
		}
	}
	for _, lg := range []string{"fr", "en"} {
		t.Run(lg, func(t *testing.T) {
			res := ts.do(t, request{method: "GET", path: "/services/" + services.Home + "?to=" + last.Format("2006-01"), as: "session:alice", header: map[string]string{"Accept-Language": lg}})
			res.body = html.UnescapeString(res.body)
			if res.status != 200 {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			must := []string{textIn(servicesTexts, lg, "svc."+services.Home), chartDateRange(from, to, lg), `<svg`, `class="table-wrap"`, "?to=" + from.AddDate(0, -1, 0).Format("2006-01")}
			for _, cat := range []string{"housing", "electricity", "gas", "water", "telecom", "insurance"} {
				label := myHomeText(lg, "myhome.cat."+cat)
				amount, _ := formatMoney(want[cat].String(), "EUR", lg)
				if want[cat].IsZero() {
					t.Fatalf("the demo has no %s bill in the year", cat)
				}
				must = append(must, label, amount)
			}
			sum, _ := formatMoney(total.String(), "EUR", lg)
			must = append(must, sum, householdPercent(1000, lg))
			for _, m := range must {
				if !strings.Contains(res.body, m) {
					t.Errorf("the page lacks %q", m)
				}
			}
			if strings.Contains(res.body, `rel="next"`) {
				t.Error("a link to later months than the last complete one")
			}
			if m := isoDateRE.FindString(res.body); m != "" {
				t.Errorf("a raw date on the page: %q", m)
			}
		})
	}
	for _, bad := range []string{"2025-13", "2025", "june", "0001-01"} {
		res := ts.do(t, request{method: "GET", path: "/services/" + services.Home + "?to=" + bad, as: "session:alice"})
		if res.status != 400 || !strings.Contains(res.body, "to:") {
			t.Errorf("to=%s: %d %s", bad, res.status, res.body)
		}
	}
}

// TestMyHomeEmpty: switched on without any housing data, the page says what it needs.
func TestMyHomeEmpty(t *testing.T) {
	ts := newTestServer(t)
	d, _ := services.Lookup(services.Home)
	if _, err := ts.cons.Grant(bg, ts.bob.in.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	res := ts.do(t, request{method: "GET", path: "/services/" + services.Home, as: "session:bob", header: map[string]string{"Accept-Language": "en"}})
	if res.status != 200 || !strings.Contains(res.body, "No housing expense in these 12 months") || strings.Contains(res.body, "<svg") {
		t.Errorf("%d: %s", res.status, res.body)
	}
}

// TestMyContractsDemo: the demo person's My contracts lists the eight contracts with their
// yearly prices, what was paid to each (the generator's own bills), the rules that apply, and
// the letters: French with the person's name, contract number, date and the article, framed in
// English on English pages; the Orange commitment says until when no rule applies.
func TestMyContractsDemo(t *testing.T) {
	ts := newTestServer(t)
	ds := ts.seedDemoFor(t, time.Now(), services.Contracts)
	refs := map[string]string{}
	paid := map[string]money.Amount{}
	var commitmentEnd time.Time
	for _, b := range ds.Docs {
		for _, d := range b.Docs {
			switch b.Doctype {
			case "contract", "insurance.contract":
				refs[d.ID] = d.Data["reference"].(string)
				if d.ID == "contract-orange" {
					commitmentEnd, _ = time.Parse(time.DateOnly, d.Data["commitmentEnd"].(string))
				}
			case "bill":
				k := d.Data["contract"].(string)
				paid[k] = paid[k].Add(money.MustParse(d.Data["amount"].(string)))
			}
		}
	}
	fr := map[string]string{"Accept-Language": "fr"}
	res := ts.do(t, request{method: "GET", path: "/services/" + services.Contracts, as: "session:alice", header: fr})
	res.body = html.UnescapeString(res.body)
	if res.status != 200 {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	orangePaid, _ := formatMoney(paid["contract-orange"].String(), "EUR", "fr")
	for _, m := range []string{"Mes contrats", "EDF — Électricité — Tarif Bleu", "Orange — Livebox Fibre + forfait mobile", "MAIF — Raqvam — assurance habitation",
		"La Banque Postale — Convention de compte", "Eau du Grand Lyon", "Grand Lyon Habitat",
		"55,98\u00a0€ par mois, soit 671,76\u00a0€ par an", "214,56\u00a0€ par an", orangePaid,
		"loi Hamon", "L224-14", "L312-1-7", "article 15 de la loi n° 89-462", refs["insurance-maif-home"],
		"Aucune règle ne permet de le résilier avant le " + contractsLongDate(commitmentEnd.AddDate(0, 0, 1), "fr"),
		"/services/selfdata-contracts/letter/insurance-maif-home", "/services/selfdata-contracts/letter/contract-lbp-account", `<svg`} {
		if !strings.Contains(res.body, m) {
			t.Errorf("the page lacks %q", m)
		}
	}
	if strings.Contains(res.body, "/letter/contract-orange") || strings.Contains(res.body, "/letter/contract-lease") {
		t.Error("a letter for a contract no rule lets end today")
	}
	if m := isoDateRE.FindString(res.body); m != "" {
		t.Errorf("a raw date on the page: %q", m)
	}

	letter := func(id, lg, query string) response {
		res := ts.do(t, request{method: "GET", path: "/services/selfdata-contracts/letter/" + id + query, as: "session:alice", header: map[string]string{"Accept-Language": lg}})
		res.body = html.UnescapeString(res.body)
		return res
	}
	today := contractsLongDate(householdToday(), "fr")
	res = letter("insurance-maif-home", "fr", "")
	for _, m := range []string{`class="household-letter" lang="fr"`, "Camille Martin", "18 rue Paul Bert", "69003 Lyon", "MAIF", "À Lyon, le " + today,
		"Objet\u202f: Résiliation du contrat n°\u00a0" + refs["insurance-maif-home"], "L113-15-2", "souscrit le 1er octobre 2019", "Madame, Monsieur,",
		"Lettre recommandée avec demande d'avis de réception"} {
		if !strings.Contains(res.body, m) {
			t.Errorf("home policy letter lacks %q", m)
		}
	}
	if strings.Contains(res.body, "household-translation") {
		t.Error("a translation on a French page")
	}
	res = letter("contract-lbp-account", "en", "")
	for _, m := range []string{`lang="fr"`, "Clôture du compte n°\u00a0" + refs["contract-lbp-account"], "L312-1-1", "L312-1-7", "relevé d'identité bancaire",
		"The letter is in French", "Closing account no.\u00a0" + refs["contract-lbp-account"], "mobility service"} {
		if !strings.Contains(res.body, m) {
			t.Errorf("bank letter (English page) lacks %q", m)
		}
	}
	res = letter("contract-edf-gas", "fr", "?name=Camille+Martin-Durand&address=5+place+Bellecour%2C+69002+Lyon")
	for _, m := range []string{"Camille Martin-Durand", "5 place Bellecour", "de gaz naturel", "L224-14", "L224-15", "prenne effet le " + contractsLongDate(householdToday().AddDate(0, 0, 30), "fr")} {
		if !strings.Contains(res.body, m) {
			t.Errorf("gas letter lacks %q", m)
		}
	}
	res = letter("contract-orange", "en", "")
	if res.status != 200 || !strings.Contains(res.body, "There is no letter to send for this contract today") || strings.Contains(res.body, `class="household-letter"`) {
		t.Errorf("orange, within its commitment: %d %s", res.status, res.body)
	}
	if res := letter("contract-nope", "en", ""); res.status != 404 {
		t.Errorf("no such contract: %d", res.status)
	}
	if res := letter("contract-edf-gas", "en", "?name=a%01b"); res.status != 400 || !strings.Contains(res.body, "name") {
		t.Errorf("a control character in the name: %d %s", res.status, res.body)
	}
	if res := letter("contract-edf-gas", "en", "?address="+strings.Repeat("x", 201)); res.status != 400 || !strings.Contains(res.body, "address") {
		t.Errorf("a long address: %d %s", res.status, res.body)
	}
}

// benchServicePage renders a built-in service's page for alice through the whole handler
// (session, grant, gate, store, template) and reports the time per page.
func benchServicePage(b *testing.B, service, path string) {
	ts := newTestServer(b)
	seedDemo(b, ts)
	d, _ := services.Lookup(service)
	if _, err := ts.cons.Grant(bg, ts.alice.in.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("GET", path, nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ts.alice.session})
	h := ts.srv.Handler()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkMyHomeDemo: the demo person's My home. Target: well under 100 ms.
func BenchmarkMyHomeDemo(b *testing.B) {
	benchServicePage(b, services.Home, "/services/"+services.Home)
}

// BenchmarkMyContractsDemo: the demo person's My contracts. Target: well under 100 ms.
func BenchmarkMyContractsDemo(b *testing.B) {
	benchServicePage(b, services.Contracts, "/services/"+services.Contracts)
}

// BenchmarkContractsLetterDemo: a letter of the demo person. Target: well under 100 ms.
func BenchmarkContractsLetterDemo(b *testing.B) {
	benchServicePage(b, services.Contracts, "/services/selfdata-contracts/letter/insurance-maif-home")
}
