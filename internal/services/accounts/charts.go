package accounts

import (
	"sort"
	"time"

	"selfdata/internal/money"
)

// The /charts/bank and /charts/bills pages draw what these compute: the person's own pages,
// read through the person's reader, with the same categories as this service's page.

// BankYear is the balance of each account over the year ending on At, and what was spent
// by category over it.
type BankYear struct {
	From, At time.Time
	Last     time.Time // the latest day known: the year shown by default ends there
	Accounts []History // each account with a known balance, by name
	Spending []Spending
	// Skipped counts what could not be drawn: accounts without a readable balance and
	// operations without a readable amount or date.
	Skipped int
}

// BankChart computes the year ending on the day at (zero: the last day known) from the
// accounts, the operations and the person's rules; ok is false when there is no account.
func BankChart(b *Book, rules []Rule, at time.Time) (y BankYear, ok bool) {
	if len(b.Accounts) == 0 {
		return BankYear{}, false
	}
	y.Last = LastDay(b.Accounts, b.Operations)
	y.At = at
	if y.At.IsZero() {
		y.At = y.Last
	}
	y.From = YearFrom(y.At)
	y.Skipped = b.Skipped[OperationDoctype]
	for _, a := range b.Accounts {
		h, ok := Weekly(a, b.Operations, y.From, y.At)
		if !ok {
			y.Skipped++
			continue
		}
		y.Accounts = append(y.Accounts, h)
	}
	y.Spending = Spent(Categorize(b.Operations, rules), y.From, y.At)
	return y, true
}

// YearFrom is the first of the 365 (or 366) days ending on the day at.
func YearFrom(at time.Time) time.Time { return at.AddDate(-1, 0, 1) }

// Month is what was billed in one month.
type Month struct {
	Start    time.Time
	Billed   bool // a month without a bill draws no bar
	Total    money.Amount
	ByVendor []money.Amount // in the order of BillsYear.Vendors
}

// VendorTotal is what one vendor billed over the months.
type VendorTotal struct {
	Vendor string
	Total  money.Amount
}

// BillsYear is what was billed in each of the 12 months ending with the month of At.
type BillsYear struct {
	From, To time.Time // the first and last days of the 12 months
	At, Last time.Time
	Months   [12]Month
	Vendors  []VendorTotal // largest first
	Total    money.Amount
	Currency string // of the first bill of the months
	Skipped  int    // bills without a readable amount or date
}

// BillsChart computes the 12 months ending with the month of the day at (zero: of the
// latest bill); ok is false when there is no bill.
func BillsChart(b *Book, at time.Time) (y BillsYear, ok bool) {
	for _, bl := range b.Bills {
		if bl.Date.After(y.Last) {
			y.Last = bl.Date
		}
	}
	if y.Last.IsZero() {
		return BillsYear{}, false
	}
	y.At = at
	if y.At.IsZero() {
		y.At = y.Last
	}
	first := time.Date(y.At.Year(), y.At.Month(), 1, 0, 0, 0, 0, y.At.Location())
	y.From, y.To = first.AddDate(0, -11, 0), first.AddDate(0, 1, -1)
	y.Skipped = b.Skipped[BillDoctype]
	vendorIdx := map[string]int{}
	var perVendor [][12]money.Amount
	for _, bl := range b.Bills {
		if !within(bl.Date, y.From, y.To) {
			continue
		}
		i := (bl.Date.Year()-y.From.Year())*12 + int(bl.Date.Month()) - int(y.From.Month())
		if y.Currency == "" {
			y.Currency = bl.Currency
		}
		m := &y.Months[i]
		m.Total, m.Billed = m.Total.Add(bl.Amount), true
		v, ok := vendorIdx[bl.Vendor]
		if !ok {
			v = len(y.Vendors)
			vendorIdx[bl.Vendor] = v
			y.Vendors = append(y.Vendors, VendorTotal{Vendor: bl.Vendor})
			perVendor = append(perVendor, [12]money.Amount{})
		}
		perVendor[v][i] = perVendor[v][i].Add(bl.Amount)
		y.Vendors[v].Total = y.Vendors[v].Total.Add(bl.Amount)
		y.Total = y.Total.Add(bl.Amount)
	}
	order := make([]int, len(y.Vendors))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := y.Vendors[order[i]], y.Vendors[order[j]]
		if c := a.Total.Cmp(b.Total); c != 0 {
			return c > 0
		}
		return a.Vendor < b.Vendor
	})
	vendors := make([]VendorTotal, len(order))
	for k, v := range order {
		vendors[k] = y.Vendors[v]
	}
	for i := range y.Months {
		y.Months[i].Start = y.From.AddDate(0, i, 0)
		for _, v := range order {
			y.Months[i].ByVendor = append(y.Months[i].ByVendor, perVendor[v][i])
		}
	}
	y.Vendors = vendors
	return y, true
}
