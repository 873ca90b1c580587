package contracts

import (
	"context"
	"errors"
	"testing"
	"time"

	"selfdata/internal/consent"
	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/money"
	"selfdata/internal/restore"
	"selfdata/internal/services"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// seedDemo puts the demo dataset in a real SQLite store through the gate, as the demo command
// does, switches the service on and returns its reader.
func seedDemo(t *testing.T, ds *demo.Dataset, service string) services.Reader {
	t.Helper()
	ctx := context.Background()
	db, reg := sqlitetest.Open(t)
	in, err := db.CreateInstance(ctx, "demo", "not a hash: nobody logs in")
	if err != nil {
		t.Fatal(err)
	}
	orgs := restore.NewOrgs(db, reg)
	for _, o := range demo.Organizations() {
		if _, err := orgs.Add(ctx, o); err != nil && !errors.Is(err, store.ErrExists) {
			t.Fatal(err)
		}
	}
	g := gate.New(db, reg)
	if err := demo.Seed(ctx, g, in.ID, ds); err != nil {
		t.Fatal(err)
	}
	if err := services.Ensure(ctx, db, "https://selfdata.example/privacy"); err != nil {
		t.Fatal(err)
	}
	def, _ := services.Lookup(service)
	grants := consent.NewGrants(db, reg)
	if _, err := grants.Grant(ctx, in.ID, service, def.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	p, on, err := grants.BuiltIn(ctx, in.ID, service)
	if err != nil || !on {
		t.Fatalf("switch on: %v %v", on, err)
	}
	return services.Through(g, p)
}

// demoFacts reads, from the generator's own documents, what each demo contract was paid over
// [from, to] (its bills, each debited once; the account fee debits for the bank) and the
// Orange commitment's last day.
func demoFacts(t *testing.T, ds *demo.Dataset, from, to time.Time) (paid map[string]money.Amount, commitmentEnd time.Time) {
	t.Helper()
	paid = map[string]money.Amount{}
	for _, b := range ds.Docs {
		for _, d := range b.Docs {
			switch b.Doctype {
			case "bill":
				due, _ := date(d.Data["dueDate"].(string))
				if !due.Before(from) && !due.After(to) {
					k := d.Data["contract"].(string)
					paid[k] = paid[k].Add(money.MustParse(d.Data["amount"].(string)))
				}
			case "bank.operation":
				day, _ := date(d.Data["date"].(string))
				if d.Data["label"] == "COTISATION FORMULE DE COMPTE" && !day.Before(from) && !day.After(to) {
					paid["contract-lbp-account"] = paid["contract-lbp-account"].Add(money.MustParse(d.Data["amount"].(string)).Neg())
				}
			case "contract":
				if d.ID == "contract-orange" {
					commitmentEnd, _ = date(d.Data["commitmentEnd"].(string))
				}
			}
		}
	}
	return paid, commitmentEnd
}

// TestDemo: what the demo person's My contracts shows: eight contracts in the page's order,
// the yearly price of each, what each was paid over the last 12 months (the generator's own
// bills and fees), the next renewals of the two policies, the Orange commitment still
// running (no rule ends it before its end), and a letter for the others where the law gives one.
func TestDemo(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	for _, end := range []time.Time{
		time.Date(2026, 12, 3, 10, 0, 0, 0, paris),
		time.Date(2028, 2, 29, 23, 30, 0, 0, paris), // a leap day
	} {
		t.Run(end.Format(time.DateOnly), func(t *testing.T) {
			ds := demo.Generate(end, 1)
			rd := seedDemo(t, ds, services.Contracts)
			asOf := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.UTC)
			start := time.Now()
			ov, err := Load(context.Background(), rd, asOf)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("computed in %v", time.Since(start))
			paid, commitmentEnd := demoFacts(t, ds, ov.PaidFrom, ov.PaidTo)
			next := func(month, day int) time.Time { // the first such date after asOf
				d := time.Date(asOf.Year(), time.Month(month), day, 0, 0, 0, 0, time.UTC)
				if !d.After(asOf) {
					d = d.AddDate(1, 0, 0)
				}
				return d
			}
			want := []struct {
				key, yearly string
				rule        RuleCode
				renewal     time.Time
			}{
				{"contract-edf-electricity", "187.80", Energy, time.Time{}},
				{"contract-edf-gas", "256.80", Energy, time.Time{}},
				{"contract-orange", "671.76", TelecomCommitted, time.Time{}},
				{"insurance-maif-home", "214.56", Hamon, next(10, 1)},
				{"insurance-maif-car", "612.84", Hamon, next(3, 15)},
				{"contract-lbp-account", "102.00", Bank, time.Time{}},
				{"contract-eau", "32.48", Water, time.Time{}},
				{"contract-lease", "7203.24", Lease, time.Time{}},
			}
			if len(ov.Contracts) != len(want) {
				t.Fatalf("%d contracts, want %d", len(ov.Contracts), len(want))
			}
			var total money.Amount
			for i, w := range want {
				c := ov.Contracts[i]
				if c.Key != w.key || c.Yearly.String() != w.yearly || c.Rule.Code != w.rule || !c.Renewal.Equal(w.renewal) {
					t.Errorf("#%d: %s yearly %s rule %s renewal %s, want %+v", i, c.Key, c.Yearly, c.Rule.Code, ymd(c.Renewal), w)
				}
				if !c.Paid.Equal(paid[c.Key]) || c.Paid.IsZero() {
					t.Errorf("%s: paid %s, want %s", c.Key, c.Paid, paid[c.Key])
				}
				total = total.Add(paid[c.Key])
				if c.Holder != "Camille Martin" {
					t.Errorf("%s: holder %q", c.Key, c.Holder)
				}
				_, _, err := ov.LetterFor(c.Key)
				if (err == nil) != c.Rule.Letter {
					t.Errorf("%s: letter error %v with rule %s", c.Key, err, c.Rule.Code)
				}
			}
			if !ov.Paid.Equal(total) {
				t.Errorf("paid in all %s, want %s", ov.Paid, total)
			}
			orange, _ := ov.Find("contract-orange")
			if !orange.Rule.Until.Equal(commitmentEnd) || !orange.Rule.Until.After(asOf) || orange.Rule.Letter {
				t.Errorf("orange: until %s, want the commitment's end %s", ymd(orange.Rule.Until), ymd(commitmentEnd))
			}
			if orange.Paid.Cmp(orange.Yearly) <= 0 {
				t.Errorf("orange: paid %s, not more than its price %s though calls abroad are billed on top", orange.Paid, orange.Yearly)
			}
			homePolicy, _ := ov.Find("insurance-maif-home")
			if ymd(homePolicy.Notice) != ymd(NoticeDeadline(homePolicy.Renewal, 2)) || homePolicy.Notice.Month() != time.July || homePolicy.Notice.Day() != 31 {
				t.Errorf("home policy notice %s for renewal %s", ymd(homePolicy.Notice), ymd(homePolicy.Renewal))
			}
			l, _, err := ov.LetterFor("contract-lbp-account")
			if err != nil || l.Kind != Closure || l.City != "Lyon" || l.Contract.Reference == "" {
				t.Errorf("bank letter %+v %v", l, err)
			}
		})
	}
}
