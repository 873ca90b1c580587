package whoami

import (
	"cmp"
	"math"
	"slices"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/store"
)

type operationData struct {
	Account      string `json:"account"`
	Date         string `json:"date"`
	Label        string `json:"label"`
	Amount       string `json:"amount"`
	Currency     string `json:"currency"`
	Category     string `json:"category"`
	Counterparty string `json:"counterparty"`
}

type accountData struct {
	Bank     string `json:"bank"`
	Label    string `json:"label"`
	Type     string `json:"type"`
	Balance  string `json:"balance"`
	Currency string `json:"currency"`
}

type billData struct {
	Vendor string `json:"vendor"`
}

// operation is a bank operation read.
type operation struct {
	doc    store.Doc
	date   time.Time
	amount money.Amount
	operationData
}

// Spending looks at the year of operations up to the latest one: the bank's statement may
// stop before today, and a month not restored yet is no month without spending.
const spendingDays = 365

// spending: what the person spends a month and on what, where their money comes from,
// their accounts and bills.
func (r *reader) spending() []Statement {
	var out []Statement
	docs := r.get("bank.operation")
	var ops []operation
	currencies := map[string]int{}
	for _, d := range docs {
		o, ok := decode[operationData](r, "bank.operation", d)
		date, derr := time.ParseInLocation(time.DateOnly, o.Date, r.loc)
		a, aerr := money.Parse(o.Amount)
		if !ok || derr != nil || aerr != nil {
			r.bad("bank.operation", d.ID)
			continue
		}
		ops = append(ops, operation{doc: d, date: date, amount: a, operationData: o})
		currencies[o.Currency]++
	}
	if len(ops) > 0 {
		out = append(out, r.money(ops, currencies)...)
	}

	accounts := r.get("bank.account")
	var banks []string
	var savings money.Amount
	var savingsEv []Evidence
	cur := ""
	for _, d := range accounts {
		a, ok := decode[accountData](r, "bank.account", d)
		if !ok {
			continue
		}
		if h := holder(a.Bank, d); h != "" && !slices.Contains(banks, h) {
			banks = append(banks, h)
		}
		if b, err := money.Parse(a.Balance); err == nil && a.Type == "savings" && (cur == "" || cur == a.Currency) {
			cur, savings = a.Currency, savings.Add(b)
			savingsEv = append(savingsEv, one(d, "bank.account", a.Label))
		}
	}
	if len(accounts) > 0 && len(banks) > 0 {
		out = append(out, Statement{Key: "spending.accounts", Args: []Arg{count(len(accounts), "account"), count(len(banks), "bank"), list(banks)}, Evidence: bySource("bank.account", accounts)})
	}
	if len(savingsEv) > 0 && savings.Sign() > 0 {
		out = append(out, Statement{Key: "spending.savings", Args: []Arg{amount(savings, cur)}, Evidence: savingsEv})
	}

	bills := r.get("bill")
	var vendors []string
	for _, d := range bills {
		if b, ok := decode[billData](r, "bill", d); ok {
			if h := holder(b.Vendor, d); h != "" && !slices.Contains(vendors, h) {
				vendors = append(vendors, h)
			}
		}
	}
	if len(bills) > 0 && len(vendors) > 0 {
		out = append(out, Statement{Key: "spending.bills", Args: []Arg{count(len(bills), "bill"), count(len(vendors), "organization"), list(vendors)}, Evidence: bySource("bill", bills)})
	}
	return out
}

// money states the monthly spending, its biggest categories and the regular income, over
// the year up to the latest operation, in the currency most operations are in.
func (r *reader) money(all []operation, currencies map[string]int) []Statement {
	cur, most := "", 0
	for c, n := range currencies {
		if n > most || n == most && c < cur {
			cur, most = c, n
		}
	}
	latest := all[0].date
	earliest := all[0].date
	for _, o := range all {
		latest, earliest = maxTime(latest, o.date), minTime(earliest, o.date)
	}
	from := maxTime(latest.AddDate(0, 0, 1-spendingDays), earliest)
	var ops []operation
	for _, o := range all {
		if o.Currency == cur && !o.date.Before(from) {
			ops = append(ops, o)
		}
	}
	days := latest.Sub(from).Hours()/24 + 1
	months := int64(max(1, min(12, math.Round(days/(365.25/12)))))

	var out []Statement
	spent := map[string]money.Amount{}
	var total money.Amount
	var spentDocs []store.Doc
	for _, o := range ops {
		if o.amount.Sign() < 0 && o.Category != "savings" {
			spent[o.Category] = spent[o.Category].Add(o.amount.Neg())
			total = total.Add(o.amount.Neg())
			spentDocs = append(spentDocs, o.doc)
		}
	}
	if total.Sign() > 0 {
		out = append(out, Statement{Key: "spending.monthly", Args: []Arg{amount(total.Div(months), cur), count(int(months), "month"), day(from), day(latest)},
			Evidence: bySource("bank.operation", spentDocs)})
		cats := make([]string, 0, len(spent))
		for c := range spent {
			cats = append(cats, c)
		}
		slices.SortFunc(cats, func(a, b string) int { return cmp.Or(spent[b].Cmp(spent[a]), cmp.Compare(a, b)) })
		var args []Arg
		for _, c := range cats[:min(3, len(cats))] {
			// The share is a ratio to read, rounded to the percent; the amounts stay exact.
			args = append(args, enum("cat."+c), amount(spent[c], cur), percent(int(math.Round(100*spent[c].Float()/total.Float()))))
		}
		key := []string{"", "spending.top1", "spending.top2", "spending.top3"}[len(args)/3]
		out = append(out, Statement{Key: key, Args: args, Evidence: bySource("bank.operation", spentDocs)})
	}

	// Income: who pays the person regularly (in at least three months).
	type payer struct {
		total  money.Amount
		months map[string]bool
		last   operation
		docs   []store.Doc
	}
	payers := map[string]*payer{}
	for _, o := range ops {
		if o.amount.Sign() <= 0 || o.Category != "income" {
			continue
		}
		who := cmp.Or(o.Counterparty, o.Label)
		p := payers[who]
		if p == nil {
			p = &payer{months: map[string]bool{}}
			payers[who] = p
		}
		p.total = p.total.Add(o.amount)
		p.months[o.date.Format("2006-01")] = true
		p.docs = append(p.docs, o.doc)
		if !o.date.Before(p.last.date) {
			p.last = o
		}
	}
	best := ""
	for who, p := range payers {
		if len(p.months) < 3 {
			continue
		}
		if b := payers[best]; best == "" || p.total.Cmp(b.total) > 0 || p.total.Cmp(b.total) == 0 && who < best {
			best = who
		}
	}
	if p := payers[best]; best != "" {
		out = append(out, Statement{Key: "spending.income", Args: []Arg{text(best), amount(p.total.Div(int64(len(p.months))), cur), count(len(p.months), "month")},
			Evidence: append([]Evidence{one(p.last.doc, "bank.operation", p.last.Label)}, bySource("bank.operation", p.docs)...)})
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
