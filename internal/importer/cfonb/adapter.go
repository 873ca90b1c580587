package cfonb

import (
	"fmt"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/money"
)

// adapt turns a parsed file into bank.account and bank.operation records, the shapes the
// OFX and camt.053 importers give.
func adapt(f *File) *importer.Result {
	res := &importer.Result{Format: Name}
	accounts := map[string]int{} // account Key -> index in res.Records
	earliest, latest := map[string]Statement{}, map[string]Statement{}
	keys := &importer.Keys{}
	for _, st := range f.Statements {
		ak := accountKey(st)
		if _, ok := accounts[ak]; !ok {
			accounts[ak], earliest[ak], latest[ak] = len(res.Records), st, st
			res.Records = append(res.Records, importer.Record{Doctype: "bank.account", Key: ak})
		}
		// Several statements of one account (one a day): the earliest opening balance,
		// the latest closing one.
		if st.Old.Date < earliest[ak].Old.Date {
			earliest[ak] = st
		}
		if st.New.Date >= latest[ak].New.Date {
			latest[ak] = st
		}
		for _, m := range st.Movements {
			res.Records = append(res.Records, operation(ak, st, m, keys))
		}
		leave(res, st)
	}
	for ak, i := range accounts {
		res.Records[i].Data = accountData(earliest[ak], latest[ak])
	}
	keys.Note(res, "movement")
	return res
}

// accountKey is the bank code, branch code and account number: the French BBAN without
// its check key, which identifies the account at its bank.
func accountKey(st Statement) string {
	return st.Bank + ":" + st.Branch + ":" + st.Account
}

// accountData describes the account from the earliest and the latest of its statements.
// The file names the bank by its code only: that code is its name here, as camt.053 uses
// a BIC, rather than a name guessed from a table.
func accountData(earliest, latest Statement) map[string]any {
	return map[string]any{
		"bank": latest.Bank, "label": "Account " + mask(latest.Account), "currency": latest.Currency,
		"number": latest.Account, "bankId": latest.Bank, "branchId": latest.Branch,
		"balance": latest.New.Amount.String(), "balanceDate": latest.New.Date,
		"openingBalance": earliest.Old.Amount.String(), "openingBalanceDate": earliest.Old.Date,
	}
}

// leave lists the statement's unread movements as left out, and says that its balances
// could not be checked without them.
func leave(res *importer.Result, st Statement) {
	if len(st.Unread) == 0 {
		return
	}
	for _, u := range st.Unread {
		res.Skipped++
		res.Leave(importer.LeftOut{Line: u.Line, Element: u.Element, Kind: "bank.operation", Reason: importer.ReasonBadValue, Params: []string{u.Element},
			Text: fmt.Sprintf("movement of account %s left out: its %s cannot be read: %s", mask(st.Account), u.Field, u.Reason)})
	}
	sum := money.Amount{}
	for _, m := range st.Movements {
		sum = sum.Add(m.Amount)
	}
	missing := st.New.Amount.Sub(st.Old.Amount).Sub(sum)
	res.Notes = append(res.Notes, fmt.Sprintf("the statement of account %s from %s to %s was not checked against its balances: %d movement(s) left out, which by the balances amount to %s together",
		mask(st.Account), st.Old.Date, st.New.Date, len(st.Unread), missing))
}

func operation(ak string, st Statement, m Movement, keys *importer.Keys) importer.Record {
	c := complements(m)
	amount := m.Amount.String()
	d := map[string]any{
		"account": ak, "date": m.Date, "label": label(m, c), "amount": amount,
		"currency": st.Currency, "type": operationType(m.InterbankCode),
	}
	set(d, "valueDate", m.ValueDate)
	set(d, "reference", firstOf(m.Reference, c.endToEnd(), c.text["REF"]))
	set(d, "counterparty", c.counterparty(m.Amount.Sign() < 0))
	set(d, "entryRef", m.Entry)
	set(d, "operationCode", m.InterbankCode)
	set(d, "proprietaryCode", m.InternalCode)
	set(d, "rejectionReason", m.Rejection)
	set(d, "endToEndId", c.endToEnd())
	set(d, "purpose", c.purpose())
	set(d, "accountServicerRef", c.text["REF"])
	if len(m.Complements) > 0 {
		var all []map[string]any
		for _, x := range m.Complements {
			all = append(all, map[string]any{"qualifier": x.Qualifier, "text": x.Text})
		}
		d["complements"] = all
	}
	k := strings.Join([]string{ak, m.Date, m.Entry, amount, m.Label}, ":")
	return importer.Record{Doctype: "bank.operation", Key: keys.Unique(k), Data: d}
}

// labelQualifiers are the complements that continue the label: the free label (LIB) and
// the remittance information, unstructured (LCC, LC2) or structured (LCS).
var labelQualifiers = map[string]bool{"LIB": true, "LCC": true, "LC2": true, "LCS": true}

// details are a movement's complements by qualifier, those of one qualifier joined.
type details struct {
	text  map[string]string
	label []string // the label complements, in file order
	rcn   []rune   // the first RCN as written, "" when there is none
}

// complements gathers m's complements. It is linear in their number: a hostile file may
// give one movement thousands.
func complements(m Movement) details {
	d := details{text: map[string]string{}}
	parts := map[string][]string{}
	for _, c := range m.Complements {
		if c.Text == "" {
			continue
		}
		if labelQualifiers[c.Qualifier] {
			d.label = append(d.label, c.Text)
		}
		if c.Qualifier == "RCN" && d.rcn == nil {
			d.rcn = []rune(c.Raw)
		}
		parts[c.Qualifier] = append(parts[c.Qualifier], c.Text)
	}
	for q, p := range parts {
		d.text[q] = strings.Join(p, " ")
	}
	return d
}

// counterparty is the beneficiary (NBE) of a debit and the payer (NPY) of a credit,
// else whichever the bank gave.
func (d details) counterparty(debit bool) string {
	if debit {
		return firstOf(d.text["NBE"], d.text["NPY"])
	}
	return firstOf(d.text["NPY"], d.text["NBE"])
}

// endToEnd is the first 35 characters of RCN, the payer's reference of a SEPA payment,
// unless it is the NOTPROVIDED filler.
func (d details) endToEnd() string {
	r := strings.TrimSpace(string(d.rcn[:min(35, len(d.rcn))]))
	if strings.EqualFold(r, "NOTPROVIDED") {
		return ""
	}
	return r
}

// purpose is the 35 characters of RCN after the reference: the nature of the payment.
func (d details) purpose() string {
	return strings.TrimSpace(string(d.rcn[min(35, len(d.rcn)):]))
}

// label is the 04's label continued by its label complements, else who was paid or who
// paid, else the bank's words.
func label(m Movement, c details) string {
	var parts []string
	seen := map[string]bool{}
	for _, l := range append([]string{m.Label}, c.label...) {
		if l != "" && !seen[l] { // a bank may repeat the label in a LIB
			seen[l] = true
			parts = append(parts, l)
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, " ")
	}
	if cp := c.counterparty(m.Amount.Sign() < 0); cp != "" {
		return cp
	}
	return "Bank operation"
}

// operationTypes maps the interbank operation codes of the CFONB list to the doctype's
// types; a code not listed (securities, foreign exchange, loans...) is "other".
var operationTypes = func() map[string]string {
	m := map[string]string{}
	for typ, codes := range map[string]string{
		"check":        "01 02 03 15",
		"cash":         "04 29",
		"transfer":     "05 06 12 13 14 18 21 39 41 44 45 C1 C2 C3 C4 C5",
		"direct_debit": "08 09 10 22 24 26 27 96 97 98 A1 A2 A3 A4 A5 A6 B1 B2 B3 B4 B5 B6",
		"card":         "11 28 30 36 38",
		"fee":          "62 64 65 66 88",
	} {
		for _, c := range strings.Fields(codes) {
			m[c] = typ
		}
	}
	return m
}()

func operationType(code string) string {
	if t, ok := operationTypes[code]; ok {
		return t
	}
	return "other"
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func set(d map[string]any, k, v string) {
	if v != "" {
		d[k] = v
	}
}
