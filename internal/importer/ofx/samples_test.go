package ofx

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

func parseSample(t *testing.T, name string) (*importer.Result, error) {
	t.Helper()
	return Format().Parse(samples.Open(t, "bank/"+name))
}

// sum adds exact decimal strings.
func sum(t *testing.T, amounts []string) string {
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
	tests := []struct {
		file                   string
		accountKey, bank       string
		typ, currency          string
		balance, balanceDate   string
		ops                    int
		sum, minDate, maxDate  string
		firstKey, firstLabel   string
		firstPostedAt, firstTZ string
	}{
		{"checking.ofx", "CHECKING:5472369148:1452687~7", "FAKE", "checking", "USD", "100.99", "2013-05-25",
			3, "-59.50", "2011-03-31", "2011-04-07",
			"CHECKING:5472369148:1452687~7:0000486", "DIVIDEND EARNED FOR PERIOD OF 03/01/2011 THROUGH 03/31/2011 ANNUAL PERCENTAGE YIELD EARNED IS 0.05%",
			"2011-03-31T12:00:00Z", ""},
		{"suncorp.ofx", "CHECKING:SUNCORP:123456789", "SUNCORP", "checking", "AUD", "1234.12", "2013-12-15",
			1, "-16.85", "2013-12-15", "2013-12-15",
			"CHECKING:SUNCORP:123456789:1", "EFTPOS WDL HANDYWAY ALDI STORE   GEELONG WEST VICAU", "2013-12-15T00:00:00Z", ""},
		{"anzcc.ofx", "CREDITCARD:1234123412341234", "unknown bank", "card", "AUD", "-123.45", "2017-05-10",
			1, "-5.50", "2017-05-08", "2017-05-08",
			"CREDITCARD:1234123412341234:201705080001", "SOME MEMO", "2017-05-08T00:00:00Z", ""},
		// 14 investment transactions with a TOTAL (-10526.10) and 3 cash ones (-0.57).
		{"fidelity.ofx", "INVESTMENT:fidelity.com:01234567890", "fidelity.com", "investment", "USD", "18073.98", "2012-09-08",
			17, "-10526.67", "2012-07-20", "2012-09-01",
			"INVESTMENT:fidelity.com:01234567890:0123456789020201120120720", "YOU BOUGHT — INTEL CORP", "2012-07-20T04:00:00Z", "-04:00"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := parseSample(t, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, res)
			if res.Format != Name || len(res.Records) != 1+tt.ops {
				t.Fatalf("format %q, %d records; want %q, %d", res.Format, len(res.Records), Name, 1+tt.ops)
			}
			acc := res.Records[0]
			want := map[string]string{"bank": tt.bank, "type": tt.typ, "currency": tt.currency, "balance": tt.balance, "balanceDate": tt.balanceDate}
			for k, v := range want {
				if acc.Data[k] != v {
					t.Errorf("account %s = %v, want %q", k, acc.Data[k], v)
				}
			}
			if acc.Doctype != "bank.account" || acc.Key != tt.accountKey {
				t.Errorf("account %s %q, want %q", acc.Doctype, acc.Key, tt.accountKey)
			}
			var amounts, dates []string
			for _, r := range res.Records[1:] {
				amounts = append(amounts, r.Data["amount"].(string))
				dates = append(dates, r.Data["date"].(string))
				if r.Data["account"] != tt.accountKey {
					t.Errorf("operation %q account %v", r.Key, r.Data["account"])
				}
			}
			sort.Strings(dates)
			if got := sum(t, amounts); got != tt.sum {
				t.Errorf("sum of amounts %s, want %s", got, tt.sum)
			}
			if dates[0] != tt.minDate || dates[len(dates)-1] != tt.maxDate {
				t.Errorf("dates %s..%s, want %s..%s", dates[0], dates[len(dates)-1], tt.minDate, tt.maxDate)
			}
			first := res.Records[1]
			if first.Key != tt.firstKey || first.Data["label"] != tt.firstLabel || first.Data["postedAt"] != tt.firstPostedAt {
				t.Errorf("first operation %q label %q postedAt %v", first.Key, first.Data["label"], first.Data["postedAt"])
			}
			if tz, _ := first.Data["tzOffset"].(string); tz != tt.firstTZ {
				t.Errorf("tzOffset %q, want %q", tz, tt.firstTZ)
			}
			again, err := parseSample(t, tt.file)
			if err != nil || len(again.Records) != len(res.Records) || again.Records[len(res.Records)-1].Key != res.Records[len(res.Records)-1].Key {
				t.Error("a second import does not give the same keys")
			}
		})
	}
}

func TestFidelityPositions(t *testing.T) {
	res, err := parseSample(t, "fidelity.ofx")
	if err != nil {
		t.Fatal(err)
	}
	acc := res.Records[0].Data
	positions, _ := acc["positions"].([]map[string]any)
	if len(positions) != 6 {
		t.Fatalf("%d positions, want 6", len(positions))
	}
	var values []string
	for _, p := range positions {
		values = append(values, p["marketValue"].(string))
	}
	if got := sum(t, values); got != "14919.80" { // = the file's "Cash Market value" balance
		t.Errorf("sum of market values %s, want 14919.80", got)
	}
	intel := positions[3]
	want := map[string]string{"secid": "458140100", "name": "INTEL CORP", "ticker": "INTC", "units": "100.91100", "unitPrice": "24.1900000", "marketValue": "2441.03", "priceDate": "2012-09-08"}
	for k, v := range want {
		if intel[k] != v {
			t.Errorf("position %s = %v, want %q", k, intel[k], v)
		}
	}
	if acc["marginBalance"] != "0.00" || acc["institutionId"] != "7776" {
		t.Errorf("marginBalance %v institutionId %v", acc["marginBalance"], acc["institutionId"])
	}
	// SECNAME "SPDR S&amp;P 500 ..." is entity-decoded.
	for _, r := range res.Records {
		if r.Data["fitId"] == "0123456789020901320120727" && r.Data["label"] != "YOU SOLD — SPDR S&P 500 ETF TRUST UNIT SER 1 S&P" {
			t.Errorf("sell label %q", r.Data["label"])
		}
	}
}

func TestFailNiceSamples(t *testing.T) {
	tests := []struct {
		file, element string
		line          int
		reason        string
	}{
		{"date_missing.ofx", "DTPOSTED", 33, "no DTPOSTED"},
		{"decimal_error.ofx", "TRNAMT", 37, `"$120" is not a decimal amount`},
		{"empty_balance.ofx", "BALAMT", 38, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := parseSample(t, filepath.Join("fail_nice", tt.file))
			assertError(t, res, err, tt.element, tt.line, tt.reason)
		})
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
		want := strings.HasSuffix(path, ".ofx")
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
