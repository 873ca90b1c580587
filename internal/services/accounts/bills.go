package accounts

import "time"

// How a link was found.
const (
	ByReference = "reference" // the same reference on both sides
	ByName      = "name"      // the organization's name in the label, on a day close enough
	ByClaim     = "claim"     // the reimbursement names its claim
)

// Windows, in days around a bill's due date (its date when it has none), within which the
// operation paying it is looked for. A reference is strong evidence, so it is looked for far:
// a bill paid late or early still finds its debit. A name and an amount are weaker: only the
// days around the due date count.
const (
	refBefore, refAfter   = 45, 60
	nameBefore, nameAfter = 7, 10
	// Without a due date, a bill is paid from a few days before its date (a bill issued
	// once paid) to a month after.
	undueBefore, undueAfter = 5, 31
)

// Payment is a bill and the operation that paid it.
type Payment struct {
	Bill      Bill
	Operation Operation
	By        string // ByReference or ByName
}

// Payments are the links between bills and the debits that paid them.
type Payments struct {
	Links  []Payment // in the order of the bills
	byBill map[string]int
	byOp   map[string]int
}

// ForBill is the payment of the bill id, if one was found.
func (p Payments) ForBill(id string) (Payment, bool) {
	i, ok := p.byBill[id]
	if !ok {
		return Payment{}, false
	}
	return p.Links[i], true
}

// ForOperation is the bill the operation id paid, if it paid one.
func (p Payments) ForOperation(id string) (Payment, bool) {
	i, ok := p.byOp[id]
	if !ok {
		return Payment{}, false
	}
	return p.Links[i], true
}

// anchor is the day a bill is expected to be paid: its due date, else its date.
func (b Bill) anchor() time.Time {
	if !b.Due.IsZero() {
		return b.Due
	}
	return b.Date
}

// MatchBills links each bill to the debit that paid it, one to one.
//
// First by reference: a debit of exactly the bill's amount, in its currency, that carries
// the bill's reference, within refBefore days before the bill's date and refAfter after its
// due date. A bill whose reference some debits carry, none of them for its whole amount
// (paid in parts, or not yet in full), is not matched otherwise: those debits are its, and
// none of them is a payment of it all. Then by name: a debit of the bill's amount whose label
// names the bill's vendor, within nameBefore days before the due date and nameAfter after
// (undueBefore and undueAfter around the date of a bill without one).
//
// Only debits pay bills: a refund from the same organization, with the same reference and
// amount, is a credit and is never taken for a payment.
func MatchBills(bills []Bill, ops []Operation) Payments { return matchBills(bills, ops, texts(ops)) }

// matchBills is MatchBills with the operations' texts worked out.
func matchBills(bills []Bill, ops []Operation, ts []text) Payments {
	var debits []int
	for i, o := range ops {
		if o.Amount.Sign() < 0 {
			debits = append(debits, i)
		}
	}
	refs, vendors := make([]string, len(bills)), make([]name, len(bills))
	for i, b := range bills {
		refs[i], vendors[i] = normRef(b.Reference), nameOf(b.Vendor)
	}
	payable := func(b Bill, o Operation) bool {
		return b.Amount.Sign() > 0 && o.Currency == b.Currency && o.Amount.Neg().Equal(b.Amount)
	}
	carry := func(d, o int) bool {
		return ts[o].carries(refs[d]) && ops[o].Currency == bills[d].Currency && bills[d].Amount.Sign() > 0
	}
	whole := func(d, o int) bool {
		b := bills[d]
		return payable(b, ops[o]) && within(ops[o].Date, b.Date.AddDate(0, 0, -refBefore), b.anchor().AddDate(0, 0, refAfter))
	}
	near := func(d, o int) bool {
		b := bills[d]
		from, to := b.Due.AddDate(0, 0, -nameBefore), b.Due.AddDate(0, 0, nameAfter)
		if b.Due.IsZero() {
			from, to = b.Date.AddDate(0, 0, -undueBefore), b.Date.AddDate(0, 0, undueAfter)
		}
		return within(ops[o].Date, from, to) && ts[o].names(vendors[d]) && payable(b, ops[o])
	}
	dist := func(d, o int) int { return abs(days(bills[d].anchor(), ops[o].Date)) }
	opOf, byRef := pairUp(len(bills), debits, carry, whole, near, dist)
	out := Payments{byBill: map[string]int{}, byOp: map[string]int{}}
	for bi := range bills {
		oi, ok := opOf[bi]
		if !ok {
			continue
		}
		by := ByName
		if byRef[bi] {
			by = ByReference
		}
		out.byBill[bills[bi].ID], out.byOp[ops[oi].ID] = len(out.Links), len(out.Links)
		out.Links = append(out.Links, Payment{Bill: bills[bi], Operation: ops[oi], By: by})
	}
	return out
}

// within tells whether day d is in [from, to].
func within(d, from, to time.Time) bool { return !d.Before(from) && !d.After(to) }
