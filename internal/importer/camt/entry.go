package camt

import (
	"regexp"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// Entry is Stmt/Ntry: one booking on the account.
type Entry struct {
	Ref         string // NtryRef
	AcctSvcrRef string // the bank's own reference of the entry
	Amount      string // signed exact decimal
	Currency    string
	Debit       bool
	Reversal    bool   // RvslInd: this entry reverses an earlier one
	Status      string // BOOK, PDNG, INFO (Sts, or Sts/Cd from v08)
	Booking     When
	Value       When
	Code        BankTxCode
	Info        string // AddtlNtryInf
	Txs         []Tx
	Line        int
}

// When is an ISODate or ISODateTime choice (Dt or DtTm).
type When struct {
	Date    string    // YYYY-MM-DD as written
	Instant time.Time // set when DtTm carries a zone
	Offset  string    // that zone, "+01:00" or "Z"
}

// BankTxCode is BkTxCd: the ISO domain/family/sub-family and the bank's own code.
type BankTxCode struct {
	Domain, Family, SubFamily, Proprietary string
}

// Tx is NtryDtls/TxDtls: one transaction of an entry.
type Tx struct {
	Amount          string // signed exact decimal, "" when the TxDtls gives none
	Currency        string
	EndToEndID      string
	TxID            string
	InstrID         string
	AcctSvcrRef     string
	MandateID       string
	CreditorRef     string // RmtInf/Strd/CdtrRefInf/Ref (e.g. an RF or QR reference)
	Remittance      string // RmtInf/Ustrd, joined
	Creditor        string
	Debtor          string
	CreditorAccount string
	DebtorAccount   string
	Info            string // AddtlTxInf
	Line            int
}

func entry(n *node) (Entry, error) {
	e := Entry{
		Ref: n.get("NtryRef"), AcctSvcrRef: n.get("AcctSvcrRef"), Info: n.get("AddtlNtryInf"),
		Reversal: n.get("RvslInd") == "true", Line: n.line,
		Code: BankTxCode{
			Domain: n.get("BkTxCd", "Domn", "Cd"), Family: n.get("BkTxCd", "Domn", "Fmly", "Cd"),
			SubFamily: n.get("BkTxCd", "Domn", "Fmly", "SubFmlyCd"), Proprietary: n.get("BkTxCd", "Prtry", "Cd"),
		},
	}
	ind := n.get("CdtDbtInd")
	e.Debit = ind == "DBIT"
	var err error
	if e.Amount, e.Currency, err = signedAmount(n, ind); err != nil {
		return e, err
	}
	if e.Status = n.get("Sts"); e.Status == "" {
		e.Status = n.get("Sts", "Cd")
	}
	if e.Booking, err = dateOf(n.child("BookgDt")); err != nil {
		return e, err
	}
	if e.Value, err = dateOf(n.child("ValDt")); err != nil {
		return e, err
	}
	if e.Booking.Date == "" && e.Value.Date == "" {
		return e, n.errorf("BookgDt", "BookgDt and ValDt are missing: the entry has neither a booking date nor a value date")
	}
	for _, d := range n.all("NtryDtls") {
		for _, t := range d.all("TxDtls") {
			tx, err := transaction(t, ind)
			if err != nil {
				return e, err
			}
			e.Txs = append(e.Txs, tx)
		}
	}
	return e, nil
}

// transaction reads a TxDtls; entryInd is the entry's direction, used when the TxDtls has
// no CdtDbtInd of its own (always so before v04).
func transaction(n *node, entryInd string) (Tx, error) {
	t := Tx{
		EndToEndID: n.get("Refs", "EndToEndId"), TxID: n.get("Refs", "TxId"), InstrID: n.get("Refs", "InstrId"),
		AcctSvcrRef: n.get("Refs", "AcctSvcrRef"), MandateID: n.get("Refs", "MndtId"),
		CreditorRef: n.get("RmtInf", "Strd", "CdtrRefInf", "Ref"),
		Creditor:    party(n.path("RltdPties", "Cdtr")), Debtor: party(n.path("RltdPties", "Dbtr")),
		CreditorAccount: n.get("RltdPties", "CdtrAcct", "Id", "IBAN"), DebtorAccount: n.get("RltdPties", "DbtrAcct", "Id", "IBAN"),
		Info: n.get("AddtlTxInf"), Line: n.line,
	}
	var ustrd []string
	for _, r := range n.all("RmtInf") {
		for _, u := range r.all("Ustrd") {
			if s := strings.TrimSpace(u.text); s != "" {
				ustrd = append(ustrd, s)
			}
		}
	}
	t.Remittance = strings.Join(ustrd, " ")
	ind := n.get("CdtDbtInd")
	if ind == "" {
		ind = entryInd
	}
	amt := n
	if n.child("Amt") == nil {
		amt = n.path("AmtDtls", "TxAmt")
	}
	if amt.child("Amt") == nil {
		return t, nil
	}
	var err error
	t.Amount, t.Currency, err = signedAmount(amt, ind)
	return t, err
}

// party is a related party's name: Nm directly (v02 to v06) or under Pty (v07 and later).
func party(n *node) string {
	if nm := n.get("Nm"); nm != "" {
		return nm
	}
	return n.get("Pty", "Nm")
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// signedAmount reads n's Amt with its Ccy attribute and applies the direction ind (the
// text of n's CdtDbtInd, or of the entry's for a TxDtls).
func signedAmount(n *node, ind string) (string, string, error) {
	a := n.child("Amt")
	if a == nil {
		return "", "", n.errorf("Amt", "Amt is missing: no amount")
	}
	v, err := importer.Decimal(a.text)
	if err != nil || strings.HasPrefix(v, "-") {
		return "", "", a.errorf("", "%s is not an amount: camt amounts are positive decimals like 12.34, the direction is in CdtDbtInd", input.Excerpt(strings.TrimSpace(a.text)))
	}
	if a.ccy == "" {
		return "", "", a.errorf("", "the Ccy attribute is missing: an amount names its ISO 4217 currency")
	}
	if !currencyCode.MatchString(a.ccy) {
		return "", "", a.errorf("", "the Ccy attribute %s is not an ISO 4217 currency code", input.Excerpt(a.ccy))
	}
	switch ind {
	case "CRDT":
	case "DBIT":
		if strings.Trim(v, "0.") != "" {
			v = "-" + v
		}
	case "":
		return "", "", n.errorf("CdtDbtInd", "CdtDbtInd is missing: CRDT (credit) or DBIT (debit) is expected")
	default:
		if c := n.child("CdtDbtInd"); c != nil {
			return "", "", c.errorf("", "CdtDbtInd is %s where CRDT or DBIT is expected", input.Excerpt(ind))
		}
		return "", "", n.errorf("CdtDbtInd", "CdtDbtInd is %s where CRDT or DBIT is expected", input.Excerpt(ind))
	}
	return v, a.ccy, nil
}

// dateOf reads a Dt/DtTm choice; an absent node gives the zero When.
func dateOf(n *node) (When, error) {
	if n == nil {
		return When{}, nil
	}
	if s := n.get("Dt"); s != "" {
		if len(s) < 10 || !validDate(s[:10]) || len(s) > 10 && !strings.ContainsAny(s[10:11], "Z+-") {
			return When{}, n.child("Dt").errorf("", "%s is not a date (YYYY-MM-DD)", input.Excerpt(s))
		}
		return When{Date: s[:10]}, nil
	}
	s := n.get("DtTm")
	if s == "" {
		return When{}, n.errorf("Dt", "Dt and DtTm are missing: the date is not given")
	}
	if len(s) < 19 || !validDate(s[:10]) || s[10] != 'T' {
		return When{}, n.child("DtTm").errorf("", "%s is not a date and time (YYYY-MM-DDThh:mm:ss)", input.Excerpt(s))
	}
	w := When{Date: s[:10]}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		w.Instant = t.UTC()
		w.Offset = t.Format("-07:00")
	}
	return w, nil
}

func validDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}
