package whoami

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/store"
)

var (
	orange = store.Source{Kind: "organization", ID: "orange", Name: "Orange"}
	bank   = store.Source{Kind: "organization", ID: "bank-a", Name: "La Banque Postale"}
	cpam   = store.Source{Kind: "organization", ID: "cpam", Name: "Assurance Maladie"}
	maif   = store.Source{Kind: "organization", ID: "maif", Name: "MAIF"}
	glh    = store.Source{Kind: "organization", ID: "glh", Name: "Grand Lyon Habitat"}
	self   = store.Source{Kind: "owner", Name: "Camille"}
)

// docs builds a doctype's documents from JSON texts, numbered id-1, id-2...
func docs(id string, src store.Source, data ...string) []store.Doc {
	out := make([]store.Doc, len(data))
	for i, d := range data {
		out[i] = store.Doc{ID: fmt.Sprintf("%s-%d", id, i+1), Source: src, Data: json.RawMessage(d)}
	}
	return out
}

func all(string) bool { return true }

// statement finds the statement of key in a portrait.
func statement(p Portrait, key string) (Statement, bool) {
	for _, s := range p.Sections {
		for _, st := range s.Statements {
			if st.Key == key {
				return st, true
			}
		}
	}
	return Statement{}, false
}

func section(p Portrait, c Category) Section {
	i := slices.IndexFunc(p.Sections, func(s Section) bool { return s.Category == c })
	return p.Sections[i]
}

// argText writes a statement's values plainly, to compare with a known answer.
func argText(st Statement) string {
	var parts []string
	for _, a := range st.Args {
		switch a.Kind {
		case Money:
			parts = append(parts, a.Amount.String()+" "+a.Currency)
		case Count:
			parts = append(parts, fmt.Sprintf("%d %s", a.N, a.Noun))
		case Date:
			parts = append(parts, a.Time.Format(time.DateOnly))
		case Month:
			parts = append(parts, a.Time.Format("2006-01"))
		case Duration:
			parts = append(parts, a.Duration.String())
		case List, Enums:
			parts = append(parts, strings.Join(a.List, "+"))
		case Slot:
			parts = append(parts, fmt.Sprintf("%s/%d", time.Weekday(a.N), a.Part))
		case Part:
			parts = append(parts, fmt.Sprintf("part %d", a.Part))
		case Percent:
			parts = append(parts, fmt.Sprintf("%d%%", a.N))
		case Hour:
			parts = append(parts, fmt.Sprint(a.N))
		default:
			parts = append(parts, a.Text)
		}
	}
	return strings.Join(parts, " | ")
}

var now = time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)

// TestStatements: constructed records and the statements they must give, with their
// values; and the statements they must not give.
func TestStatements(t *testing.T) {
	for _, c := range []struct {
		name    string
		docs    map[string][]store.Doc
		allowed func(string) bool
		want    map[string]string // key: values
		absent  []string
	}{
		{name: "nothing", docs: map[string][]store.Doc{}, allowed: all,
			absent: []string{"household.identity", "household.name", "home.address", "spending.monthly", "health.claims", "habits.calls", "places.most"}},
		{name: "age the day before a birthday", allowed: all,
			docs: map[string][]store.Doc{"profile": docs("p", self, `{"givenName":"Camille","familyName":"Martin","birthDate":"1991-06-16"}`)},
			want: map[string]string{"household.identity": "Camille Martin | 1991-06-16 | 33 year"}},
		{name: "age on the birthday", allowed: all,
			docs: map[string][]store.Doc{"profile": docs("p", self, `{"givenName":"Camille","birthDate":"1991-06-15","address":{"street":"1 rue A","postalCode":"69003","city":"Lyon"}}`)},
			want: map[string]string{"household.identity": "Camille | 1991-06-15 | 34 year", "home.address": "1 rue A, 69003 Lyon"}},
		{name: "a name without a birth date", allowed: all,
			docs: map[string][]store.Doc{"profile": docs("p", self, `{"familyName":"Martin","birthDate":"someday"}`)},
			want: map[string]string{"household.name": "Martin"}, absent: []string{"household.identity"}},
		{name: "home from a lease and a policy", allowed: all,
			docs: map[string][]store.Doc{
				"contract": docs("c", glh, `{"type":"housing","provider":"Grand Lyon Habitat","label":"Bail — T3 de 62,5 m²","start":"2019-09-01","price":"700.10","priceUnit":"month","currency":"EUR","address":"2 rue B"}`,
					`{"type":"electricity","provider":"EDF","start":"2018-01-15","address":"9 old street"}`),
				"insurance.contract": docs("i", maif, `{"insurer":"MAIF","kind":"home","insured":"Appartement de 40 m2"}`,
					`{"insurer":"MAIF","kind":"car","insured":"Renault Clio","label":"VAM"}`),
				"meter": docs("m", glh, `{"kind":"gas","provider":"GRDF","address":"2 rue B"}`, `{"kind":"water","address":"2 rue B"}`),
			},
			want: map[string]string{
				"home.address": "2 rue B", "home.surface": "62.5", "home.cost": "700.10 EUR | val.month | Grand Lyon Habitat",
				"home.since": "2019-09", "home.meters": "2 meter | val.gas+val.water", "home.gas": "GRDF",
				"household.contracts": "4 contract | 3 organization | Grand Lyon Habitat+EDF+MAIF", "household.car": "Renault Clio | MAIF",
			}},
		{name: "no area in words", allowed: all,
			docs:   map[string][]store.Doc{"contract": docs("c", glh, `{"type":"housing","label":"Appartement 3 pièces, 2e étage","offer":"12 m de façade"}`)},
			absent: []string{"home.surface", "home.cost"}},
		{name: "spending over the year up to the last operation", allowed: all,
			docs: map[string][]store.Doc{"bank.operation": docs("o", bank,
				`{"date":"2024-01-10","amount":"-1000.00","currency":"EUR","category":"housing"}`, // more than a year before the last: left out
				`{"date":"2024-07-01","amount":"-600.00","currency":"EUR","category":"housing"}`,
				`{"date":"2024-07-02","amount":"-99.99","currency":"EUR","category":"groceries"}`,
				`{"date":"2024-07-03","amount":"-0.01","currency":"EUR","category":"groceries"}`,
				`{"date":"2024-07-04","amount":"-500.00","currency":"EUR","category":"savings"}`,
				`{"date":"2024-07-27","amount":"2000.00","currency":"EUR","category":"income","counterparty":"ACME"}`,
				`{"date":"2024-08-27","amount":"2000.00","currency":"EUR","category":"income","counterparty":"ACME"}`,
				`{"date":"2024-09-27","amount":"2100.01","currency":"EUR","category":"income","counterparty":"ACME"}`,
				`{"date":"2024-09-28","amount":"50.00","currency":"EUR","category":"income","counterparty":"Grandma"}`,
				`{"date":"2025-06-30","amount":"-300.00","currency":"EUR","category":"leisure"}`,
				`{"date":"2025-06-30","amount":"-5.00","currency":"USD","category":"leisure"}`,
			)},
			want: map[string]string{
				"spending.monthly": "83.33 EUR | 12 month | 2024-07-01 | 2025-06-30", // 1000 / 12
				"spending.top3":    "cat.housing | 600.00 EUR | 60% | cat.leisure | 300.00 EUR | 30% | cat.groceries | 100.00 EUR | 10%",
				"spending.income":  "ACME | 2033.34 EUR | 3 month",
			}},
		{name: "two payments are no regular income", allowed: all,
			docs: map[string][]store.Doc{"bank.operation": docs("o", bank,
				`{"date":"2025-05-27","amount":"2000.00","currency":"EUR","category":"income","counterparty":"ACME"}`,
				`{"date":"2025-06-02","amount":"-20.00","currency":"EUR","category":"other"}`,
				`{"date":"2025-06-27","amount":"2000.00","currency":"EUR","category":"income","counterparty":"ACME"}`)},
			want:   map[string]string{"spending.monthly": "20.00 EUR | 1 month | 2025-05-27 | 2025-06-27", "spending.top1": "cat.other | 20.00 EUR | 100%"},
			absent: []string{"spending.income"}},
		{name: "accounts and savings", allowed: all,
			docs: map[string][]store.Doc{
				"bank.account": docs("a", bank, `{"bank":"LBP","type":"checking","balance":"100.00","currency":"EUR"}`,
					`{"bank":"CM","type":"savings","balance":"1000.10","currency":"EUR"}`, `{"bank":"CM","type":"savings","balance":"0.90","currency":"EUR"}`),
				"bill": docs("b", orange, `{"vendor":"Orange"}`, `{"vendor":"Orange"}`, `{}`),
			},
			want: map[string]string{"spending.accounts": "3 account | 2 bank | LBP+CM", "spending.savings": "1001.00 EUR", "spending.bills": "3 bill | 1 organization | Orange"}},
		{name: "health, exactly", allowed: all,
			docs: map[string][]store.Doc{"health.claim": docs("h", cpam,
				`{"date":"2025-02-01","amount":"30.00","currency":"EUR","provider":"Dr A"}`,
				`{"date":"2025-01-05","amount":"23.74","currency":"EUR","provider":"Pharmacie"}`,
				`{"date":"2025-03-01","amount":"0.01","currency":"EUR","provider":"Dr A"}`)},
			want: map[string]string{"health.claims": "3 claim | 53.75 EUR | 2025-01-05 | 2025-03-01", "health.providers": "2 provider | Dr A+Pharmacie"}},
		{name: "health not allowed: nothing said, whatever is there", allowed: func(dt string) bool { return dt != "health.claim" },
			docs:   map[string][]store.Doc{"health.claim": docs("h", cpam, `{"date":"2025-02-01","amount":"30.00","currency":"EUR"}`)},
			absent: []string{"health.claims", "health.providers"}},
		{name: "places and when the home is empty", allowed: all,
			docs: map[string][]store.Doc{
				"place": docs("place", self, `{"name":"Gym","category":"leisure"}`, `{"name":"Home","category":"home"}`, `{"name":"Office","category":"work","address":"1 bd X"}`),
				"visit": docs("v", self,
					// four Tuesday evenings at the gym (June 2025: the 3rd is a Tuesday)
					`{"start":"2025-06-03T17:00:00Z","end":"2025-06-03T18:15:00Z","place":"place-1"}`,
					`{"start":"2025-06-10T17:00:00Z","end":"2025-06-10T18:15:00Z","place":"place-1"}`,
					`{"start":"2025-05-27T17:00:00Z","end":"2025-05-27T18:00:00Z","place":"place-1"}`,
					`{"start":"2025-05-20T17:00:00Z","place":"place-1"}`,
					// at home: not away
					`{"start":"2025-06-01T07:00:00Z","end":"2025-06-01T09:00:00Z","place":"place-2"}`,
					`{"start":"2025-06-08T07:00:00Z","end":"2025-06-08T09:00:00Z","place":"place-2"}`,
					`{"start":"2025-06-15T07:00:00Z","end":"2025-06-15T09:00:00Z","place":"place-2"}`,
					`{"start":"2025-06-22T07:00:00Z","end":"2025-06-22T09:00:00Z","place":"place-2"}`,
					`{"start":"2025-06-29T07:00:00Z","end":"2025-06-29T09:00:00Z","place":"place-2"}`,
					// a place only the visit names
					`{"start":"2025-06-07T08:00:00Z","end":"2025-06-07T08:30:00Z","name":"Market"}`,
					`{"start":"late"}`)},
			want: map[string]string{
				"habits.out":          "Tuesday/3 | 4 visit",
				"places.most.time":    "Home | 5 visit | 10h0m0s",
				"places.also.time":    "Gym | 4 visit | 3h30m0s",
				"places.work.address": "Office | 1 bd X",
			}},
		{name: "calls, whom and abroad", allowed: all,
			docs: map[string][]store.Doc{"telecom.record": docs("t", orange,
				`{"kind":"call","at":"2025-06-02T18:00:00Z","durationSeconds":1800,"correspondent":"A"}`,
				`{"kind":"call","at":"2025-06-03T08:00:00Z","durationSeconds":600,"correspondent":"B"}`,
				`{"kind":"sms","at":"2025-06-03T19:00:00Z","correspondent":"A"}`,
				`{"kind":"sms","at":"2025-06-04T19:00:00Z","correspondent":"A"}`,
				`{"kind":"sms","at":"2025-06-05T19:00:00Z","correspondent":"A"}`,
				`{"kind":"sms","at":"2025-06-06T19:00:00Z","correspondent":"A"}`,
				`{"kind":"data","at":"2025-06-07T10:00:00Z","bytes":1000,"roaming":true,"operator":"Movistar"}`,
				`{"kind":"sms","at":"2025-06-08T10:00:00Z","roaming":true,"operator":"Movistar"}`,
				`{"kind":"sms","at":"2025-06-09T10:00:00Z","roaming":true,"operator":"Movistar"}`,
				`{"kind":"sms","at":"2025-06-11T10:00:00Z","roaming":true,"operator":"Vodafone"}`,
				`{"kind":"fax","at":"2025-06-11T10:00:00Z"}`)},
			want: map[string]string{
				"habits.calls":          "part 3 | 75% | 40m0s | 2 call",
				"habits.contact":        "A | 5 exchange | 83%",
				"habits.abroad.network": "2025-06-07 | 2025-06-09 | 3 day | Movistar",
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := Describe(Input{Docs: c.docs}, c.allowed, now, paris)
			for key, want := range c.want {
				st, ok := statement(p, key)
				if !ok {
					t.Errorf("no %s in\n%s", key, dump(p))
					continue
				}
				if got := argText(st); got != want {
					t.Errorf("%s: %s, want %s", key, got, want)
				}
				if len(st.Evidence) == 0 {
					t.Errorf("%s rests on nothing", key)
				}
			}
			for _, key := range c.absent {
				if st, ok := statement(p, key); ok {
					t.Errorf("%s said: %s", key, argText(st))
				}
			}
		})
	}
}

// TestNotAllowed: what the person unticked is named, by category, and its category says
// nothing; the others still speak.
func TestNotAllowed(t *testing.T) {
	d := map[string][]store.Doc{
		"health.claim": docs("h", cpam, `{"date":"2025-02-01","amount":"30.00","currency":"EUR"}`),
		"bill":         docs("b", orange, `{"vendor":"Orange"}`),
	}
	p := Describe(Input{Docs: d}, func(dt string) bool { return dt != "health.claim" && dt != "visit" }, now, paris)
	if !slices.Equal(p.NotAllowed, []string{"visit", "health.claim"}) {
		t.Errorf("not allowed %v", p.NotAllowed)
	}
	if s := section(p, Health); len(s.Statements) != 0 || !slices.Equal(s.Missing, []string{"health.claim"}) {
		t.Errorf("health: %+v", s)
	}
	if s := section(p, Places); !slices.Equal(s.Missing, []string{"visit"}) {
		t.Errorf("places: missing %v", s.Missing)
	}
	if s := section(p, Spending); len(s.Statements) != 1 || len(s.Missing) != 0 {
		t.Errorf("spending: %+v", s)
	}
}

// TestUnreadable: a record that cannot be read is counted once, however many categories
// read it, and gives nothing.
func TestUnreadable(t *testing.T) {
	d := map[string][]store.Doc{
		"contract":       docs("c", glh, `{"type":"housing","price":"a lot","priceUnit":"month"}`, `[1]`),
		"bank.operation": docs("o", bank, `{"date":"2025-01-01","amount":"1,5","currency":"EUR"}`, `{"date":"01/01/2025","amount":"1.5"}`),
		"health.claim":   docs("h", cpam, `{"date":"2025-02-01","amount":"-","currency":"EUR"}`),
	}
	p := Describe(Input{Docs: d}, all, now, paris)
	if p.Unreadable != 4 { // the second contract (read by two categories), two operations, the claim
		t.Errorf("%d unreadable, want 4", p.Unreadable)
	}
	for _, key := range []string{"home.cost", "spending.monthly", "health.claims"} {
		if st, ok := statement(p, key); ok {
			t.Errorf("%s from unreadable records: %s", key, argText(st))
		}
	}
	if _, err := money.Parse("a lot"); err == nil {
		t.Fatal("the test's bad amount parses")
	}
}
