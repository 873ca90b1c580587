package bankcsv

import (
	"bytes"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	long := "Date;Libellé;Montant\n" + strings.Repeat("01/02/2024;CB MAGASIN;-1,00\n", 1000)
	cases := []struct {
		name   string
		head   []byte
		ok     bool
		comma  string
		rows   int
		cell00 string // the first row's first cell, decoded
	}{
		{"1252 preamble", readTestdata(t, "signed_preamble_1252.csv"), true, ";", 10, "Numéro de compte"},
		{"BOM debit credit", readTestdata(t, "debit_credit_bom.csv"), true, ";", 7, "Date opération"},
		{"english", readTestdata(t, "english.csv"), true, ",", 4, "Date"},
		{"tab", readTestdata(t, "debit_negative_tab.csv"), true, "\t", 4, "Compte courant n° 98765432100"},
		{"pipe", []byte("Date|Libelle|Montant\n01/02/2024|X|-1,00\n"), true, "|", 2, "Date"},
		{"cut head keeps whole rows", []byte(long)[:HeadBytes], true, ";", PreviewRows, "Date"},
		{"two columns only", []byte("Date;Montant\n01/02/2024;-1,00\n"), false, "", 0, ""},
		{"no date anywhere", []byte("a;b;c\nx;y;1,00\nz;w;2,00\n"), false, "", 0, ""},
		{"header alone", []byte("Date;Libellé;Montant\n"), false, "", 0, ""},
		{"binary", []byte("Date;Libellé;Montant\n01/02/2024;\x00\x00;-1,00\n01/02/2024;X;-1,00\n"), false, "", 0, ""},
		{"utf16", append([]byte{0xff, 0xfe}, bytes.ReplaceAll([]byte("Date;L;M\n01/02/2024;X;1\n"), nil, []byte{0})...), false, "", 0, ""},
		{"json", []byte(`{"a": [1, 2, 3], "b": "01/02/2024"}`), false, "", 0, ""},
		{"broken quote", []byte("Date;Libellé;Montant\n01/02/2024;\"X;-1,00\n01/02/2024;Y;-1,00\n"), false, "", 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab, ok := Sniff(c.head)
			if ok != c.ok {
				t.Fatalf("Sniff = %v, want %v (%+v)", ok, c.ok, tab)
			}
			if !ok {
				return
			}
			if tab.Comma != c.comma || len(tab.Rows) != c.rows || tab.Rows[0][0] != c.cell00 {
				t.Errorf("comma %q, %d rows, first cell %q; want %q, %d, %q", tab.Comma, len(tab.Rows), tab.Rows[0][0], c.comma, c.rows, c.cell00)
			}
		})
	}
}

// TestSniffDecodes: the Windows-1252 bytes of accents and of the no-break space come out as
// UTF-8, and a quoted label keeps its ";".
func TestSniffDecodes(t *testing.T) {
	tab := sniffed(t, "signed_preamble_1252.csv")
	if got := tab.Rows[4][1]; got != "CB CAFÉ DU MARCHÉ" {
		t.Errorf("label %q", got)
	}
	if got := tab.Rows[5][3]; got != "+2\u00a0100,00" {
		t.Errorf("amount %q", got)
	}
	tab = sniffed(t, "debit_credit_bom.csv")
	if got := tab.Rows[1][2]; got != "PAIEMENT CB; BOULANGERIE" {
		t.Errorf("quoted label %q", got)
	}
}

func TestReadAmount(t *testing.T) {
	cases := []struct {
		in    string
		comma bool
		want  string // "" for an error
	}{
		{"-1 234,56", true, "-1234.56"},
		{"1234,56", true, "1234.56"},
		{"+2\u00a0100,00", true, "2100.00"},
		{"1\u202f050,00", true, "1050.00"},
		{"1.234,56", true, "1234.56"},
		{"12,00 €", true, "12.00"},
		{"-3,50 EUR", true, "-3.50"},
		{"4,2", true, "4.20"},
		{"0,00", true, "0.00"},
		{"-0,00", true, "0.00"},
		{"1,234.56", false, "1234.56"},
		{"(12.34)", false, "-12.34"},
		{"£23.45", false, "23.45"},
		{"-23.45", false, "-23.45"},
		{"12", false, "12.00"},
		{"1,5", false, ""},
		{"1,2,3", false, ""},
		{"12,345,67", true, ""},
		{"1.23.4", true, ""},
		{"(-1.00)", false, ""},
		{"--1", false, ""},
		{"", true, ""},
		{"abc", true, ""},
		{"1e5", false, ""},
		{"12,", true, ""},
	}
	for _, c := range cases {
		got, err := readAmount(c.in, c.comma)
		if c.want == "" && err == nil || c.want != "" && got != c.want {
			t.Errorf("readAmount(%q, %v) = %q, %v; want %q", c.in, c.comma, got, err, c.want)
		}
	}
}

func TestReadDate(t *testing.T) {
	cases := []struct{ in, layout, want string }{
		{"31/01/2024", "02/01/2006", "2024-01-31"},
		{" 05/03/24 ", "02/01/06", "2024-03-05"},
		{"2024-04-02", "2006-01-02", "2024-04-02"},
		{"01/31/2024", "01/02/2006", "2024-01-31"},
		{"32/01/2024", "02/01/2006", ""},
		{"31/01/24", "02/01/2006", ""},
		{"31/01/2024", "02/01/06", ""},
		{"29/02/2023", "02/01/2006", ""},
	}
	for _, c := range cases {
		got, err := readDate(c.in, c.layout)
		if c.want == "" && err == nil || c.want != "" && got != c.want {
			t.Errorf("readDate(%q, %q) = %q, %v; want %q", c.in, c.layout, got, err, c.want)
		}
	}
}
