package accounts

import (
	"time"

	"selfdata/internal/money"
)

// What a record page says of the records this service ties to it.
const (
	PaidBy       = "paidBy"       // a bill: the operation that paid it
	Pays         = "pays"         // an operation: the bill it paid
	ReimbursedBy = "reimbursedBy" // a health claim: a reimbursement of it
	Remains      = "remains"      // a health claim: what is left for the person
	Reimburses   = "reimburses"   // a reimbursement: the claim it pays back
	CreditedBy   = "creditedBy"   // a reimbursement: the credit that brought it
	Credits      = "credits"      // an operation: the reimbursement it brought
)

// Link is one record tied to another, with what a page needs to name it: "paid by the
// operation of 12/03/2025, -90.43 €".
type Link struct {
	Kind        string
	Doctype, ID string // the record linked to ("" for Remains)
	Date        time.Time
	Amount      money.Amount
	Currency    string
	Name        string // the vendor, the payer, the care, the operation's label
}

// Ties are every link the service finds in a book, computed once for a page.
type Ties struct {
	Payments Payments
	Health   Health
}

// Tie matches the bills, the claims and the reimbursements of b with the operations.
func Tie(b *Book) Ties {
	ts := texts(b.Operations)
	return Ties{Payments: matchBills(b.Bills, b.Operations, ts), Health: matchHealth(b.Claims, b.Reimbursements, b.Operations, ts)}
}

func opLink(kind string, o Operation) Link {
	return Link{Kind: kind, Doctype: OperationDoctype, ID: o.ID, Date: o.Date, Amount: o.Amount, Currency: o.Currency, Name: o.Label}
}

func claimLink(c Claim) Link {
	return Link{Kind: Reimburses, Doctype: ClaimDoctype, ID: c.ID, Date: c.Date, Amount: c.Amount, Currency: c.Currency, Name: c.Care}
}

func refundLink(kind string, r Reimbursement) Link {
	return Link{Kind: kind, Doctype: ReimbursementDoctype, ID: r.ID, Date: r.Date, Amount: r.Amount, Currency: r.Currency, Name: r.Payer}
}

// Of is what the record doctype/id is tied to; nothing for a record the service does not
// tie, or does not know.
func (t Ties) Of(doctype, id string) []Link {
	var out []Link
	switch doctype {
	case BillDoctype:
		if p, ok := t.Payments.ForBill(id); ok {
			out = append(out, opLink(PaidBy, p.Operation))
		}
	case OperationDoctype:
		if p, ok := t.Payments.ForOperation(id); ok {
			b := p.Bill
			out = append(out, Link{Kind: Pays, Doctype: BillDoctype, ID: b.ID, Date: b.Date, Amount: b.Amount, Currency: b.Currency, Name: b.Vendor})
		}
		if r, c, ok := t.Health.ForCredit(id); ok {
			out = append(out, refundLink(Credits, r.Reimbursement))
			if c.Claim.ID != "" {
				out = append(out, claimLink(c.Claim))
			}
		}
	case ClaimDoctype:
		if c, ok := t.Health.ForClaim(id); ok {
			for _, r := range c.Refunds {
				out = append(out, refundLink(ReimbursedBy, r.Reimbursement))
			}
			out = append(out, Link{Kind: Remains, Amount: c.Remaining, Currency: c.Claim.Currency})
		}
	case ReimbursementDoctype:
		r, c, ok := t.Health.ForReimbursement(id)
		if ok {
			out = append(out, claimLink(c.Claim))
		}
		if r.Credit != nil {
			out = append(out, opLink(CreditedBy, *r.Credit))
		}
	}
	return out
}
