package accounts

import (
	"sort"
	"time"

	"selfdata/internal/money"
)

// Bank is one bank with the person's accounts there.
type Bank struct {
	Name     string
	Accounts []Account
}

// Total is what the person holds in one currency, over every account with a known balance.
type Total struct {
	Currency string
	Amount   money.Amount
	Accounts int // how many accounts it adds up
}

// Overview is all the accounts of all the banks in one view.
type Overview struct {
	Banks  []Bank  // by name
	Totals []Total // by currency
	// Unknown counts the accounts whose bank gave no readable balance: they are not in the
	// totals.
	Unknown int
	// AsOf is the latest day a balance is known at.
	AsOf time.Time
}

// Summarize groups the accounts by bank and adds their balances up per currency: euros and
// pounds are never added together.
func Summarize(accts []Account) Overview {
	var ov Overview
	byBank := map[string]int{}
	byCur := map[string]int{}
	for _, a := range accts {
		i, ok := byBank[a.Bank]
		if !ok {
			i = len(ov.Banks)
			byBank[a.Bank] = i
			ov.Banks = append(ov.Banks, Bank{Name: a.Bank})
		}
		ov.Banks[i].Accounts = append(ov.Banks[i].Accounts, a)
		if !a.HasBalance {
			ov.Unknown++
			continue
		}
		j, ok := byCur[a.Currency]
		if !ok {
			j = len(ov.Totals)
			byCur[a.Currency] = j
			ov.Totals = append(ov.Totals, Total{Currency: a.Currency})
		}
		ov.Totals[j].Amount = ov.Totals[j].Amount.Add(a.Balance)
		ov.Totals[j].Accounts++
		if a.BalanceDate.After(ov.AsOf) {
			ov.AsOf = a.BalanceDate
		}
	}
	sort.SliceStable(ov.Banks, func(i, j int) bool { return ov.Banks[i].Name < ov.Banks[j].Name })
	sort.SliceStable(ov.Totals, func(i, j int) bool { return ov.Totals[i].Currency < ov.Totals[j].Currency })
	return ov
}

// LastDay is the latest day of the accounts' balances and the operations: the end of the
// year the pages show by default (zero when there is neither).
func LastDay(accts []Account, ops []Operation) time.Time {
	var last time.Time
	for _, a := range accts {
		if a.HasBalance && a.BalanceDate.After(last) {
			last = a.BalanceDate
		}
	}
	for _, o := range ops {
		if o.Date.After(last) {
			last = o.Date
		}
	}
	return last
}

// History is an account's balance at the end of some days.
type History struct {
	Account  Account
	Days     []time.Time
	Balances []money.Amount
}

// Weekly is the balance of account a at the end of every seventh day from at back to from,
// oldest first, rebuilt from its known balance and its operations: before the day of the
// balance, a day's end is the next day's end less that next day's operations; after it,
// the previous day's end plus the day's operations. An account without a known balance has
// no history (ok is false).
func Weekly(a Account, ops []Operation, from, at time.Time) (h History, ok bool) {
	if !a.HasBalance {
		return History{}, false
	}
	byDay := map[time.Time]money.Amount{}
	for _, o := range ops {
		if o.Account == a.ID && o.Currency == a.Currency {
			byDay[o.Date] = byDay[o.Date].Add(o.Amount)
		}
	}
	bal := map[time.Time]money.Amount{a.BalanceDate: a.Balance}
	b := a.Balance
	for d := a.BalanceDate; d.After(from); {
		b = b.Sub(byDay[d])
		d = d.AddDate(0, 0, -1)
		bal[d] = b
	}
	b = a.Balance
	for d := a.BalanceDate; d.Before(at); {
		d = d.AddDate(0, 0, 1)
		b = b.Add(byDay[d])
		bal[d] = b
	}
	var ds []time.Time
	for d := at; !d.Before(from); d = d.AddDate(0, 0, -7) {
		ds = append(ds, d)
	}
	h.Account = a
	for i := len(ds) - 1; i >= 0; i-- {
		h.Days = append(h.Days, ds[i])
		h.Balances = append(h.Balances, bal[ds[i]])
	}
	return h, true
}

// CategoryAmount is what was spent in one category.
type CategoryAmount struct {
	Category string // "" for operations without a category
	Amount   money.Amount
	Count    int
}

// Spending is what was spent in one currency, by category, largest first.
type Spending struct {
	Currency   string
	Categories []CategoryAmount
	Total      money.Amount
}

// Spent adds up the debits of [from, to] by category and currency, leaving out transfers
// to savings (moving one's own money is not spending). Categories are the service's: the
// person's corrections and rules applied.
func Spent(cs []Categorized, from, to time.Time) []Spending {
	type key struct{ cur, cat string }
	sums := map[key]*CategoryAmount{}
	var curs []string
	seen := map[string]bool{}
	for _, c := range cs {
		if c.Amount.Sign() >= 0 || c.Category == "savings" || !within(c.Date, from, to) {
			continue
		}
		k := key{c.Currency, c.Category}
		if sums[k] == nil {
			sums[k] = &CategoryAmount{Category: c.Category}
		}
		sums[k].Amount = sums[k].Amount.Sub(c.Amount)
		sums[k].Count++
		if !seen[c.Currency] {
			seen[c.Currency] = true
			curs = append(curs, c.Currency)
		}
	}
	sort.Strings(curs)
	var out []Spending
	for _, cur := range curs {
		s := Spending{Currency: cur}
		for k, v := range sums {
			if k.cur == cur {
				s.Categories = append(s.Categories, *v)
				s.Total = s.Total.Add(v.Amount)
			}
		}
		sort.Slice(s.Categories, func(i, j int) bool {
			a, b := s.Categories[i], s.Categories[j]
			if c := a.Amount.Cmp(b.Amount); c != 0 {
				return c > 0
			}
			return a.Category < b.Category
		})
		out = append(out, s)
	}
	return out
}

// Recent is the latest operations first, those of category only when it is given (the
// empty category is "any"; NoCategory asks for the uncategorized ones), at most n of them,
// with how many there are in all.
func Recent(cs []Categorized, category string, n int) ([]Categorized, int) {
	var sel []Categorized
	for i := len(cs) - 1; i >= 0; i-- {
		c := cs[i]
		switch {
		case category == "":
		case category == NoCategory && c.Category == "":
		case category != c.Category:
			continue
		}
		sel = append(sel, c)
	}
	sort.SliceStable(sel, func(i, j int) bool { return sel[i].Date.After(sel[j].Date) })
	if n >= 0 && len(sel) > n {
		return sel[:n], len(sel)
	}
	return sel, len(sel)
}

// NoCategory selects, in Recent, the operations without a category.
const NoCategory = "none"
