package camt

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"selfdata/internal/importer"
)

// v08 is a minimal camt.053.001.08 statement written for this test: status as <Sts><Cd>,
// servicer as BICFI, related party under Pty, booking date as a DtTm with an offset, and a
// pending entry that must be left out.
const v08 = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
<BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-03-01T08:00:00+01:00</CreDtTm></GrpHdr>
<Stmt>
<Id>S1</Id>
<Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy><Tp><Cd>CACC</Cd></Tp>
<Svcr><FinInstnId><BICFI>AGRIFRPP</BICFI><Nm>Banque Exemple</Nm></FinInstnId></Svcr></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-02-29</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">57.10</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-03-01</Dt></Dt></Bal>
<Ntry>
<NtryRef>N1</NtryRef>
<Amt Ccy="EUR">42.90</Amt>
<CdtDbtInd>DBIT</CdtDbtInd>
<Sts><Cd>BOOK</Cd></Sts>
<BookgDt><DtTm>2024-03-01T00:30:00+01:00</DtTm></BookgDt>
<ValDt><Dt>2024-03-02</Dt></ValDt>
<AcctSvcrRef>REF-1</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>CCRD</Cd><SubFmlyCd>POSD</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><Refs><EndToEndId>E2E-1</EndToEndId></Refs><Amt Ccy="EUR">42.90</Amt><CdtDbtInd>DBIT</CdtDbtInd>
<RltdPties><Cdtr><Pty><Nm>CARREFOUR LYON</Nm></Pty></Cdtr></RltdPties></TxDtls></NtryDtls>
</Ntry>
<Ntry>
<Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts><BookgDt><Dt>2024-03-01</Dt></BookgDt>
</Ntry>
</Stmt>
</BkToCstmrStmt>
</Document>
`

func TestVersion08(t *testing.T) {
	res, err := Format().Parse(strings.NewReader(v08))
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res)
	if res.Format != "camt.053.001.08" || len(res.Records) != 2 || res.Skipped != 1 || len(res.Notes) != 1 {
		t.Fatalf("format %q, %d records, %d skipped, notes %q", res.Format, len(res.Records), res.Skipped, res.Notes)
	}
	if l := res.LeftOut; len(l) != 1 || l[0].Reason != importer.ReasonNotBooked || l[0].Line == 0 || l[0].Kind != "bank.operation" || len(l[0].Params) != 1 || l[0].Params[0] != "PDNG" {
		t.Errorf("left out %+v: want the pending entry, by its line", l)
	}
	acc, op := res.Records[0], res.Records[1]
	wantAcc := map[string]any{"bank": "Banque Exemple", "institutionId": "AGRIFRPP", "type": "checking", "balance": "57.10", "balanceDate": "2024-03-01", "label": "Account ••••0189"}
	for k, v := range wantAcc {
		if acc.Data[k] != v {
			t.Errorf("account %s = %v, want %v", k, acc.Data[k], v)
		}
	}
	wantOp := map[string]any{
		"account": "FR7630006000011234567890189", "date": "2024-03-01", "amount": "-42.90", "currency": "EUR",
		"type": "card", "label": "CARREFOUR LYON", "counterparty": "CARREFOUR LYON", "reference": "E2E-1",
		"valueDate": "2024-03-02", "bookedAt": "2024-02-29T23:30:00Z", "tzOffset": "+01:00", "entryRef": "N1",
	}
	for k, v := range wantOp {
		if op.Data[k] != v {
			t.Errorf("operation %s = %v, want %v", k, op.Data[k], v)
		}
	}
	if op.Key != "FR7630006000011234567890189:REF-1" {
		t.Errorf("key %q", op.Key)
	}
}

func TestVersions(t *testing.T) {
	for _, v := range []string{"02", "03", "04", "05", "06", "07", "08"} {
		doc := strings.Replace(v08, "camt.053.001.08", "camt.053.001."+v, 1)
		res, err := Format().Parse(strings.NewReader(doc))
		if err != nil || res.Format != "camt.053.001."+v || len(res.Records) != 2 {
			t.Errorf("version %s: %v", v, err)
		}
	}
}

// lineOf is the line of the first occurrence of s in doc.
func lineOf(doc, s string) int {
	return 1 + strings.Count(doc[:strings.Index(doc, s)], "\n")
}

func TestMalformed(t *testing.T) {
	edit := func(old, new string) string { return strings.Replace(v08, old, new, 1) }
	truncated := v08[:strings.Index(v08, "<ValDt>")]
	tests := []struct {
		name, input, element string
		line                 int
		reason               string
	}{
		{"bad amount", edit(">42.90</Amt>", ">42,90.1</Amt>"), "Stmt[1]/Ntry[1]/Amt", lineOf(v08, ">42.90"), "not an amount"},
		{"negative amount", edit(">42.90</Amt>", ">-42.90</Amt>"), "Stmt[1]/Ntry[1]/Amt", lineOf(v08, ">42.90"), "positive"},
		{"bad currency", edit(`<Amt Ccy="EUR">42.90`, `<Amt Ccy="euro">42.90`), "Stmt[1]/Ntry[1]/Amt", lineOf(v08, ">42.90"), "ISO 4217"},
		{"bad direction", edit("<CdtDbtInd>DBIT</CdtDbtInd>\n", "<CdtDbtInd>DEBIT</CdtDbtInd>\n"), "Stmt[1]/Ntry[1]/CdtDbtInd", lineOf(v08, "<CdtDbtInd>DBIT</CdtDbtInd>\n"), `"DEBIT"`},
		{"no direction", edit("<CdtDbtInd>DBIT</CdtDbtInd>\n", ""), "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/CdtDbtInd", lineOf(v08, "<Ntry>"), "CdtDbtInd is missing"},
		{"no balance direction", strings.Replace(v08, "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-03-01", "<Dt><Dt>2024-03-01", 1), "Document/BkToCstmrStmt/Stmt[1]/Bal[2]/CdtDbtInd", lineOf(v08, "CLBD"), "CdtDbtInd is missing"},
		{"no balance amount", edit(`<Amt Ccy="EUR">100.00</Amt>`, ""), "Stmt[1]/Bal[1]/Amt", lineOf(v08, "OPBD"), "Amt is missing"},
		{"no currency attribute", edit(`<Amt Ccy="EUR">100.00</Amt>`, "<Amt>100.00</Amt>"), "Stmt[1]/Bal[1]/Amt", lineOf(v08, "OPBD"), "Ccy attribute is missing"},
		{"no balance date", edit("<Dt><Dt>2024-02-29</Dt></Dt>", ""), "Stmt[1]/Bal[1]/Dt", lineOf(v08, "OPBD"), "Dt is missing"},
		{"bad booking date", edit("2024-03-01T00:30:00+01:00", "2024-02-30T00:30:00"), "Stmt[1]/Ntry[1]/BookgDt/DtTm", lineOf(v08, "<BookgDt>"), "not a date"},
		{"bad balance date", edit("<Dt>2024-02-29</Dt>", "<Dt>29/02/2024</Dt>"), "Stmt[1]/Bal[1]/Dt/Dt", lineOf(v08, "OPBD"), "not a date"},
		{"no date", edit("<BookgDt><DtTm>2024-03-01T00:30:00+01:00</DtTm></BookgDt>\n<ValDt><Dt>2024-03-02</Dt></ValDt>", ""), "Stmt[1]/Ntry[1]/BookgDt", lineOf(v08, "<Ntry>"), "missing"},
		{"bad account currency", edit("<Ccy>EUR</Ccy>", "<Ccy>Euro</Ccy>"), "Stmt[1]/Acct/Ccy", lineOf(v08, "<Acct>"), "ISO 4217"},
		{"no account", edit("<IBAN>FR7630006000011234567890189</IBAN>", ""), "Stmt[1]/Acct/Id", lineOf(v08, "<Acct>"), "missing"},
		{"no Acct", edit("<Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy><Tp><Cd>CACC</Cd></Tp>\n<Svcr><FinInstnId><BICFI>AGRIFRPP</BICFI><Nm>Banque Exemple</Nm></FinInstnId></Svcr></Acct>\n", ""), "Stmt[1]/Acct", lineOf(v08, "<Stmt>"), "Acct is missing"},
		{"truncated", truncated, "", strings.Count(truncated, "\n") + 1, "unexpected EOF"},
		{"mismatched tags", edit("</NtryRef>", "</Ref>"), "", lineOf(v08, "<NtryRef>"), "malformed XML"},
		{"doctype", strings.Replace(v08, "<Document", "<!DOCTYPE Document [<!ENTITY x \"y\">]>\n<Document", 1), "", 2, "DOCTYPE and ENTITY declarations are refused"},
		{"version 09", strings.Replace(v08, "camt.053.001.08", "camt.053.001.09", 1), "Document", 2, "not supported"},
		{"camt.052", strings.Replace(v08, "camt.053.001.08", "camt.052.001.08", 1), "Document", 2, "not a camt.053"},
		{"no statement", `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>`, "Stmt", 0, "no statement"},
		{"two roots", v08 + "<Document/>", "Document", lineOf(v08, "</Document>") + 1, "after the end"},
		{"empty", "", "", 1, "no XML element"},
		{"encoding", strings.Replace(v08, "UTF-8", "EBCDIC", 1), "", 1, "EBCDIC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Format().Parse(strings.NewReader(tt.input))
			assertError(t, res, err, tt.element, tt.line, tt.reason)
		})
	}
}

// TestOneLineLocates: in a file written on one line (as many banks send them), the line alone
// says nothing; the error names the element by its path, occurrences counted, and its column.
func TestOneLineLocates(t *testing.T) {
	oneLine := strings.ReplaceAll(v08, "\n", "")
	doc := strings.Replace(oneLine, "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-03-01", "<Dt><Dt>2024-03-01", 1)
	_, err := Format().Parse(strings.NewReader(doc))
	var ie *importer.Error
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an *importer.Error", err)
	}
	col := 1 + strings.Index(doc, "<Bal><Tp><CdOrPrtry><Cd>CLBD")
	want := fmt.Sprintf("line 1: Document/BkToCstmrStmt/Stmt[1]/Bal[2]/CdtDbtInd: CdtDbtInd is missing: CRDT (credit) or DBIT (debit) is expected (column %d)", col)
	if ie.Error() != want {
		t.Errorf("error\n%s\nwant\n%s", ie, want)
	}
}

func TestLatin1(t *testing.T) {
	doc := strings.Replace(v08, "UTF-8", "ISO-8859-1", 1)
	doc = strings.Replace(doc, "CARREFOUR LYON", "Caf\xe9 du Rh\xf4ne", 1)
	res, err := Format().Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Records[1].Data["counterparty"]; got != "Café du Rhône" {
		t.Errorf("counterparty %q", got)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{v08[:200], true},
		{`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">`, false},
		{"OFXHEADER:100\n<OFX>", false},
		{`<feed xmlns="http://www.w3.org/2005/Atom">`, false},
	}
	for _, tt := range tests {
		if got := Detect([]byte(tt.head), "x.xml"); got != tt.want {
			t.Errorf("Detect(%q) = %v", tt.head, got)
		}
	}
}
