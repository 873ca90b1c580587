package accounts

import (
	"slices"
	"testing"
	"time"
)

func account(t testing.TB, id, bank, label, currency, balance, on string) Account {
	t.Helper()
	a := Account{ID: id, Bank: bank, Label: label, Currency: currency}
	if balance != "" {
		a.HasBalance, a.Balance, a.BalanceDate = true, mustAmount(balance), day(t, on)
	}
	return a
}

// TestSummarize: accounts of several banks, in several currencies, one without a balance.
func TestSummarize(t *testing.T) {
	ov := Summarize([]Account{
		account(t, "lbp", "La Banque Postale", "Compte courant", "EUR", "1523.07", "2025-06-29"),
		account(t, "cm", "Crédit Mutuel", "Livret A", "EUR", "15553.60", "2025-06-28"),
		account(t, "monzo", "Monzo", "Current account", "GBP", "-12.50", "2025-06-30"),
		account(t, "card", "La Banque Postale", "Carte Visa", "EUR", "", ""),
	})
	var banks []string
	for _, b := range ov.Banks {
		banks = append(banks, b.Name)
	}
	if !slices.Equal(banks, []string{"Crédit Mutuel", "La Banque Postale", "Monzo"}) {
		t.Errorf("banks %v", banks)
	}
	if n := len(ov.Banks[1].Accounts); n != 2 {
		t.Errorf("La Banque Postale has %d accounts, want 2", n)
	}
	if len(ov.Totals) != 2 || ov.Totals[0].Currency != "EUR" || ov.Totals[0].Amount.String() != "17076.67" || ov.Totals[0].Accounts != 2 ||
		ov.Totals[1].Currency != "GBP" || ov.Totals[1].Amount.String() != "-12.50" {
		t.Errorf("totals %+v", ov.Totals)
	}
	if ov.Unknown != 1 || !ov.AsOf.Equal(day(t, "2025-06-30")) {
		t.Errorf("unknown %d, as of %s", ov.Unknown, ov.AsOf)
	}
	if empty := Summarize(nil); len(empty.Banks) != 0 || len(empty.Totals) != 0 || !empty.AsOf.IsZero() {
		t.Errorf("no account: %+v", empty)
	}
}

// chartBook is the data of the web's chart test: a balance of -57.90 on 2025-01-31 and
// operations 01-10 -42.10 groceries, 01-12 -15.00 transport, 01-20 +200.00 income, 01-25
// -300.00 savings; an operation of another account two years before.
func chartBook(t testing.TB) *Book {
	mk := func(id, date, amount, cat string) Operation {
		o := op(t, id, date, id, amount, "")
		o.Account, o.Category, o.SourceCategory = "a", cat, cat
		return o
	}
	other := mk("old", "2023-01-25", "-1.00", "other")
	other.Account = "elsewhere"
	return &Book{
		Accounts:   []Account{account(t, "a", "La Banque Postale", "Compte courant", "EUR", "-57.90", "2025-01-31")},
		Operations: []Operation{other, mk("g", "2025-01-10", "-42.10", "groceries"), mk("t", "2025-01-12", "-15.00", "transport"), mk("i", "2025-01-20", "200.00", "income"), mk("s", "2025-01-25", "-300.00", "savings")},
		Skipped:    map[string]int{},
	}
}

// TestWeekly: end-of-day balances walking back from the known one: 01-31 -57.90; 01-24
// 242.10; 01-17 42.10; 01-10 57.10; 01-03 99.20; and walking forward after it.
func TestWeekly(t *testing.T) {
	b := chartBook(t)
	h, ok := Weekly(b.Accounts[0], b.Operations, day(t, "2025-01-01"), day(t, "2025-01-31"))
	if !ok {
		t.Fatal("no history")
	}
	var got []string
	for i, d := range h.Days {
		got = append(got, d.Format("01-02")+" "+h.Balances[i].String())
	}
	want := []string{"01-03 99.20", "01-10 57.10", "01-17 42.10", "01-24 242.10", "01-31 -57.90"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// Known at the start of the month, drawn to its end.
	a := account(t, "a", "B", "C", "EUR", "99.20", "2025-01-03")
	h, _ = Weekly(a, b.Operations, day(t, "2025-01-01"), day(t, "2025-01-31"))
	if last := h.Balances[len(h.Balances)-1].String(); last != "-57.90" {
		t.Errorf("walking forward: %s on 01-31, want -57.90", last)
	}
	if _, ok := Weekly(account(t, "x", "B", "C", "EUR", "", ""), b.Operations, day(t, "2025-01-01"), day(t, "2025-01-31")); ok {
		t.Error("an account without a balance has a history")
	}
}

func TestSpentAndRecent(t *testing.T) {
	b := chartBook(t)
	b.Operations = append(b.Operations, gbp(op(t, "uk", "2025-01-15", "TESCO", "-8.00", "")))
	cs := Categorize(b.Operations, []Rule{rule("r", "t", "leisure", time.Time{})})
	sp := Spent(cs, day(t, "2024-02-01"), day(t, "2025-01-31"))
	if len(sp) != 2 || sp[0].Currency != "EUR" || sp[1].Currency != "GBP" {
		t.Fatalf("spending %+v", sp)
	}
	var got []string
	for _, c := range sp[0].Categories {
		got = append(got, c.Category+" "+c.Amount.String())
	}
	if want := []string{"groceries 42.10", "leisure 15.00"}; !slices.Equal(got, want) || sp[0].Total.String() != "57.10" {
		t.Errorf("EUR spending %v (total %s), want %v, 57.10: savings left out, the rule applied", got, sp[0].Total, want)
	}
	if sp[1].Total.String() != "8.00" || sp[1].Categories[0].Category != "" {
		t.Errorf("GBP spending %+v", sp[1])
	}
	recent, n := Recent(cs, "", 2)
	if n != 6 || len(recent) != 2 || recent[0].ID != "s" || recent[1].ID != "i" {
		t.Errorf("recent %d: %v", n, recent)
	}
	if sel, n := Recent(cs, "leisure", 10); n != 1 || sel[0].ID != "t" {
		t.Errorf("leisure: %d %v", n, sel)
	}
	if sel, n := Recent(cs, NoCategory, 10); n != 1 || sel[0].ID != "uk" {
		t.Errorf("uncategorized: %d %v", n, sel)
	}
	if _, n := Recent(cs, "health", 10); n != 0 {
		t.Errorf("health: %d", n)
	}
}

// TestBankChart: the year ending on the last day known, an account's weekly balance and the
// spending; nothing without an account.
func TestBankChart(t *testing.T) {
	y, ok := BankChart(chartBook(t), nil, time.Time{})
	if !ok {
		t.Fatal("no chart")
	}
	if !y.At.Equal(day(t, "2025-01-31")) || !y.From.Equal(day(t, "2024-02-01")) || len(y.Accounts) != 1 {
		t.Fatalf("year %s – %s, %d accounts", y.From, y.At, len(y.Accounts))
	}
	h := y.Accounts[0]
	if n := len(h.Days); n != 53 || h.Balances[n-1].String() != "-57.90" || h.Balances[n-2].String() != "242.10" || h.Balances[0].String() != "99.20" {
		t.Errorf("%d points, first %s, last %s", n, h.Balances[0], h.Balances[n-1])
	}
	if len(y.Spending) != 1 || y.Spending[0].Total.String() != "57.10" {
		t.Errorf("spending %+v", y.Spending)
	}
	if _, ok := BankChart(&Book{Operations: chartBook(t).Operations}, nil, time.Time{}); ok {
		t.Error("a chart without accounts")
	}
}

// TestBillsChart: Dec 2024 29.99; Jan 2025 61.20 + 29.99 = 91.19; total 121.18; EDF 61.20,
// Orange 59.98, largest first.
func TestBillsChart(t *testing.T) {
	b := &Book{Bills: []Bill{
		bill(t, "edf", "EDF", "2025-01-31", "", "61.20", ""),
		bill(t, "o1", "Orange", "2024-12-05", "", "29.99", ""),
		bill(t, "o2", "Orange", "2025-01-05", "", "29.99", ""),
		bill(t, "old", "Orange", "2023-01-05", "", "10.00", ""),
	}, Skipped: map[string]int{BillDoctype: 1}}
	y, ok := BillsChart(b, time.Time{})
	if !ok {
		t.Fatal("no chart")
	}
	if !y.From.Equal(day(t, "2024-02-01")) || !y.To.Equal(day(t, "2025-01-31")) || y.Total.String() != "121.18" || y.Currency != "EUR" || y.Skipped != 1 {
		t.Errorf("%s – %s, total %s %s, skipped %d", y.From, y.To, y.Total, y.Currency, y.Skipped)
	}
	if y.Months[10].Total.String() != "29.99" || y.Months[11].Total.String() != "91.19" || y.Months[0].Billed || !y.Months[11].Billed {
		t.Errorf("months %+v", y.Months)
	}
	if len(y.Vendors) != 2 || y.Vendors[0].Vendor != "EDF" || y.Vendors[1].Total.String() != "59.98" ||
		y.Months[11].ByVendor[0].String() != "61.20" || y.Months[11].ByVendor[1].String() != "29.99" {
		t.Errorf("vendors %+v, January by vendor %v", y.Vendors, y.Months[11].ByVendor)
	}
	y, _ = BillsChart(b, day(t, "2024-01-31"))
	if !y.Total.IsZero() || len(y.Vendors) != 0 {
		t.Errorf("a year without bills: %+v", y)
	}
	if _, ok := BillsChart(&Book{}, time.Time{}); ok {
		t.Error("a chart without bills")
	}
}
