package camt

import (
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"selfdata/internal/doctype"
	"selfdata/internal/importer"
	"selfdata/internal/importer/samples"
)

func parseSample(t *testing.T, name string) *importer.Result {
	t.Helper()
	res, err := Format().Parse(samples.Open(t, "bank/"+name))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sum adds exact decimal strings.
func sum(t *testing.T, amounts ...string) string {
	t.Helper()
	total := new(big.Rat)
	for _, a := range amounts {
		r, ok := new(big.Rat).SetString(a)
		if !ok {
			t.Fatalf("amount %q is not a decimal", a)
		}
		total.Add(total, r)
	}
	return total.FloatString(2)
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

func TestSamples(t *testing.T) {
	const ch = "camt.053_P_CH2909000000250094239_1110092698_0_2020112503071366.xml"
	tests := []struct {
		file, format                  string
		account, bank, currency       string
		balance, balanceDate, opening string
		ops                           int
		sum, minDate, maxDate         string
		keys                          []string // the first operations' keys, in order
		labels                        []string
		counterparty0                 string
	}{
		// The entries sum to -12.99 but the balances differ by -447.15: the fixture's
		// balances do not reconcile (checked by hand); the sum is what the entries say.
		{"test-camt053.xml", "camt.053.001.02", "NL77ABNA0574908765", "ABNANL2A", "EUR", "15121.12", "2014-01-05", "15568.27",
			4, "-12.99", "2014-01-05", "2014-01-05",
			[]string{"NL77ABNA0574908765:2014-01-05:-754.25:435005714488-ABNO33052620", "NL77ABNA0574908765:2014-01-05:-564.05:TESTBANK/NL/20141229/01206408", "NL77ABNA0574908765:2014-01-05:-100.00:TESTBANK/NL/20141229/01206407", "NL77ABNA0574908765:2014-01-05:1405.31:115"},
			[]string{"Insurance policy 857239PERIOD 01.01.2014 - 31.12.2014", "Direct Debit S14 0410", "Direct Debit S14 0410", "3rd party Media"},
			"INSURANCE COMPANY TESTX"},
		// Opening available 2768.08 + entries -2768.08 = closing available 0.00.
		{"statement_1.xml", "camt.053.001.02", "LT007180000000000000", "AB ŠIAULIŲ BANKAS Kauno filialas", "EUR", "0.00", "2015-06-30", "",
			4, "-2768.08", "2015-05-11", "2015-05-20",
			[]string{"LT007180000000000000:2015-05-11:-1.64:514026627"},
			[]string{"Mokestis už į kliento sąskaitą pervestų lėšų, gautų iš kitų bankų, įskaitymą 2015.04.01, 2015.04.30 dienoje"},
			`UAB "TESTAVIMAS"`},
		// OPBD 211993.19 + entries 4656.02 = FWAV 216649.21; CLBD 215112.21 leaves out the
		// 1537.00 valued on 2020-11-25. Two entries share AcctSvcrRef 07582000303KBMSU.
		{ch, "camt.053.001.04", "CH2909000000250094239", "unknown bank", "CHF", "215112.21", "2020-11-24", "211993.19",
			5, "4656.02", "2020-11-24", "2020-11-24",
			[]string{"CH2909000000250094239:0758103031480900", "CH2909000000250094239:0758103031480977", "CH2909000000250094239:07582000303F0C7U", "CH2909000000250094239:07582000303KBMSU", "CH2909000000250094239:07582000303KBMSU#2"},
			[]string{"GUTSCHRIFT CH-DD-BASISLASTSCHRIFT ID-NR. DES ZAHLUNGSEMPFÄNGERS: 41100000000872849 REFERENZ-NR: PmtInfId-CHDD-1"},
			""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := parseSample(t, tt.file)
			checkResult(t, res)
			if res.Format != tt.format || len(res.Records) != 1+tt.ops {
				t.Fatalf("format %q, %d records; want %q, %d", res.Format, len(res.Records), tt.format, 1+tt.ops)
			}
			acc := res.Records[0]
			want := map[string]string{"iban": tt.account, "bank": tt.bank, "currency": tt.currency, "balance": tt.balance, "balanceDate": tt.balanceDate}
			if tt.opening != "" {
				want["openingBalance"] = tt.opening
			}
			for k, v := range want {
				if acc.Data[k] != v {
					t.Errorf("account %s = %v, want %q", k, acc.Data[k], v)
				}
			}
			if acc.Key != tt.account {
				t.Errorf("account key %q", acc.Key)
			}
			var amounts, dates []string
			for _, r := range res.Records[1:] {
				amounts = append(amounts, r.Data["amount"].(string))
				dates = append(dates, r.Data["date"].(string))
			}
			sort.Strings(dates)
			if got := sum(t, amounts...); got != tt.sum {
				t.Errorf("sum %s, want %s", got, tt.sum)
			}
			if dates[0] != tt.minDate || dates[len(dates)-1] != tt.maxDate {
				t.Errorf("dates %s..%s", dates[0], dates[len(dates)-1])
			}
			for i, k := range tt.keys {
				if res.Records[1+i].Key != k {
					t.Errorf("key %d = %q, want %q", i, res.Records[1+i].Key, k)
				}
			}
			for i, l := range tt.labels {
				if res.Records[1+i].Data["label"] != l {
					t.Errorf("label %d = %q, want %q", i, res.Records[1+i].Data["label"], l)
				}
			}
			if cp, _ := res.Records[1].Data["counterparty"].(string); cp != tt.counterparty0 {
				t.Errorf("counterparty %q, want %q", cp, tt.counterparty0)
			}
		})
	}
}

// The Swiss sample's balances reconcile with its entries: opening + all = forward available,
// opening + all but the entry valued the next day = closing booked.
func TestSwissBalances(t *testing.T) {
	res := parseSample(t, "camt.053_P_CH2909000000250094239_1110092698_0_2020112503071366.xml")
	var booked []string
	for _, r := range res.Records[1:] {
		if r.Data["valueDate"] == "2020-11-24" {
			booked = append(booked, r.Data["amount"].(string))
		}
	}
	if got := sum(t, append(booked, "211993.19")...); got != "215112.21" {
		t.Errorf("opening + entries valued 2020-11-24 = %s, want CLBD 215112.21", got)
	}
	// Entry 2 says DBIT while its TxDtls says CRDT: the entry's direction is what balances.
	if res.Records[2].Data["amount"] != "-77.70" || res.Records[2].Data["type"] != "transfer" {
		t.Errorf("entry 2: %v", res.Records[2].Data)
	}
}

func TestReversalAndBatch(t *testing.T) {
	res := parseSample(t, "test-camt053.xml")
	batch := res.Records[2].Data
	if batch["reversal"] != true || batch["type"] != "direct_debit" || batch["mandateId"] != "NL22ZZZ524885430000-C0125.1" || batch["bankTransactionCode"] != "PMNT/IDDT/UPDD" {
		t.Errorf("batch operation %v", batch)
	}
	if res.Records[4].Data["counterpartyAccount"] != "NL69ABNA0522123643" {
		t.Errorf("credit counterparty account %v", res.Records[4].Data["counterpartyAccount"])
	}
}

func TestDetectAllSamples(t *testing.T) {
	dir := samples.Dir(t)
	n := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "README.md") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		head := data[:min(len(data), 8<<10)]
		want := filepath.Base(filepath.Dir(path)) == "bank" && strings.HasSuffix(path, ".xml")
		if got := Detect(head, filepath.Base(path)); got != want {
			t.Errorf("Detect(%s) = %v, want %v", path, got, want)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Errorf("only %d sample files seen", n)
	}
}

func assertError(t *testing.T, res *importer.Result, err error, element string, line int, reason string) {
	t.Helper()
	var ie *importer.Error
	if !errors.As(err, &ie) {
		t.Fatalf("got %v (%T), want an *importer.Error", err, err)
	}
	if res != nil {
		t.Error("a partial result came with the error")
	}
	if !strings.Contains(ie.Element, element) || ie.Line != line || !strings.Contains(ie.Reason, reason) {
		t.Errorf("error %q (element %q, line %d); want element %q, line %d, reason containing %q", ie, ie.Element, ie.Line, element, line, reason)
	}
}
