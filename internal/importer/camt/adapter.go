package camt

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// unknownBank is the bank of an account whose statement names no servicer.
const unknownBank = "unknown bank"

// adapt turns a parsed document into bank.account and bank.operation records.
func adapt(doc *Document) *importer.Result {
	res := &importer.Result{Format: "camt.053.001." + doc.Version}
	accounts := map[string]int{} // account Key -> index in res.Records
	keys := &importer.Keys{}
	for _, st := range doc.Statements {
		ak := accountKey(st.Account)
		acc := importer.Record{Doctype: "bank.account", Key: ak, Data: accountData(st)}
		if i, ok := accounts[ak]; ok {
			// Several statements of one account (one per day): keep the latest balance.
			if later(acc.Data, res.Records[i].Data) {
				res.Records[i] = acc
			}
		} else {
			accounts[ak] = len(res.Records)
			res.Records = append(res.Records, acc)
		}
		for _, e := range st.Entries {
			if e.Status != "" && e.Status != "BOOK" {
				res.Skipped++
				res.Leave(importer.LeftOut{Line: e.Line, Element: "Ntry", Kind: "bank.operation", Reason: importer.ReasonNotBooked, Params: []string{e.Status},
					Text: fmt.Sprintf("entry of status %s, not yet booked: left out until it is", input.Excerpt(e.Status))})
				continue
			}
			res.Records = append(res.Records, operations(ak, st.Account.Currency, e, keys)...)
		}
	}
	if res.Skipped > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d entries not yet booked (pending or for information) were left out", res.Skipped))
	}
	return res
}

func accountKey(a Account) string {
	if a.IBAN != "" {
		return a.IBAN
	}
	return a.Other
}

var accountTypes = map[string]string{"CACC": "checking", "CASH": "checking", "SVGS": "savings", "CARD": "card", "LOAN": "loan"}

func accountData(st Statement) map[string]any {
	a := st.Account
	bank := a.ServicerName
	if bank == "" {
		bank = a.ServicerBIC
	}
	if bank == "" {
		bank = unknownBank
	}
	label := a.Name
	if label == "" {
		label = "Account " + mask(accountKey(a))
	}
	d := map[string]any{"bank": bank, "label": label, "currency": a.Currency}
	set(d, "iban", a.IBAN)
	set(d, "number", a.Other)
	set(d, "type", accountTypes[a.Type])
	set(d, "institutionId", a.ServicerBIC)
	set(d, "holder", a.Owner)
	if b, ok := closing(st.Balances); ok {
		d["balance"], d["balanceDate"] = b.Amount, b.Date
		if b.Type != "CLBD" {
			d["balanceType"] = b.Type
		}
	}
	if b, ok := find(st.Balances, "OPBD"); ok {
		d["openingBalance"], d["openingBalanceDate"] = b.Amount, b.Date
	}
	return d
}

// closing is the closing booked balance, else the closing available one.
func closing(bs []Balance) (Balance, bool) {
	if b, ok := find(bs, "CLBD"); ok {
		return b, true
	}
	return find(bs, "CLAV")
}

func find(bs []Balance, typ string) (Balance, bool) {
	for _, b := range bs {
		if b.Type == typ {
			return b, true
		}
	}
	return Balance{}, false
}

// operations gives one bank.operation per TxDtls of a batch, else one for the entry.
func operations(ak, currency string, e Entry, keys *importer.Keys) []importer.Record {
	base := entryKey(ak, e)
	if len(e.Txs) <= 1 {
		var tx Tx
		if len(e.Txs) == 1 {
			tx = e.Txs[0]
		}
		tx.Amount, tx.Currency = e.Amount, e.Currency // what was booked on the account
		return []importer.Record{operation(ak, keys.Unique(base(tx, 0)), e, tx)}
	}
	var out []importer.Record
	for i, tx := range e.Txs {
		if tx.Amount == "" {
			tx.Amount, tx.Currency = e.Amount, e.Currency
		}
		out = append(out, operation(ak, keys.Unique(base(tx, i+1)), e, tx))
	}
	return out
}

// entryKey returns how to key an operation of entry e: the bank's reference of the entry
// (AcctSvcrRef, else NtryRef) with "/n" for the n-th transaction of a batch, else a natural
// key from booking date, amount and the transaction's reference.
func entryKey(ak string, e Entry) func(tx Tx, n int) string {
	ref := e.AcctSvcrRef
	if ref == "" {
		ref = e.Ref
	}
	return func(tx Tx, n int) string {
		k := ref
		if k == "" {
			k = strings.Join([]string{bookingDate(e), tx.Amount, reference(tx)}, ":")
		} else if n > 0 {
			k += "/" + strconv.Itoa(n)
		}
		return ak + ":" + k
	}
}

func operation(ak, key string, e Entry, tx Tx) importer.Record {
	d := map[string]any{
		"account": ak, "date": bookingDate(e), "label": label(e, tx),
		"amount": tx.Amount, "currency": tx.Currency, "type": operationType(e.Code),
	}
	set(d, "valueDate", e.Value.Date)
	set(d, "reference", reference(tx))
	set(d, "counterparty", counterparty(tx))
	set(d, "counterpartyAccount", counterpartyAccount(tx))
	set(d, "entryRef", e.Ref)
	set(d, "accountServicerRef", e.AcctSvcrRef)
	set(d, "endToEndId", tx.EndToEndID)
	set(d, "mandateId", tx.MandateID)
	set(d, "creditorReference", tx.CreditorRef)
	set(d, "bankTransactionCode", code(e.Code))
	set(d, "proprietaryCode", e.Code.Proprietary)
	set(d, "additionalInfo", firstOf(tx.Info, e.Info))
	if !e.Booking.Instant.IsZero() {
		d["bookedAt"] = e.Booking.Instant.Format(time.RFC3339Nano)
		d["tzOffset"] = e.Booking.Offset
	}
	if e.Reversal {
		d["reversal"] = true
	}
	return importer.Record{Doctype: "bank.operation", Key: key, Data: d}
}

func bookingDate(e Entry) string { return firstOf(e.Booking.Date, e.Value.Date) }

// label is what a person recognizes first: the remittance text, else who was paid or who
// paid, else the bank's own words.
func label(e Entry, tx Tx) string {
	if l := firstOf(tx.Remittance, counterparty(tx), tx.Info, e.Info, code(e.Code)); l != "" {
		return l
	}
	return "Bank operation"
}

// counterparty is the creditor of a debit and the debtor of a credit.
func counterparty(tx Tx) string {
	if strings.HasPrefix(tx.Amount, "-") {
		return tx.Creditor
	}
	return tx.Debtor
}

func counterpartyAccount(tx Tx) string {
	if strings.HasPrefix(tx.Amount, "-") {
		return tx.CreditorAccount
	}
	return tx.DebtorAccount
}

// reference is the payer's end-to-end reference, unless it is the "NOTPROVIDED" filler.
func reference(tx Tx) string {
	e2e := tx.EndToEndID
	if strings.EqualFold(e2e, "NOTPROVIDED") {
		e2e = ""
	}
	return firstOf(tx.CreditorRef, e2e, tx.TxID, tx.InstrID, tx.AcctSvcrRef)
}

func code(c BankTxCode) string {
	return strings.Trim(strings.Join([]string{c.Domain, c.Family, c.SubFamily}, "/"), "/")
}

// operationType maps the ISO bank transaction code (family, then sub-family).
func operationType(c BankTxCode) string {
	switch c.SubFamily {
	case "FEES", "CHRG", "COMM", "COMT":
		return "fee"
	case "CWDL":
		return "cash"
	}
	switch c.Family {
	case "RDDT", "IDDT":
		return "direct_debit"
	case "RCDT", "ICDT":
		return "transfer"
	case "CCRD", "MCRD":
		return "card"
	case "RCHQ", "ICHQ":
		return "check"
	case "CNTR":
		return "cash"
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

func mask(id string) string {
	r := []rune(id)
	if len(r) > 4 {
		r = r[len(r)-4:]
	}
	return "••••" + string(r)
}

func set(d map[string]any, k, v string) {
	if v != "" {
		d[k] = v
	}
}

func later(a, b map[string]any) bool {
	da, _ := a["balanceDate"].(string)
	db, _ := b["balanceDate"].(string)
	return da >= db
}
