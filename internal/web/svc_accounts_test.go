package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/services/accounts"
	"selfdata/internal/store"
)

// accountsAccessData gives alice and bob each an operation ("op-NAME") and a rule
// ("rule-NAME"), for the access scenarios of the My accounts forms.
func accountsAccessData(t testing.TB, ts *testServer) {
	t.Helper()
	for _, p := range []*person{ts.alice, ts.bob} {
		owner := gate.Owner(p.in.ID)
		err := ts.gate.Write(bg, owner, func(b *gate.Batch) error {
			ops, err := ts.gate.Check("bank.operation", []gate.Input{{ID: "op-" + p.name, Data: json.RawMessage(`{"account":"acc","date":"2025-03-14","label":"CB MONOPRIX LYON 14/03","amount":"-23.40","currency":"EUR","category":"other"}`)}})
			if err != nil {
				return err
			}
			if _, err := b.Create("bank.operation", ops, owner.Source("", ts.gate)); err != nil {
				return err
			}
			rules, err := ts.gate.Check("bank.rule", []gate.Input{{ID: "rule-" + p.name, Data: json.RawMessage(`{"pattern":"FNAC","category":"leisure"}`)}})
			if err != nil {
				return err
			}
			_, err = b.Create("bank.rule", rules, owner.Source("", ts.gate))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// accountsOn switches My accounts on for who, as the consent screen does.
func accountsOn(t testing.TB, ts *testServer, who *person) {
	t.Helper()
	d, _ := services.Lookup(services.Accounts)
	if _, err := ts.cons.Grant(bg, who.in.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
}

// accForm is a POST of a page's form by who's browser.
func accForm(path string, v url.Values, who string) request {
	v.Set("csrf", testCSRF)
	return request{method: "POST", path: path, body: v.Encode(), csrf: true, as: who}
}

// addAccountsData gives alice two banks, in two currencies, a bill paid and one not, a
// health cost reimbursed by two payers, and operations to sort.
func addAccountsData(t *testing.T, ts *testServer) {
	t.Helper()
	owner := gate.Owner(ts.alice.in.ID)
	docs := map[string][]string{
		"bank.account": {
			`{"bank":"La Banque Postale","label":"Compte courant","type":"checking","balance":"1523.07","balanceDate":"2025-03-31","currency":"EUR"}`,
			`{"bank":"Monzo","label":"Current account","type":"checking","balance":"40.00","balanceDate":"2025-03-31","currency":"GBP"}`,
		},
		"bank.operation": {
			`{"account":"acc-0","date":"2025-03-12","label":"PRLV SEPA EDF","amount":"-90.43","currency":"EUR","category":"energy","reference":"1012345678","type":"direct_debit"}`,
			`{"account":"acc-0","date":"2025-03-14","label":"CB AMAZON PAYMENTS 14/03","amount":"-23.40","currency":"EUR","category":"other","type":"card"}`,
			`{"account":"acc-0","date":"2025-03-21","label":"CB AMAZON PAYMENTS 21/03","amount":"-12.99","currency":"EUR","category":"other","type":"card"}`,
			`{"account":"acc-0","date":"2025-03-07","label":"VIR CPAM DU RHONE REMB SOINS DS12345678901","amount":"19.00","currency":"EUR","category":"health","reference":"DS12345678901","type":"transfer"}`,
			`{"account":"acc-0","date":"2025-03-11","label":"VIR SEPA HARMONIE MUTUELLE","amount":"9.00","currency":"EUR","category":"health","type":"transfer"}`,
			`{"account":"acc-1","date":"2025-03-20","label":"TESCO","amount":"-8.00","currency":"GBP","category":"groceries","type":"card"}`,
		},
		"bill": {
			`{"vendor":"EDF","date":"2025-02-26","dueDate":"2025-03-12","amount":"90.43","currency":"EUR","type":"electricity","reference":"1012345678"}`,
			`{"vendor":"Orange","date":"2025-03-25","dueDate":"2025-04-10","amount":"55.98","currency":"EUR","type":"telecom","reference":"F123456789"}`,
		},
		"health.claim":         {`{"date":"2025-03-03","amount":"30.00","currency":"EUR","care":"consultation","provider":"Dr Lefèvre","reference":"DS12345678901"}`},
		"health.reimbursement": {`{"date":"2025-03-07","amount":"19.00","currency":"EUR","claim":"claim-0","payer":"Assurance Maladie","reference":"DS12345678901"}`, `{"date":"2025-03-11","amount":"9.00","currency":"EUR","payer":"Harmonie Mutuelle","reference":"DS12345678901"}`},
	}
	ids := map[string]string{"bank.account": "acc", "bank.operation": "op", "bill": "bill", "health.claim": "claim", "health.reimbursement": "reimb"}
	err := ts.gate.Write(bg, owner, func(b *gate.Batch) error {
		for _, dt := range []string{"bank.account", "bank.operation", "bill", "health.claim", "health.reimbursement"} {
			var in []gate.Input
			for i, d := range docs[dt] {
				in = append(in, gate.Input{ID: ids[dt] + "-" + string(rune('0'+i)), Data: json.RawMessage(d)})
			}
			checked, err := ts.gate.Check(dt, in)
			if err != nil {
				return err
			}
			src := store.Source{Kind: "organization", ID: "bank", Name: "La Banque Postale", At: time.Now().UTC()}
			if _, err := b.Create(dt, checked, src); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func wantAllOf(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("%s lacks %q", what, s)
		}
	}
}

func wantNoneOf(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(body, s) {
			t.Errorf("%s has %q", what, s)
		}
	}
}

// TestAccountsPage: both banks and currencies, the bill tied both ways, the health cost with
// its two payers and what is left, categories in words with where they come from, in French
// and in English.
func TestAccountsPage(t *testing.T) {
	ts := newTestServer(t)
	addAccountsData(t, ts)
	accountsOn(t, ts, ts.alice)
	get := func(path, lg string) string {
		t.Helper()
		res := ts.do(t, request{method: "GET", path: path, as: "session:alice", header: map[string]string{"Accept-Language": lg}})
		if res.status != 200 {
			t.Fatalf("%s: %d %s", path, res.status, res.body)
		}
		return res.body
	}
	en := get(accountsPath, "en")
	wantAllOf(t, "the English page", en, "Your accounts", "La Banque Postale", "Monzo", "€1,523.07", "£40.00", "Total in €", "Total in GBP",
		"PRLV SEPA EDF", "-€90.43", "pays the EDF bill of 26 Feb 2025", `href="/data/bill/bill-0"`,
		"the operation of 12 Mar 2025, -€90.43", `href="/data/bank.operation/op-0"`, "no payment found",
		"Consultation, Dr Lefèvre", "Assurance Maladie: €19.00 on 7 Mar 2025", "Harmonie Mutuelle: €9.00 on 11 Mar 2025", "Left for you to pay", "<strong>€2.00</strong>",
		"credited by the operation of 11 Mar 2025", "reimbursement by Harmonie Mutuelle",
		"Energy", "given by La Banque Postale", "Spending by category", "Bills of the year tied to the operation that paid them: 1 of 3.",
		`name="csrf" value="`, `action="/services/selfdata-accounts/operations/op-1/category"`, "every operation like “AMAZON PAYMENTS”",
		"No rule yet", "<svg")
	wantNoneOf(t, "the English page", en, ">groceries<", ">energy<", "2025-03-12", "This service is off")
	fr := get(accountsPath, "fr")
	wantAllOf(t, "the French page", fr, "Vos comptes", "1\u202f523,07\u00a0€", "-90,43\u00a0€", "règle la facture EDF du 26/02/2025", "réglée par l&#39;opération du 12/03/2025, -90,43\u00a0€",
		"Reste à votre charge", "<strong>2,00\u00a0€</strong>", "Énergie", "donnée par La Banque Postale", "aucun paiement trouvé", "Courses")

	// A category chosen: its operations only.
	body := get(accountsPath+"?category=groceries", "en")
	wantAllOf(t, "groceries", body, "TESCO", "Operations in Groceries", "1 operation in all.")
	wantNoneOf(t, "groceries", body, "AMAZON PAYMENTS 14/03")
	body = get(accountsPath+"?n=2", "en")
	wantAllOf(t, "two operations", body, "The 2 latest of 6 operations.", "Show more operations", "n=32")
	wantAllOf(t, "one operation", get(accountsPath+"?n=1", "en"), "The latest operation of 6 operations.")
	for _, bad := range []string{"?n=0", "?n=many", "?category=shopping"} {
		if res := ts.do(t, request{method: "GET", path: accountsPath + bad, as: "session:alice"}); res.status != 400 {
			t.Errorf("%s: %d, want 400", bad, res.status)
		}
	}
}

// TestAccountsRuleLearning: through the page's forms, as alice: one operation recategorized
// makes a rule, and the other operation with the same label follows; the rule edited moves
// it; deleted, it gives the bank's category back. Bob's store is untouched.
func TestAccountsRuleLearning(t *testing.T) {
	ts := newTestServer(t)
	addAccountsData(t, ts)
	accountsOn(t, ts, ts.alice)
	page := func() string {
		t.Helper()
		res := ts.do(t, request{method: "GET", path: accountsPath, as: "session:alice", header: map[string]string{"Accept-Language": "en"}})
		if res.status != 200 {
			t.Fatalf("page: %d %s", res.status, res.body)
		}
		return res.body
	}
	// The category shown for an operation, and where it comes from.
	categoryOf := func(body, opID string) string {
		t.Helper()
		m := regexp.MustCompile(`(?s)<li id="op-` + opID + `" .*?Category: <strong>([^<]*)</strong> <span class="meta">\((?:<a href="[^"]*">)?([^<)]*)`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("operation %s not on the page", opID)
		}
		return m[1] + " / " + m[2]
	}

	res := ts.do(t, accForm(accountsPath+"/operations/op-1/category", url.Values{"category": {"leisure"}, "scope": {"rule"}, "view_n": {"40"}}, "session:alice"))
	if res.status != 303 || !strings.HasPrefix(res.header.Get("Location"), accountsPath+"?") || !strings.Contains(res.header.Get("Location"), "n=40") {
		t.Fatalf("recategorize: %d to %q: %s", res.status, res.header.Get("Location"), res.body)
	}
	rules, err := accounts.LoadRules(bg, services.Through(ts.gate, gate.Owner(ts.alice.in.ID)))
	if err != nil || len(rules) != 1 || rules[0].Pattern != "AMAZON PAYMENTS" || rules[0].Category != "leisure" || rules[0].LearnedFrom != "op-1" {
		t.Fatalf("rules %+v, %v", rules, err)
	}
	done := ts.do(t, request{method: "GET", path: res.header.Get("Location"), as: "session:alice", header: map[string]string{"Accept-Language": "en"}})
	wantAllOf(t, "the confirmation", done.body, "Saved: this operation is in Leisure, and your rule “AMAZON PAYMENTS” puts 1 operation like it there too.")
	body := page()
	if got := categoryOf(body, "op-1"); got != "Leisure / your own correction" {
		t.Errorf("op-1: %s", got)
	}
	if got := categoryOf(body, "op-2"); got != "Leisure / by your rule “AMAZON PAYMENTS”" {
		t.Errorf("op-2: %s", got)
	}
	wantAllOf(t, "the rules", body, "“AMAZON PAYMENTS”</strong> → <strong>Leisure", "It sorts 1 operation.", "from “CB AMAZON PAYMENTS 14/03”", `<a href="/data/bank.operation/op-1">Made on `)
	rec := ts.do(t, request{method: "GET", path: "/data/bank.operation/op-1", as: "session:alice", header: map[string]string{"Accept-Language": "en"}})
	wantAllOf(t, "the corrected record", rec.body, "Corrected by you")

	// Edited: other words, another category.
	res = ts.do(t, accForm(accountsPath+"/rules/"+rules[0].ID, url.Values{"pattern": {"amazon"}, "category": {"groceries"}, "rev": {rules[0].Rev}}, "session:alice"))
	if res.status != 303 {
		t.Fatalf("edit: %d %s", res.status, res.body)
	}
	if got := categoryOf(page(), "op-2"); got != "Groceries / by your rule “amazon”" {
		t.Errorf("op-2 after the edit: %s", got)
	}
	if res := ts.do(t, accForm(accountsPath+"/rules/"+rules[0].ID, url.Values{"pattern": {"amazon"}, "category": {"leisure"}, "rev": {rules[0].Rev}}, "session:alice")); res.status != 412 {
		t.Errorf("an edit from a page shown before the last: %d, want 412", res.status)
	}

	// Deleted: the bank's category back for op-2; op-1 keeps the person's own.
	res = ts.do(t, accForm(accountsPath+"/rules/"+rules[0].ID+"/delete", url.Values{}, "session:alice"))
	if res.status != 303 || !strings.HasSuffix(res.header.Get("Location"), "#rules") {
		t.Fatalf("delete: %d %q", res.status, res.header.Get("Location"))
	}
	body = page()
	if got := categoryOf(body, "op-2"); got != "Other / given by La Banque Postale" {
		t.Errorf("op-2 after the delete: %s", got)
	}
	if got := categoryOf(body, "op-1"); got != "Leisure / your own correction" {
		t.Errorf("op-1 after the delete: %s", got)
	}

	// This one only, back to the bank's: the correction is lifted.
	if res := ts.do(t, accForm(accountsPath+"/operations/op-1/category", url.Values{"category": {"other"}, "scope": {"one"}}, "session:alice")); res.status != 303 {
		t.Fatalf("back to the bank's: %d %s", res.status, res.body)
	}
	doc, err := ts.gate.Get(bg, gate.Owner(ts.alice.in.ID), "bank.operation", "op-1")
	if err != nil || doc.Corrected != nil {
		t.Errorf("op-1 still corrected: %+v %v", doc.Corrected, err)
	}

	// Bad input: a 4xx naming the field, nothing written.
	if res := ts.do(t, accForm(accountsPath+"/operations/op-2/category", url.Values{"category": {"leisure"}, "scope": {"rule"}}, "session:alice")); res.status != 303 {
		t.Fatalf("a rule again: %d", res.status)
	}
	rules, _ = accounts.LoadRules(bg, services.Through(ts.gate, gate.Owner(ts.alice.in.ID)))
	if len(rules) != 1 {
		t.Fatalf("rules %+v", rules)
	}
	rid := rules[0].ID
	for _, tt := range []struct {
		name   string
		path   string
		form   url.Values
		status int
		says   string
	}{
		{"an unknown category", "/operations/op-1/category", url.Values{"category": {"shopping"}, "scope": {"rule"}}, 400, "category: &#34;shopping&#34; is not one of the categories."},
		{"an unknown scope", "/operations/op-1/category", url.Values{"category": {"leisure"}, "scope": {"all"}}, 400, "scope: choose"},
		{"an operation that is not there", "/operations/nope/category", url.Values{"category": {"leisure"}, "scope": {"rule"}}, 404, "not found"},
		{"bob's operation", "/operations/op-bob/category", url.Values{"category": {"leisure"}, "scope": {"rule"}}, 404, "not found"},
		{"a rule without words", "/rules/" + rid, url.Values{"pattern": {"12/03"}, "category": {"leisure"}}, 400, "pattern: &#34;12/03&#34; holds no words"},
		{"a rule in no category", "/rules/" + rid, url.Values{"pattern": {"FNAC"}, "category": {"Leisure"}}, 400, "category: &#34;Leisure&#34; is not one of the categories."},
		{"a rule too long", "/rules/" + rid, url.Values{"pattern": {strings.Repeat("FNAC ", 50)}, "category": {"leisure"}}, 400, "pattern: a rule holds at most 200 characters."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if res := ts.do(t, accForm(accountsPath+tt.path, tt.form, "session:alice")); res.status != tt.status || !strings.Contains(res.body, tt.says) {
				t.Errorf("%d, want %d saying %q: %s", res.status, tt.status, tt.says, res.body)
			}
		})
	}
	after, _ := accounts.LoadRules(bg, services.Through(ts.gate, gate.Owner(ts.alice.in.ID)))
	if len(after) != 1 || after[0].Rev != rules[0].Rev || after[0].Pattern != "AMAZON PAYMENTS" {
		t.Errorf("refused forms changed the rules: %+v", after)
	}
	bobs, _ := accounts.LoadRules(bg, services.Through(ts.gate, gate.Owner(ts.bob.in.ID)))
	if len(bobs) != 0 {
		t.Errorf("bob has rules: %+v", bobs)
	}
}

// TestAccountsRecordLinks: a bill's page says which operation paid it and the operation's
// page which bill it paid, read by the service (logged under its name); once the service is
// off, neither says it.
func TestAccountsRecordLinks(t *testing.T) {
	ts := newTestServer(t)
	addAccountsData(t, ts)
	get := func(path string) string {
		t.Helper()
		res := ts.do(t, request{method: "GET", path: path, as: "session:alice", header: map[string]string{"Accept-Language": "en"}})
		if res.status != 200 {
			t.Fatalf("%s: %d", path, res.status)
		}
		return res.body
	}
	if body := get("/data/bill/bill-0"); strings.Contains(body, "Tied by My accounts") {
		t.Error("links shown while the service is off")
	}
	if n := len(ts.builtinReads(t, ts.alice, services.Accounts)); n != 0 {
		t.Fatalf("the service read %d times while off", n)
	}
	accountsOn(t, ts, ts.alice)
	wantAllOf(t, "the bill", get("/data/bill/bill-0"), "Tied by My accounts", "Paid by: the operation of 12 Mar 2025, -€90.43", `href="/data/bank.operation/op-0"`)
	debit := get("/data/bank.operation/op-0")
	wantAllOf(t, "the debit", debit, "Pays: the EDF bill of 26 Feb 2025, €90.43", `href="/data/bill/bill-0"`, "<dt>Category</dt><dd>Energy</dd>")
	wantNoneOf(t, "the debit", debit, ">energy<")
	wantAllOf(t, "the claim", get("/data/health.claim/claim-0"), "Reimbursed by: Assurance Maladie, €19.00 on 7 Mar 2025", "Reimbursed by: Harmonie Mutuelle, €9.00", "Left for you to pay: €2.00")
	wantAllOf(t, "the reimbursement", get("/data/health.reimbursement/reimb-1"), "Reimburses: Consultation of 3 Mar 2025, €30.00", "Credited by: the operation of 11 Mar 2025, €9.00")
	wantAllOf(t, "the credit", get("/data/bank.operation/op-4"), "Brings: Harmonie Mutuelle, €9.00 on 11 Mar 2025", "Reimburses: Consultation")
	wantNoneOf(t, "an unpaid bill", get("/data/bill/bill-1"), "Tied by My accounts")
	reads := ts.builtinReads(t, ts.alice, services.Accounts)
	if len(reads) == 0 {
		t.Fatal("the links were not read by the service")
	}
	for _, e := range reads {
		if e.ActorName != "My accounts" || e.Refused {
			t.Errorf("read logged as %q (refused %v)", e.ActorName, e.Refused)
		}
	}
	active, _ := ts.cons.Active(bg, ts.alice.in.ID, services.Accounts)
	if _, err := ts.cons.Withdraw(bg, ts.alice.in.ID, active[0].ID); err != nil {
		t.Fatal(err)
	}
	if body := get("/data/bill/bill-0"); strings.Contains(body, "Tied by My accounts") {
		t.Error("links shown after withdrawal")
	}
	if n := len(ts.builtinReads(t, ts.alice, services.Accounts)); n != len(reads) {
		t.Errorf("after withdrawal the service read %d more times", n-len(reads))
	}
}

// TestAccountsNarrowed: with health left out of its grant, the page shows the rest and says
// what it may not read, without a refused read.
func TestAccountsNarrowed(t *testing.T) {
	ts := newTestServer(t)
	addAccountsData(t, ts)
	if _, err := ts.cons.Grant(bg, ts.alice.in.ID, services.Accounts, []string{"bank.account", "bank.operation", "bill"}, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	res := ts.do(t, request{method: "GET", path: accountsPath, as: "session:alice", header: map[string]string{"Accept-Language": "en"}})
	wantAllOf(t, "the narrowed page", res.body, "You did not let this service read: Health care expense, Health reimbursement.", "pays the EDF bill", "No health cost in your store yet.")
	for _, e := range ts.builtinReads(t, ts.alice, services.Accounts) {
		if e.Refused {
			t.Errorf("a refused read of %s", e.Doctype)
		}
	}
}

// TestAccountsDemo: the demo person's page, on a year of demo data in a real store: both
// banks, every bill of the year tied, the health costs with both payers, in French.
func TestAccountsDemo(t *testing.T) {
	ts := newTestServer(t)
	h, err := auth.HashPassphraseWith("demo pass", auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	in, err := ts.db.CreateInstance(bg, "demo", h)
	if err != nil {
		t.Fatal(err)
	}
	ds := demo.Generate(time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC), 1)
	if err := demo.Seed(bg, ts.gate, in.ID, ds); err != nil {
		t.Fatal(err)
	}
	d, _ := services.Lookup(services.Accounts)
	if _, err := ts.cons.Grant(bg, in.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	session, _, err := ts.auth.Login(bg, "demo", "demo pass", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	bills := 0
	for _, l := range ds.Links {
		if l.To.Doctype == "bill" {
			bills++
		}
	}
	start := time.Now()
	res := ts.do(t, request{method: "GET", path: accountsPath, header: map[string]string{"Cookie": sessionCookie + "=" + session, "Accept-Language": "fr"}})
	t.Logf("the demo page in %s, %d bytes", time.Since(start), len(res.body))
	if res.status != http.StatusOK {
		t.Fatalf("%d %s", res.status, res.body)
	}
	wantAllOf(t, "the demo page", res.body, "Crédit Mutuel", "La Banque Postale", "Livret A", "Compte courant postal",
		"Solde de Livret A (Crédit Mutuel)", "Solde de Compte courant postal (La Banque Postale)",
		"Factures de l&#39;année reliées à l&#39;opération qui les a réglées\u202f: ", "règle la facture", "Harmonie Mutuelle", "Assurance Maladie", "Reste à votre charge", "<strong>2,00\u00a0€</strong>",
		"Consultation, Dr Claire Lefèvre", "Courses", "Restaurants", "Logement", "donnée par La Banque Postale")
	wantNoneOf(t, "the demo page", res.body, "aucun paiement trouvé", ">groceries<", "pas encore vu sur vos comptes")
	if n := strings.Count(res.body, "réglée par l&#39;opération du "); n != bills {
		t.Errorf("%d bills tied on the page, the generator paid %d", n, bills)
	}
}
