package ofx

import (
	"fmt"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// unknownBank is the bank of accounts whose file does not name its institution.
const unknownBank = "unknown bank"

// adapt turns a parsed file into bank.account and bank.operation records: each account
// before the operations of the statement where it first appears (see emitter).
func adapt(f *File) *importer.Result {
	res := leftOut(f)
	accs := accountRecords(f)
	keys := &importer.Keys{}
	next := 0
	for i, st := range f.Statements {
		for ; next < len(accs) && accs[next].statement <= i; next++ {
			res.Records = append(res.Records, accs[next].rec)
		}
		ak := accountKey(st)
		for _, t := range st.Transactions {
			res.Records = append(res.Records, operation(ak, st.Currency, t, keys))
		}
	}
	return res
}

// placed is an account's record and the statement where the account first appears.
type placed struct {
	statement int
	rec       importer.Record
}

// accountRecords is one bank.account per account, in the order they first appear. The same
// account twice (two periods in one file) keeps the latest balance.
func accountRecords(f *File) []placed {
	bank := f.Institution.Org
	if bank == "" {
		bank = unknownBank
	}
	at := map[string]int{} // account Key -> index in out
	var out []placed
	for i, st := range f.Statements {
		ak := accountKey(st)
		acc := importer.Record{Doctype: "bank.account", Key: ak, Data: accountData(st, bank, f.Institution.FID)}
		if j, ok := at[ak]; ok {
			if later(acc.Data, out[j].rec.Data) {
				out[j].rec = acc
			}
			continue
		}
		at[ak] = len(out)
		out = append(out, placed{statement: i, rec: acc})
	}
	return out
}

// leftOut is the Result without its records: the notes, and the investment transactions
// that moved no cash, left out and counted.
func leftOut(f *File) *importer.Result {
	res := &importer.Result{Format: Name, Notes: append([]string(nil), f.Notes...)}
	for _, st := range f.Statements {
		if st.Investment == nil || st.Investment.Skipped == 0 {
			continue
		}
		res.Skipped += st.Investment.Skipped
		res.Notes = append(res.Notes, fmt.Sprintf("%d investment transactions of account %s moved no cash (reinvested income, transfers, splits...) and were left out", st.Investment.Skipped, mask(st.Account.ID)))
		for _, n := range st.Investment.NoCash {
			res.Leave(importer.LeftOut{Line: n.Line, Element: n.Name, Kind: "bank.operation", Reason: importer.ReasonNoCash, Params: []string{n.Name},
				Text: fmt.Sprintf("investment transaction %s of account %s moved no cash: left out", input.Excerpt(n.Name), mask(st.Account.ID))})
		}
	}
	return res
}

// accountKey joins the account type, bank (or broker), branch and account ids.
func accountKey(st Statement) string {
	typ := st.Account.Type
	switch st.Kind {
	case KindCreditCard:
		typ = "CREDITCARD"
	case KindInvestment:
		typ = "INVESTMENT"
	}
	parts := []string{}
	for _, p := range []string{typ, st.Account.BankID, st.Account.BranchID, st.Account.ID} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ":")
}

var accountTypes = map[string]struct{ typ, label string }{
	"CHECKING":     {"checking", "Checking"},
	"SAVINGS":      {"savings", "Savings"},
	"MONEYMRKT":    {"savings", "Money market"},
	"CD":           {"savings", "Certificate of deposit"},
	"CREDITLINE":   {"loan", "Credit line"},
	KindCreditCard: {"card", "Credit card"},
	KindInvestment: {"investment", "Investment"},
}

func accountData(st Statement, bank, fid string) map[string]any {
	kind := st.Account.Type
	if st.Kind != KindBank {
		kind = st.Kind
	}
	t, ok := accountTypes[kind]
	if !ok {
		t.label = "Account"
	}
	d := map[string]any{"bank": bank, "label": t.label + " " + mask(st.Account.ID), "currency": st.Currency, "number": st.Account.ID}
	set(d, "type", t.typ)
	set(d, "institutionId", fid)
	set(d, "accountType", st.Account.Type)
	set(d, "branchId", st.Account.BranchID)
	if st.Kind == KindInvestment {
		set(d, "brokerId", st.Account.BankID)
		investmentData(d, st.Investment)
		return d
	}
	set(d, "bankId", st.Account.BankID)
	if st.Ledger != nil {
		d["balance"] = st.Ledger.Amount
		set(d, "balanceDate", st.Ledger.AsOf.Date)
	}
	if st.Available != nil {
		d["availableBalance"] = st.Available.Amount
	}
	return d
}

// investmentData: the balance of an investment account is its available cash; the
// securities held are listed in positions, with their market value.
func investmentData(d map[string]any, inv *Investment) {
	set(d, "balance", inv.AvailableCash)
	set(d, "balanceDate", inv.AsOf.Date)
	set(d, "marginBalance", inv.MarginBalance)
	set(d, "shortBalance", inv.ShortBalance)
	set(d, "buyingPower", inv.BuyingPower)
	var positions []map[string]any
	for _, p := range inv.Positions {
		pd := map[string]any{"secid": p.SecID, "marketValue": p.MarketValue}
		for k, v := range map[string]string{
			"secidType": p.SecIDType, "name": p.Name, "ticker": p.Ticker, "units": p.Units,
			"unitPrice": p.UnitPrice, "priceDate": p.PriceAsOf.Date, "positionType": p.Type,
			"heldIn": p.HeldIn, "kind": p.Kind,
		} {
			set(pd, k, v)
		}
		positions = append(positions, pd)
	}
	if positions != nil {
		d["positions"] = positions
	}
}

// operation builds the bank.operation of one transaction.
func operation(accountKey, currency string, t Transaction, keys *importer.Keys) importer.Record {
	if t.Currency != "" {
		currency = t.Currency
	}
	d := map[string]any{
		"account": accountKey, "date": t.Posted.Date, "label": label(t), "amount": t.Amount,
		"currency": currency, "type": operationType(t.Type),
		"postedAt": t.Posted.Instant.Format(time.RFC3339Nano),
	}
	set(d, "tzOffset", t.Posted.Offset)
	set(d, "valueDate", t.Available.Date)
	set(d, "transactionDate", t.User.Date)
	set(d, "reference", t.RefNum)
	set(d, "counterparty", t.Payee)
	set(d, "fitId", t.FITID)
	set(d, "ofxType", t.Type)
	set(d, "checkNumber", t.CheckNum)
	set(d, "originalCurrency", t.OrigCurrency)
	if s := t.Security; s != nil {
		for k, v := range map[string]string{"secid": s.SecID, "secidType": s.SecIDType, "security": s.Name, "ticker": s.Ticker, "units": s.Units, "unitPrice": s.UnitPrice} {
			set(d, k, v)
		}
	}
	k := accountKey + ":" + t.FITID
	if t.FITID == "" {
		k = strings.Join([]string{accountKey, t.Posted.Date, t.Amount, t.Name + t.Memo}, ":")
	}
	return importer.Record{Doctype: "bank.operation", Key: keys.Unique(k), Data: d}
}

var operationTypes = map[string]string{
	"POS": "card", "ATM": "cash", "CASH": "cash", "CHECK": "check",
	"XFER": "transfer", "DIRECTDEP": "transfer", "PAYMENT": "transfer",
	"DIRECTDEBIT": "direct_debit", "REPEATPMT": "direct_debit",
	"FEE": "fee", "SRVCHG": "fee",
}

// operationType maps TRNTYPE; DEBIT, CREDIT, INT, DIV, DEP, OTHER... say only the direction.
func operationType(trntype string) string {
	if t, ok := operationTypes[strings.ToUpper(trntype)]; ok {
		return t
	}
	return "other"
}

// label is NAME and MEMO without repeating: banks cut NAME to 32 characters and often
// repeat it whole at the start of MEMO. Investment transactions add the security's name.
func label(t Transaction) string {
	l := t.Name
	switch {
	case t.Memo == "" || t.Memo == t.Name:
	case t.Name == "" || strings.HasPrefix(t.Memo, t.Name):
		l = t.Memo
	default:
		l = t.Name + " — " + t.Memo
	}
	if t.Security != nil {
		sec := t.Security.Name
		if sec == "" {
			sec = t.Security.SecID
		}
		l = strings.TrimPrefix(l+" — "+sec, " — ")
	}
	if l == "" {
		l = t.Type
	}
	if l == "" {
		l = "OFX transaction"
	}
	return l
}

// mask shows the last four characters of an account number, as statements do.
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

// later tells whether account data a has a balance date after b's.
func later(a, b map[string]any) bool {
	da, _ := a["balanceDate"].(string)
	db, _ := b["balanceDate"].(string)
	return da >= db
}
