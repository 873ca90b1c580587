package cfonb

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/doctype"
	"selfdata/internal/importer"
)

func parseFile(t *testing.T, name string) *importer.Result {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := Format().Parse(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	checkResult(t, res)
	return res
}

// checkResult asserts what every Result must hold: records valid for their doctype, keys
// unique, and operations that point at an account of the same Result.
func checkResult(t *testing.T, res *importer.Result) {
	t.Helper()
	reg, err := doctype.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, r := range res.Records {
		if keys[r.Doctype+" "+r.Key] {
			t.Errorf("key %q appears twice", r.Key)
		}
		keys[r.Doctype+" "+r.Key] = true
		raw, err := json.Marshal(r.Data)
		if err != nil {
			t.Fatal(err)
		}
		if err := reg.Validate(r.Doctype, raw); err != nil {
			t.Errorf("record %s %q: %v", r.Doctype, r.Key, err)
		}
	}
	for _, r := range res.Records {
		if r.Doctype == "bank.operation" && !keys["bank.account "+r.Data["account"].(string)] {
			t.Errorf("operation %q points at account %q, not in the result", r.Key, r.Data["account"])
		}
	}
}

// byDoctype splits a result's records.
func byDoctype(res *importer.Result) (accounts, ops []importer.Record) {
	for _, r := range res.Records {
		if r.Doctype == "bank.account" {
			accounts = append(accounts, r)
		} else {
			ops = append(ops, r)
		}
	}
	return accounts, ops
}

func TestTwoAccounts(t *testing.T) {
	res := parseFile(t, "two-accounts.txt")
	accounts, ops := byDoctype(res)
	if res.Format != "cfonb120" || len(accounts) != 2 || len(ops) != 7 || res.Skipped != 0 || len(res.LeftOut) != 0 {
		t.Fatalf("format %q, %d accounts, %d operations, %d skipped", res.Format, len(accounts), len(ops), res.Skipped)
	}
	wantAccounts := []map[string]any{
		{"bank": "42559", "label": "Account ••••5678", "currency": "EUR", "number": "21012345678", "bankId": "42559", "branchId": "00001",
			"balance": "3469.55", "balanceDate": "2026-03-31", "openingBalance": "1500.00", "openingBalanceDate": "2026-03-01"},
		{"bank": "42559", "label": "Account ••••2100", "currency": "EUR", "number": "08765432100", "bankId": "42559", "branchId": "00001",
			"balance": "179.50", "balanceDate": "2026-03-31", "openingBalance": "-120.50", "openingBalanceDate": "2026-03-01"},
	}
	for i, want := range wantAccounts {
		if !reflect.DeepEqual(accounts[i].Data, want) {
			t.Errorf("account %d = %v\nwant %v", i, accounts[i].Data, want)
		}
	}
	if accounts[0].Key != "42559:00001:21012345678" {
		t.Errorf("account key %q", accounts[0].Key)
	}
	tests := []struct {
		i                                     int
		key, date, value, label, amount, typ  string
		counterparty, reference, e2e, purpose string
	}{
		{0, "42559:00001:21012345678:2026-03-02:0000001:-82.35:PRLV SEPA EDF", "2026-03-02", "2026-03-02",
			"PRLV SEPA EDF ECHEANCE MARS 2026 CONTRAT 1234", "-82.35", "direct_debit", "EDF", "E2E-REF-0001", "E2E-REF-0001", "ELEC"},
		{1, "42559:00001:21012345678:2026-03-05:0000002:2100.00:VIR SEPA RECU", "2026-03-05", "2026-03-05",
			"VIR SEPA RECU", "2100.00", "transfer", "CAF DU RHONE", "VIR0503", "", ""},
		{2, "42559:00001:21012345678:2026-03-06:0000003:-45.10:CB CARREFOUR 04/03", "2026-03-06", "2026-03-04",
			"CB CARREFOUR 04/03", "-45.10", "card", "", "", "", ""},
		{3, "42559:00001:21012345678:2026-03-31:0000004:-3.00:COTISATION CARTE", "2026-03-31", "2026-03-31",
			"COTISATION CARTE", "-3.00", "fee", "", "", "", ""},
		// Two identical withdrawals of one day stay two.
		{4, "42559:00001:08765432100:2026-03-10:0000000:-100.00:RETRAIT DAB LYON", "2026-03-10", "2026-03-10",
			"RETRAIT DAB LYON", "-100.00", "cash", "", "", "", ""},
		{5, "42559:00001:08765432100:2026-03-10:0000000:-100.00:RETRAIT DAB LYON#2", "2026-03-10", "2026-03-10",
			"RETRAIT DAB LYON", "-100.00", "cash", "", "", "", ""},
	}
	for _, tt := range tests {
		d := ops[tt.i].Data
		got := []any{ops[tt.i].Key, d["date"], d["valueDate"], d["label"], d["amount"], d["type"], d["currency"], d["account"]}
		want := []any{tt.key, tt.date, tt.value, tt.label, tt.amount, tt.typ, "EUR", strings.Join(strings.Split(tt.key, ":")[:3], ":")}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("operation %d = %q\nwant %q", tt.i, got, want)
		}
		for k, v := range map[string]string{"counterparty": tt.counterparty, "reference": tt.reference, "endToEndId": tt.e2e, "purpose": tt.purpose} {
			if s, _ := d[k].(string); s != v {
				t.Errorf("operation %d %s = %q, want %q", tt.i, k, s, v)
			}
		}
	}
	if c := ops[0].Data["complements"].([]map[string]any); len(c) != 3 || c[2]["qualifier"] != "RCN" || c[1]["text"] != "EDF" {
		t.Errorf("complements %v", c)
	}
	if ops[0].Data["operationCode"] != "B1" || ops[0].Data["entryRef"] != "0000001" || ops[0].Data["proprietaryCode"] != "0001" {
		t.Errorf("codes %v", ops[0].Data)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "1 movement(s) appear more than once") {
		t.Errorf("notes %q", res.Notes)
	}
}

// TestNoLineBreaks: records one after the other every 120 characters import as the same
// records as the file with line breaks (whose second account's lines are trimmed).
func TestNoLineBreaks(t *testing.T) {
	want, got := parseFile(t, "two-accounts.txt"), parseFile(t, "nobreaks.txt")
	if !reflect.DeepEqual(got.Records, want.Records) {
		t.Errorf("the file without line breaks imports differently: %d records, want %d", len(got.Records), len(want.Records))
	}
}

// TestOverpunch: every signed last character, positive and negative, gives its digit and sign.
func TestOverpunch(t *testing.T) {
	_, ops := byDoctype(parseFile(t, "overpunch.txt"))
	want := []string{"0.10", "0.11", "0.12", "0.13", "0.14", "0.15", "0.16", "0.17", "0.18", "0.19",
		"-0.10", "-0.11", "-0.12", "-0.13", "-0.14", "-0.15", "-0.16", "-0.17", "-0.18", "-0.19"}
	if len(ops) != len(want) {
		t.Fatalf("%d operations, want %d", len(ops), len(want))
	}
	for i, w := range want {
		if ops[i].Data["amount"] != w {
			t.Errorf("%s: amount %v, want %s", ops[i].Data["label"], ops[i].Data["amount"], w)
		}
	}
}

// TestDecimals: the number of decimals of each record places the point, with no decimals
// (CFP francs) and with three (Tunisian dinars).
func TestDecimals(t *testing.T) {
	accounts, ops := byDoctype(parseFile(t, "decimals.txt"))
	got := []any{accounts[0].Data["currency"], accounts[0].Data["openingBalance"], ops[0].Data["amount"], accounts[0].Data["balance"],
		accounts[1].Data["currency"], accounts[1].Data["openingBalance"], ops[1].Data["amount"], accounts[1].Data["balance"], ops[1].Data["currency"]}
	want := []any{"XPF", "10000.00", "-2500.00", "7500.00", "TND", "1234.567", "-0.567", "1234.000", "TND"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestBadAmountLeftOut: a movement whose amount cannot be read is left out with its line
// and its complements; the others are imported, and the note says what the balances
// make of the missing one.
func TestBadAmountLeftOut(t *testing.T) {
	res := parseFile(t, "badamount.txt")
	_, ops := byDoctype(res)
	if len(ops) != 2 || ops[0].Data["amount"] != "-20.00" || ops[1].Data["amount"] != "-5.00" || res.Skipped != 1 {
		t.Fatalf("%d operations, %d skipped", len(ops), res.Skipped)
	}
	want := importer.LeftOut{Line: 3, Element: "positions 91–104", Kind: "bank.operation", Reason: importer.ReasonBadValue,
		Params: []string{"positions 91–104"}}
	if len(res.LeftOut) != 1 {
		t.Fatalf("left out %+v", res.LeftOut)
	}
	l := res.LeftOut[0]
	if l.Text == "" || !strings.Contains(l.Text, `its amount (positions 91–104) cannot be read: "0000000000100X" is not an amount`) {
		t.Errorf("left-out text %q", l.Text)
	}
	l.Text = ""
	if !reflect.DeepEqual(l, want) {
		t.Errorf("left out %+v\nwant %+v", l, want)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "1 movement(s) left out, which by the balances amount to -10.00") {
		t.Errorf("notes %q", res.Notes)
	}
}

func assertError(t *testing.T, err error, line int, element, reason string) {
	t.Helper()
	var ie *importer.Error
	if !errors.As(err, &ie) {
		t.Fatalf("got %v (%T), want an *importer.Error", err, err)
	}
	if ie.Line != line || ie.Element != element || !strings.Contains(ie.Reason, reason) {
		t.Errorf("error %q (line %d, element %q); want line %d, element %q, reason containing %q", ie, ie.Line, ie.Element, line, element, reason)
	}
}

func TestRefusedFiles(t *testing.T) {
	for _, tt := range []struct {
		file, element, reason string
		line                  int
	}{
		{"unbalanced.txt", "positions 91–104", "does not add up: old balance 100.00 (line 1) + movements -20.00 = 80.00, but the new balance is 85.00", 3},
		{"short.txt", "", "the record is 90 characters long", 2},
	} {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			res, err := Format().Parse(f)
			if res != nil {
				t.Error("a result came with the error")
			}
			assertError(t, err, tt.line, tt.element, tt.reason)
		})
	}
}
