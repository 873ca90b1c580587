package accounts

import (
	"slices"

	"selfdata/internal/money"
)

// Windows, in days around a reimbursement's date, within which the credit that brought it
// is looked for: far for a credit carrying its reference, near for one naming its payer.
const (
	creditRefBefore, creditRefAfter   = 10, 30
	creditNameBefore, creditNameAfter = 3, 10
)

// Refund is one reimbursement of a claim, and the bank credit that brought it when one was
// found.
type Refund struct {
	Reimbursement Reimbursement
	By            string     // how it was tied to its claim: ByClaim or ByReference
	Credit        *Operation // nil when no credit was found
	CreditBy      string     // ByReference or ByName
}

// Cost is one health cost with what was paid back, and what is left for the person.
type Cost struct {
	Claim      Claim
	Refunds    []Refund // by date
	Reimbursed money.Amount
	// Remaining is what the person pays in the end: the cost less the reimbursements in its
	// currency; negative when more was paid back than it cost.
	Remaining money.Amount
}

// Health is every health cost with its reimbursements, and the reimbursements of no claim
// found (Unclaimed).
type Health struct {
	Costs     []Cost // by date of care
	Unclaimed []Refund
	claimOf   map[string]int    // reimbursement id → cost index
	byCredit  map[string]string // operation id → reimbursement id
}

// ForClaim is the cost of the claim id.
func (h Health) ForClaim(id string) (Cost, bool) {
	i := slices.IndexFunc(h.Costs, func(c Cost) bool { return c.Claim.ID == id })
	if i < 0 {
		return Cost{}, false
	}
	return h.Costs[i], true
}

// ForReimbursement is the reimbursement id, with its credit, and the cost it pays back
// (ok is false for a reimbursement of no claim found; its refund is still returned).
func (h Health) ForReimbursement(id string) (r Refund, c Cost, ok bool) {
	if i, found := h.claimOf[id]; found {
		for _, r := range h.Costs[i].Refunds {
			if r.Reimbursement.ID == id {
				return r, h.Costs[i], true
			}
		}
	}
	for _, r := range h.Unclaimed {
		if r.Reimbursement.ID == id {
			return r, Cost{}, false
		}
	}
	return Refund{}, Cost{}, false
}

// ForCredit is the reimbursement the bank operation id brought, if it brought one.
func (h Health) ForCredit(id string) (Refund, Cost, bool) {
	rid, ok := h.byCredit[id]
	if !ok {
		return Refund{}, Cost{}, false
	}
	r, c, _ := h.ForReimbursement(rid)
	return r, c, true
}

// MatchHealth ties each reimbursement to its claim — the claim it names, else the one claim
// with its reference — and each to the bank credit that brought it, one to one, as bills
// are to their debits: a credit of exactly its amount, carrying its reference within
// creditRefBefore days before and creditRefAfter after, or naming its payer within
// creditNameBefore and creditNameAfter. The Social Security and a complementary insurer
// both reimburse the same claim; what remains is the cost less both.
func MatchHealth(claims []Claim, reimbs []Reimbursement, ops []Operation) Health {
	return matchHealth(claims, reimbs, ops, texts(ops))
}

// matchHealth is MatchHealth with the operations' texts worked out.
func matchHealth(claims []Claim, reimbs []Reimbursement, ops []Operation, ts []text) Health {
	h := Health{claimOf: map[string]int{}, byCredit: map[string]string{}}
	credits := creditsOf(reimbs, ops, ts)
	for ri, op := range credits {
		h.byCredit[ops[op.i].ID] = reimbs[ri].ID
	}
	refund := func(ri int, by string) Refund {
		r := Refund{Reimbursement: reimbs[ri], By: by}
		if c, ok := credits[ri]; ok {
			o := ops[c.i]
			r.Credit, r.CreditBy = &o, c.by
		}
		return r
	}
	h.Costs = make([]Cost, len(claims))
	for i, c := range claims {
		h.Costs[i] = Cost{Claim: c, Remaining: c.Amount}
	}
	for ri, r := range reimbs {
		ci, by := claimOf(claims, r)
		if ci < 0 {
			h.Unclaimed = append(h.Unclaimed, refund(ri, ""))
			continue
		}
		cost := &h.Costs[ci]
		cost.Refunds = append(cost.Refunds, refund(ri, by))
		if r.Currency == cost.Claim.Currency {
			cost.Reimbursed = cost.Reimbursed.Add(r.Amount)
			cost.Remaining = cost.Remaining.Sub(r.Amount)
		}
		h.claimOf[r.ID] = ci
	}
	return h
}

// claimOf is the index of the claim r reimburses, and how it was found; -1 when none is, or
// when its reference is on several claims and it names none.
func claimOf(claims []Claim, r Reimbursement) (int, string) {
	if r.Claim != "" {
		if i := slices.IndexFunc(claims, func(c Claim) bool { return c.ID == r.Claim }); i >= 0 {
			return i, ByClaim
		}
	}
	found := -1
	for i, c := range claims {
		if ref := normRef(r.Reference); ref != "" && normRef(c.Reference) == ref && c.Currency == r.Currency {
			if found >= 0 {
				return -1, ""
			}
			found = i
		}
	}
	if found < 0 {
		return -1, ""
	}
	return found, ByReference
}

type credit struct {
	i  int // operation index
	by string
}

// creditsOf finds, for each reimbursement (by index), the credit that brought it.
func creditsOf(reimbs []Reimbursement, ops []Operation, ts []text) map[int]credit {
	var incoming []int
	for i, o := range ops {
		if o.Amount.Sign() > 0 {
			incoming = append(incoming, i)
		}
	}
	refs, payers := make([]string, len(reimbs)), make([]name, len(reimbs))
	for i, r := range reimbs {
		refs[i], payers[i] = normRef(r.Reference), nameOf(r.Payer)
	}
	same := func(r Reimbursement, o Operation) bool {
		return r.Amount.Sign() > 0 && o.Currency == r.Currency && o.Amount.Equal(r.Amount)
	}
	carry := func(d, o int) bool {
		return ts[o].carries(refs[d]) && ops[o].Currency == reimbs[d].Currency && reimbs[d].Amount.Sign() > 0
	}
	whole := func(d, o int) bool {
		r := reimbs[d]
		return same(r, ops[o]) && within(ops[o].Date, r.Date.AddDate(0, 0, -creditRefBefore), r.Date.AddDate(0, 0, creditRefAfter))
	}
	near := func(d, o int) bool {
		r := reimbs[d]
		return within(ops[o].Date, r.Date.AddDate(0, 0, -creditNameBefore), r.Date.AddDate(0, 0, creditNameAfter)) && ts[o].names(payers[d]) && same(r, ops[o])
	}
	dist := func(d, o int) int { return abs(days(reimbs[d].Date, ops[o].Date)) }
	opOf, byRef := pairUp(len(reimbs), incoming, carry, whole, near, dist)
	out := map[int]credit{}
	for ri, oi := range opOf {
		by := ByName
		if byRef[ri] {
			by = ByReference
		}
		out[ri] = credit{oi, by}
	}
	return out
}
