package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // the charts count days in Europe/Paris whatever the host's zone files

	"selfdata/internal/gate"
	"selfdata/internal/store"
	"selfdata/internal/web/chart"
)

// chartTexts are the words of the chart pages.
var chartTexts = map[string][2]string{ // key: {en, fr}
	"charts":                   {"Charts", "Graphiques"},
	"charts.intro":             {"Your consumption and your money over time, drawn from the data in your store.", "Votre consommation et votre argent au fil du temps, d'après les données de votre espace."},
	"charts.nodata":            {"no data yet", "pas encore de données"},
	"charts.electricity":       {"Electricity", "Électricité"},
	"charts.gas":               {"Gas", "Gaz"},
	"charts.water":             {"Water", "Eau"},
	"charts.bank":              {"Bank accounts", "Comptes bancaires"},
	"charts.bills":             {"Bills", "Factures"},
	"charts.t.electricity":     {"Electricity consumption", "Consommation d'électricité"},
	"charts.t.gas":             {"Gas consumption", "Consommation de gaz"},
	"charts.t.water":           {"Water consumption", "Consommation d'eau"},
	"charts.t.bank":            {"Bank balances and spending", "Soldes et dépenses bancaires"},
	"charts.t.bills":           {"Bills per month", "Factures par mois"},
	"charts.empty.electricity": {"No electricity consumption in your store yet. It appears once Enedis restores your meter's readings or you import a file.", "Pas encore de consommation d'électricité dans votre espace. Elle apparaîtra quand Enedis restituera les relevés de votre compteur ou quand vous importerez un fichier."},
	"charts.empty.gas":         {"No gas consumption in your store yet. It appears once GRDF restores your meter's readings or you import a file.", "Pas encore de consommation de gaz dans votre espace. Elle apparaîtra quand GRDF restituera les relevés de votre compteur ou quand vous importerez un fichier."},
	"charts.empty.water":       {"No water consumption in your store yet. It appears once your water utility restores your meter's readings or you import a file.", "Pas encore de consommation d'eau dans votre espace. Elle apparaîtra quand votre service des eaux restituera les relevés de votre compteur ou quand vous importerez un fichier."},
	"charts.empty.bank":        {"No bank account in your store yet. It appears once your bank restores it or you import a statement.", "Pas encore de compte bancaire dans votre espace. Il apparaîtra quand votre banque le restituera ou quand vous importerez un relevé."},
	"charts.empty.bills":       {"No bill in your store yet.", "Pas encore de facture dans votre espace."},
	"charts.step":              {"Group by", "Regrouper par"},
	"charts.step.day":          {"Day", "Jour"},
	"charts.step.week":         {"Week", "Semaine"},
	"charts.step.month":        {"Month", "Mois"},
	"charts.step.year":         {"Year", "Année"},
	"charts.window":            {"Period shown", "Période affichée"},
	"charts.earlier":           {"Earlier", "Avant"},
	"charts.later":             {"Later", "Après"},
	"charts.table":             {"See the numbers in a table", "Voir les chiffres dans un tableau"},
	"charts.total":             {"Total", "Total"},
	"charts.change":            {"Change", "Évolution"},
	"charts.period":            {"Period", "Période"},
	"charts.date":              {"Date", "Date"},
	"charts.category":          {"Category", "Catégorie"},
	"charts.amount":            {"Amount", "Montant"},
	"charts.month":             {"Month", "Mois"},
	"charts.now":               {"This period", "Cette période"},
	"charts.prev.day":          {"The 31 days before", "Les 31 jours d'avant"},
	"charts.prev.week":         {"Same weeks a year earlier", "Mêmes semaines un an plus tôt"},
	"charts.prev.month":        {"Same months a year earlier", "Mêmes mois un an plus tôt"},
	"charts.prev.year":         {"The year before", "L'année d'avant"},
	"charts.source":            {"From the series", "D'après la série"},
	"charts.balance":           {"Balance", "Solde"},
	"charts.balanceof":         {"Balance of", "Solde de"},
	"charts.spending":          {"Spending by category, last 12 months", "Dépenses par catégorie, 12 derniers mois"},
	"charts.spending.note":     {"Debits only; transfers to your savings are left out.", "Débits seulement ; les virements vers votre épargne ne sont pas comptés."},
	"charts.billed":            {"Total billed per month", "Total facturé par mois"},
	"charts.byvendor":          {"By vendor", "Par émetteur"},
	"charts.skipped":           {"records could not be read (amount or date malformed) and are left out.", "enregistrements illisibles (montant ou date mal formés) ne sont pas comptés."},

	"cat.groceries":   {"Groceries", "Courses"},
	"cat.restaurants": {"Restaurants", "Restaurants"},
	"cat.transport":   {"Transport", "Transports"},
	"cat.leisure":     {"Leisure", "Loisirs"},
	"cat.housing":     {"Housing", "Logement"},
	"cat.energy":      {"Energy", "Énergie"},
	"cat.telecom":     {"Telecom", "Télécoms"},
	"cat.insurance":   {"Insurance", "Assurance"},
	"cat.health":      {"Health", "Santé"},
	"cat.income":      {"Income", "Revenus"},
	"cat.savings":     {"Savings", "Épargne"},
	"cat.other":       {"Other", "Autre"},
	"cat.":            {"Uncategorized", "Sans catégorie"},
}

// chartKinds are the charts, in the order of the index page.
var chartKinds = []string{"electricity", "gas", "water", "bank", "bills"}

// chartText is a chart text in the page's language.
func chartText(lang, key string) string {
	m, ok := chartTexts[key]
	switch {
	case !ok:
		return key
	case lang == "fr":
		return m[1]
	}
	return m[0]
}

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
			return errorf(http.StatusBadRequest, "at: %q is not a date like 2025-01-31.", v)
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
		return errorf(http.StatusNotFound, "There is no chart %q; see /charts.", kind)
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

// chartFormatCents writes cents exactly, the way the language does.
func chartFormatCents(c int64, lg string) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	dec := "."
	if lg == "fr" {
		dec = ","
	}
	return sign + chart.Format(float64(c/100), 0, lg) + dec + fmt.Sprintf("%02d", c%100)
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
