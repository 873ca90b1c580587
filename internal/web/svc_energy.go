package web

// This file renders the Home energy service (internal/services/energy): the three kinds
// together for one period, the month's goal, the week's savings, the water meter's
// temperature, the checks and their alerts, and the person's own prices, goal and silenced
// alerts, which they write as themselves into their energy.settings document.

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/money"
	"selfdata/internal/services"
	"selfdata/internal/services/energy"
	"selfdata/internal/store"
	"selfdata/internal/web/chart"
)

const energyPath = "/services/" + services.Energy

func energyText(lg, key string) string { return textIn(energyTexts, lg, key) }

// energyPageView is what svc_energy.html shows; every number is already written out.
type energyPageView struct {
	Empty              bool
	Missing            string
	Steps              []chartStepLink
	Period, Prev, Next string
	Cards              []energyCard
	Total, TotalPrev   string
	Blocks             []chartBlock
	Goal               energyGoalView
	WeekIntro          string
	Week               []energyWeekLine
	Sources            []string
	Temp               *energyTempView
	Checks             []energyCheckView
	Alerts             []energyAlertLine
	Silence            []energySilenceForm
	Prices             []energyPriceForm
	GoalValue          string
	Done               string
	Bad                string // the field whose value was refused
}

type energyCard struct{ Kind, Name, Value, Partial, Prev, Change, Cost, PrevCost, Href string }

type energyGoalView struct {
	Lines  []string
	Meter  int // the share of the goal spent, 0 to 100, for the <meter>
	HasBar bool
}

type energyWeekLine struct{ Text, Equivalent string }

type energyTempView struct {
	Latest string
	Block  chartBlock
}

type energyCheckView struct {
	Kind, Name, Text string
	Raised, Silenced bool
	Links            []energyLink
}

type energyLink struct{ Href, Text string }

// energySilenceForm is one kind of alert and whether the person silenced it.
type energySilenceForm struct {
	Kind, Name string
	Silenced   bool
}

type energyAlertLine struct {
	ID, When, Text string
	Links          []energyLink
}

type energyPriceForm struct{ Kind, Name, Unit, UnitValue, SubValue, UnitNow, SubNow string }

// energyPage: GET /services/selfdata-energy[?step=&at=&done=], once switched on.
func (s *Server) energyPage(w http.ResponseWriter, r *http.Request, p gate.Principal, rd services.Reader) error {
	ctx, lg, loc := r.Context(), lang(r), displayZone()
	q := r.URL.Query()
	step, ok := energy.ParseStep(cmp.Or(q.Get("step"), "month"))
	if !ok {
		return errorf(http.StatusBadRequest, "step: use day, week, month or year.")
	}
	var at time.Time
	if v := q.Get("at"); v != "" {
		var err error
		if at, err = time.ParseInLocation(time.DateOnly, v, loc); err != nil {
			return errorf(http.StatusBadRequest, "at: %s is not a date like 2025-01-31.", input.Excerpt(v))
		}
	}
	bp, _, err := s.cons.BuiltIn(ctx, p.Instance, services.Energy)
	if err != nil {
		return err
	}
	src := energy.Source{Reader: rd, Readable: func(dt string) bool { return bp.Allows(dt, gate.Read) }, Loc: loc, Now: time.Now()}
	v, err := energy.Overview(ctx, src, step, at)
	if err != nil {
		return err
	}
	pv := energyPageView{Done: map[string]string{"silenced": "energy.done.silenced", "unsilenced": "energy.done.unsilenced", "settings": "energy.done.settings"}[q.Get("done")]}
	s.energyFill(&pv, v, lg)
	if s.alert != nil {
		all, err := s.alert.List(ctx, p.Instance, false, 0)
		if err != nil {
			return err
		}
		for _, al := range all {
			if al.Service == services.Energy && len(pv.Alerts) < 20 {
				pv.Alerts = append(pv.Alerts, energyAlertLine{ID: al.ID, When: formatInstant(al.Created, lg), Text: energyAlertText(lg, al), Links: energyLinks(lg, al.Kind, al.Params)})
			}
		}
	}
	return s.render(w, r, http.StatusOK, "svc_energy.html", page{Title: "svc." + services.Energy, Data: pv})
}

// energyFill writes out the computed view in the page's language.
func (s *Server) energyFill(pv *energyPageView, v energy.View, lg string) {
	step := string(v.Step)
	pv.Empty = len(v.Usages) == 0
	if len(v.Missing) > 0 && !pv.Empty {
		var names []string
		for _, k := range v.Missing {
			names = append(names, energyText(lg, "energy."+k))
		}
		pv.Missing = fmt.Sprintf(energyText(lg, "energy.missing"), strings.Join(names, ", "))
	}
	link := func(st energy.Step, at time.Time) string {
		return energyPath + "?" + url.Values{"step": {string(st)}, "at": {at.Format(time.DateOnly)}}.Encode()
	}
	for _, st := range energy.Steps {
		pv.Steps = append(pv.Steps, chartStepLink{Key: "charts.step." + string(st), Href: link(st, v.At), Current: st == v.Step})
	}
	pv.Prev = link(v.Step, v.Step.Add(v.At, -1))
	if v.At.Before(v.Latest) {
		next := v.Step.Add(v.At, 1)
		if next.After(v.Latest) {
			next = v.Latest
		}
		pv.Next = link(v.Step, next)
	}
	for _, u := range v.Usages {
		b := u.Last()
		name := energyText(lg, "energy."+u.Meter.Kind)
		dec := chartDecimals(math.Max(b.Value, b.Prev))
		c := energyCard{Kind: u.Meter.Kind, Name: name, Value: "–", Prev: energyText(lg, "energy.nocompare"), Change: "–", Cost: energyText(lg, "energy.nocost"),
			Href: "/charts/" + u.Meter.Kind + "?" + url.Values{"step": {step}, "at": {v.At.Format(time.DateOnly)}}.Encode()}
		pv.Period = chartBucketLabel(step, b.Start, lg)
		if b.Has {
			c.Value = chartWithUnit(b.Value, dec, u.Meter.Unit, lg)
			if b.Partial {
				c.Partial = fmt.Sprintf(energyText(lg, "energy.partial"), chartDateRange(b.From, b.To.Add(-time.Millisecond), lg))
			}
		}
		if b.HasPrev {
			c.Prev = chartWithUnit(b.Prev, dec, u.Meter.Unit, lg) + " (" + chartDateRange(b.PrevFrom, b.PrevTo.Add(-time.Millisecond), lg) + ")"
			if b.Prev > 0 {
				c.Change = chartPercent(b.Value/b.Prev-1, lg)
			}
		}
		if b.HasCost {
			c.Cost = energyMoney(b.Cost, lg)
			if b.HasPrev {
				c.PrevCost = energyMoney(b.PrevCost, lg)
			}
		}
		pv.Cards = append(pv.Cards, c)
		d := usageChart(u, lg, "e-"+u.Meter.Kind, name)
		pv.Blocks = append(pv.Blocks, chartBlock{ID: "e-" + u.Meter.Kind, Heading: name + " — " + d.period, Stats: d.stats, SVG: d.svg, Table: d.table, Note: d.note})
	}
	if v.Costed > 0 {
		pv.Total, pv.TotalPrev = energyMoney(v.Cost, lg), energyMoney(v.PrevCost, lg)
	}
	s.energyGoal(pv, v, lg)
	s.energyWeek(pv, v, lg)
	s.energyTemp(pv, v, lg)
	for _, f := range v.Findings {
		pv.Checks = append(pv.Checks, energyCheck(lg, f, v.Settings.Silenced[f.Kind]))
	}
	for _, k := range energy.AlertKinds {
		pv.Silence = append(pv.Silence, energySilenceForm{Kind: k, Name: energyText(lg, "energy.check."+k), Silenced: v.Settings.Silenced[k]})
	}
	for _, k := range energy.Kinds {
		p := v.Prices[k]
		own := v.Settings.Prices[k]
		f := energyPriceForm{Kind: k, Name: energyText(lg, "energy."+k), Unit: p.PriceUnit, UnitValue: own.UnitPrice, SubValue: own.Subscription}
		f.UnitNow = fmt.Sprintf(energyText(lg, "energy.now.unit"), energyPrice(p.Unit, p.UnitFrom != "", lg), p.PriceUnit, energyFrom(lg, p.UnitFrom, p.Bills, ""))
		f.SubNow = fmt.Sprintf(energyText(lg, "energy.now.sub"), energyPrice(p.Monthly, p.MonthlyFrom != "", lg), energyFrom(lg, p.MonthlyFrom, 0, p.Contract))
		pv.Prices = append(pv.Prices, f)
	}
	if v.Settings.HasGoal {
		pv.GoalValue = v.Settings.Goal.String()
	}
}

func energyFrom(lg, from string, bills int, contract string) string {
	switch from {
	case energy.FromSettings:
		return energyText(lg, "energy.from.settings")
	case energy.FromBills:
		if bills == 1 {
			return energyText(lg, "energy.from.bill")
		}
		return fmt.Sprintf(energyText(lg, "energy.from.bills"), bills)
	case energy.FromContract:
		return fmt.Sprintf(energyText(lg, "energy.from.contract"), contract)
	}
	return energyText(lg, "energy.from.none")
}

func energyPrice(a money.Amount, ok bool, lg string) string {
	if !ok {
		return "–"
	}
	return energyMoney(a, lg)
}

func energyMoney(a money.Amount, lg string) string {
	s, _ := formatMoney(a.String(), "EUR", lg)
	return s
}

func energyDays(lg string, n int) string {
	if pluralForm(lg, int64(n)) == "one" {
		return fmt.Sprintf(energyText(lg, "energy.day"), n)
	}
	return fmt.Sprintf(energyText(lg, "energy.days"), n)
}

func (s *Server) energyGoal(pv *energyPageView, v energy.View, lg string) {
	g := v.Goal
	month := chartBucketLabel("month", g.Month, lg)
	switch {
	case len(v.Usages) == 0:
		return
	case !g.Known && len(g.Unpriced) > 0:
		var names []string
		for _, k := range g.Unpriced {
			names = append(names, energyText(lg, "energy."+k))
		}
		pv.Goal.Lines = []string{fmt.Sprintf(energyText(lg, "energy.goal.unpriced"), strings.Join(names, ", "))}
		return
	case !g.Known:
		return
	case g.Set:
		pv.Goal.Lines = []string{fmt.Sprintf(energyText(lg, "energy.goal.spent"), energyMoney(g.Spent, lg), energyDays(lg, g.Days), g.Of, month, g.Percent, energyMoney(g.Goal, lg))}
		pv.Goal.Meter, pv.Goal.HasBar = min(100, max(0, g.Percent)), true
	default:
		pv.Goal.Lines = []string{fmt.Sprintf(energyText(lg, "energy.goal.nogoal"), energyMoney(g.Spent, lg), energyDays(lg, g.Days), g.Of, month), energyText(lg, "energy.goal.none")}
	}
	if g.Days < g.Of {
		pv.Goal.Lines = append(pv.Goal.Lines, fmt.Sprintf(energyText(lg, "energy.goal.pace"), energyMoney(g.Projected, lg)))
	}
	if g.Set {
		key := "energy.goal.under"
		if g.Over {
			key = "energy.goal.over"
		}
		pv.Goal.Lines = append(pv.Goal.Lines, fmt.Sprintf(energyText(lg, key), g.ProjectedP))
	}
}

func (s *Server) energyWeek(pv *energyPageView, v energy.View, lg string) {
	seen := map[string]bool{}
	for _, sv := range v.Savings {
		if pv.WeekIntro == "" {
			pv.WeekIntro = fmt.Sprintf(energyText(lg, "energy.week.intro"), chartDateRange(sv.From, sv.To, lg))
		}
		name := energyText(lg, "energy."+sv.Supply)
		dec := chartDecimals(math.Max(sv.Last, sv.Then))
		diff := chartWithUnit(math.Abs(sv.Saved), dec, sv.Unit, lg)
		last, then := chartWithUnit(sv.Last, dec, sv.Unit, lg), chartWithUnit(sv.Then, dec, sv.Unit, lg)
		var line energyWeekLine
		switch {
		case chart.Format(sv.Saved, dec, lg) == chart.Format(0, dec, lg):
			line.Text = fmt.Sprintf(energyText(lg, "energy.week.same"), name, last)
		case sv.Saved > 0:
			line.Text = fmt.Sprintf(energyText(lg, "energy.week.saved"), name, diff, last, then)
		default:
			line.Text = fmt.Sprintf(energyText(lg, "energy.week.more"), name, diff, last, then)
		}
		for _, e := range sv.Equivalents {
			if e.Count < 0.5 {
				continue
			}
			line.Equivalent = fmt.Sprintf(energyText(lg, "energy.eq."+e.Key), chart.Format(e.Count, 0, lg))
			if sv.Saved < 0 {
				line.Equivalent += " " + energyText(lg, "energy.more")
			}
			if !seen[e.Source] {
				seen[e.Source] = true
				pv.Sources = append(pv.Sources, energyText(lg, "energy.src."+e.Source))
			}
		}
		pv.Week = append(pv.Week, line)
	}
}

func (s *Server) energyTemp(pv *energyPageView, v energy.View, lg string) {
	t := v.Temperature
	if t == nil || len(t.Days) == 0 {
		return
	}
	tv := &energyTempView{Latest: fmt.Sprintf(energyText(lg, "energy.temp.latest"), chart.Format(t.Latest, 1, lg), formatInstant(t.LatestAt, lg))}
	lo, hi := chart.Series{Name: energyText(lg, "energy.temp.min")}, chart.Series{Name: energyText(lg, "energy.temp.max")}
	ranges := false // a meter read once a day has no range: one line then
	tbl := chartTable{Caption: energyText(lg, "energy.temp") + " (°C)", Head: []string{energyText(lg, "energy.temp.day"), lo.Name, hi.Name}}
	for _, d := range t.Days {
		label := chartDate(d.Date, lg)
		lo.Points = append(lo.Points, chart.Point{Label: label, Short: fmt.Sprint(d.Date.Day()), Value: d.Min})
		hi.Points = append(hi.Points, chart.Point{Label: label, Short: fmt.Sprint(d.Date.Day()), Value: d.Max})
		tbl.Rows = append(tbl.Rows, []string{label, chart.Format(d.Min, 1, lg), chart.Format(d.Max, 1, lg)})
		ranges = ranges || d.Max != d.Min
	}
	c := chart.Line{ID: "e-temp", Title: energyText(lg, "energy.temp"), Unit: "°C", Lang: lg, Decimals: 1, Series: lo}
	if ranges {
		c.Compare = &hi
	} else {
		c.Series.Name = ""
		tbl.Head, tbl.Rows = tbl.Head[:2], nil
		tbl.Head[1] = "°C"
		for _, d := range t.Days {
			tbl.Rows = append(tbl.Rows, []string{chartDate(d.Date, lg), chart.Format(d.Min, 1, lg)})
		}
	}
	tv.Block = chartBlock{ID: "e-temp", Heading: energyText(lg, "energy.temp"), SVG: c.SVG(), Table: tbl, Note: energyText(lg, "energy.temp.note")}
	pv.Temp = tv
}

// energyCheck words one check's finding, raised or not.
func energyCheck(lg string, f energy.Finding, silenced bool) energyCheckView {
	c := energyCheckView{Kind: f.Kind, Name: energyText(lg, "energy.check."+f.Kind), Raised: f.Raised, Silenced: silenced}
	if f.Kind == energy.KindExcess {
		c.Name += " — " + energyText(lg, "energy."+f.Supply)
	}
	switch {
	case f.Raised:
		c.Text = energyAlertText(lg, store.Alert{Kind: f.Kind, Params: f.Params})
		params := map[string]string{"series": f.Series}
		for k, v := range f.Params {
			params[k] = v
		}
		c.Links = energyLinks(lg, f.Kind, params)
	case f.Leak != nil:
		l := f.Leak
		switch {
		case l.CannotTell:
			c.Text = energyText(lg, "energy.leak.cannot")
		case len(l.Nights) == 0:
			c.Text = energyText(lg, "energy.leak.old")
		case l.Run == 1:
			c.Text = fmt.Sprintf(energyText(lg, "energy.leak.watch1"), chart.Format(l.Flow, 1, lg), energy.LeakNights)
		case l.Run > 1:
			c.Text = fmt.Sprintf(energyText(lg, "energy.leak.watch"), l.Run, chart.Format(l.Flow, 1, lg), energy.LeakNights)
		default:
			c.Text = energyText(lg, "energy.leak.none")
		}
	case f.Excess != nil:
		name := energyText(lg, "energy."+f.Supply)
		e := f.Excess
		if !e.Known {
			c.Text = fmt.Sprintf(energyText(lg, "energy.excess.unknown"), name)
			break
		}
		dec := chartDecimals(math.Max(e.Last, e.Usual))
		c.Text = fmt.Sprintf(energyText(lg, "energy.excess.ok"), name, chartWithUnit(e.Last, dec, f.Unit, lg), chart.Format(e.Ratio, 1, lg), chartWithUnit(e.Usual, dec, f.Unit, lg))
	case f.Freeze != nil:
		if !f.Freeze.Known {
			c.Text = energyText(lg, "energy.freeze.unknown")
			break
		}
		c.Text = fmt.Sprintf(energyText(lg, "energy.freeze.ok"), chart.Format(f.Freeze.Min, 1, lg), formatDay(f.Freeze.Day, lg))
	}
	return c
}

// energyAlertText words an alert of the Home energy service from its evidence, in the
// page's language; "" for an alert of another kind.
func energyAlertText(lg string, al store.Alert) string {
	p := al.Params
	switch al.Kind {
	case energy.KindLeak:
		return fmt.Sprintf(energyText(lg, "energy.alert.leak"), p["nights"], formatDate(p["since"], lg), energyNum(p["flow"], lg))
	case energy.KindExcess:
		unit := p["unit"]
		return fmt.Sprintf(energyText(lg, "energy.alert.excess"), energyText(lg, "energy.of."+p["supply"]), energyNum(p["last"], lg)+"\u00a0"+unit,
			formatDate(p["from"], lg), formatDate(p["to"], lg), energyNum(p["ratio"], lg), energyNum(p["usual"], lg)+"\u00a0"+unit, p["weeks"])
	case energy.KindFreeze:
		return fmt.Sprintf(energyText(lg, "energy.alert.freeze"), energyNum(p["min"], lg), formatDate(p["day"], lg))
	}
	return ""
}

// energyNum writes a number kept in an alert's evidence ("2.0", "1234") the language's way.
func energyNum(s, lg string) string {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	dec := 0
	if _, frac, ok := strings.Cut(s, "."); ok {
		dec = len(frac)
	}
	return chart.Format(v, dec, lg)
}

// energyLinks lead from an alert to the readings it rests on: the chart of the days, and
// the readings themselves.
func energyLinks(lg, kind string, p map[string]string) []energyLink {
	chartOf := func(supply, day string) energyLink {
		return energyLink{"/charts/" + supply + "?" + url.Values{"step": {"day"}, "at": {day}}.Encode(), energyText(lg, "energy.see.chart")}
	}
	readings := func(from, to string) energyLink {
		return energyLink{"/api/v1/series/" + url.PathEscape(p["series"]) + "/readings?" + url.Values{"from": {from}, "to": {to}, "tz": {"Europe/Paris"}}.Encode(), energyText(lg, "energy.see.readings")}
	}
	var out []energyLink
	switch kind {
	case energy.KindLeak:
		out = append(out, chartOf(energy.Water, p["since"]))
		if p["series"] != "" && p["from"] != "" {
			out = append(out, readings(p["from"], p["to"]))
		}
	case energy.KindExcess:
		out = append(out, chartOf(p["supply"], p["to"]))
	case energy.KindFreeze:
		out = append(out, energyLink{energyPath + "#temperature", energyText(lg, "energy.temp")})
		if p["series"] != "" {
			out = append(out, readings(p["day"], nextDay(p["day"])))
		}
	}
	return out
}

func nextDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, 1).Format(time.DateOnly)
}

// energySettings reads the person's settings document, as themselves, for a change.
func (s *Server) energySettings(r *http.Request, p gate.Principal) (energy.Settings, error) {
	return energy.ReadSettings(r.Context(), energy.Source{Reader: services.Through(s.gate, p)})
}

// energySave writes the settings as the person: a new document the first time, a new
// revision after.
func (s *Server) energySave(r *http.Request, p gate.Principal, set energy.Settings) error {
	if set.ID == "" {
		_, err := s.gate.Create(r.Context(), p, energy.SettingsDoctype, []gate.Input{{ID: energy.SettingsID, Data: set.JSON()}}, p.Source("", s.gate))
		return err
	}
	_, err := s.gate.Update(r.Context(), p, energy.SettingsDoctype, set.ID, set.Rev, set.JSON())
	if errors.Is(err, store.ErrConflict) {
		return errorf(http.StatusConflict, "Your energy settings changed in another window meanwhile; reload the page and try again.")
	}
	return err
}

// energySettingsPost: POST /services/selfdata-energy/settings (csrf, electricity.unit,
// electricity.sub, gas.unit, gas.sub, water.unit, water.sub, goal): every field is read
// before anything is written; a bad one is a 400 naming it, and nothing changes.
func (s *Server) energySettingsPost(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	set, err := s.energySettings(r, p)
	if err != nil {
		return err
	}
	read := func(field string, decimals int) (string, error) {
		v, err := energy.ParsePrice(strings.TrimSpace(r.PostFormValue(field)), decimals)
		if err != nil {
			return "", errorf(http.StatusBadRequest, "%s: %s is not a price: write it like 0.2016, without a minus sign, with at most %d decimals.", field, input.Excerpt(r.PostFormValue(field)), decimals)
		}
		return v, nil
	}
	for _, k := range energy.Kinds {
		unit, err := read(k+".unit", 6)
		if err != nil {
			return err
		}
		sub, err := read(k+".sub", 2)
		if err != nil {
			return err
		}
		set.Prices[k] = energy.OwnPrice{UnitPrice: unit, Subscription: sub}
	}
	goal, err := read("goal", 2)
	if err != nil {
		return err
	}
	set.HasGoal = goal != ""
	if set.HasGoal {
		set.Goal = money.MustParse(goal)
	}
	if err := s.energySave(r, p, set); err != nil {
		return err
	}
	http.Redirect(w, r, energyPath+"?done=settings#prices", http.StatusSeeOther)
	return nil
}

// energySilencePost: POST /services/selfdata-energy/silence (csrf, kind, silence=1|0) —
// the person silences a kind of alert, or asks to be warned again.
func (s *Server) energySilencePost(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	kind := r.PostFormValue("kind")
	if !slices.Contains(energy.AlertKinds, kind) {
		return errorf(http.StatusBadRequest, "kind: %s is not a kind of alert; use leak, excess or freeze.", input.Excerpt(kind))
	}
	on := r.PostFormValue("silence")
	if on != "1" && on != "0" {
		return errorf(http.StatusBadRequest, "silence: use 1 to silence, 0 to be warned again.")
	}
	set, err := s.energySettings(r, p)
	if err != nil {
		return err
	}
	set.Silenced[kind] = on == "1"
	if err := s.energySave(r, p, set); err != nil {
		return err
	}
	done := map[string]string{"1": "silenced", "0": "unsilenced"}[on]
	http.Redirect(w, r, energyPath+"?done="+done+"#checks", http.StatusSeeOther)
	return nil
}
