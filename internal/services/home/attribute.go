package home

import (
	"sort"
	"time"

	"selfdata/internal/money"
)

// Payment is one amount the person paid to an organization of their contracts.
type Payment struct {
	Day      time.Time    // when the money left: the debit's date, or the bill's due date
	Amount   money.Amount // positive
	Currency string
	Org      string   // the organization, as its contract or bill names it
	Contract Ref      // the contract it pays, when it can be told (zero otherwise)
	Category Category // the housing category; "" when it is not a housing expense
	Bill     string   // the bill it settles, when there is one
	Op       string   // the debit, "" when counted from the bill alone
}

// Attribution is what was paid to the organizations of the person's contracts, each expense
// once.
type Attribution struct {
	Payments []Payment
	// Unsorted are debits to such an organization that no bill explains and that could be
	// for more than one of its contracts (EDF bills electricity and gas): counted nowhere,
	// shown so that the person knows.
	Unsorted []Payment
}

// matchWindow is how far from a bill's due date its debit may fall: banks move a debit to the
// next business day, and a supplier may debit a few days late or early.
const (
	matchBefore = 7 * 24 * time.Hour
	matchAfter  = 20 * 24 * time.Hour
)

// Attribute counts what was actually paid, without counting a bill and the debit that paid it
// twice. The rule:
//
//  1. What counts is what left the bank accounts: each debit (a negative bank operation) to an
//     organization of the person's contracts or bills. The organization is the one whose name
//     is the debit's counterparty, or appears in it or in its label as whole words (the
//     longest such name wins). Credits — refunds, an insurer's indemnity — are not netted.
//  2. Each bill is paired with at most one such debit, and each debit with at most one bill:
//     first the debit carrying the bill's reference, then a debit of the same organization
//     for exactly the bill's amount, then any debit of that organization, the nearest to the
//     bill's due date in each case, from a week before the bill's date to twenty days after
//     its due date. A paired debit counts once, under the bill's contract (and so its
//     category): that is how a MAIF debit is told to be the home policy, not the car's.
//  3. A debit no bill explains counts for its organization's contract when the organization
//     has one contract (or all of its contracts, or else its bills, are of one category);
//     otherwise it is Unsorted.
//  4. A bill no debit paid counts on its own, on its due date, if that date is not after asOf
//     (it was paid another way: by card, cheque, or from an account the person did not
//     connect). A bill of zero or a negative amount (a credit note) is not a payment.
//
// Housing expenses are the payments with a Category: a car policy or a bank account agreement
// is paid (and My contracts counts it) but is not a cost of the home.
func Attribute(in Input, asOf time.Time) Attribution {
	a := newAttributor(in)
	bills := append([]Bill(nil), in.Bills...)
	sort.Slice(bills, func(i, j int) bool {
		if !bills[i].Pay.Equal(bills[j].Pay) {
			return bills[i].Pay.Before(bills[j].Pay)
		}
		return bills[i].ID < bills[j].ID
	})
	var debits []*debit
	for _, o := range in.Operations {
		if o.Amount.Sign() >= 0 {
			continue
		}
		if org := a.opOrg(o); org != "" {
			debits = append(debits, &debit{op: o, org: org})
		}
	}
	sort.Slice(debits, func(i, j int) bool {
		if !debits[i].op.Day.Equal(debits[j].op.Day) {
			return debits[i].op.Day.Before(debits[j].op.Day)
		}
		return debits[i].op.ID < debits[j].op.ID
	})

	paid := make([]*debit, len(bills)) // the debit paired with each bill
	passes := []func(b Bill, d *debit) bool{
		func(b Bill, d *debit) bool { return b.Reference != "" && d.op.Reference == b.Reference },
		func(b Bill, d *debit) bool { return d.op.Amount.Neg().Equal(b.Amount) },
		func(Bill, *debit) bool { return true },
	}
	for _, pass := range passes {
		for i, b := range bills {
			if paid[i] != nil || b.Amount.Sign() <= 0 {
				continue
			}
			key := orgKey(b.Org)
			var best *debit
			for _, d := range debits {
				if d.bill || d.org != key || d.op.Day.Before(earliest(b).Add(-matchBefore)) || d.op.Day.After(b.Pay.Add(matchAfter)) || !pass(b, d) {
					continue
				}
				if best == nil || distance(d.op.Day, b.Pay) < distance(best.op.Day, b.Pay) {
					best = d
				}
			}
			if best != nil {
				best.bill, paid[i] = true, best
			}
		}
	}

	var out Attribution
	for i, b := range bills {
		d := paid[i]
		if d == nil && (b.Amount.Sign() <= 0 || b.Pay.After(asOf)) {
			continue
		}
		t, ok := a.billTarget(b)
		p := Payment{Day: b.Pay, Amount: b.Amount, Currency: b.Currency, Org: a.name(orgKey(b.Org)), Bill: b.ID}
		if d != nil {
			p.Day, p.Amount, p.Op = d.op.Day, d.op.Amount.Neg(), d.op.ID
			if d.op.Currency != "" {
				p.Currency = d.op.Currency
			}
		}
		p.Contract, p.Category = t.contract, t.category
		if ok {
			out.Payments = append(out.Payments, p)
		} else {
			out.Unsorted = append(out.Unsorted, p)
		}
	}
	for _, d := range debits {
		if d.bill {
			continue
		}
		p := Payment{Day: d.op.Day, Amount: d.op.Amount.Neg(), Currency: d.op.Currency, Org: a.name(d.org), Op: d.op.ID}
		if t, ok := a.orgTarget(d.org); ok {
			p.Contract, p.Category = t.contract, t.category
			out.Payments = append(out.Payments, p)
		} else {
			out.Unsorted = append(out.Unsorted, p)
		}
	}
	byDay := func(ps []Payment) {
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].Day.Before(ps[j].Day) })
	}
	byDay(out.Payments)
	byDay(out.Unsorted)
	return out
}

type debit struct {
	op   Operation
	org  string // orgKey
	bill bool   // paired with a bill
}

func earliest(b Bill) time.Time {
	if b.Day.Before(b.Pay) {
		return b.Day
	}
	return b.Pay
}

func distance(a, b time.Time) time.Duration {
	if a.After(b) {
		return a.Sub(b)
	}
	return b.Sub(a)
}

// target is what a payment pays: a contract (when known) and a category.
type target struct {
	contract Ref
	category Category
}

// attributor knows the person's organizations and their contracts.
type attributor struct {
	names     map[string]string     // orgKey → the name to show
	keys      []string              // the orgKeys, longest first
	contracts map[string][]Contract // by orgKey
	byID      map[string]Contract   // by id; a contract id wins over a policy id
	bills     map[string][]Bill     // by orgKey
}

func newAttributor(in Input) *attributor {
	a := &attributor{names: map[string]string{}, contracts: map[string][]Contract{}, byID: map[string]Contract{}, bills: map[string][]Bill{}}
	add := func(name string) string {
		k := orgKey(name)
		if k == "" {
			return ""
		}
		if _, ok := a.names[k]; !ok {
			a.names[k] = name
			a.keys = append(a.keys, k)
		}
		return k
	}
	for _, c := range in.Contracts {
		k := add(c.Org)
		a.contracts[k] = append(a.contracts[k], c)
		if prev, ok := a.byID[c.Ref.ID]; !ok || prev.Ref.Doctype != "contract" {
			a.byID[c.Ref.ID] = c
		}
	}
	for _, b := range in.Bills {
		k := add(b.Org)
		a.bills[k] = append(a.bills[k], b)
	}
	sort.SliceStable(a.keys, func(i, j int) bool { return len(a.keys[i]) > len(a.keys[j]) })
	return a
}

func (a *attributor) name(key string) string { return a.names[key] }

// opOrg is the organization a bank operation goes to ("" when none of the person's).
func (a *attributor) opOrg(o Operation) string {
	cp := orgKey(o.Counterparty)
	if _, ok := a.names[cp]; ok && cp != "" {
		return cp
	}
	for _, text := range []string{cp, orgKey(o.Label)} {
		for _, k := range a.keys { // longest first: "eau du grand lyon" before "grand lyon"
			if hasWords(text, k) {
				return k
			}
		}
	}
	return ""
}

// billTarget is what a bill pays: its contract when it names one of the person's, else the
// category its type says, narrowed to its organization's contracts.
func (a *attributor) billTarget(b Bill) (target, bool) {
	if c, ok := a.byID[b.Contract]; ok && b.Contract != "" {
		return target{c.Ref, c.Category}, true
	}
	org := a.contracts[orgKey(b.Org)]
	switch b.Type {
	case "electricity", "gas", "water", "telecom", "housing":
		cat := Category(b.Type)
		var of []Contract
		for _, c := range org {
			if c.Category == cat {
				of = append(of, c)
			}
		}
		if len(of) == 1 {
			return target{of[0].Ref, cat}, true
		}
		return target{category: cat}, true
	}
	// An insurance bill (or one of no declared type) is told apart by its organization's
	// contracts only: MAIF's home and car policies are billed alike.
	return oneTarget(org)
}

// orgTarget is what an unexplained debit to an organization pays.
func (a *attributor) orgTarget(key string) (target, bool) {
	if cs := a.contracts[key]; len(cs) > 0 {
		return oneTarget(cs)
	}
	var t target
	for i, b := range a.bills[key] {
		bt, ok := a.billTarget(b)
		if !ok || i > 0 && bt.category != t.category {
			return target{}, false
		}
		if i > 0 && bt.contract != t.contract {
			bt.contract = Ref{}
		}
		t = bt
	}
	return t, len(a.bills[key]) > 0 && t.category != ""
}

// oneTarget is the target of a set of contracts when they leave no doubt: one contract, or
// several of one housing category.
func oneTarget(cs []Contract) (target, bool) {
	switch {
	case len(cs) == 1:
		return target{cs[0].Ref, cs[0].Category}, true
	case len(cs) == 0:
		return target{}, false
	}
	for _, c := range cs[1:] {
		if c.Category != cs[0].Category {
			return target{}, false
		}
	}
	return target{category: cs[0].Category}, cs[0].Category != ""
}
