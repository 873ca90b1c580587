package contracts

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/services/home"
	"selfdata/internal/store"
)

func day(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, ok := date(s)
	if !ok {
		panic(s)
	}
	return t
}

func ymd(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2025-01-31", 1, "2025-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2025-01-31", 2, "2025-03-31"}, // counted from the start, not from 28 February
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2025-03-31", -1, "2025-02-28"},
		{"2025-01-15", -1, "2024-12-15"},
		{"2025-01-15", -13, "2023-12-15"},
		{"2025-12-31", 2, "2026-02-28"},
		{"2025-05-10", 0, "2025-05-10"},
	}
	for _, tt := range tests {
		if got := ymd(AddMonths(day(tt.from), tt.n)); got != tt.want {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

// TestRenewal: the next renewal and its notice deadline, across month ends, leap years, a
// contract without term and one that ends first.
func TestRenewal(t *testing.T) {
	tests := []struct {
		name              string
		start             string
		term, notice      int
		end, asOf         string
		renewal, deadline string
		after             string // the renewal after that one
	}{
		{"yearly, before this year's anniversary", "2019-10-01", 12, 2, "", "2025-06-15", "2025-10-01", "2025-07-31", "2026-10-01"},
		{"yearly, on the anniversary: it renewed today", "2019-10-01", 12, 2, "", "2025-10-01", "2026-10-01", "2026-07-31", "2027-10-01"},
		{"yearly, the day after", "2019-10-01", 12, 2, "", "2025-10-02", "2026-10-01", "2026-07-31", "2027-10-01"},
		{"started on a leap day: 28 February in common years", "2020-02-29", 12, 1, "", "2025-01-10", "2025-02-28", "2025-01-27", "2026-02-28"},
		{"started on a leap day: 29 February again in a leap year", "2020-02-29", 12, 1, "", "2027-03-01", "2028-02-29", "2028-01-28", "2029-02-28"},
		{"monthly from the 31st", "2025-01-31", 1, 0, "", "2025-02-28", "2025-03-31", "2025-03-30", "2025-04-30"},
		{"monthly from the 31st, in February", "2025-01-31", 1, 0, "", "2025-02-27", "2025-02-28", "2025-02-27", "2025-03-31"},
		{"two-year term", "2021-03-15", 24, 3, "", "2025-03-15", "2027-03-15", "2026-12-14", "2029-03-15"},
		{"notice from the last day of a month", "2019-05-31", 12, 3, "", "2025-01-01", "2025-05-31", "2025-02-27", "2026-05-31"},
		{"before it starts", "2026-01-01", 12, 2, "", "2025-06-01", "2027-01-01", "2026-10-31", "2028-01-01"},
		{"without term", "2019-09-01", 0, 0, "", "2025-06-15", "", "", ""},
		{"without start", "", 12, 2, "", "2025-06-15", "", "", ""},
		{"ends before its next renewal", "2019-10-01", 12, 2, "2025-12-31", "2025-10-02", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NextRenewal(day(tt.start), tt.term, day(tt.end), day(tt.asOf))
			if ymd(r) != tt.renewal {
				t.Fatalf("renewal %s, want %s", ymd(r), tt.renewal)
			}
			if d := NoticeDeadline(r, tt.notice); ymd(d) != tt.deadline {
				t.Errorf("deadline %s, want %s", ymd(d), tt.deadline)
			}
			if !r.IsZero() {
				if a := RenewalAfter(day(tt.start), tt.term, r); ymd(a) != tt.after {
					t.Errorf("after %s, want %s", ymd(a), tt.after)
				}
			}
		})
	}
}

func TestMonthsLeft(t *testing.T) {
	tests := []struct {
		asOf, last string
		want       int
	}{
		{"2026-12-03", "2027-04-14", 5}, {"2026-12-03", "2026-12-03", 1}, {"2026-12-03", "2027-01-02", 1},
		{"2026-12-03", "2027-01-03", 2}, {"2026-12-04", "2026-12-03", 0},
	}
	for _, tt := range tests {
		if got := monthsLeft(day(tt.asOf), day(tt.last)); got != tt.want {
			t.Errorf("monthsLeft(%s, %s) = %d, want %d", tt.asOf, tt.last, got, tt.want)
		}
	}
}

func doc(doctype, id string, data map[string]any) store.Doc {
	raw, err := json.Marshal(data)
	if err != nil {
		panic(err)
	}
	return store.Doc{ID: id, Doctype: doctype, Data: raw}
}

// TestRules: which rule applies, with its dates, for each kind of contract and moment.
func TestRules(t *testing.T) {
	tests := []struct {
		name                string
		doctype             string
		data                map[string]any
		asOf                string
		code                RuleCode
		letter              bool
		until, at, deadline string
		fee                 string
		chatel              bool
	}{
		{name: "home insurance after its first year: loi Hamon", doctype: "insurance.contract",
			data: map[string]any{"insurer": "MAIF", "kind": "home", "start": "2019-10-01"}, asOf: "2025-06-15", code: Hamon, letter: true},
		{name: "a policy with a term that does not say it renews still renews", doctype: "insurance.contract",
			data: map[string]any{"insurer": "MAIF", "kind": "home", "start": "2019-10-01", "termMonths": 12}, asOf: "2025-06-15", code: Hamon, letter: true},
		{name: "car insurance on its first anniversary: Hamon opens", doctype: "insurance.contract",
			data: map[string]any{"insurer": "MAIF", "kind": "car", "start": "2024-06-15"}, asOf: "2025-06-15", code: Hamon, letter: true},
		{name: "home insurance in its first year, before the deadline: at its due date (L113-12)", doctype: "insurance.contract",
			data: map[string]any{"insurer": "MAIF", "kind": "home", "start": "2025-01-01"}, asOf: "2025-06-15", code: InsuranceAnnual, letter: true,
			at: "2026-01-01", deadline: "2025-10-31"},
		{name: "home insurance in its first year, past the deadline: wait for the anniversary", doctype: "insurance.contract",
			data: map[string]any{"insurer": "MAIF", "kind": "home", "start": "2025-01-01"}, asOf: "2025-11-15", code: InsuranceWait,
			until: "2026-01-01", deadline: "2025-10-31"},
		{name: "other insurance past this year's deadline: the next due date", doctype: "insurance.contract",
			data: map[string]any{"insurer": "X", "kind": "other", "start": "2019-10-01"}, asOf: "2025-08-15", code: InsuranceAnnual, letter: true,
			at: "2026-10-01", deadline: "2026-07-31"},
		{name: "other insurance with its own notice", doctype: "insurance.contract",
			data: map[string]any{"insurer": "X", "kind": "other", "start": "2019-10-01", "noticeMonths": 1}, asOf: "2025-08-15", code: InsuranceAnnual, letter: true,
			at: "2025-10-01", deadline: "2025-08-31"},
		{name: "life insurance: no letter", doctype: "insurance.contract",
			data: map[string]any{"insurer": "X", "kind": "life", "start": "2019-10-01"}, asOf: "2025-08-15", code: InsuranceLife},
		{name: "telephone without commitment (L224-39)", doctype: "contract",
			data: map[string]any{"type": "telecom", "provider": "Orange", "start": "2021-02-15"}, asOf: "2025-06-15", code: TelecomFree, letter: true},
		{name: "telephone after its commitment", doctype: "contract",
			data: map[string]any{"type": "telecom", "provider": "Orange", "start": "2021-02-15", "commitmentEnd": "2025-06-14"}, asOf: "2025-06-15", code: TelecomFree, letter: true},
		{name: "telephone on the last day of its commitment: committed", doctype: "contract",
			data: map[string]any{"type": "telecom", "provider": "Orange", "start": "2021-02-15", "commitmentEnd": "2025-06-15", "commitmentMonths": 12}, asOf: "2025-06-15",
			code: TelecomCommitted, until: "2025-06-15"},
		{name: "telephone within a 12-month commitment counted from its start", doctype: "contract",
			data: map[string]any{"type": "telecom", "provider": "Free", "start": "2025-01-31", "commitmentMonths": 12}, asOf: "2025-06-15",
			code: TelecomCommitted, until: "2026-01-30"},
		{name: "telephone in the first year of a 24-month commitment", doctype: "contract",
			data: map[string]any{"type": "telecom", "provider": "SFR", "start": "2025-01-10", "commitmentMonths": 24, "price": "30.00", "priceUnit": "month"}, asOf: "2025-12-15",
			code: TelecomCommitted, until: "2027-01-09"},
		{name: "telephone after the twelfth month of a 24-month commitment: a quarter of the rest (L224-28)", doctype: "contract",
			data: map[string]any{"type": "telecom", "provider": "SFR", "start": "2025-01-10", "commitmentMonths": 24, "price": "30.00", "priceUnit": "month"}, asOf: "2026-01-10",
			code: TelecomEarly, letter: true, until: "2027-01-09", fee: "90.00"}, // 12 months × 30.00 / 4
		{name: "telephone with a yearly term and tacit renewal: Chatel as a note", doctype: "contract",
			data: map[string]any{"type": "telecom", "provider": "Orange", "start": "2021-02-15", "termMonths": 12, "tacitRenewal": true}, asOf: "2025-06-15",
			code: TelecomFree, letter: true, chatel: true},
		{name: "electricity: change at any time (L224-14)", doctype: "contract",
			data: map[string]any{"type": "electricity", "provider": "EDF", "start": "2019-09-01"}, asOf: "2025-06-15", code: Energy, letter: true, at: "2025-07-15"},
		{name: "gas", doctype: "contract",
			data: map[string]any{"type": "gas", "provider": "EDF"}, asOf: "2025-06-15", code: Energy, letter: true, at: "2025-07-15"},
		{name: "bank account: mobilité bancaire", doctype: "contract",
			data: map[string]any{"type": "bank", "provider": "La Banque Postale", "start": "2014-09-01"}, asOf: "2025-06-15", code: Bank, letter: true},
		{name: "water: a public service, no letter", doctype: "contract",
			data: map[string]any{"type": "water", "provider": "Eau du Grand Lyon", "termMonths": 12, "tacitRenewal": true}, asOf: "2025-06-15", code: Water},
		{name: "lease: no letter", doctype: "contract",
			data: map[string]any{"type": "housing", "provider": "Grand Lyon Habitat", "termMonths": 36, "tacitRenewal": true}, asOf: "2025-06-15", code: Lease},
		{name: "a service of fixed term with tacit renewal, before the deadline: Chatel", doctype: "contract",
			data: map[string]any{"type": "maintenance", "provider": "Chaudières Dupont", "start": "2023-11-01", "termMonths": 12, "tacitRenewal": true, "noticeMonths": 1},
			asOf: "2025-06-15", code: Chatel, letter: true, at: "2025-11-01", deadline: "2025-09-30", chatel: true},
		{name: "the same, past the deadline", doctype: "contract",
			data: map[string]any{"type": "maintenance", "provider": "Chaudières Dupont", "start": "2023-11-01", "termMonths": 12, "tacitRenewal": true, "noticeMonths": 1},
			asOf: "2025-10-15", code: ChatelPassed, until: "2025-11-01", deadline: "2025-09-30", chatel: true},
		{name: "a service without term: no rule known", doctype: "contract",
			data: map[string]any{"type": "maintenance", "provider": "X"}, asOf: "2025-06-15", code: Unknown},
		{name: "a fixed term that does not renew ends with it", doctype: "contract",
			data: map[string]any{"type": "maintenance", "provider": "X", "start": "2024-01-31", "termMonths": 12, "tacitRenewal": false}, asOf: "2025-06-15", code: Ended, until: "2025-01-30"},
		{name: "a contract that has ended", doctype: "contract",
			data: map[string]any{"type": "electricity", "provider": "EDF", "end": "2025-01-31"}, asOf: "2025-06-15", code: Ended, until: "2025-01-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ov := Build(home.NewInput([]store.Doc{doc(tt.doctype, "c1", tt.data)}), day(tt.asOf))
			if len(ov.Contracts) != 1 {
				t.Fatalf("%d contracts", len(ov.Contracts))
			}
			r := ov.Contracts[0].Rule
			if r.Code != tt.code || r.Letter != tt.letter || ymd(r.Until) != tt.until || ymd(r.At) != tt.at || ymd(r.Deadline) != tt.deadline || r.Chatel != tt.chatel {
				t.Errorf("rule %s letter %v until %s at %s deadline %s chatel %v, want %s %v %s %s %s %v",
					r.Code, r.Letter, ymd(r.Until), ymd(r.At), ymd(r.Deadline), r.Chatel, tt.code, tt.letter, tt.until, tt.at, tt.deadline, tt.chatel)
			}
			if fee := r.Fee.String(); (tt.fee != "") != r.HasFee || tt.fee != "" && fee != tt.fee {
				t.Errorf("fee %s (%v), want %q", fee, r.HasFee, tt.fee)
			}
			_, ok, err := ov.LetterFor("c1")
			if !ok || (err == nil) != tt.letter || err != nil && !errors.Is(err, ErrNoLetter) {
				t.Errorf("letter: %v %v, want a letter %v", ok, err, tt.letter)
			}
		})
	}
}

// TestPaidAgainstPrice: what each contract was paid over the 12 months before asOf, counted
// once whether seen as bills, debits or both, against its yearly price.
func TestPaidAgainstPrice(t *testing.T) {
	asOf := day("2025-06-15")
	docs := []store.Doc{
		doc("contract", "orange", map[string]any{"type": "telecom", "provider": "Orange", "price": "30.00", "priceUnit": "month", "currency": "EUR"}),
		doc("contract", "lbp", map[string]any{"type": "bank", "provider": "La Banque Postale", "price": "8.50", "priceUnit": "month"}),
		doc("insurance.contract", "home", map[string]any{"insurer": "MAIF", "kind": "home", "premium": "214.56", "start": "2019-10-01"}),
		doc("insurance.contract", "car", map[string]any{"insurer": "MAIF", "kind": "car", "premium": "612.84", "start": "2021-03-15"}),
		doc("contract", "edf", map[string]any{"type": "electricity", "provider": "EDF", "price": "15.65", "priceUnit": "month"}),
		doc("contract", "free", map[string]any{"type": "telecom", "provider": "Free"}), // no price
	}
	bill := func(id, vendor, contract, due, amount, ref string) store.Doc {
		return doc("bill", id, map[string]any{"vendor": vendor, "type": "other", "contract": contract, "date": due, "dueDate": due, "amount": amount, "currency": "EUR", "reference": ref})
	}
	op := func(id, date, amount, label, ref string) store.Doc {
		return doc("bank.operation", id, map[string]any{"account": "a", "date": date, "amount": amount, "currency": "EUR", "label": label, "reference": ref})
	}
	for i, m := range []string{"2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"} {
		ref := "F" + m
		amount := "30.00"
		if i == 3 {
			amount = "42.50" // calls abroad
		}
		docs = append(docs, bill("orange-"+m, "Orange", "orange", m+"-05", amount, ref))
		if i%2 == 0 { // every other bill is also on the bank statement: still counted once
			docs = append(docs, op("o-"+m, m+"-05", "-"+amount, "PRLV ORANGE", ref))
		}
		docs = append(docs, op("fee-"+m, m+"-02", "-8.50", "COTISATION LA BANQUE POSTALE", ""))
	}
	docs = append(docs,
		bill("orange-old", "Orange", "orange", "2024-06-05", "30.00", "Fold"), // before the 12 months
		op("fee-old", "2024-06-02", "-8.50", "COTISATION LA BANQUE POSTALE", ""),
		bill("maif-home", "MAIF", "home", "2024-10-01", "214.56", "E1"), op("o-home", "2024-10-01", "-214.56", "PRLV MAIF", "E1"),
		bill("maif-car", "MAIF", "car", "2025-03-14", "612.84", "E2"), op("o-car", "2025-03-14", "-612.84", "PRLV MAIF", "E2"),
		op("o-free", "2025-05-10", "-19.99", "PRLV FREE MOBILE", ""),
	)
	ov := Build(home.NewInput(docs), asOf)
	if ymd(ov.PaidFrom) != "2024-06-15" || ymd(ov.PaidTo) != "2025-06-15" {
		t.Fatalf("12 months %s – %s", ymd(ov.PaidFrom), ymd(ov.PaidTo))
	}
	want := map[string]struct {
		yearly, paid, diff string
		n                  int
		hasPrice           bool
	}{
		"orange": {"360.00", "372.50", "12.50", 12, true},
		"lbp":    {"102.00", "102.00", "0.00", 12, true},
		"home":   {"214.56", "214.56", "0.00", 1, true},
		"car":    {"612.84", "612.84", "0.00", 1, true},
		"edf":    {"187.80", "0.00", "-187.80", 0, true},
		"free":   {"0.00", "19.99", "", 1, false},
	}
	for _, c := range ov.Contracts {
		w := want[c.Key]
		if c.Yearly.String() != w.yearly || c.Paid.String() != w.paid || c.Payments != w.n || c.HasPrice != w.hasPrice || w.hasPrice && c.Difference.String() != w.diff {
			t.Errorf("%s: yearly %s paid %s (%d) difference %s, want %+v", c.Key, c.Yearly, c.Paid, c.Payments, c.Difference, w)
		}
	}
	if !ov.Yearly.Equal(money.MustParse("1477.20")) || !ov.Paid.Equal(money.MustParse("1321.89")) {
		t.Errorf("totals %s %s", ov.Yearly, ov.Paid)
	}
	// The order of the page: energy, telecom, insurance, bank.
	var keys []string
	for _, c := range ov.Contracts {
		keys = append(keys, c.Key)
	}
	if got := keys; len(got) != 6 || got[0] != "edf" || got[1] != "free" || got[2] != "orange" || got[5] != "lbp" {
		t.Errorf("order %v", got)
	}
}

// TestLetterFor: who signs, from where, and the key of a policy sharing a contract's id.
func TestLetterFor(t *testing.T) {
	docs := []store.Doc{
		doc("contract", "x", map[string]any{"type": "electricity", "provider": "EDF", "holder": "Camille Martin", "address": "18 rue Paul Bert, 69003 Lyon"}),
		doc("contract", "gas", map[string]any{"type": "gas", "provider": "EDF", "address": map[string]any{"street": "18 rue Paul Bert", "postalCode": "69003", "city": "Lyon"}}),
		doc("insurance.contract", "x", map[string]any{"insurer": "MAIF", "kind": "home", "start": "2019-10-01", "insured": "Appartement"}),
		doc("contract", "eau", map[string]any{"type": "water", "provider": "Eau du Grand Lyon"}),
	}
	ov := Build(home.NewInput(docs), day("2025-06-15"))
	l, ok, err := ov.LetterFor("insurance.contract:x")
	if !ok || err != nil || l.Kind != Termination || l.Holder != "Camille Martin" || l.Address != "18 rue Paul Bert, 69003 Lyon" || l.City != "Lyon" || l.Contract.Provider != "MAIF" {
		t.Errorf("policy letter %+v %v %v", l, ok, err)
	}
	if l, _, _ := ov.LetterFor("gas"); l.Address != "18 rue Paul Bert, 69003 Lyon" || l.Holder != "Camille Martin" {
		t.Errorf("gas letter from %q by %q", l.Address, l.Holder)
	}
	if _, ok, err := ov.LetterFor("eau"); !ok || !errors.Is(err, ErrNoLetter) {
		t.Errorf("water: %v %v", ok, err)
	}
	if _, ok, _ := ov.LetterFor("nope"); ok {
		t.Error("a letter for no contract")
	}
}

func TestCityOf(t *testing.T) {
	for in, want := range map[string]string{
		"18 rue Paul Bert, 69003 Lyon": "Lyon", "1 place X 75015 Paris Cedex 15": "Paris", "69003 Lyon": "Lyon",
		"Appartement T2": "", "": "", "BP 12345": "", "12 rue de la Paix, 13001 Marseille, France": "",
	} {
		if got := CityOf(in); got != want {
			t.Errorf("CityOf(%q) = %q, want %q", in, got, want)
		}
	}
}
