package bankcsv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"selfdata/internal/doctype"
	"selfdata/internal/importer"
)

// checkRecords validates every record against the declared doctypes and checks that keys
// are set and unique, as the store will.
func checkRecords(t testing.TB, res *importer.Result) {
	t.Helper()
	reg, err := registry()
	if err != nil {
		t.Fatalf("doctype registry: %v", err)
	}
	seen := map[string]bool{}
	for _, r := range res.Records {
		if r.Key == "" || seen[r.Doctype+" "+r.Key] {
			t.Fatalf("record %s has an empty or repeated key %q", r.Doctype, r.Key)
		}
		seen[r.Doctype+" "+r.Key] = true
		b, _ := json.Marshal(r.Data)
		if err := reg.Validate(r.Doctype, b); err != nil {
			t.Fatalf("record %s %s: %v\n%s", r.Doctype, r.Key, err, b)
		}
	}
	if res.Skipped != len(res.LeftOut) {
		t.Fatalf("skipped %d, but %d left out listed", res.Skipped, len(res.LeftOut))
	}
}

// registry is the declared doctypes, loaded once for all the tests and fuzz runs.
var registry = sync.OnceValues(doctype.Builtin)

func parseFile(t *testing.T, name string) *importer.Result {
	t.Helper()
	res, err := Format().Parse(bytes.NewReader(readTestdata(t, name)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	checkRecords(t, res)
	return res
}

type opWant struct {
	key    string
	data   map[string]any
	doctyp string
}

func TestParseFiles(t *testing.T) {
	const cafe = "CB CAFÉ DU MARCHÉ — CARTE X1234 28/01 LYON"
	acct := "00012345678"
	op := func(date, label, amount, typ string) map[string]any {
		return map[string]any{"account": acct, "date": date, "label": label, "amount": amount, "currency": "EUR", "type": typ}
	}
	cases := []struct {
		file string
		want []opWant
	}{
		{"signed_preamble_1252.csv", []opWant{
			{acct, map[string]any{"bank": "unknown bank", "label": "Account ••••5678", "currency": "EUR", "number": acct}, "bank.account"},
			{acct + ":2024-01-31:-3.50:CB CAFÉ DU MARCHÉ — CARTE X1234 30/01 LYON", op("2024-01-31", "CB CAFÉ DU MARCHÉ — CARTE X1234 30/01 LYON", "-3.50", "card"), ""},
			{acct + ":2024-01-30:2100.00:VIR SALAIRE JANVIER — VIREMENT DE SOCIÉTÉ GÉNÉRIQUE", op("2024-01-30", "VIR SALAIRE JANVIER — VIREMENT DE SOCIÉTÉ GÉNÉRIQUE", "2100.00", "transfer"), ""},
			{acct + ":2024-01-29:-1234.56:PRLV EDF — PRELEVEMENT EDF CLIENTS PARTICULIERS", op("2024-01-29", "PRLV EDF — PRELEVEMENT EDF CLIENTS PARTICULIERS", "-1234.56", "direct_debit"), ""},
			{acct + ":2024-01-29:-3.50:" + cafe, op("2024-01-29", cafe, "-3.50", "card"), ""},
			{acct + ":2024-01-29:-3.50:" + cafe + "#2", op("2024-01-29", cafe, "-3.50", "card"), ""},
			// The detail starts with the label: it is not repeated.
			{acct + ":2024-01-28:-40.00:RETRAIT DAB 27/01 LYON", op("2024-01-28", "RETRAIT DAB 27/01 LYON", "-40.00", "cash"), ""},
		}},
		{"debit_credit_bom.csv", []opWant{
			{":2024-03-05:-4.20:PAIEMENT CB; BOULANGERIE", map[string]any{"account": "", "date": "2024-03-05", "valueDate": "2024-03-05", "label": "PAIEMENT CB; BOULANGERIE", "amount": "-4.20", "currency": "EUR", "type": "card"}, ""},
			{`:2024-03-04:1050.00:VIR "LOYER" MARS`, map[string]any{"account": "", "date": "2024-03-04", "valueDate": "2024-03-04", "label": `VIR "LOYER" MARS`, "amount": "1050.00", "currency": "EUR", "type": "transfer"}, ""},
			{":2024-03-03:-2.00:FRAIS TENUE DE COMPTE", map[string]any{"account": "", "date": "2024-03-03", "valueDate": "2024-03-01", "label": "FRAIS TENUE DE COMPTE", "amount": "-2.00", "currency": "EUR", "type": "fee"}, ""},
		}},
		{"english.csv", []opWant{
			{":2024-02-15:-23.45:TESCO STORES, LONDON", map[string]any{"account": "", "date": "2024-02-15", "label": "TESCO STORES, LONDON", "amount": "-23.45", "currency": "GBP", "type": "other"}, ""},
			{":2024-02-14:2000.00:Salary", map[string]any{"account": "", "date": "2024-02-14", "label": "Salary", "amount": "2000.00", "currency": "GBP", "type": "other"}, ""},
			{":2024-02-13:0.00:Opening transfer", map[string]any{"account": "", "date": "2024-02-13", "label": "Opening transfer", "amount": "0.00", "currency": "GBP", "type": "other"}, ""},
		}},
		{"debit_negative_tab.csv", []opWant{
			{"98765432100", map[string]any{"bank": "unknown bank", "label": "Account ••••2100", "currency": "EUR", "number": "98765432100", "balance": "980.01", "balanceDate": "2024-04-02"}, "bank.account"},
			{"98765432100:2024-04-02:-19.99:PRLV SEPA FREE MOBILE", map[string]any{"account": "98765432100", "date": "2024-04-02", "label": "PRLV SEPA FREE MOBILE", "amount": "-19.99", "currency": "EUR", "type": "direct_debit"}, ""},
			{"98765432100:2024-04-01:1000.00:VIR SEPA MAMAN", map[string]any{"account": "98765432100", "date": "2024-04-01", "label": "VIR SEPA MAMAN", "amount": "1000.00", "currency": "EUR", "type": "transfer"}, ""},
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			res := parseFile(t, c.file)
			if res.Format != Name || len(res.Records) != len(c.want) {
				t.Fatalf("format %q, %d records, want %d: %+v", res.Format, len(res.Records), len(c.want), res.Records)
			}
			for i, w := range c.want {
				r := res.Records[i]
				dt := w.doctyp
				if dt == "" {
					dt = "bank.operation"
				}
				if r.Doctype != dt || r.Key != w.key || !reflect.DeepEqual(r.Data, w.data) {
					t.Errorf("record %d:\n got %s %q %v\nwant %s %q %v", i, r.Doctype, r.Key, r.Data, dt, w.key, w.data)
				}
			}
		})
	}
}

// TestParseLeavesOut: the rows that do not map are left out one by one, with their line,
// their reason and the column concerned; the others are imported.
func TestParseLeavesOut(t *testing.T) {
	res := parseFile(t, "debit_credit_bom.csv")
	want := []importer.LeftOut{
		{Line: 5, Element: "Débit (4)/Crédit (5)", Kind: "bank.operation", Reason: importer.ReasonBadValue, Params: []string{"Débit (4)/Crédit (5)"}, Text: `both debit "10,00" and credit "10,00" are filled`},
		{Line: 6, Element: "Débit (4)", Kind: "bank.operation", Reason: importer.ReasonBadValue, Params: []string{"Débit (4)"}, Text: `column Débit (4): "32/01/24" is not an amount`},
		{Line: 7, Element: "Date opération (1)", Kind: "bank.operation", Reason: importer.ReasonNoDate, Text: "no date in column Date opération (1): a total or balance line, not an operation"},
	}
	if res.Skipped != 3 || !reflect.DeepEqual(res.LeftOut, want) {
		t.Errorf("skipped %d, left out:\n%+v\nwant\n%+v", res.Skipped, res.LeftOut, want)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "3 row(s)") {
		t.Errorf("notes %q", res.Notes)
	}
}

// TestParseMapping: a mapping the person names reads what the guess could not, and each
// mapping detail changes what is read.
func TestParseMapping(t *testing.T) {
	file := "Relevé du compte\n01/02/24|Café|1.234,50|\n02/02/24|Loyer||800,00\n"
	m := None("|")
	m.Date, m.DateLayout, m.Label, m.Debit, m.Credit, m.DecimalComma, m.Currency = 0, "02/01/06", 1, 2, 3, true, "EUR"
	m.Account = "FR76 3000 6000 0112 3456 7890 189"
	if _, ok := Sniff([]byte(file)); !ok {
		t.Fatal("no sniff")
	}
	res, err := Parse(strings.NewReader(file), m)
	if err != nil {
		t.Fatal(err)
	}
	checkRecords(t, res)
	iban := "FR7630006000011234567890189"
	if len(res.Records) != 3 || res.Records[0].Key != iban || res.Records[0].Data["iban"] != iban || res.Records[0].Data["label"] != "Account ••••0189" {
		t.Fatalf("account: %+v", res.Records)
	}
	// The preamble row is read as data without a header: no date, left out.
	if res.Skipped != 1 || res.LeftOut[0].Line != 1 || res.LeftOut[0].Reason != importer.ReasonBadValue {
		t.Errorf("left out: %+v", res.LeftOut)
	}
	if a := res.Records[1].Data["amount"]; a != "-1234.50" {
		t.Errorf("debit %v", a)
	}
	if a := res.Records[2].Data["amount"]; a != "800.00" {
		t.Errorf("credit %v", a)
	}
}

// TestParseRefuses: a malformed file, or a mapping that cannot hold, is refused whole with
// an error that says where.
func TestParseRefuses(t *testing.T) {
	m := None(";")
	m.Date, m.DateLayout, m.Label, m.Amount, m.DecimalComma, m.Currency, m.HeaderRow = 0, "02/01/2006", 1, 2, true, "EUR", 0
	cases := []struct {
		name, file string
		m          Mapping
		want       string
	}{
		{"broken quote", "Date;Libellé;Montant\n01/02/2024;X;-1,00\n01/02/2024;\"Y;-1,00\n", m, "line 3: extraneous or missing \" in quoted-field (line 3, byte 21): the file is not well-formed delimited text"},
		{"bare quote", "Date;Libellé;Montant\n01/02/2024;X \"Y\";-1,00\n", m, "line 2: bare \" in non-quoted-field (line 2, byte 14)"},
		{"no data rows", "Date;Libellé;Montant\n;;\n", m, "the file has no data rows under its header (row 1)"},
		{"empty", "", m, "the file has no data rows"},
		{"not text", "Date;Libellé;Montant\n\x00\x01\x02\x03;\x00;\x00\n", m, "the file is not text"},
		{"header lacks a column", "Date;Libellé\n01/02/2024;X;-1,00\n", m, "line 1: the amount column 3 is not in the header row, which has 2 columns"},
		{"mapping without a date", "Date;Libellé;Montant\n01/02/2024;X;-1,00\n", func() Mapping { c := m; c.Date = -1; return c }(), "the mapping does not hold: the mapping needs a date column"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Parse(strings.NewReader(c.file), c.m)
			var e *importer.Error
			if res != nil || !errors.As(err, &e) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Parse = %v, %v; want an *importer.Error with %q", res, err, c.want)
			}
		})
	}
}

// TestFormatNeedsMapping: a bank's file whose columns are not sure is not claimed, and
// reading it anyway asks for a mapping.
func TestFormatNeedsMapping(t *testing.T) {
	file := []byte("Date;Date opération;Libellé;Montant\n01/02/2024;01/02/2024;X;-1,00\n")
	f := Format()
	if f.Detect(file, "x.csv") || !f.Likely(file, "x.csv") {
		t.Errorf("Detect %v, Likely %v; want false, true", f.Detect(file, "x.csv"), f.Likely(file, "x.csv"))
	}
	_, err := f.Parse(bytes.NewReader(file))
	var e *importer.Error
	if !errors.As(err, &e) || e.Kind != importer.KindNeedsMapping || e.Format != Name {
		t.Errorf("Parse = %v, want kind %s", err, importer.KindNeedsMapping)
	}
	for _, name := range []string{"signed_preamble_1252.csv", "debit_credit_bom.csv", "english.csv", "debit_negative_tab.csv"} {
		if !f.Detect(readTestdata(t, name), name) {
			t.Errorf("%s not detected", name)
		}
	}
	if f.Likely([]byte("<?xml version=\"1.0\"?><a/>"), "a.xml") {
		t.Error("XML is likely")
	}
}

// TestParseLongWindows1252: a file longer than the head, plain ASCII at first and
// Windows-1252 further down, is detected from its head and decoded whole.
func TestParseLongWindows1252(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("Date;Libelle;Montant\r\n")
	for i := range 400 {
		fmt.Fprintf(&b, "%02d/01/2024;CB MAGASIN %d;-1,00\r\n", i%28+1, i)
	}
	b.WriteString("29/01/2024;CB CR\xc8CHE \xab LES P\xc9TITS \xbb;-2\xa0000,00\r\n")
	if b.Len() <= HeadBytes || !Format().Detect(b.Bytes()[:HeadBytes], "x.csv") {
		t.Fatalf("%d bytes, not detected", b.Len())
	}
	res, err := Format().Parse(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	checkRecords(t, res)
	last := res.Records[len(res.Records)-1].Data
	if len(res.Records) != 401 || last["label"] != "CB CRÈCHE « LES PÉTITS »" || last["amount"] != "-2000.00" {
		t.Errorf("%d records, last %v", len(res.Records), last)
	}
}
