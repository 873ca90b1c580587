package web

// This file draws the money charts: bank balances, spending by category, bills per month.

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // the charts count days in Europe/Paris whatever the host's zone files

	"selfdata/internal/gate"
	"selfdata/internal/store"
	"selfdata/internal/web/chart"
)

// chartParseCents reads a money decimal string ("-12.34", "5", "7.5") as integer cents.
func chartParseCents(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || len(whole) > 15 {
		return 0, false
	}
	var c int64
	for _, r := range whole + (frac + "00")[:2] {
		if r < '0' || r > '9' {
			return 0, false
		}
		c = c*10 + int64(r-'0')
	}
	if neg {
		c = -c
	}
	return c, true
}

// chartFormatCents writes cents exactly, the way the language does (through formatMoney,
// so that amounts read the same on every page).
func chartFormatCents(c int64, lg string) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	s, _ := formatMoney(fmt.Sprintf("%s%d.%02d", sign, c/100, c%100), "", lg)
	return s
}

// chartCurrency shows euros as €.
func chartCurrency(c string) string {
	if c == "" || c == "EUR" {
		return "€"
	}
	return c
}

// chartMonthWindow is the 12 months ending with the month of at: [from, to] as days.
func chartMonthWindow(at time.Time) (from, to time.Time) {
	first := time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, at.Location())
	return first.AddDate(0, -11, 0), first.AddDate(0, 1, -1)
}

// chartYearLinks sets the links to the 12 months before and after.
func chartYearLinks(v *chartView, at, last time.Time) {
	link := func(t time.Time) string { return "/charts/" + v.Kind + "?at=" + t.Format(time.DateOnly) }
	v.Prev = link(at.AddDate(-1, 0, 0))
	if at.Before(last) {
		v.Next = link(chartMinTime(at.AddDate(1, 0, 0), last))
	}
}

func chartMinTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func chartMaxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// chartAccount is what the balance chart needs of a bank.account.
type chartAccount struct {
	id, name, currency string
	balance            int64     // cents, at the end of the day date
	date               time.Time // balanceDate
}

// chartBank draws each account's balance over the 12 months ending on the day at, rebuilt from
// the account's known balance and its operations (walking back before the balance date,
// forward after it), and what was spent by category over those months.
func (s *Server) chartBank(ctx context.Context, p gate.Principal, v *chartView, lg string, loc *time.Location, at time.Time) error {
	var accts []chartAccount
	skipped := 0
	err := s.chartEachDoc(ctx, p, store.Query{Doctype: "bank.account"}, func(d store.Doc) {
		var a struct{ Bank, Label, Balance, BalanceDate, Currency string }
		json.Unmarshal(d.Data, &a)
		c, ok := chartParseCents(a.Balance)
		day, err := time.ParseInLocation(time.DateOnly, a.BalanceDate, loc)
		if !ok || err != nil {
			skipped++
			return
		}
		name := strings.TrimSpace(a.Label + " (" + a.Bank + ")")
		accts = append(accts, chartAccount{id: d.ID, name: name, currency: a.Currency, balance: c, date: day})
	})
	if err != nil {
		return err
	}
	if len(accts) == 0 {
		v.Empty = chartText(lg, "charts.empty.bank")
		return nil
	}
	sort.Slice(accts, func(i, j int) bool { return accts[i].name < accts[j].name })
	last, err := s.chartLatestDate(ctx, p, "bank.operation", loc)
	if err != nil {
		return err
	}
	lo, hi := accts[0].date, accts[0].date
	for _, a := range accts {
		last, lo, hi = chartMaxTime(last, a.date), chartMinTime(lo, a.date), chartMaxTime(hi, a.date)
	}
	if at.IsZero() {
		at = last
	}
	from := at.AddDate(-1, 0, 1) // 365 or 366 days ending on at
	lo, hi = chartMinTime(lo, from), chartMaxTime(hi, at)

	// One pass over the operations of [lo, hi]: per account and day, and spending by category.
	ops := map[string]map[string]int64{}
	spent := map[string]int64{}
	currency := accts[0].currency
	fromS, atS := from.Format(time.DateOnly), at.Format(time.DateOnly)
	err = s.chartEachDoc(ctx, p, store.Query{Doctype: "bank.operation", Filters: s.chartBetween("bank.operation", lo, hi)}, func(d store.Doc) {
		var o struct{ Account, Date, Amount, Category string }
		json.Unmarshal(d.Data, &o)
		c, ok := chartParseCents(o.Amount)
		if !ok || len(o.Date) != 10 {
			skipped++
			return
		}
		if ops[o.Account] == nil {
			ops[o.Account] = map[string]int64{}
		}
		ops[o.Account][o.Date] += c
		if c < 0 && o.Category != "savings" && o.Date >= fromS && o.Date <= atS {
			spent[o.Category] -= c
		}
	})
	if err != nil {
		return err
	}
	v.Period = chartDateRange(from, at, lg)
	chartYearLinks(v, at, last)
	for i, a := range accts {
		v.Blocks = append(v.Blocks, chartBalanceBlock(fmt.Sprintf("c-bank-%d", i), a, ops[a.id], from, at, lg))
	}
	v.Blocks = append(v.Blocks, chartSpendingBlock(spent, currency, v.Period, lg))
	if skipped > 0 {
		v.Blocks[len(v.Blocks)-1].Note = fmt.Sprint(skipped) + " " + chartText(lg, "charts.skipped")
	}
	return nil
}

// chartBalanceBlock rebuilds an account's end-of-day balances over [from, at] and charts one a week.
func chartBalanceBlock(id string, a chartAccount, ops map[string]int64, from, at time.Time, lg string) chartBlock {
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	bal := map[string]int64{day(a.date): a.balance}
	b := a.balance
	for d := a.date; d.After(from); { // walking back: yesterday's end = today's end - today's operations
		b -= ops[day(d)]
		d = d.AddDate(0, 0, -1)
		bal[day(d)] = b
	}
	b = a.balance
	for d := a.date; d.Before(at); {
		d = d.AddDate(0, 0, 1)
		b += ops[day(d)]
		bal[day(d)] = b
	}
	var days []time.Time
	for d := at; !d.Before(from); d = d.AddDate(0, 0, -7) {
		days = append(days, d)
	}
	sym := chartCurrency(a.currency)
	heading := chartText(lg, "charts.balanceof") + " " + a.name
	series := chart.Series{Name: chartText(lg, "charts.balance")}
	tbl := chartTable{Caption: heading + " (" + sym + ")", Head: []string{chartText(lg, "charts.date"), chartText(lg, "charts.balance")}}
	prevMonth := time.Month(0)
	for i := len(days) - 1; i >= 0; i-- {
		d := days[i]
		c := bal[day(d)]
		short := ""
		if d.Month() != prevMonth {
			short, prevMonth = chartMonthsShort[chartLangIdx(lg)][d.Month()-1], d.Month()
		}
		series.Points = append(series.Points, chart.Point{Label: chartDate(d, lg), Short: short, Value: float64(c) / 100})
		tbl.Rows = append(tbl.Rows, []string{chartDate(d, lg), chartFormatCents(c, lg)})
	}
	first, end := bal[day(days[len(days)-1])], bal[day(at)]
	desc := fmt.Sprintf("%s %s: %s %s; %s: %s %s.", chartText(lg, "charts.balance"), chartDate(days[len(days)-1], lg), chartFormatCents(first, lg), sym,
		chartDate(at, lg), chartFormatCents(end, lg), sym)
	c := chart.Line{ID: id, Title: heading, Desc: desc, Unit: sym, Lang: lg, Decimals: 2, Series: series}
	return chartBlock{ID: id, Heading: heading, SVG: c.SVG(), Table: tbl, Stats: []chartStat{
		{chartText(lg, "charts.balance") + " " + chartDate(at, lg), chartFormatCents(end, lg) + "\u00a0" + sym},
		{chartText(lg, "charts.balance") + " " + chartDate(days[len(days)-1], lg), chartFormatCents(first, lg) + "\u00a0" + sym},
	}}
}

// chartSpendingBlock charts the debits by category, largest first.
func chartSpendingBlock(spent map[string]int64, currency, period, lg string) chartBlock {
	type row struct {
		cat   string
		cents int64
	}
	var rows []row
	var total int64
	for k, c := range spent {
		rows = append(rows, row{k, c})
		total += c
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].cents != rows[j].cents {
			return rows[i].cents > rows[j].cents
		}
		return rows[i].cat < rows[j].cat
	})
	sym := chartCurrency(currency)
	heading := chartText(lg, "charts.spending")
	series := chart.Series{Name: heading}
	tbl := chartTable{Caption: heading + " (" + sym + "), " + period, Head: []string{chartText(lg, "charts.category"), chartText(lg, "charts.amount")}}
	for _, r := range rows {
		name := r.cat
		if _, ok := chartTexts["cat."+r.cat]; ok {
			name = chartText(lg, "cat."+r.cat)
		}
		series.Points = append(series.Points, chart.Point{Label: name, Value: float64(r.cents) / 100})
		tbl.Rows = append(tbl.Rows, []string{name, chartFormatCents(r.cents, lg)})
	}
	tbl.Foot = []string{chartText(lg, "charts.total"), chartFormatCents(total, lg)}
	c := chart.Bar{ID: "c-spending", Title: heading, Lang: lg, Unit: sym, Decimals: 2, Horizontal: true, Series: series,
		Desc: fmt.Sprintf("%s: %s %s.", chartText(lg, "charts.total"), chartFormatCents(total, lg), sym)}
	return chartBlock{ID: "c-spending", Heading: heading, SVG: c.SVG(), Table: tbl, Note: chartText(lg, "charts.spending.note"),
		Stats: []chartStat{{chartText(lg, "charts.total"), chartFormatCents(total, lg) + "\u00a0" + sym}}}
}

// chartBills draws what was billed each month over the 12 months ending with the month of at, and
// tables it by vendor.
func (s *Server) chartBills(ctx context.Context, p gate.Principal, v *chartView, lg string, loc *time.Location, at time.Time) error {
	last, err := s.chartLatestDate(ctx, p, "bill", loc)
	if err != nil {
		return err
	}
	if last.IsZero() {
		v.Empty = chartText(lg, "charts.empty.bills")
		return nil
	}
	if at.IsZero() {
		at = last
	}
	from, to := chartMonthWindow(at)
	var months [12]int64
	var billed [12]bool // a month without a bill draws no bar
	byVendor := map[string]*[12]int64{}
	vendorTotal := map[string]int64{}
	currency, skipped := "", 0
	err = s.chartEachDoc(ctx, p, store.Query{Doctype: "bill", Filters: s.chartBetween("bill", from, to)}, func(d store.Doc) {
		var b struct{ Vendor, Date, Amount, Currency string }
		json.Unmarshal(d.Data, &b)
		c, ok := chartParseCents(b.Amount)
		day, err := time.ParseInLocation(time.DateOnly, b.Date, loc)
		i := (day.Year()-from.Year())*12 + int(day.Month()) - int(from.Month())
		if !ok || err != nil || i < 0 || i >= 12 {
			skipped++
			return
		}
		if currency == "" {
			currency = b.Currency
		}
		months[i], billed[i] = months[i]+c, true
		if byVendor[b.Vendor] == nil {
			byVendor[b.Vendor] = &[12]int64{}
		}
		byVendor[b.Vendor][i] += c
		vendorTotal[b.Vendor] += c
	})
	if err != nil {
		return err
	}
	vendors := make([]string, 0, len(byVendor))
	for k := range byVendor {
		vendors = append(vendors, k)
	}
	sort.Slice(vendors, func(i, j int) bool {
		if vendorTotal[vendors[i]] != vendorTotal[vendors[j]] {
			return vendorTotal[vendors[i]] > vendorTotal[vendors[j]]
		}
		return vendors[i] < vendors[j]
	})
	sym := chartCurrency(currency)
	v.Period = chartDateRange(from, to, lg)
	chartYearLinks(v, at, last)
	heading := chartText(lg, "charts.billed")
	series := chart.Series{Name: heading}
	tbl := chartTable{Caption: heading + ", " + strings.ToLower(chartText(lg, "charts.byvendor")) + " (" + sym + "), " + v.Period,
		Head: append(append([]string{chartText(lg, "charts.month")}, vendors...), chartText(lg, "charts.total"))}
	var total int64
	for i, c := range months {
		m := from.AddDate(0, i, 0)
		series.Points = append(series.Points, chartPoint(chartBucketLabel("month", m, lg), chartBucketShort("month", m, lg), float64(c)/100, billed[i]))
		row := []string{chartBucketLabel("month", m, lg)}
		for _, vd := range vendors {
			row = append(row, chartFormatCents(byVendor[vd][i], lg))
		}
		tbl.Rows = append(tbl.Rows, append(row, chartFormatCents(c, lg)))
		total += c
	}
	foot := []string{chartText(lg, "charts.total")}
	for _, vd := range vendors {
		foot = append(foot, chartFormatCents(vendorTotal[vd], lg))
	}
	tbl.Foot = append(foot, chartFormatCents(total, lg))
	c := chart.Bar{ID: "c-bills", Title: heading + " — " + v.Period, Lang: lg, Unit: sym, Decimals: 2, Series: series,
		Desc: fmt.Sprintf("%s %s: %s %s.", chartText(lg, "charts.total"), v.Period, chartFormatCents(total, lg), sym)}
	b := chartBlock{ID: "c-bills", Heading: heading, SVG: c.SVG(), Table: tbl,
		Stats: []chartStat{{chartText(lg, "charts.total"), chartFormatCents(total, lg) + "\u00a0" + sym}}}
	if skipped > 0 {
		b.Note = fmt.Sprint(skipped) + " " + chartText(lg, "charts.skipped")
	}
	v.Blocks = []chartBlock{b}
	return nil
}
