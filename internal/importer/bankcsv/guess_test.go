package bankcsv

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestGuessFiles: the test exports are each guessed for sure, with every column right.
func TestGuessFiles(t *testing.T) {
	cases := []struct {
		file string
		want Mapping
	}{
		{"signed_preamble_1252.csv", Mapping{Comma: ";", HeaderRow: 3, Date: 0, DateLayout: "02/01/2006", ValueDate: -1, Label: 1, Label2: 2,
			Amount: 3, Debit: -1, Credit: -1, DecimalComma: true, Currency: "EUR", Balance: -1, Account: "00012345678"}},
		{"debit_credit_bom.csv", Mapping{Comma: ";", HeaderRow: 0, Date: 0, DateLayout: "02/01/06", ValueDate: 1, Label: 2, Label2: -1,
			Amount: -1, Debit: 3, Credit: 4, DecimalComma: true, Currency: "EUR", Balance: -1}},
		{"english.csv", Mapping{Comma: ",", HeaderRow: 0, Date: 0, DateLayout: "02/01/2006", ValueDate: -1, Label: 1, Label2: -1,
			Amount: 2, Debit: -1, Credit: -1, DecimalComma: false, Currency: "GBP", Balance: 3}},
		{"debit_negative_tab.csv", Mapping{Comma: "\t", HeaderRow: 1, Date: 0, DateLayout: "2006-01-02", ValueDate: -1, Label: 1, Label2: -1,
			Amount: -1, Debit: 2, Credit: 3, DecimalComma: true, Currency: "EUR", Balance: 4, Account: "98765432100"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			m, sure := Guess(sniffed(t, c.file))
			if !sure || m != c.want {
				t.Errorf("Guess = %+v, %v\nwant   %+v, true", m, sure, c.want)
			}
		})
	}
}

// TestGuessSure: sure only when the date, the label and the amount(s) are each told
// unambiguously by the header and the values read.
func TestGuessSure(t *testing.T) {
	cases := []struct {
		name  string
		tab   *Table
		sure  bool
		check func(Mapping) bool // more about the guess, when it matters
	}{
		{"plain french", table(";", "Date;Libellé;Montant", "01/02/2024;CB X;-1,00"), true, nil},
		{"accents and case folded", table(";", "DATE OPÉRATION;LIBELLÉ;MONTANT (EUR)", "01/02/2024;CB X;-1,00"), true, nil},
		{"booking date among two dates", table(";", "Date de comptabilisation;Libelle simplifie;Libelle operation;Debit;Credit;Date operation;Date de valeur",
			"02/02/2024;CB X;CB X 01/02;1,00;;01/02/2024;02/02/2024"), true,
			func(m Mapping) bool { return m.Date == 0 && m.ValueDate == 6 && m.Label == 1 && m.Label2 == 2 }},
		{"english description", table(",", "Transaction Date,Description,Amount", "13/02/2024,Shop,-1.00"), true, nil},
		{"two dates, neither the booking", table(";", "Date;Date opération;Libellé;Montant", "01/02/2024;01/02/2024;X;-1,00"), false, nil},
		{"two amounts", table(";", "Date;Libellé;Montant;Montant (FRF)", "01/02/2024;X;-1,00;-6,56"), false, nil},
		{"amount and debit", table(";", "Date;Libellé;Montant;Débit", "01/02/2024;X;-1,00;1,00"), false, nil},
		{"debit without credit", table(";", "Date;Libellé;Débit", "01/02/2024;X;1,00"), false, nil},
		{"three labels", table(";", "Date;Libellé;Détail;Description;Montant", "01/02/2024;X;Y;Z;-1,00"), false, nil},
		{"no label", table(";", "Date;Référence;Montant", "01/02/2024;123;-1,00"), false, nil},
		{"no header", table(";", "01/02/2024;CB X;-1,00", "02/02/2024;CB Y;-2,00"), false, nil},
		{"date does not read", table(";", "Date;Libellé;Montant", "2024.02.01x;X;-1,00"), false, nil},
		{"one odd date among three rows", table(";", "Date;Libellé;Montant", "01/02/2024;X;-1,00", "31/02/2024;Y;-1,00", "13/02/2024;Z;-1,00"), true,
			func(m Mapping) bool { return m.DateLayout == "02/01/2006" }},
		{"amount does not read", table(";", "Date;Libellé;Montant", "01/02/2024;X;beaucoup", "02/02/2024;X;-1,00"), false, nil},
		{"month first or day first", table(",", "Date,Description,Amount", "01/02/2024,X,-1.00", "03/02/2024,Y,-2.00"), false,
			func(m Mapping) bool { return m.DateLayout == "02/01/2006" }},
		{"month first", table(",", "Date,Description,Amount", "01/31/2024,X,-1.00"), true,
			func(m Mapping) bool { return m.DateLayout == "01/02/2006" && !m.DecimalComma }},
		{"french day first without a doubt", table(";", "Date;Libellé;Montant", "01/02/2024;X;-1,00"), true,
			func(m Mapping) bool { return m.DateLayout == "02/01/2006" }},
		{"currency column", table(";", "Date;Libellé;Montant;Devise", "01/02/2024;X;-1,00;chf"), true,
			func(m Mapping) bool { return m.Currency == "CHF" }},
		{"camel-cased names, an account label beside the label", table(";", "dateOp;dateVal;label;category;amount;accountNum;accountLabel;accountbalance",
			"2024-01-31;2024-01-31;CB MONOPRIX;Courses;-12,50;00012345678;Compte courant;1 000,00"), true,
			func(m Mapping) bool {
				return m.Date == 0 && m.ValueDate == 1 && m.Label == 2 && m.Label2 == -1 && m.Amount == 4
			}},
		{"debit amount and credit amount", table(",", "Transaction Date,Transaction Type,Transaction Description,Debit Amount,Credit Amount,Balance",
			"31/01/2024,DEB,TESCO,12.00,,\"1,000.00\""), true,
			func(m Mapping) bool {
				return m.Label == 2 && m.Debit == 3 && m.Credit == 4 && m.Balance == 5 && !m.DecimalComma
			}},
		{"a purchase in dollars is no dollar account", table(";", "Date;Libellé;Montant", "01/02/2024;ACHAT USD 12.00;-11,02"), true,
			func(m Mapping) bool { return m.Currency == "EUR" }},
		{"dollar amounts", table(",", "Date,Description,Amount", "01/31/2024,Shop,-$12.00"), true,
			func(m Mapping) bool { return m.Currency == "USD" }},
		{"water meter", table(";", "compteur;date;index_m3;consommation_l;temperature_c", "C22FA045678;2024-03-01;1234,845;278;9,0"), false, nil},
		{"enedis", table(";", "Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique", "09111642617347;Index;20/10/2020;02/02/2022;Energie active"), false, nil},
		{"only a total under the header", table(";", "Date;Libellé;Montant", ";Total;-1,00"), false, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, sure := Guess(c.tab)
			if sure != c.sure || c.check != nil && !c.check(m) {
				t.Errorf("Guess = %+v, %v; want sure %v", m, sure, c.sure)
			}
		})
	}
}

func TestGuessAccount(t *testing.T) {
	cases := []struct {
		preamble [][]string
		want     string
	}{
		{[][]string{{"Numéro de compte", "00012345678"}}, "00012345678"},
		{[][]string{{"Compte de chèques n° 12345 - M. DUPONT"}}, "12345"},
		{[][]string{{"IBAN : FR76 3000 6000 0112 3456 7890 189"}}, "FR76 3000 6000 0112 3456 7890 189"},
		{[][]string{{"Type de compte", "Compte de chèques"}, {"Account", "=\"0042\""}}, "0042"},
		{[][]string{{"Solde au 31/01/2024", "1 234,56"}}, ""},
		{nil, ""},
	}
	for _, c := range cases {
		if got := guessAccount(c.preamble); got != c.want {
			t.Errorf("guessAccount(%q) = %q, want %q", c.preamble, got, c.want)
		}
	}
}

func TestCheck(t *testing.T) {
	tab := table(";", "Compte;123", "Date;Libellé;Débit;Crédit", "01/02/2024;X;1,00;", "02/02/2024;Y;;2,00", ";Total;1,00;2,00")
	good, sure := Guess(tab)
	if !sure {
		t.Fatalf("guess not sure: %+v", good)
	}
	if err := good.Check(tab); err != nil {
		t.Fatalf("Check(good) = %v", err)
	}
	cases := []struct {
		name string
		edit func(*Mapping)
		want string // in the error
	}{
		{"column past the header", func(m *Mapping) { m.Balance = 4 }, "balance column 5 is not in the header row, which has 4 columns"},
		{"a column twice", func(m *Mapping) { m.Label2 = 0 }, "column 1 is mapped twice, as date and as second label"},
		{"no label", func(m *Mapping) { m.Label = -1 }, "needs a date column and a label column"},
		{"amount and debit", func(m *Mapping) { m.Amount = 1; m.Label = 0; m.Date = -1 }, "needs a date column"},
		{"debit alone", func(m *Mapping) { m.Credit = -1 }, "either one amount column or both a debit and a credit column"},
		{"wrong layout", func(m *Mapping) { m.DateLayout = "2006-01-02" }, `row 3: column Date (1): "01/02/2024" is not a date written 2006-01-02`},
		{"layout without a day", func(m *Mapping) { m.DateLayout = "01/2006" }, "does not name a day, a month and a year"},
		{"decimal point", func(m *Mapping) { m.DecimalComma = false }, `row 3: column Débit (3): "1,00" is not an amount`},
		{"amounts in the label", func(m *Mapping) { m.Debit, m.Label = 1, 2 }, `row 3: column Libellé (2): "X" is not an amount`},
		{"bad currency", func(m *Mapping) { m.Currency = "euro" }, `the currency "euro" is not an ISO 4217 code`},
		{"another separator", func(m *Mapping) { m.Comma = "," }, `the mapping's separator "," is not the table's`},
		{"bad separator", func(m *Mapping) { m.Comma = "x" }, `the separator "x" is none of`},
		{"header past the table", func(m *Mapping) { m.HeaderRow = 30 }, "the header row 31 is past the table's 5 rows"},
		{"header under the rows", func(m *Mapping) { m.HeaderRow = 4 }, "no row of the table under the header reads"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := good
			c.edit(&m)
			err := m.Check(tab)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Check = %v, want %q", err, c.want)
			}
		})
	}
}

func TestSignature(t *testing.T) {
	first, next := Signature(sniffed(t, "signed_preamble_1252.csv")), Signature(sniffed(t, "signed_next_1252.csv"))
	if first != next {
		t.Errorf("two exports of one layout: %s and %s", first, next)
	}
	if len(first) != len("csv1-")+16 || !strings.HasPrefix(first, "csv1-") {
		t.Errorf("signature %q is not csv1- and 16 hex digits", first)
	}
	same := Signature(table(";", "DATE;Libelle;Montant;", "01/02/2024;X;-1,00;"))
	seen := map[string]string{}
	for name, tab := range map[string]*Table{
		"1252":      sniffed(t, "signed_preamble_1252.csv"),
		"bom":       sniffed(t, "debit_credit_bom.csv"),
		"english":   sniffed(t, "english.csv"),
		"tab":       sniffed(t, "debit_negative_tab.csv"),
		"simple":    table(";", "Date;Libellé;Montant", "01/02/2024;X;-1,00"),
		"comma":     table(",", "Date,Libellé,Montant", "01/02/2024,X,\"-1,00\""),
		"headless":  table(";", "01/02/2024;X;-1,00"),
		"headless4": table(";", "01/02/2024;X;-1,00;Y"),
	} {
		s := Signature(tab)
		if other, ok := seen[s]; ok {
			t.Errorf("%s and %s have one signature %s", name, other, s)
		}
		seen[s] = name
		if name == "simple" && s != same {
			t.Errorf("case, accents and a trailing empty column change the signature: %s, %s", s, same)
		}
	}
}

// TestMappingJSON: the import page stores a confirmed mapping as JSON under these names.
func TestMappingJSON(t *testing.T) {
	m, _ := Guess(sniffed(t, "debit_negative_tab.csv"))
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"comma":"\t","header_row":1,"date":0,"date_layout":"2006-01-02","value_date":-1,"label":1,"label2":-1,"amount":-1,"debit":2,"credit":3,"decimal_comma":true,"currency":"EUR","balance":4,"account":"98765432100"}`
	if string(b) != want {
		t.Errorf("JSON %s\nwant %s", b, want)
	}
	var back Mapping
	if err := json.Unmarshal(b, &back); err != nil || back != m {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}
