package web

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"
	_ "time/tzdata" // the charts count days in Europe/Paris whatever the host's zone files

	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/services"
	"selfdata/internal/services/energy"
	"selfdata/internal/store"
	"selfdata/internal/web/chart"
)

// chartKinds are the charts, in the order of the index page.
var chartKinds = []string{"electricity", "gas", "water", "bank", "bills"}

// chartText is a chart text in the page's language.
func chartText(lang, key string) string { return textIn(chartTexts, lang, key) }

// chartLink is one line of the charts index.
type chartLink struct {
	Kind    string
	HasData bool
}

// chartsIndex: GET /charts — the charts the person's data allows, and those it does not yet.
func (s *Server) chartsIndex(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	ctx := r.Context()
	ms, err := energy.FindMeters(ctx, s.energySource(p, time.UTC))
	if err != nil {
		return err
	}
	var links []chartLink
	for _, k := range chartKinds {
		has := false
		switch k {
		case "bank":
			has, err = s.chartHasDocs(ctx, p, "bank.account")
		case "bills":
			has, err = s.chartHasDocs(ctx, p, "bill")
		default:
			has = ms.ByKind[k] != nil
		}
		if err != nil {
			return err
		}
		links = append(links, chartLink{Kind: k, HasData: has})
	}
	return s.render(w, r, http.StatusOK, "charts.html", page{Title: "charts", Data: links})
}

func (s *Server) chartHasDocs(ctx context.Context, p gate.Principal, dt string) (bool, error) {
	n, err := s.gate.Count(ctx, p, store.Query{Doctype: dt})
	return n > 0, err
}

// chartView is what chart.html shows.
type chartView struct {
	Kind, Heading, Source string
	Steps                 []chartStepLink
	Period, Prev, Next    string // the window shown and the links to the windows around it
	Empty                 string // why there is nothing to draw
	Blocks                []chartBlock
}

type chartStepLink struct {
	Key, Href string
	Current   bool
}

// chartBlock is one chart with its key numbers and its table.
type chartBlock struct {
	ID, Heading, Note string
	Stats             []chartStat
	SVG               template.HTML
	Table             chartTable
}

type chartStat struct{ Label, Value string }

// chartTable holds the same numbers as a chart; the first cell of a row is its header.
type chartTable struct {
	Caption string
	Head    []string
	Rows    [][]string
	Foot    []string
}

// chartPage: GET /charts/{kind}.
func (s *Server) chartPage(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	kind := r.PathValue("kind")
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return fmt.Errorf("time zone: %w", err)
	}
	q := r.URL.Query()
	var at time.Time
	if v := q.Get("at"); v != "" {
		if at, err = time.ParseInLocation(time.DateOnly, v, loc); err != nil {
			return errorf(http.StatusBadRequest, "at: %s is not a date like 2025-01-31.", input.Excerpt(v))
		}
	}
	lg := lang(r)
	v := chartView{Kind: kind, Heading: chartText(lg, "charts.t."+kind)}
	switch kind {
	case "electricity", "gas", "water":
		step, ok := energy.ParseStep(cmp.Or(q.Get("step"), "month"))
		if !ok {
			return errorf(http.StatusBadRequest, "step: use day, week, month or year.")
		}
		err = s.chartConsumption(r.Context(), p, &v, lg, loc, step, at)
	case "bank":
		err = s.chartBank(r.Context(), p, &v, lg, loc, at)
	case "bills":
		err = s.chartBills(r.Context(), p, &v, lg, loc, at)
	default:
		return errorf(http.StatusNotFound, "There is no chart %s; see /charts.", input.Excerpt(kind))
	}
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "chart.html", page{Title: "charts.t." + kind, Data: v})
}

// energySource reads as p (the person, for the charts pages) through the gate.
func (s *Server) energySource(p gate.Principal, loc *time.Location) energy.Source {
	return energy.Source{Reader: services.Through(s.gate, p), Loc: loc, Now: time.Now()}
}

// chartConsumption draws a kind's consumption by step over the window ending on the day at,
// next to the same spans a year earlier, as services/energy computes them.
func (s *Server) chartConsumption(ctx context.Context, p gate.Principal, v *chartView, lg string, loc *time.Location, step energy.Step, at time.Time) error {
	src := s.energySource(p, loc)
	ms, err := energy.FindMeters(ctx, src)
	if err != nil {
		return err
	}
	m := ms.ByKind[v.Kind]
	if m == nil {
		v.Empty = chartText(lg, "charts.empty."+v.Kind)
		return nil
	}
	last := chartLastDay(m, loc)
	if at.IsZero() {
		at = last
	}
	u, err := energy.Consumption(ctx, src, m, energy.Price{}, step, at, 0)
	if err != nil {
		return err
	}
	c := usageChart(u, lg, "c-"+v.Kind, v.Heading)
	v.Source = chartText(lg, "charts.source") + " « " + m.Series.Name + " »"
	if lg != "fr" {
		v.Source = chartText(lg, "charts.source") + " “" + m.Series.Name + "”"
	}
	if m.Power {
		v.Source += " — " + chartText(lg, "charts.power")
	}
	v.Period = c.period
	v.Blocks = []chartBlock{{ID: "c-" + v.Kind, Heading: chartText(lg, "charts.step."+string(step)) + " — " + c.period, SVG: c.svg, Table: c.table, Stats: c.stats, Note: c.note}}
	link := func(st energy.Step, at time.Time) string {
		return "/charts/" + v.Kind + "?" + url.Values{"step": {string(st)}, "at": {at.Format(time.DateOnly)}}.Encode()
	}
	for _, st := range energy.Steps {
		v.Steps = append(v.Steps, chartStepLink{Key: "charts.step." + string(st), Href: link(st, at), Current: st == step})
	}
	n := step.Buckets()
	earlier, later := step.Add(at, -n), step.Add(at, n)
	v.Prev = link(step, earlier)
	if at.Before(last) {
		if later.After(last) {
			later = last
		}
		v.Next = link(step, later)
	}
	return nil
}

// chartLastDay is the last day the meter's readings reach into.
func chartLastDay(m *energy.Meter, loc *time.Location) time.Time {
	l := m.Until.Add(-time.Millisecond).In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// usageDrawn is a Usage as a chart, its table and its key numbers.
type usageDrawn struct {
	period string
	svg    template.HTML
	table  chartTable
	stats  []chartStat
	note   string
}

// usageChart draws a window of consumption next to the same spans a year earlier; a period
// without readings, or without the same span a year before, has no bar.
func usageChart(u energy.Usage, lg, id, heading string) usageDrawn {
	step, unit := string(u.Step), u.Meter.Unit
	main, cmp := chart.Series{Name: chartText(lg, "charts.now")}, chart.Series{Name: chartText(lg, "charts.prev."+step)}
	biggest := 0.0
	var notes []string
	for i, b := range u.Buckets {
		label := chartBucketLabel(step, b.Start, lg)
		if b.Partial {
			covered := chartDateRange(b.From, b.To.Add(-time.Millisecond), lg)
			label += " (" + covered + ")"
			notes = append(notes, fmt.Sprintf(chartText(lg, chartPartialKey(i, len(u.Buckets))), covered))
		}
		prevStart := u.Step.YearBefore(b.Start)
		prevLabel := chartBucketLabel(step, prevStart, lg)
		if b.Partial && b.HasPrev {
			prevLabel = chartDateRange(b.PrevFrom, b.PrevTo.Add(-time.Millisecond), lg)
		}
		pt := chartPoint(label, chartBucketShort(step, b.Start, lg), b.Value, b.Has)
		if b.Partial {
			pt.Partial = chartCoveredDays(b.From, b.To)
		}
		main.Points = append(main.Points, pt)
		cmp.Points = append(cmp.Points, chartPoint(prevLabel, chartBucketShort(step, prevStart, lg), b.Prev, b.HasPrev))
		biggest = math.Max(biggest, math.Max(b.Value, b.Prev))
	}
	dec := chartDecimals(biggest)
	first, last := u.Buckets[0], u.Last()
	period := chartDateRange(first.Start, last.End.AddDate(0, 0, -1), lg)
	if !last.To.IsZero() && last.Has {
		period = chartDateRange(first.Start, last.To.Add(-time.Millisecond), lg)
	}
	change, prevShown := "–", "–"
	if u.Pairs > 0 {
		prevShown = chartWithUnit(u.PrevCompared, dec, unit, lg)
	}
	if u.HasChange {
		change = chartPercent(u.Change, lg)
	}
	desc := punctuate(lg, fmt.Sprintf("%s %s : %s ; %s : %s (%s).", chartText(lg, "charts.total"), period, chartWithUnit(u.Total, dec, unit, lg),
		strings.ToLower(chartText(lg, "charts.prev."+step)), prevShown, change))
	c := chart.Bar{ID: id, Title: heading + " — " + period, Desc: desc, Unit: unit, Lang: lg, Decimals: dec, Series: main, Compare: &cmp}
	tbl := chartTable{Caption: heading + " (" + unit + "), " + period,
		Head: []string{chartText(lg, "charts.period"), chartText(lg, "charts.now"), chartText(lg, "charts.prev."+step)}}
	for i, pt := range main.Points {
		head := pt.Label
		if pt.Partial > 0 {
			head += " — " + chart.PartialLabel(pt.Partial, lg)
		}
		tbl.Rows = append(tbl.Rows, []string{head, chart.Format(pt.Value, dec, lg),
			cmp.Points[i].Label + colonIn(lg) + " " + chart.Format(cmp.Points[i].Value, dec, lg)})
	}
	tbl.Foot = []string{chartText(lg, "charts.total"), chart.Format(u.Total, dec, lg), chart.Format(u.PrevCompared, dec, lg)}
	d := usageDrawn{period: period, svg: c.SVG(), table: tbl, stats: []chartStat{
		{chartText(lg, "charts.total"), chartWithUnit(u.Total, dec, unit, lg)},
		{chartText(lg, "charts.prev."+step), prevShown},
		{chartText(lg, "charts.change"), change},
	}}
	if n := len(u.Buckets); u.Pairs < n {
		notes = append(notes, fmt.Sprintf(chartText(lg, "charts.pairs"), u.Pairs, n))
	}
	d.note = strings.Join(notes, " ")
	return d
}

// chartPartialKey is the note on the i-th of n periods when it is partial: the last one
// (readings stop within it), the first (they start within it), or one between (a gap).
func chartPartialKey(i, n int) string {
	switch {
	case i == n-1:
		return "charts.partial"
	case i == 0:
		return "charts.partial.first"
	}
	return "charts.partial.some"
}

// chartCoveredDays is how many calendar days the readings [from, to) touch: a period's
// partial bar says "2 days" for a Saturday and a Sunday whatever the hours or a clock change.
func chartCoveredDays(from, to time.Time) int {
	if !to.After(from) {
		return 0
	}
	last := to.Add(-time.Millisecond).In(from.Location())
	a := time.Date(from.Year(), from.Month(), from.Day(), 12, 0, 0, 0, time.UTC)
	b := time.Date(last.Year(), last.Month(), last.Day(), 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours()/24) + 1
}

// chartPercent writes a change with its sign, as formatPercent does: "+12.5%", "+12,5 %".
func chartPercent(f float64, lg string) string {
	s := formatPercent(f*100, 1, lg)
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}

// chartPoint is a chart point; a bucket without readings has no value (NaN), not zero.
func chartPoint(label, short string, v float64, ok bool) chart.Point {
	if !ok {
		v = math.NaN()
	}
	return chart.Point{Label: label, Short: short, Value: v}
}

// chartDecimals gives small numbers some decimals and big ones none.
func chartDecimals(biggest float64) int {
	switch {
	case biggest < 10:
		return 2
	case biggest < 100:
		return 1
	}
	return 0
}

func chartWithUnit(v float64, dec int, unit, lg string) string {
	return chart.Format(v, dec, lg) + "\u00a0" + unit
}

var (
	chartMonthsShort = [2][12]string{
		{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
	}
	chartMonthsLong = [2][12]string{
		{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	}
)

func chartLangIdx(lg string) int {
	if lg == "fr" {
		return 1
	}
	return 0
}

// chartDate is "3 Feb 2025" or "3 févr. 2025".
func chartDate(d time.Time, lg string) string {
	return fmt.Sprintf("%d %s %d", d.Day(), chartMonthsShort[chartLangIdx(lg)][d.Month()-1], d.Year())
}

func chartDateRange(from, to time.Time, lg string) string {
	return chartDate(from, lg) + " – " + chartDate(to, lg)
}

// chartBucketLabel names a bucket in full, for tooltips and tables.
func chartBucketLabel(step string, b time.Time, lg string) string {
	switch step {
	case "week":
		if lg == "fr" {
			return "semaine du " + chartDate(b, lg)
		}
		return "week of " + chartDate(b, lg)
	case "month":
		return chartMonthsLong[chartLangIdx(lg)][b.Month()-1] + " " + fmt.Sprint(b.Year())
	case "year":
		return fmt.Sprint(b.Year())
	}
	return chartDate(b, lg)
}

// chartBucketShort is a bucket's name on the axis.
func chartBucketShort(step string, b time.Time, lg string) string {
	switch step {
	case "week":
		return fmt.Sprintf("%d %s", b.Day(), chartMonthsShort[chartLangIdx(lg)][b.Month()-1])
	case "month":
		return chartMonthsShort[chartLangIdx(lg)][b.Month()-1]
	case "year":
		return fmt.Sprint(b.Year())
	}
	return fmt.Sprint(b.Day())
}

// chartEachDoc pages through a query, 1000 documents at a time.
func (s *Server) chartEachDoc(ctx context.Context, p gate.Principal, q store.Query, fn func(store.Doc)) error {
	q.Limit = 1000
	for {
		pg, err := s.gate.Query(ctx, p, q)
		if err != nil {
			return err
		}
		for _, d := range pg.Items {
			fn(d)
		}
		if pg.Next == "" {
			return nil
		}
		q.Cursor = pg.Next
	}
}

// chartDateField is the date index field of a doctype (bank.operation and bill declare one).
func (s *Server) chartDateField(dt string) store.Field {
	if d, ok := s.gate.Registry().Get(dt); ok {
		if f, ok := d.IndexField("date"); ok {
			return f
		}
	}
	return store.Field{Path: "date", Type: store.String}
}

// chartBetween selects documents whose date is in [from, to] (days, inclusive).
func (s *Server) chartBetween(dt string, from, to time.Time) []store.Filter {
	f := s.chartDateField(dt)
	return []store.Filter{{Field: f, Op: store.Gte, Value: from.Format(time.DateOnly)}, {Field: f, Op: store.Lte, Value: to.Format(time.DateOnly)}}
}

// chartLatestDate is the greatest date of a doctype's documents (zero when none).
func (s *Server) chartLatestDate(ctx context.Context, p gate.Principal, dt string, loc *time.Location) (time.Time, error) {
	pg, err := s.gate.Query(ctx, p, store.Query{Doctype: dt, Sort: s.chartDateField(dt), Desc: true, Limit: 1})
	if err != nil || len(pg.Items) == 0 {
		return time.Time{}, err
	}
	var d struct{ Date string }
	json.Unmarshal(pg.Items[0].Data, &d)
	t, err := time.ParseInLocation(time.DateOnly, d.Date, loc)
	if err != nil {
		return time.Time{}, nil
	}
	return t, nil
}
