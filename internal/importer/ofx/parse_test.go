package ofx

import (
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer"
)

// sgml is a minimal OFX 1.x bank statement; {{TRN}} is replaced by the transaction's fields
// (from line 13) and {{BAL}} by the ledger balance amount (line 21).
const sgml = `OFXHEADER:100
DATA:OFXSGML
VERSION:102

<OFX>
<SIGNONMSGSRSV1><SONRS><FI><ORG>Bank &amp; Co<FID>42</FI></SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><STMTRS>
<CURDEF>EUR
<BANKACCTFROM><BANKID>111<BRANCHID>22<ACCTID>987654<ACCTTYPE>SAVINGS</BANKACCTFROM>
<BANKTRANLIST>
<DTSTART>20240101
<STMTTRN>
{{TRN}}
</STMTTRN>
</BANKTRANLIST>
<LEDGERBAL><BALAMT>{{BAL}}<DTASOF>20240131</LEDGERBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1>
</OFX>
`

func sample(trn, bal string) string {
	return strings.NewReplacer("{{TRN}}", trn, "{{BAL}}", bal).Replace(sgml)
}

const goodTrn = "<TRNTYPE>POS\n<DTPOSTED>20240105230000[-5:EST]\n<TRNAMT>-12,5\n<FITID>A1\n<NAME>SHOP\n<MEMO>CARD 1234"

func TestParseSGML(t *testing.T) {
	res, err := Format().Parse(strings.NewReader(sample(goodTrn, "100")))
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res)
	acc, op := res.Records[0], res.Records[1]
	if acc.Key != "SAVINGS:111:22:987654" || acc.Data["bank"] != "Bank & Co" || acc.Data["label"] != "Savings ••••7654" || acc.Data["balance"] != "100.00" {
		t.Errorf("account %q %v", acc.Key, acc.Data)
	}
	want := map[string]any{
		"account": "SAVINGS:111:22:987654", "date": "2024-01-05", "amount": "-12.50", "type": "card",
		"label": "SHOP — CARD 1234", "postedAt": "2024-01-06T04:00:00Z", "tzOffset": "-05:00", "currency": "EUR",
	}
	for k, v := range want {
		if op.Data[k] != v {
			t.Errorf("operation %s = %v, want %v", k, op.Data[k], v)
		}
	}
	if op.Key != "SAVINGS:111:22:987654:A1" {
		t.Errorf("operation key %q", op.Key)
	}
}

func TestMalformed(t *testing.T) {
	huge := "OFXHEADER:100\n" + strings.Repeat("A", importer.MaxLineBytes+1) + "\n"
	truncated := sample(goodTrn, "1")
	truncated = truncated[:strings.Index(truncated, "<FITID>")]
	deep := "<OFX>" + strings.Repeat("<A>", maxDepth+5)
	tests := []struct {
		name, input, element string
		line                 int
		reason               string
	}{
		{"dollar amount", sample(strings.Replace(goodTrn, "-12,5", "$120", 1), "1"), "TRNAMT", 15, "not a decimal amount"},
		{"empty balance", sample(goodTrn, ""), "LEDGERBAL/BALAMT", 21, "empty"},
		{"blank balance", sample(goodTrn, "  "), "BALAMT", 21, "empty"},
		{"no such day", sample(strings.Replace(goodTrn, "20240105230000[-5:EST]", "20120231", 1), "1"), "DTPOSTED", 14, "no day 2012-02-31"},
		{"empty date (XML style)", sample(strings.Replace(goodTrn, "<DTPOSTED>20240105230000[-5:EST]", "<DTPOSTED></DTPOSTED>", 1), "1"), "DTPOSTED", 14, "empty"},
		{"month 20", sample(strings.Replace(goodTrn, "20240105230000[-5:EST]", "201120000000", 1), "1"), "DTPOSTED", 14, "no day 2011-20-00"},
		{"no date", sample(strings.Replace(goodTrn, "<DTPOSTED>20240105230000[-5:EST]\n", "", 1), "1"), "DTPOSTED", 12, "no DTPOSTED"},
		{"no amount", sample(strings.Replace(goodTrn, "<TRNAMT>-12,5\n", "", 1), "1"), "TRNAMT", 12, "no TRNAMT"},
		{"bad offset", sample(strings.Replace(goodTrn, "[-5:EST]", "[x:EST]", 1), "1"), "DTPOSTED", 14, "GMT offset"},
		{"truncated", truncated, "STMTTRN", 16, "truncated"},
		{"stray closing tag", strings.Replace(sample(goodTrn, "1"), "</BANKTRANLIST>", "</BANKTRANLIST></FOO>", 1), "FOO", 20, "no matching opening tag"},
		{"no account id", strings.Replace(sample(goodTrn, "1"), "<ACCTID>987654", "", 1), "ACCTID", 9, "no number"},
		{"no currency", strings.Replace(sample(goodTrn, "1"), "<CURDEF>EUR\n", "", 1), "CURDEF", 7, "no currency"},
		{"bad currency", strings.Replace(sample(goodTrn, "1"), "<CURDEF>EUR", "<CURDEF>EURO", 1), "CURDEF", 8, "ISO 4217"},
		{"bad transaction currency", sample(goodTrn+"\n<CURRENCY><CURRATE>1<CURSYM>$$$</CURRENCY>", "1"), "CURRENCY/CURSYM", 19, "ISO 4217"},
		{"malformed tag", strings.Replace(sample(goodTrn, "1"), "<CURDEF>", "<CUR DEF>", 1), "", 8, "malformed tag"},
		{"stray text", strings.Replace(sample(goodTrn, "1"), "</STMTRS>", "</STMTRS>junk", 1), "", 22, "outside any element"},
		{"doctype", `<?xml version="1.0"?><!DOCTYPE OFX [<!ENTITY x "y">]><OFX></OFX>`, "", 1, "DOCTYPE and ENTITY declarations are refused"},
		{"entity", "<OFX>\n<!ENTITY a \"b\">\n</OFX>", "", 2, "refused"},
		{"huge line", huge, "", 2, "longer than"},
		{"too deep", deep, "A", 1, "nested more than"},
		{"no statement", "<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>", "OFX", 1, "no bank, credit-card or investment statement"},
		{"not OFX", "<QIF></QIF>", "OFX", 0, "not an OFX file"},
		{"empty", "", "", 0, "empty"},
		{"unclosed cdata", "<OFX><NAME><![CDATA[x", "", 1, "CDATA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Format().Parse(strings.NewReader(tt.input))
			assertError(t, res, err, tt.element, tt.line, tt.reason)
		})
	}
}

func TestTree(t *testing.T) {
	in := "<OFX>\n<A><NAME><![CDATA[Tom & <Jerry>]]></NAME><EMPTY></EMPTY><V>x &lt; y\n<MEMO><N>1</A>\n</OFX>"
	root, err := buildTree(&scanner{data: []byte(in), line: 1})
	if err != nil {
		t.Fatal(err)
	}
	a := root.child("A")
	var names []string
	for _, c := range a.children {
		names = append(names, c.name+"="+c.value)
	}
	// MEMO is left open: it becomes an empty leaf and N moves up to A.
	if got := strings.Join(names, ","); got != "NAME=Tom & <Jerry>,EMPTY=,V=x < y,MEMO=,N=1" {
		t.Errorf("children %s", got)
	}
	if n := a.child("N"); n.line != 3 {
		t.Errorf("N on line %d, want 3", n.line)
	}
}

func TestParseDateTime(t *testing.T) {
	tests := []struct {
		in, date, instant, offset string
	}{
		{"20130313120000.000[-5:EST]", "2013-03-13", "2013-03-13T17:00:00Z", "-05:00"},
		{"20130313230000[-5:EST]", "2013-03-13", "2013-03-14T04:00:00Z", "-05:00"}, // the bank's day is kept
		{"20120122", "2012-01-22", "2012-01-22T00:00:00Z", ""},
		{"20170510192849", "2017-05-10", "2017-05-10T19:28:49Z", ""},
		{"20120908190849.317[-4:EDT]", "2012-09-08", "2012-09-08T23:08:49.317Z", "-04:00"},
		{"20240101000000[+5.75:NPT]", "2024-01-01", "2023-12-31T18:15:00Z", "+05:45"},
		{"202401011230[0:GMT]", "2024-01-01", "2024-01-01T12:30:00Z", "+00:00"},
	}
	for _, tt := range tests {
		d, err := parseDateTime(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if d.Date != tt.date || d.Instant.Format(time.RFC3339Nano) != tt.instant || d.Offset != tt.offset {
			t.Errorf("%s = %s %s %q; want %s %s %q", tt.in, d.Date, d.Instant.Format(time.RFC3339Nano), d.Offset, tt.date, tt.instant, tt.offset)
		}
	}
	for _, bad := range []string{"", "2012", "20120231", "201120000000", "20120101250000", "abc", "20120101[x:EST]", "20120101[-99:X]", "20120101.5x"} {
		if _, err := parseDateTime(bad); err == nil {
			t.Errorf("parseDateTime(%q) accepted", bad)
		}
	}
}

func TestDuplicateFITIDAndNoFITID(t *testing.T) {
	trn := goodTrn + "\n</STMTTRN><STMTTRN>" + goodTrn + "\n</STMTTRN><STMTTRN>" + strings.Replace(goodTrn, "<FITID>A1\n", "", 1)
	res, err := Format().Parse(strings.NewReader(sample(trn, "1")))
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res)
	want := []string{"SAVINGS:111:22:987654:A1", "SAVINGS:111:22:987654:A1#2", "SAVINGS:111:22:987654:2024-01-05:-12.50:SHOPCARD 1234"}
	for i, w := range want {
		if res.Records[i+1].Key != w {
			t.Errorf("key %d = %q, want %q", i, res.Records[i+1].Key, w)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{"OFXHEADER:100\nDATA:OFXSGML", true},
		{`<?xml version="1.0"?><?OFX OFXHEADER="200"?><OFX>`, true},
		{"\r\n\r\n<OFX>\r\n", true},
		{`<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">`, false},
		{"BEGIN:VCALENDAR", false},
	}
	for _, tt := range tests {
		if got := Detect([]byte(tt.head), "x"); got != tt.want {
			t.Errorf("Detect(%q) = %v", tt.head, got)
		}
	}
}

// invStatement is an OFX 2 investment statement written for this test: a dividend paid in
// cash (INCOME), the same kind of dividend reinvested (REINVEST) and a buy.
const invStatement = `<?xml version="1.0" encoding="UTF-8"?>
<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS><DTSERVER>20240301</DTSERVER><LANGUAGE>ENG</LANGUAGE><FI><ORG>Broker</ORG><FID>7</FID></FI></SONRS></SIGNONMSGSRSV1>
<INVSTMTMSGSRSV1><INVSTMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
<INVSTMTRS><DTASOF>20240301</DTASOF><CURDEF>USD</CURDEF>
<INVACCTFROM><BROKERID>broker.example</BROKERID><ACCTID>555</ACCTID></INVACCTFROM>
<INVTRANLIST><DTSTART>20240101</DTSTART><DTEND>20240301</DTEND>
<INCOME><INVTRAN><FITID>INC1</FITID><DTTRADE>20240115</DTTRADE><MEMO>DIVIDEND</MEMO></INVTRAN>
<SECID><UNIQUEID>123456789</UNIQUEID><UNIQUEIDTYPE>CUSIP</UNIQUEIDTYPE></SECID>
<INCOMETYPE>DIV</INCOMETYPE><TOTAL>12.50</TOTAL><SUBACCTSEC>CASH</SUBACCTSEC><SUBACCTFUND>CASH</SUBACCTFUND></INCOME>
<REINVEST><INVTRAN><FITID>RE1</FITID><DTTRADE>20240215</DTTRADE><MEMO>DIVIDEND REINVESTED</MEMO></INVTRAN>
<SECID><UNIQUEID>123456789</UNIQUEID><UNIQUEIDTYPE>CUSIP</UNIQUEIDTYPE></SECID>
<INCOMETYPE>DIV</INCOMETYPE><TOTAL>-13.00</TOTAL><SUBACCTSEC>CASH</SUBACCTSEC><UNITS>0.25</UNITS><UNITPRICE>52.00</UNITPRICE></REINVEST>
<BUYSTOCK><INVBUY><INVTRAN><FITID>BUY1</FITID><DTTRADE>20240220</DTTRADE></INVTRAN>
<SECID><UNIQUEID>123456789</UNIQUEID><UNIQUEIDTYPE>CUSIP</UNIQUEIDTYPE></SECID>
<UNITS>2</UNITS><UNITPRICE>50.00</UNITPRICE><TOTAL>-100.00</TOTAL><SUBACCTSEC>CASH</SUBACCTSEC><SUBACCTFUND>CASH</SUBACCTFUND></INVBUY><BUYTYPE>BUY</BUYTYPE></BUYSTOCK>
</INVTRANLIST>
<INVBAL><AVAILCASH>-87.50</AVAILCASH><MARGINBALANCE>0</MARGINBALANCE><SHORTBALANCE>0</SHORTBALANCE></INVBAL>
</INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1>
</OFX>
`

// TestReinvestMovesNoCash: income paid in cash is an operation, income reinvested is not
// (the OFX specification's REINVEST buys more of the security with it), so the operations
// add up to the cash balance the broker states.
func TestReinvestMovesNoCash(t *testing.T) {
	res, err := Format().Parse(strings.NewReader(invStatement))
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res)
	var got []string
	for _, r := range res.Records[1:] {
		got = append(got, r.Key+" "+r.Data["amount"].(string))
	}
	if want := "INVESTMENT:broker.example:555:INC1 12.50, INVESTMENT:broker.example:555:BUY1 -100.00"; strings.Join(got, ", ") != want {
		t.Errorf("operations %s, want %s", strings.Join(got, ", "), want)
	}
	if res.Skipped != 1 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "reinvested income") {
		t.Errorf("skipped %d, notes %q; want the REINVEST counted as moving no cash", res.Skipped, res.Notes)
	}
	if l := res.LeftOut; len(l) != 1 || l[0].Reason != importer.ReasonNoCash || l[0].Element != "REINVEST" || l[0].Line == 0 || len(l[0].Params) != 1 || l[0].Params[0] != "REINVEST" {
		t.Errorf("left out %+v: want the REINVEST, by its line", l)
	}
}
