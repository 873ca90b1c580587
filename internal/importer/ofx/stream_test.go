package ofx

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/importer"
	"selfdata/internal/store"
)

// bankFile is an OFX 1.x bank statement of n transactions, T0 to T(n-1) by FITID, except
// that the last one repeats T0's FITID and the one before it has none.
func bankFile(n int) string {
	var b strings.Builder
	b.WriteString("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>\n")
	b.WriteString("<SIGNONMSGSRSV1><SONRS><FI><ORG>Bank<FID>42</FI></SONRS></SIGNONMSGSRSV1>\n")
	b.WriteString("<BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR\n")
	b.WriteString("<BANKACCTFROM><BANKID>30001<BRANCHID>00794<ACCTID>12345678901<ACCTTYPE>CHECKING</BANKACCTFROM>\n")
	b.WriteString("<BANKTRANLIST><DTSTART>20150101<DTEND>20241231\n")
	for i := range n {
		fitid := fmt.Sprintf("<FITID>T%d\n", i)
		switch i {
		case n - 1:
			fitid = "<FITID>T0\n"
		case n - 2:
			fitid = ""
		}
		fmt.Fprintf(&b, "<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>20240105\n<TRNAMT>-%d.%02d\n%s<NAME>SHOP %d\n</STMTTRN>\n", 1+i%900, i%100, fitid, i)
	}
	b.WriteString("</BANKTRANLIST><LEDGERBAL><BALAMT>1234.56<DTASOF>20241231</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n")
	return b.String()
}

// batches is a Sink that keeps copies of the batches it is given.
type batches struct {
	sizes   []int
	records []importer.Record
}

func (s *batches) Records(rs []importer.Record) error {
	s.sizes = append(s.sizes, len(rs))
	s.records = append(s.records, rs...)
	return nil
}

func (s *batches) Readings(importer.Series, []store.Reading) error {
	return fmt.Errorf("an OFX file has no series")
}

// whole is what Parse gave before the stream: the tree of the whole file, then adapt.
func wholeResult(t *testing.T, content string) *importer.Result {
	t.Helper()
	f, err := Parse(strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	return adapt(f)
}

// TestStreamBatches: 10,000 transactions reach the sink in batches of at most batchRecords
// (below importer.StreamRecords), the account first, with the keys the whole file's reading gives —
// a FITID repeated across the batches still gets its "#2" — and Collect gives the Result of
// the whole reading.
func TestStreamBatches(t *testing.T) {
	const n = 10_000
	content := bankFile(n)
	p := &planner{}
	if _, err := parse(strings.NewReader(content), p); err != nil || p.fallback || len(p.trns) != 1 || p.trns[0].count != n {
		t.Fatalf("plan %+v, fallback %v (%v); want one run of %d followed", p.trns, p.fallback, err, n)
	}
	sink := &batches{}
	res, err := Stream(func() io.Reader { return strings.NewReader(content) }, sink)
	if err != nil {
		t.Fatal(err)
	}
	if batchRecords > importer.StreamRecords || len(sink.sizes) != n/batchRecords+1 {
		t.Errorf("%d batches, want %d of at most %d", len(sink.sizes), n/batchRecords+1, batchRecords)
	}
	for i, size := range sink.sizes {
		if size > batchRecords || size == 0 {
			t.Errorf("batch %d of %d records, the bound is %d", i, size, batchRecords)
		}
	}
	if res.Records != nil || res.Skipped != 0 || res.Format != Name {
		t.Errorf("result kept %d records, skipped %d, format %q", len(res.Records), res.Skipped, res.Format)
	}
	const acc = "CHECKING:30001:00794:12345678901"
	want := map[int]string{ // record i > 0 is transaction i-1; the last, in the last batch, repeats T0
		0: acc, 1: acc + ":T0", 2: acc + ":T1", 5000: acc + ":T4999",
		n - 1: acc + ":2024-01-05:-99.98:SHOP 9998", n: acc + ":T0#2",
	}
	if len(sink.records) != n+1 {
		t.Fatalf("%d records, want %d", len(sink.records), n+1)
	}
	for i, k := range want {
		if got := sink.records[i].Key; got != k {
			t.Errorf("record %d: key %q, want %q", i, got, k)
		}
	}
	if l := sink.records[0].Data["balance"]; l != "1234.56" {
		t.Errorf("account balance %v: the balance after the transactions is the account's", l)
	}
	collected, err := Format().Parse(strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	if before := wholeResult(t, content); !reflect.DeepEqual(collected, before) {
		t.Error("Collect over Stream differs from the whole file's Result")
	}
	checkResult(t, collected)
}

// statementOf is an OFX 2 statement response of a bank ("bank") or card ("card") account
// id, its transactions' FITIDs and its balance date; extra goes inside its transaction list.
func statementOf(kind, id, date, extra string, fitids ...string) string {
	set, trnrs, rs, from := "BANKMSGSRSV1", "STMTTRNRS", "STMTRS", "<BANKACCTFROM><BANKID>1</BANKID><ACCTID>"+id+"</ACCTID><ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>"
	if kind == "card" {
		set, trnrs, rs, from = "CREDITCARDMSGSRSV1", "CCSTMTTRNRS", "CCSTMTRS", "<CCACCTFROM><ACCTID>"+id+"</ACCTID></CCACCTFROM>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<%s><%s><%s><CURDEF>EUR</CURDEF>%s\n<BANKTRANLIST>\n", set, trnrs, rs, from)
	for _, f := range fitids {
		fmt.Fprintf(&b, "<STMTTRN><TRNTYPE>POS</TRNTYPE><DTPOSTED>%s</DTPOSTED><TRNAMT>-1.00</TRNAMT><FITID>%s</FITID><NAME>SHOP</NAME></STMTTRN>\n", date, f)
	}
	fmt.Fprintf(&b, "%s</BANKTRANLIST><LEDGERBAL><BALAMT>%s.00</BALAMT><DTASOF>%s</DTASOF></LEDGERBAL></%s></%s></%s>\n", extra, id, date, rs, trnrs, set)
	return b.String()
}

// seclist names the security of invStatement.
const seclist = `<SECLISTMSGSRSV1><SECLIST><STOCKINFO><SECINFO><SECID><UNIQUEID>123456789</UNIQUEID><UNIQUEIDTYPE>CUSIP</UNIQUEIDTYPE></SECID><SECNAME>ACME CORP</SECNAME><TICKER>ACM</TICKER></SECINFO></STOCKINFO></SECLIST></SECLISTMSGSRSV1>
</OFX>`

// TestStreamAsWhole: on files the plan follows and on those it reads whole, Collect over
// Stream gives what the whole reading gives, Result or error, and the plan falls back only
// where it must.
func TestStreamAsWhole(t *testing.T) {
	ofx := func(body ...string) string { return "<OFX>\n" + strings.Join(body, "") + "</OFX>\n" }
	tests := []struct {
		name, content     string
		fallback, refused bool
	}{
		{"one statement", ofx(statementOf("bank", "11", "20240105", "", "A", "B")), false, false},
		{"two periods of one account around another", ofx(
			"<BANKMSGSRSV1>",
			strings.TrimSuffix(strings.TrimPrefix(statementOf("bank", "11", "20240105", "", "A", "B"), "<BANKMSGSRSV1>"), "</BANKMSGSRSV1>\n"),
			strings.TrimSuffix(strings.TrimPrefix(statementOf("bank", "22", "20240106", "", "C"), "<BANKMSGSRSV1>"), "</BANKMSGSRSV1>\n"),
			strings.TrimSuffix(strings.TrimPrefix(statementOf("bank", "11", "20240205", "", "A", "D"), "<BANKMSGSRSV1>"), "</BANKMSGSRSV1>\n"),
			"</BANKMSGSRSV1>\n"), false, false},
		{"a card with no transaction, then a bank", ofx(statementOf("bank", "11", "20240105", "", "A"), statementOf("card", "99", "20240105", "")), false, false},
		{"the card's statement before the bank's", ofx(statementOf("card", "99", "20240105", "", "A"), statementOf("bank", "11", "20240105", "", "A")), true, false},
		{"an investment statement named by its SECLIST after it", strings.Replace(invStatement, "</OFX>", seclist, 1), false, false},
		{"a transaction list left open: its transactions are not read", ofx(strings.Replace(statementOf("bank", "11", "20240105", "", "A"), "</BANKTRANLIST>", "", 1)), true, false},
		{"an empty STMTTRN", ofx(statementOf("bank", "11", "20240105", "<STMTTRN></STMTTRN>", "A")), true, true},
		{"a STMTTRN outside the list is not read", ofx(strings.Replace(statementOf("bank", "11", "20240105", "", "A"), "<LEDGERBAL>", "<STMTTRN><TRNAMT>x</TRNAMT></STMTTRN><LEDGERBAL>", 1)), false, false},
		{"a malformed transaction of the second statement", ofx(statementOf("bank", "11", "20240105", "", "A"), statementOf("card", "99", "20241305", "", "B")), false, true},
		{"a malformed balance after good transactions", ofx(strings.Replace(statementOf("bank", "11", "20240105", "", "A", "B"), "<BALAMT>11.00", "<BALAMT>$11", 1)), false, true},
		{"truncated after a malformed transaction", ofx(statementOf("bank", "11", "2024", "", "A"))[:200], false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &planner{}
			_, perr := parse(strings.NewReader(tt.content), p)
			if p.fallback != tt.fallback {
				t.Errorf("fallback %v, want %v (%v)", p.fallback, tt.fallback, perr)
			}
			got, err := Format().Parse(strings.NewReader(tt.content))
			f, werr := Parse(strings.NewReader(tt.content))
			if (err != nil) != tt.refused {
				t.Errorf("error %v, want refused %v", err, tt.refused)
			}
			if err != nil || werr != nil {
				if fmt.Sprint(err) != fmt.Sprint(werr) {
					t.Errorf("error %v, the whole reading's %v", err, werr)
				}
				return
			}
			if want := adapt(f); !reflect.DeepEqual(got, want) {
				t.Errorf("result\n%+v\nthe whole reading's\n%+v", got, want)
			}
		})
	}
}

// TestStreamNamesSecurities: the SECLIST that follows the statements names the securities of
// the operations sent before it was read.
func TestStreamNamesSecurities(t *testing.T) {
	res, err := Format().Parse(strings.NewReader(strings.Replace(invStatement, "</OFX>", seclist, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 3 || res.Records[2].Data["security"] != "ACME CORP" || res.Records[2].Data["ticker"] != "ACM" || !strings.HasSuffix(res.Records[2].Data["label"].(string), "ACME CORP") {
		t.Fatalf("records %+v: want the buy of ACME CORP last", res.Records)
	}
}
