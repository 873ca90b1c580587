package web

// This file draws the money charts: bank balances, spending by category, bills per month.
// What they show is computed by the My accounts service's package (internal/services/accounts)
// from what the person's own reader returns: these are the person's pages, so they read as
// the person, and categories are the person's, their rules applied. Here is only drawing.

import (
	"context"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the charts count days in Europe/Paris whatever the host's zone files

	"selfdata/internal/gate"
	"selfdata/internal/money"
	"selfdata/internal/services"
	"selfdata/internal/services/accounts"
	"selfdata/internal/web/chart"
)

// chartMoney writes an amount exactly, the way the language does (through formatAmount,
// so that amounts read the same on every page), without its currency.
func chartMoney(a money.Amount, lg string) string { return formatAmount(a, "", lg) }

// chartCurrency shows euros as €.
func chartCurrency(c string) string {
	if c == "" || c == "EUR" {
		return "€"
	}
	return c
}

// chartYearLinks sets the links to the 12 months before and after.
func chartYearLinks(v *chartView, at, last time.Time) {
	link := func(t time.Time) string { return "/charts/" + v.Kind + "?at=" + t.Format(time.DateOnly) }
	v.Prev = link(at.AddDate(-1, 0, 0))
	if at.Before(last) {
		next := at.AddDate(1, 0, 0)
		if last.Before(next) {
			next = last
		}
		v.Next = link(next)
	}
}

// chartDay is the calendar day of at (a local midnight of the page's zone) as the service
// counts days; zero stays zero.
func chartDay(at time.Time) time.Time {
	if at.IsZero() {
		return at
	}
	return time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
}

// chartBank draws each account's balance over the 12 months ending on the day at, and what
// was spent by category over those months.
func (s *Server) chartBank(ctx context.Context, p gate.Principal, v *chartView, lg string, _ *time.Location, at time.Time) error {
	rd := services.Through(s.gate, p)
	b := &accounts.Book{Skipped: map[string]int{}}
	if err := accounts.LoadAccounts(ctx, rd, b); err != nil {
		return err
	}
	if len(b.Accounts) == 0 {
		v.Empty = chartText(lg, "charts.empty.bank")
		return nil
	}
	if err := accounts.LoadOperations(ctx, rd, b); err != nil {
		return err
	}
	rules, err := accounts.LoadRules(ctx, rd)
	if err != nil {
		return err
	}
	y, _ := accounts.BankChart(b, rules, chartDay(at))
	v.Period = chartDateRange(y.From, y.At, lg)
	chartYearLinks(v, y.At, y.Last)
	for i, h := range y.Accounts {
		v.Blocks = append(v.Blocks, chartBalanceBlock(fmt.Sprintf("c-bank-%d", i), h, lg))
	}
	for i, sp := range y.Spending {
		id := "c-spending"
		if i > 0 {
			id += "-" + strings.ToLower(sp.Currency)
		}
		v.Blocks = append(v.Blocks, chartSpendingBlock(id, sp, v.Period, lg))
	}
	if y.Skipped > 0 && len(v.Blocks) > 0 {
		v.Blocks[len(v.Blocks)-1].Note = fmt.Sprint(y.Skipped) + " " + chartText(lg, "charts.skipped")
	}
	return nil
}

// chartBalanceBlock charts an account's balance once a week.
func chartBalanceBlock(id string, h accounts.History, lg string) chartBlock {
	sym := chartCurrency(h.Account.Currency)
	heading := chartText(lg, "charts.balanceof") + " " + h.Account.Name()
	series := chart.Series{Name: chartText(lg, "charts.balance")}
	tbl := chartTable{Caption: heading + " (" + sym + ")", Head: []string{chartText(lg, "charts.date"), chartText(lg, "charts.balance")}}
	prevMonth := time.Month(0)
	for i, d := range h.Days {
		short := ""
		if d.Month() != prevMonth {
			short, prevMonth = chartMonthsShort[chartLangIdx(lg)][d.Month()-1], d.Month()
		}
		series.Points = append(series.Points, chart.Point{Label: chartDate(d, lg), Short: short, Value: h.Balances[i].Float()})
		tbl.Rows = append(tbl.Rows, []string{chartDate(d, lg), chartMoney(h.Balances[i], lg)})
	}
	n := len(h.Days) - 1
	first, end := h.Balances[0], h.Balances[n]
	desc := punctuate(lg, fmt.Sprintf("%s %s : %s ; %s : %s.", chartText(lg, "charts.balance"), chartDate(h.Days[0], lg), formatAmount(first, h.Account.Currency, lg),
		chartDate(h.Days[n], lg), formatAmount(end, h.Account.Currency, lg)))
	c := chart.Line{ID: id, Title: heading, Desc: desc, Unit: sym, Lang: lg, Decimals: 2, Series: series}
	return chartBlock{ID: id, Heading: heading, SVG: c.SVG(), Table: tbl, Stats: []chartStat{
		{chartText(lg, "charts.balance") + " " + chartDate(h.Days[n], lg), formatAmount(end, h.Account.Currency, lg)},
		{chartText(lg, "charts.balance") + " " + chartDate(h.Days[0], lg), formatAmount(first, h.Account.Currency, lg)},
	}}
}

// chartCategory names a category in the page's language; a category of a bank that the
// catalog does not know is shown as words, never as a code.
func chartCategory(c, lg string) string {
	if _, ok := chartTexts["cat."+c]; ok {
		return chartText(lg, "cat."+c)
	}
	return humanize(c)
}

// chartSpendingBlock charts the debits of one currency by category, largest first.
func chartSpendingBlock(id string, sp accounts.Spending, period, lg string) chartBlock {
	sym := chartCurrency(sp.Currency)
	heading := chartText(lg, "charts.spending")
	series := chart.Series{Name: heading}
	tbl := chartTable{Caption: heading + " (" + sym + "), " + period, Head: []string{chartText(lg, "charts.category"), chartText(lg, "charts.amount")}}
	for _, c := range sp.Categories {
		name := chartCategory(c.Category, lg)
		series.Points = append(series.Points, chart.Point{Label: name, Value: c.Amount.Float()})
		tbl.Rows = append(tbl.Rows, []string{name, chartMoney(c.Amount, lg)})
	}
	tbl.Foot = []string{chartText(lg, "charts.total"), chartMoney(sp.Total, lg)}
	c := chart.Bar{ID: id, Title: heading, Lang: lg, Unit: sym, Decimals: 2, Horizontal: true, Series: series,
		Desc: punctuate(lg, fmt.Sprintf("%s : %s.", chartText(lg, "charts.total"), formatAmount(sp.Total, sp.Currency, lg)))}
	return chartBlock{ID: id, Heading: heading, SVG: c.SVG(), Table: tbl, Note: chartText(lg, "charts.spending.note"),
		Stats: []chartStat{{chartText(lg, "charts.total"), formatAmount(sp.Total, sp.Currency, lg)}}}
}

// chartBills draws what was billed each month over the 12 months ending with the month of at,
// and tables it by vendor.
func (s *Server) chartBills(ctx context.Context, p gate.Principal, v *chartView, lg string, _ *time.Location, at time.Time) error {
	b := &accounts.Book{Skipped: map[string]int{}}
	if err := accounts.LoadBills(ctx, services.Through(s.gate, p), b); err != nil {
		return err
	}
	y, ok := accounts.BillsChart(b, chartDay(at))
	if !ok {
		v.Empty = chartText(lg, "charts.empty.bills")
		return nil
	}
	sym := chartCurrency(y.Currency)
	v.Period = chartDateRange(y.From, y.To, lg)
	chartYearLinks(v, y.At, y.Last)
	heading := chartText(lg, "charts.billed")
	series := chart.Series{Name: heading}
	head := []string{chartText(lg, "charts.month")}
	for _, vd := range y.Vendors {
		head = append(head, vd.Vendor)
	}
	tbl := chartTable{Caption: heading + ", " + strings.ToLower(chartText(lg, "charts.byvendor")) + " (" + sym + "), " + v.Period,
		Head: append(head, chartText(lg, "charts.total"))}
	for _, m := range y.Months {
		series.Points = append(series.Points, chartPoint(chartBucketLabel("month", m.Start, lg), chartBucketShort("month", m.Start, lg), m.Total.Float(), m.Billed))
		row := []string{chartBucketLabel("month", m.Start, lg)}
		for _, a := range m.ByVendor {
			row = append(row, chartMoney(a, lg))
		}
		tbl.Rows = append(tbl.Rows, append(row, chartMoney(m.Total, lg)))
	}
	foot := []string{chartText(lg, "charts.total")}
	for _, vd := range y.Vendors {
		foot = append(foot, chartMoney(vd.Total, lg))
	}
	tbl.Foot = append(foot, chartMoney(y.Total, lg))
	c := chart.Bar{ID: "c-bills", Title: heading + " — " + v.Period, Lang: lg, Unit: sym, Decimals: 2, Series: series,
		Desc: punctuate(lg, fmt.Sprintf("%s %s : %s.", chartText(lg, "charts.total"), v.Period, formatAmount(y.Total, y.Currency, lg)))}
	blk := chartBlock{ID: "c-bills", Heading: heading, SVG: c.SVG(), Table: tbl,
		Stats: []chartStat{{chartText(lg, "charts.total"), formatAmount(y.Total, y.Currency, lg)}}}
	if y.Skipped > 0 {
		blk.Note = fmt.Sprint(y.Skipped) + " " + chartText(lg, "charts.skipped")
	}
	v.Blocks = []chartBlock{blk}
	return nil
}
