package web

// This file renders My home (internal/services/home): the service computes the year of
// housing expenses; this page only writes it in the person's language, as a chart with its
// table and the figures.

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/money"
	"selfdata/internal/services"
	"selfdata/internal/services/home"
	"selfdata/internal/web/chart"
)

// myHomeView is what svc_home.html shows.
type myHomeView struct {
	Period, Prev, Next string
	Empty              bool
	Stats              []chartStat
	Trend              string
	Blocks             []chartBlock
	Unsorted           []string
	Counted, Skipped   string
}

// homeServicePage: GET /services/{id} for services.Home, once switched on. ?to=YYYY-MM shows
// the 12 months ending with that month instead of those ending last month.
func (s *Server) homeServicePage(w http.ResponseWriter, r *http.Request, _ gate.Principal, rd services.Reader) error {
	today := householdToday()
	o := home.Options{AsOf: today}
	if v := r.URL.Query().Get("to"); v != "" {
		m, err := time.Parse("2006-01", v)
		if err != nil || m.Year() < 1900 || m.Year() > 2200 {
			return errorf(http.StatusBadRequest, "to: %s is not a month like 2025-06.", input.Excerpt(v))
		}
		o.Last = m
	}
	rep, err := home.Load(r.Context(), rd, o)
	if err != nil {
		return err
	}
	lg := lang(r)
	return s.render(w, r, http.StatusOK, "svc_home.html", page{Title: "svc." + services.Home, Data: myHomeViewOf(rep, today, lg)})
}

// householdToday is today in Europe/Paris, as the civil date the services count in.
func householdToday() time.Time {
	n := time.Now().In(displayZone())
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

func myHomeText(lg, key string) string { return textIn(myHomeTexts, lg, key) }

func myHomeViewOf(rep home.Report, today time.Time, lg string) myHomeView {
	cur := rep.Currency
	if cur == "" {
		cur = "EUR"
	}
	amount := func(a money.Amount) string { m, _ := formatMoney(a.Round(2).String(), cur, lg); return m }
	v := myHomeView{Period: chartDateRange(rep.From, rep.To, lg), Empty: rep.Total.IsZero() && len(rep.Unsorted) == 0}
	link := func(last time.Time) string { return "?to=" + last.Format("2006-01") }
	v.Prev = link(rep.From.AddDate(0, -1, 0))
	// Later months go up to the last complete one, the default.
	lastMonth := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	if shown := time.Date(rep.To.Year(), rep.To.Month(), 1, 0, 0, 0, 0, time.UTC); shown.Before(lastMonth) {
		next := shown.AddDate(0, 12, 0)
		if next.After(lastMonth) {
			next = lastMonth
		}
		v.Next = link(next)
	}
	if v.Empty {
		return v
	}
	v.Stats = []chartStat{
		{myHomeText(lg, "myhome.total"), amount(rep.Total)},
		{myHomeText(lg, "myhome.monthly"), amount(rep.Monthly)},
	}
	if !rep.Energy.IsZero() {
		v.Stats = append(v.Stats, chartStat{myHomeText(lg, "myhome.energy"), amount(rep.Energy)})
	}
	switch t := rep.Trend; {
	case t == nil && rep.DataStart.IsZero():
		v.Trend = myHomeText(lg, "myhome.trend.nodata")
	case t == nil:
		v.Trend = fmt.Sprintf(myHomeText(lg, "myhome.trend.none"), chartDate(rep.DataStart, lg))
	case !t.HasRatio:
		v.Trend = myHomeText(lg, "myhome.trend.new")
	default:
		v.Stats = append(v.Stats, chartStat{myHomeText(lg, "myhome.trend"), householdSigned(t.ChangeTenths, lg)})
		switch t.Change.Sign() {
		case 1:
			v.Trend = fmt.Sprintf(myHomeText(lg, "myhome.trend.up"), amount(t.Change), amount(t.Previous), householdPercent(t.ChangeTenths, lg))
		case -1:
			v.Trend = fmt.Sprintf(myHomeText(lg, "myhome.trend.down"), amount(t.Change.Neg()), amount(t.Previous), householdPercent(-t.ChangeTenths, lg))
		default:
			v.Trend = fmt.Sprintf(myHomeText(lg, "myhome.trend.same"), amount(t.Previous))
		}
	}
	v.Blocks = []chartBlock{myHomeShares(rep, lg, amount, v.Period), myHomeMonths(rep, lg, amount, v.Period)}
	for _, p := range rep.Unsorted {
		v.Unsorted = append(v.Unsorted, fmt.Sprintf(myHomeText(lg, "myhome.unsorted.item"), chartDate(p.Day, lg), p.Org, amount(p.Amount)))
	}
	v.Counted = fmt.Sprintf(myHomeText(lg, "myhome.counted"), householdPlural(lg, myHomeText(lg, "myhome.debits"), rep.Debits),
		householdPlural(lg, myHomeText(lg, "myhome.bills"), rep.Bills))
	if rep.Skipped > 0 {
		v.Skipped = householdPlural(lg, myHomeText(lg, "myhome.skipped"), rep.Skipped)
	}
	return v
}

// myHomeShares is the chart of the categories and their table.
func myHomeShares(rep home.Report, lg string, amount func(money.Amount) string, period string) chartBlock {
	heading := myHomeText(lg, "myhome.bycat")
	sym := chartCurrency(rep.Currency)
	series := chart.Series{Name: myHomeText(lg, "myhome.thisyear")}
	tbl := chartTable{Caption: fmt.Sprintf(myHomeText(lg, "myhome.bycat.caption"), period),
		Head: []string{myHomeText(lg, "myhome.col.category"), myHomeText(lg, "myhome.col.amount"), myHomeText(lg, "myhome.col.share")}}
	if rep.Trend != nil {
		tbl.Head = append(tbl.Head, myHomeText(lg, "myhome.col.before"), myHomeText(lg, "myhome.col.change"))
	}
	var desc []string
	for _, c := range rep.Categories {
		name := myHomeText(lg, "myhome.cat."+string(c.Category))
		share := householdPercent(c.Tenths, lg)
		series.Points = append(series.Points, chart.Point{Label: myHomeText(lg, "myhome.short."+string(c.Category)), Value: c.Amount.Float()})
		row := []string{name, amount(c.Amount), share}
		if rep.Trend != nil {
			change := myHomeText(lg, "myhome.new")
			if c.HasRatio {
				change = householdSigned(c.ChangeTenths, lg)
			}
			row = append(row, amount(c.Previous), change)
		}
		tbl.Rows = append(tbl.Rows, row)
		desc = append(desc, name+" "+amount(c.Amount)+" ("+share+")")
	}
	tbl.Foot = []string{myHomeText(lg, "myhome.col.total"), amount(rep.Total), householdPercent(1000, lg)}
	if t := rep.Trend; t != nil {
		change := myHomeText(lg, "myhome.new")
		if t.HasRatio {
			change = householdSigned(t.ChangeTenths, lg)
		}
		tbl.Foot = append(tbl.Foot, amount(t.Previous), change)
	}
	c := chart.Bar{ID: "c-home-cat", Title: heading + " — " + period, Unit: sym, Lang: lg, Decimals: 2, Horizontal: true, Series: series,
		Desc: strings.Join(desc, punctuate(lg, " ; ")) + "."}
	return chartBlock{ID: "c-home-cat", Heading: heading, SVG: c.SVG(), Table: tbl}
}

// myHomeMonths is the chart of the months (with the year before when there is one) and the
// table of each month by category.
func myHomeMonths(rep home.Report, lg string, amount func(money.Amount) string, period string) chartBlock {
	heading := myHomeText(lg, "myhome.bymonth")
	sym := chartCurrency(rep.Currency)
	series := chart.Series{Name: myHomeText(lg, "myhome.thisyear")}
	var compare *chart.Series
	if rep.Trend != nil {
		compare = &chart.Series{Name: myHomeText(lg, "myhome.yearbefore")}
	}
	tbl := chartTable{Caption: fmt.Sprintf(myHomeText(lg, "myhome.bymonth.caption"), period), Head: []string{myHomeText(lg, "myhome.col.month")}}
	for _, c := range rep.Categories {
		tbl.Head = append(tbl.Head, myHomeText(lg, "myhome.cat."+string(c.Category)))
	}
	tbl.Head = append(tbl.Head, myHomeText(lg, "myhome.col.total"))
	if compare != nil {
		tbl.Head = append(tbl.Head, myHomeText(lg, "myhome.yearbefore"))
	}
	for _, m := range rep.Months {
		label := chartBucketLabel("month", m.Start, lg)
		series.Points = append(series.Points, chart.Point{Label: label, Short: chartBucketShort("month", m.Start, lg), Value: m.Total.Float()})
		row := []string{label}
		for _, c := range rep.Categories {
			row = append(row, amount(m.By[c.Category]))
		}
		row = append(row, amount(m.Total))
		if compare != nil {
			compare.Points = append(compare.Points, chart.Point{Label: chartBucketLabel("month", m.Start.AddDate(-1, 0, 0), lg), Value: m.Previous.Float()})
			row = append(row, amount(m.Previous))
		}
		tbl.Rows = append(tbl.Rows, row)
	}
	foot := []string{myHomeText(lg, "myhome.col.total")}
	for _, c := range rep.Categories {
		foot = append(foot, amount(c.Amount))
	}
	foot = append(foot, amount(rep.Total))
	if compare != nil {
		foot = append(foot, amount(rep.Trend.Previous))
	}
	tbl.Foot = foot
	title := myHomeText(lg, "myhome.bymonth.title")
	c := chart.Bar{ID: "c-home-month", Title: title + " — " + period, Unit: sym, Lang: lg, Decimals: 2, Series: series, Compare: compare,
		Desc: myHomeText(lg, "myhome.total") + colonIn(lg) + " " + amount(rep.Total) + "."}
	return chartBlock{ID: "c-home-month", Heading: heading, SVG: c.SVG(), Table: tbl}
}

// householdPercent writes tenths of a percent as formatPercent does: "62.5%" / "62,5 %".
func householdPercent(tenths int64, lg string) string {
	return formatPercent(float64(tenths)/10, 1, lg)
}

// householdSigned is a change in tenths of a percent with its sign: "+3.9%", "−1.2%".
func householdSigned(tenths int64, lg string) string {
	switch {
	case tenths > 0:
		return "+" + householdPercent(tenths, lg)
	case tenths < 0:
		return "\u2212" + householdPercent(-tenths, lg)
	}
	return householdPercent(0, lg)
}

// householdPlural picks the singular or the plural of "%d thing|%d things" for n, by the
// language's plural rules (pluralForm): French puts 0 and 1 in the singular, English only 1.
func householdPlural(lg, text string, n int) string {
	one, many, ok := strings.Cut(text, "|")
	if !ok {
		many = one
	}
	if pluralForm(lg, int64(n)) == "one" {
		return fmt.Sprintf(one, n)
	}
	return fmt.Sprintf(many, n)
}
