package home

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/store"
)

func doc(doctype, id string, data map[string]any) store.Doc {
	raw, err := json.Marshal(data)
	if err != nil {
		panic(err)
	}
	return store.Doc{ID: id, Doctype: doctype, Data: raw}
}

func contract(id, typ, provider string) store.Doc {
	return doc("contract", id, map[string]any{"type": typ, "provider": provider})
}

func policy(id, kind, insurer string) store.Doc {
	return doc("insurance.contract", id, map[string]any{"kind": kind, "insurer": insurer})
}

func bill(id, vendor, typ, contract, date, due, amount, ref string) store.Doc {
	m := map[string]any{"vendor": vendor, "type": typ, "date": date, "amount": amount, "currency": "EUR"}
	if contract != "" {
		m["contract"] = contract
	}
	if due != "" {
		m["dueDate"] = due
	}
	if ref != "" {
		m["reference"] = ref
	}
	return doc("bill", id, m)
}

func op(id, date, amount, label, counterparty, ref string) store.Doc {
	m := map[string]any{"account": "a", "date": date, "amount": amount, "currency": "EUR", "label": label}
	if counterparty != "" {
		m["counterparty"] = counterparty
	}
	if ref != "" {
		m["reference"] = ref
	}
	return doc("bank.operation", id, m)
}

func date(s string) time.Time {
	t, ok := day(s)
	if !ok {
		panic(s)
	}
	return t
}

// paid writes payments as "category:amount:from" lines ("from" is op or bill), sorted as
// Attribute sorts them, for comparing with a want list.
func paid(ps []Payment) []string {
	var out []string
	for _, p := range ps {
		from := "bill"
		if p.Op != "" {
			from = "op"
		}
		cat := string(p.Category)
		if cat == "" {
			cat = "-"
		}
		out = append(out, fmt.Sprintf("%s:%s:%s:%s", p.Day.Format(time.DateOnly), cat, p.Amount, from))
	}
	return out
}

// TestAttribute: each expense counts once, under the right category, whether it was seen as a
// bill, a debit, or both.
func TestAttribute(t *testing.T) {
	edf := []store.Doc{contract("c-elec", "electricity", "EDF"), contract("c-gas", "gas", "EDF")}
	maif := []store.Doc{policy("p-home", "home", "MAIF"), policy("p-car", "car", "MAIF")}
	orange := []store.Doc{contract("c-orange", "telecom", "Orange")}
	asOf := date("2025-06-30")
	tests := []struct {
		name     string
		docs     []store.Doc
		want     []string
		unsorted []string
	}{
		{name: "nothing gives nothing"},
		{name: "a bill and the debit carrying its reference: once, as the debit",
			docs: append(edf, bill("b1", "EDF", "electricity", "c-elec", "2025-03-02", "2025-03-17", "61.20", "F1"),
				op("o1", "2025-03-17", "-61.20", "PRLV SEPA EDF ELECTRICITE", "EDF", "F1")),
			want: []string{"2025-03-17:electricity:61.20:op"}},
		{name: "a bill and a debit of its amount without reference, days after the due date",
			docs: append(edf, bill("b1", "EDF", "gas", "c-gas", "2025-03-02", "2025-03-15", "80.00", ""),
				op("o1", "2025-03-17", "-80.00", "PRLV SEPA EDF GAZ", "", "")),
			want: []string{"2025-03-17:gas:80.00:op"}},
		{name: "electricity and gas debited the same day are told apart by their amounts",
			docs: append(edf,
				bill("b1", "EDF", "electricity", "c-elec", "2025-03-02", "2025-03-17", "61.20", ""),
				bill("b2", "EDF", "gas", "c-gas", "2025-03-02", "2025-03-17", "80.00", ""),
				op("o1", "2025-03-17", "-80.00", "PRLV SEPA EDF", "EDF", ""),
				op("o2", "2025-03-17", "-61.20", "PRLV SEPA EDF", "EDF", "")),
			want: []string{"2025-03-17:electricity:61.20:op", "2025-03-17:gas:80.00:op"}},
		{name: "a debit of another amount near the due date still pays the bill, for what was debited",
			docs: append(orange, bill("b1", "Orange", "telecom", "c-orange", "2025-04-04", "2025-04-20", "55.98", ""),
				op("o1", "2025-04-22", "-57.10", "PRLV ORANGE SA", "", "")),
			want: []string{"2025-04-22:telecom:57.10:op"}},
		{name: "a bill no debit paid counts on its own, on its due date",
			docs: append(orange, bill("b1", "Orange", "telecom", "c-orange", "2025-04-04", "2025-04-20", "55.98", "")),
			want: []string{"2025-04-20:telecom:55.98:bill"}},
		{name: "a bill not yet due is not paid yet",
			docs: append(orange, bill("b1", "Orange", "telecom", "c-orange", "2025-06-25", "2025-07-10", "55.98", ""))},
		{name: "a debit too long after the bill is another payment",
			docs: append(orange, bill("b1", "Orange", "telecom", "c-orange", "2025-02-04", "2025-02-20", "55.98", ""),
				op("o1", "2025-04-22", "-55.98", "PRLV ORANGE SA", "", "")),
			want: []string{"2025-02-20:telecom:55.98:bill", "2025-04-22:telecom:55.98:op"}},
		{name: "a debit no bill explains, to an organization of one contract",
			docs: append(orange, op("o1", "2025-04-22", "-55.98", "PRLV SEPA ORANGE SA", "", "")),
			want: []string{"2025-04-22:telecom:55.98:op"}},
		{name: "a debit no bill explains, to an organization of two contracts, is unsorted",
			docs:     append(edf, op("o1", "2025-04-22", "-90.00", "PRLV SEPA EDF", "EDF", "")),
			unsorted: []string{"2025-04-22:-:90.00:op"}},
		{name: "MAIF's home policy is housing, its car policy is paid but not housing",
			docs: append(maif,
				bill("b1", "MAIF", "insurance", "p-home", "2024-09-06", "2024-10-01", "214.56", "E1"),
				bill("b2", "MAIF", "insurance", "p-car", "2025-02-18", "2025-03-14", "612.84", "E2"),
				op("o1", "2024-10-01", "-214.56", "PRLV SEPA MAIF COTISATION HABITATION", "MAIF", "E1"),
				op("o2", "2025-03-14", "-612.84", "PRLV SEPA MAIF COTISATION AUTO", "MAIF", "E2")),
			want: []string{"2024-10-01:insurance:214.56:op", "2025-03-14:-:612.84:op"}},
		{name: "an insurance bill that names no policy, at an insurer of two, is unsorted",
			docs:     append(maif, bill("b1", "MAIF", "insurance", "", "2024-09-06", "2024-10-01", "214.56", "")),
			unsorted: []string{"2024-10-01:-:214.56:bill"}},
		{name: "an insurer's indemnity is not netted, a shop is not the home",
			docs: append(maif, op("o1", "2025-03-14", "486.00", "VIR MAIF INDEMNISATION", "MAIF", ""),
				op("o2", "2025-03-15", "-45.10", "CB CARREFOUR", "Carrefour", ""))},
		{name: "a credit note is not a payment",
			docs: append(orange, bill("b1", "Orange", "telecom", "c-orange", "2025-04-04", "2025-04-20", "-12.00", ""))},
		{name: "names match without accents, case or punctuation",
			docs: []store.Doc{contract("c1", "electricity", "Électricité de France"),
				op("o1", "2025-05-02", "-40.00", "PRLV SEPA ELECTRICITE DE FRANCE", "", "")},
			want: []string{"2025-05-02:electricity:40.00:op"}},
		{name: "the longest name wins: the water service is not the landlord",
			docs: []store.Doc{contract("c-lease", "housing", "Grand Lyon"), contract("c-eau", "water", "Eau du Grand Lyon"),
				op("o1", "2025-05-02", "-60.00", "PRLV SEPA EAU DU GRAND LYON", "", ""),
				op("o2", "2025-05-05", "-600.27", "PRLV SEPA GRAND LYON LOYER", "", "")},
			want: []string{"2025-05-02:water:60.00:op", "2025-05-05:housing:600.27:op"}},
		{name: "bills alone tell an organization without contracts",
			docs: []store.Doc{bill("b1", "Syndic Dupont", "housing", "", "2025-01-05", "", "150.00", ""),
				op("o1", "2025-04-20", "-150.00", "VIR SYNDIC DUPONT CHARGES", "", "")},
			want: []string{"2025-01-05:housing:150.00:bill", "2025-04-20:housing:150.00:op"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Attribute(NewInput(tt.docs), asOf)
			if got := paid(a.Payments); strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("payments\n got %v\nwant %v", got, tt.want)
			}
			if got := paid(a.Unsorted); strings.Join(got, " ") != strings.Join(tt.unsorted, " ") {
				t.Errorf("unsorted\n got %v\nwant %v", got, tt.unsorted)
			}
		})
	}
}

// TestNewInputSkips: a document whose date or amount cannot be read is counted, not used.
func TestNewInputSkips(t *testing.T) {
	in := NewInput([]store.Doc{
		bill("b1", "EDF", "electricity", "", "2025-13-01", "", "1.00", ""),
		bill("b2", "EDF", "electricity", "", "2025-01-01", "", "1,00", ""),
		op("o1", "2025-01-01", "abc", "X", "", ""),
		op("o2", "2025-01-01", "-1.00", "X", "", ""),
		{ID: "c1", Doctype: "contract", Data: json.RawMessage(`[]`)},
	})
	if in.Skipped != 4 || len(in.Operations) != 1 || len(in.Bills) != 0 || len(in.Contracts) != 0 {
		t.Errorf("skipped %d, %d operations, %d bills, %d contracts", in.Skipped, len(in.Operations), len(in.Bills), len(in.Contracts))
	}
}

// TestWindowOf: the year shown ends with the last complete month, or the month asked for.
func TestWindowOf(t *testing.T) {
	tests := []struct {
		asOf, last               string
		from, to, prevFrom, prev string
	}{
		{"2026-12-03", "", "2025-12-01", "2026-11-30", "2024-12-01", "2025-11-30"},
		{"2026-01-01", "", "2025-01-01", "2025-12-31", "2024-01-01", "2024-12-31"},
		{"2026-03-31", "", "2025-03-01", "2026-02-28", "2024-03-01", "2025-02-28"},
		{"2024-03-15", "", "2023-03-01", "2024-02-29", "2022-03-01", "2023-02-28"},
		{"2026-12-03", "2025-06-17", "2024-07-01", "2025-06-30", "2023-07-01", "2024-06-30"},
	}
	for _, tt := range tests {
		o := Options{AsOf: date(tt.asOf)}
		if tt.last != "" {
			o.Last = date(tt.last)
		}
		w := WindowOf(o)
		got := []string{w.From.Format(time.DateOnly), w.To.Format(time.DateOnly), w.PrevFrom.Format(time.DateOnly), w.PrevTo.Format(time.DateOnly)}
		want := []string{tt.from, tt.to, tt.prevFrom, tt.prev}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("asOf %s last %q: %v, want %v", tt.asOf, tt.last, got, want)
		}
	}
}

// rentYear is a lease paid every month from start for n months, by debit.
func rentYear(start string, n int, amount string) []store.Doc {
	docs := []store.Doc{contract("c-lease", "housing", "Grand Lyon Habitat")}
	d := date(start)
	for i := range n {
		day := d.AddDate(0, i, 0).Format(time.DateOnly)
		docs = append(docs, op(fmt.Sprintf("rent-%d", i), day, "-"+amount, "PRLV GRAND LYON HABITAT LOYER", "", ""))
	}
	return docs
}

// TestCompute: months, totals, shares and the trend of a constructed year.
func TestCompute(t *testing.T) {
	asOf := date("2026-01-10") // the year shown: 2025
	t.Run("a year without the year before: no trend", func(t *testing.T) {
		docs := rentYear("2025-01-05", 12, "600.00")
		docs = append(docs, contract("c-elec", "electricity", "EDF"), contract("c-gas", "gas", "EDF"),
			bill("b1", "EDF", "electricity", "c-elec", "2025-02-02", "2025-02-17", "100.00", "F1"),
			op("o1", "2025-02-17", "-100.00", "PRLV EDF", "EDF", "F1"),
			bill("b2", "EDF", "gas", "c-gas", "2025-12-02", "2025-12-17", "50.00", "F2"), // paid by cheque: no debit
			op("o2", "2025-08-20", "-33.33", "PRLV EDF", "EDF", ""),                      // unsorted: no bill explains it
		)
		r := Compute(NewInput(docs), Options{AsOf: asOf})
		if r.From != date("2025-01-01") || r.To != date("2025-12-31") || len(r.Months) != 12 {
			t.Fatalf("window %v–%v, %d months", r.From, r.To, len(r.Months))
		}
		if r.Trend != nil {
			t.Errorf("trend %+v without the year before", r.Trend)
		}
		want := money.MustParse("7350.00") // 12 × 600 + 100 + 50
		if !r.Total.Equal(want) || !r.Energy.Equal(money.MustParse("150")) {
			t.Errorf("total %s energy %s, want %s and 150.00", r.Total, r.Energy, want)
		}
		if r.Debits != 13 || r.Bills != 1 {
			t.Errorf("%d debits, %d bills, want 13 and 1", r.Debits, r.Bills)
		}
		if !r.Months[1].Total.Equal(money.MustParse("700")) || !r.Months[11].By[Gas].Equal(money.MustParse("50")) {
			t.Errorf("february %s, december gas %s", r.Months[1].Total, r.Months[11].By[Gas])
		}
		var got []string
		for _, s := range r.Categories {
			got = append(got, fmt.Sprintf("%s %s %d", s.Category, s.Amount, s.Tenths))
		}
		// 7200/7350 = 97.96 %, 100/7350 = 1.36 %, 50/7350 = 0.68 %
		if w := "housing 7200.00 980 electricity 100.00 14 gas 50.00 7"; strings.Join(got, " ") != w {
			t.Errorf("shares %v, want %s", got, w)
		}
		if len(r.Unsorted) != 1 || !r.Unsorted[0].Amount.Equal(money.MustParse("33.33")) {
			t.Errorf("unsorted %v", r.Unsorted)
		}
	})
	t.Run("two years: the trend by category and by month", func(t *testing.T) {
		docs := rentYear("2024-01-05", 12, "580.00")
		more := rentYear("2025-01-05", 12, "600.00")
		docs = append(docs, more[1:]...)
		docs = append(docs, contract("c-orange", "telecom", "Orange"), op("t1", "2025-03-20", "-30.00", "PRLV ORANGE", "", ""))
		r := Compute(NewInput(docs), Options{AsOf: asOf})
		if r.Trend == nil {
			t.Fatal("no trend though 2024 is there")
		}
		if !r.Trend.Previous.Equal(money.MustParse("6960")) || !r.Trend.Change.Equal(money.MustParse("270")) || r.Trend.ChangeTenths != 39 {
			t.Errorf("trend %+v, want 6960.00 before, +270.00, +3.9 %%", r.Trend)
		}
		if s := r.Categories[0]; s.Category != Housing || !s.Change.Equal(money.MustParse("240")) || s.ChangeTenths != 34 || !s.HasRatio {
			t.Errorf("housing %+v, want +240.00, +3.4 %%", s)
		}
		if s := r.Categories[1]; s.Category != Telecom || s.HasRatio || !s.Previous.IsZero() {
			t.Errorf("telecom %+v: nothing the year before, so no ratio", s)
		}
		if !r.Months[0].Previous.Equal(money.MustParse("580")) {
			t.Errorf("january before: %s", r.Months[0].Previous)
		}
	})
	t.Run("the year before only partly there: no trend", func(t *testing.T) {
		docs := rentYear("2024-06-05", 19, "600.00")
		if r := Compute(NewInput(docs), Options{AsOf: asOf}); r.Trend != nil || !r.Months[0].Previous.IsZero() {
			t.Errorf("trend %+v from a half year", r.Trend)
		}
	})
	t.Run("nothing", func(t *testing.T) {
		r := Compute(Input{}, Options{AsOf: asOf})
		if !r.Total.IsZero() || len(r.Categories) != 0 || r.Trend != nil || !r.DataStart.IsZero() {
			t.Errorf("%+v", r)
		}
	})
}

// TestTenths: shares are computed on the exact amounts and rounded half away from zero.
func TestTenths(t *testing.T) {
	tests := []struct {
		part, whole string
		want        int64
	}{
		{"1", "3", 333}, {"2", "3", 667}, {"1", "8", 125}, {"-1", "8", -125}, {"0.01", "0.03", 333}, {"5", "0", 0}, {"1", "2000", 1},
		{"1", "2001", 0},
	}
	for _, tt := range tests {
		if got := tenths(money.MustParse(tt.part), money.MustParse(tt.whole)); got != tt.want {
			t.Errorf("tenths(%s, %s) = %d, want %d", tt.part, tt.whole, got, tt.want)
		}
	}
}
