package web

import (
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
	all, err := s.gate.ListSeries(ctx, p)
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
			sr, ok := chartSeries(all, k)
			has = ok && sr.Count > 0
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
		step := q.Get("step")
		if step == "" {
			step = "month"
		}
		if _, ok := chartWindows[step]; !ok {
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

// chartSeries picks, among a person's series of reading.KIND, the finest one that
// measures consumption (energy, else volume): the one with the shortest interval between
// readings.
func chartSeries(all []store.Series, kind string) (store.Series, bool) {
	var best store.Series
	found := false
	interval := func(s store.Series) float64 {
		if s.Count < 2 || s.First == nil || s.Last == nil {
			return math.Inf(1)
		}
		return s.Last.Sub(*s.First).Seconds() / float64(s.Count-1)
	}
	better := func(a, b store.Series) bool { // a better than b
		if ia, ib := interval(a), interval(b); ia != ib {
			return ia < ib
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Quantity == "energy" && b.Quantity != "energy"
	}
	for _, s := range all {
		if s.Doctype != "reading."+kind || (s.Quantity != "energy" && s.Quantity != "volume") {
			continue
		}
		if !found || better(s, best) {
			best, found = s, true
		}
	}
	return best, found
}

// chartHumanUnit converts a unit for reading: Wh become kWh.
func chartHumanUnit(unit string) (shown string, factor float64) {
	switch unit {
	case "Wh":
		return "kWh", 1.0 / 1000
	case "m3":
		return "m³", 1
	}
	return unit, 1
}

// chartWindow is how a step lays out its chart: how many buckets, and how far back the
// comparison window is.
type chartWindow struct {
	step  store.Step
	n     int
	back  func(time.Time) time.Time // the same instant one comparison period earlier
	shift func(time.Time, int) time.Time
}

var chartWindows = map[string]chartWindow{
	"day":   {store.Day, 31, func(t time.Time) time.Time { return t.AddDate(0, 0, -31) }, func(t time.Time, k int) time.Time { return t.AddDate(0, 0, k) }},
	"week":  {store.Week, 13, func(t time.Time) time.Time { return t.AddDate(0, 0, -364) }, func(t time.Time, k int) time.Time { return t.AddDate(0, 0, 7*k) }},
	"month": {store.Month, 12, func(t time.Time) time.Time { return t.AddDate(-1, 0, 0) }, func(t time.Time, k int) time.Time { return t.AddDate(0, k, 0) }},
	"year":  {store.Year, 5, func(t time.Time) time.Time { return t.AddDate(-1, 0, 0) }, func(t time.Time, k int) time.Time { return t.AddDate(k, 0, 0) }},
}

// chartBucketStart is the start of the bucket of step holding the day d (a local midnight).
func chartBucketStart(step string, d time.Time) time.Time {
	switch step {
	case "week":
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	case "month":
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, d.Location())
	case "year":
		return time.Date(d.Year(), 1, 1, 0, 0, 0, 0, d.Location())
	}
	return d
}

func chartMidnight(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// chartConsumption draws a series aggregated by step over the window ending on the day at, next to
// the same window one period earlier.
func (s *Server) chartConsumption(ctx context.Context, p gate.Principal, v *chartView, lg string, loc *time.Location, step string, at time.Time) error {
	all, err := s.gate.ListSeries(ctx, p)
	if err != nil {
		return err
	}
	sr, ok := chartSeries(all, v.Kind)
	if !ok || sr.Last == nil {
		v.Empty = chartText(lg, "charts.empty."+v.Kind)
		return nil
	}
	last := chartMidnight(*sr.Last, loc)
	if at.IsZero() {
		at = last
	}
	wd := chartWindows[step]
	end := at.AddDate(0, 0, 1) // the window is [from, end)
	from := wd.shift(chartBucketStart(step, at), -(wd.n - 1))
	if step == "day" {
		from = at.AddDate(0, 0, -(wd.n - 1))
	}
	agg := func(from, to time.Time) (map[string]float64, error) {
		bs, err := s.gate.Aggregate(ctx, p, sr.ID, store.Aggregation{From: from, To: to, Step: wd.step, Fn: store.Sum, Location: loc})
		if err != nil {
			return nil, err
		}
		m := map[string]float64{}
		for _, b := range bs {
			m[b.Start.In(loc).Format(time.DateOnly)] = b.Value
		}
		return m, nil
	}
	cur, err := agg(from, end)
	if err != nil {
		return err
	}
	prev, err := agg(wd.back(from), wd.back(end))
	if err != nil {
		return err
	}
	unit, factor := chartHumanUnit(sr.Unit)
	main, cmp := chart.Series{Name: chartText(lg, "charts.now")}, chart.Series{Name: chartText(lg, "charts.prev."+step)}
	var total, prevTotal, biggest float64
	for i := range wd.n {
		b := wd.shift(from, i)
		if step == "day" {
			b = from.AddDate(0, 0, i)
		}
		pb := wd.back(b)
		val, okV := cur[b.Format(time.DateOnly)]
		pval, okP := prev[pb.Format(time.DateOnly)]
		main.Points = append(main.Points, chartPoint(chartBucketLabel(step, b, lg), chartBucketShort(step, b, lg), val*factor, okV))
		cmp.Points = append(cmp.Points, chartPoint(chartBucketLabel(step, pb, lg), chartBucketShort(step, pb, lg), pval*factor, okP))
		total += val * factor
		prevTotal += pval * factor
		biggest = math.Max(biggest, math.Max(math.Abs(val*factor), math.Abs(pval*factor)))
	}
	dec := chartDecimals(biggest)
	change, prevShown := "–", "–"
	if len(prev) > 0 {
		prevShown = chartWithUnit(prevTotal, dec, unit, lg)
	}
	if prevTotal > 0 {
		change = fmt.Sprintf("%+.1f", (total-prevTotal)/prevTotal*100)
		change = strings.Replace(change, ".", map[bool]string{true: ",", false: "."}[lg == "fr"], 1) + "\u00a0%"
	}
	period := chartDateRange(from, at, lg)
	desc := fmt.Sprintf("%s %s : %s ; %s : %s (%s).", chartText(lg, "charts.total"), period, chartWithUnit(total, dec, unit, lg),
		strings.ToLower(chartText(lg, "charts.prev."+step)), prevShown, change)
	if lg != "fr" {
		desc = strings.ReplaceAll(strings.ReplaceAll(desc, " : ", ": "), " ; ", "; ")
	}
	c := chart.Bar{ID: "c-" + v.Kind, Title: v.Heading + " — " + period, Desc: desc, Unit: unit, Lang: lg, Decimals: dec, Series: main, Compare: &cmp}
	tbl := chartTable{Caption: v.Heading + " (" + unit + "), " + period,
		Head: []string{chartText(lg, "charts.period"), chartText(lg, "charts.now"), chartText(lg, "charts.prev."+step)}}
	for i := range main.Points {
		tbl.Rows = append(tbl.Rows, []string{main.Points[i].Label, chart.Format(main.Points[i].Value, dec, lg),
			cmp.Points[i].Label + " : " + chart.Format(cmp.Points[i].Value, dec, lg)})
	}
	tbl.Foot = []string{chartText(lg, "charts.total"), chart.Format(total, dec, lg), chart.Format(prevTotal, dec, lg)}
	v.Source = chartText(lg, "charts.source") + " « " + sr.Name + " »"
	if lg != "fr" {
		v.Source = chartText(lg, "charts.source") + " “" + sr.Name + "”"
	}
	v.Period = period
	v.Blocks = []chartBlock{{ID: "c-" + v.Kind, Heading: chartText(lg, "charts.step."+step) + " — " + period, SVG: c.SVG(), Table: tbl,
		Stats: []chartStat{
			{chartText(lg, "charts.total"), chartWithUnit(total, dec, unit, lg)},
			{chartText(lg, "charts.prev."+step), prevShown},
			{chartText(lg, "charts.change"), change},
		}}}
	link := func(step string, at time.Time) string {
		return "/charts/" + v.Kind + "?" + url.Values{"step": {step}, "at": {at.Format(time.DateOnly)}}.Encode()
	}
	for _, st := range []string{"day", "week", "month", "year"} {
		v.Steps = append(v.Steps, chartStepLink{Key: "charts.step." + st, Href: link(st, at), Current: st == step})
	}
	earlier, later := wd.shift(at, -wd.n), wd.shift(at, wd.n)
	if step == "day" {
		earlier, later = at.AddDate(0, 0, -wd.n), at.AddDate(0, 0, wd.n)
	}
	v.Prev = link(step, earlier)
	if at.Before(last) {
		if later.After(last) {
			later = last
		}
		v.Next = link(step, later)
	}
	return nil
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
