package web

// This file renders "My communication time" (services.Communication): the report that
// internal/services/communication computes, in words, charts and tables. It adds nothing up
// itself; it picks the last days to draw and writes durations, counts and dates in the
// person's language, in Europe/Paris time.

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/services/communication"
	"selfdata/internal/web/chart"
)

// commView is what svc_communication.html shows.
type commView struct {
	Empty      bool
	Based      string      // what the page rests on: how many records, from whom, over when
	Stats      []chartStat // the year's totals
	Trend      *commTrendView
	Blocks     []chartBlock
	Kinds      chartTable
	Roaming    string
	Unreadable string
}

// commTrendView is this week in words.
type commTrendView struct {
	Period     string
	Sentence   string
	Caption    string
	Head       []string
	Rows       []commTrendRow
	Suggestion string
}

// commTrendRow is one measure: this week, how it compares, and the usual.
type commTrendRow struct{ Label, Now, Change, Usual string }

// communicationPage: GET /services/{id} for services.Communication, once switched on.
func (s *Server) communicationPage(w http.ResponseWriter, r *http.Request, _ gate.Principal, rd services.Reader) error {
	recs, unreadable, err := communication.Read(r.Context(), rd)
	if err != nil {
		return err
	}
	rep := communication.Summarize(recs, time.Now(), displayZone())
	rep.Unreadable = unreadable
	return s.render(w, r, http.StatusOK, "svc_communication.html", page{Title: "svc." + services.Communication, Data: commBuild(rep, lang(r))})
}

// commBuild lays the report out for the page.
func commBuild(rep communication.Report, lg string) commView {
	t := func(key string) string { return textIn(communicationTexts, lg, key) }
	var v commView
	if rep.Unreadable > 0 {
		v.Unreadable = commCount(lg, t("comm.n.unreadable"), rep.Unreadable)
	}
	if rep.Records == 0 {
		v.Empty = true
		return v
	}
	from, to := rep.First.In(displayZone()), rep.Last.In(displayZone())
	v.Based = fmt.Sprintf(t("comm.based"), commCount(lg, t("comm.n.record"), rep.Records), commList(lg, rep.Operators), chartDate(from, lg), chartDate(to, lg))
	v.Stats = []chartStat{
		{t("comm.calltime"), commDuration(rep.Total.CallTime)},
		{t("comm.calls"), commCount(lg, t("comm.n.call"), rep.Total.Calls)},
		{t("comm.sms"), commCount(lg, t("comm.n.sms"), rep.Total.SMS)},
		{t("comm.data"), formatBytes(rep.Total.DataBytes, lg)},
	}
	if rep.Trend != nil {
		v.Trend = commTrendBuild(rep, lg)
	}
	if rep.RoamingDays > 0 {
		v.Roaming = fmt.Sprintf(t("comm.roaming"), commCount(lg, t("comm.n.day"), rep.RoamingDays))
	}
	if len(rep.Weeks) > 0 {
		v.Blocks = append(v.Blocks, commWeeksBlock(rep.Weeks, lg))
	}
	v.Blocks = append(v.Blocks, commDaysBlock(rep, lg), commHoursBlock(rep, lg))
	v.Kinds = chartTable{Caption: t("comm.kinds"), Head: []string{t("comm.kind"), t("comm.count"), t("comm.amount")}, Rows: [][]string{
		{t("comm.calls"), groupDigits(strconv.Itoa(rep.Total.Calls), lg), commDuration(rep.Total.CallTime)},
		{t("comm.sms"), groupDigits(strconv.Itoa(rep.Total.SMS), lg), "—"},
		{t("comm.datasessions"), groupDigits(strconv.Itoa(rep.Total.DataSessions), lg), formatBytes(rep.Total.DataBytes, lg)},
	}}
	return v
}

// commTrendBuild says how the last seven days compare with the weeks before, and offers
// the suggestion when there is one.
func commTrendBuild(rep communication.Report, lg string) *commTrendView {
	t := func(key string) string { return textIn(communicationTexts, lg, key) }
	tr := rep.Trend
	last := tr.This.End.AddDate(0, 0, -1)
	v := &commTrendView{Period: commRange(tr.This.Start.In(displayZone()), last.In(displayZone()), lg),
		Caption: t("comm.trend.caption"), Head: []string{t("comm.measure"), t("comm.thisweek"), t("comm.usual")}}
	weeks := commCount(lg, t("comm.n.weeksbefore"), tr.Previous)
	dur := func(n int64) string { return commDuration(time.Duration(n)) }
	count := func(n int64) string { return groupDigits(strconv.FormatInt(n, 10), lg) } // the row says what
	bytes := func(n int64) string { return formatBytes(n, lg) }

	m := tr.CallTime
	switch m.Direction {
	case communication.Unknown:
		v.Sentence = fmt.Sprintf(t("comm.trend.unknown"), dur(m.ThisWeek))
	case communication.Quiet:
		v.Sentence = fmt.Sprintf(t("comm.trend.quiet"), weeks)
	case communication.Started:
		v.Sentence = fmt.Sprintf(t("comm.trend.started"), dur(m.ThisWeek), weeks)
	case communication.Same:
		v.Sentence = fmt.Sprintf(t("comm.trend.same"), dur(m.ThisWeek), weeks, dur(m.Usual))
	case communication.More:
		v.Sentence = fmt.Sprintf(t("comm.trend.more"), dur(m.ThisWeek), commPercent(m.Percent, lg), weeks, dur(m.Usual))
	case communication.Less:
		v.Sentence = fmt.Sprintf(t("comm.trend.less"), dur(m.ThisWeek), commPercent(-m.Percent, lg), weeks, dur(m.Usual))
	}
	for _, l := range []struct {
		key string
		m   communication.Measure
		f   func(int64) string
	}{
		{"comm.calltime", tr.CallTime, dur},
		{"comm.calls", tr.Calls, count},
		{"comm.sms", tr.SMS, count},
		{"comm.data", tr.Data, bytes},
	} {
		usual := "—"
		if l.m.Direction != communication.Unknown {
			usual = l.f(l.m.Usual)
		}
		v.Rows = append(v.Rows, commTrendRow{Label: t(l.key), Now: l.f(l.m.ThisWeek), Change: commChange(l.m, lg), Usual: usual})
	}
	if sg := rep.Suggestion; sg != nil {
		v.Suggestion = fmt.Sprintf(t("comm.suggest"), commPercent(sg.Percent, lg)) + " " + t(fmt.Sprintf("comm.suggest.%d", sg.Part))
	}
	return v
}

// commChange is how a measure of this week compares with its usual, in a few words.
func commChange(m communication.Measure, lg string) string {
	t := func(key string) string { return textIn(communicationTexts, lg, key) }
	switch m.Direction {
	case communication.More:
		return fmt.Sprintf(t("comm.cmp.more"), commPercent(m.Percent, lg))
	case communication.Less:
		return fmt.Sprintf(t("comm.cmp.less"), commPercent(-m.Percent, lg))
	case communication.Same:
		return t("comm.cmp.same")
	case communication.Started:
		return t("comm.cmp.started")
	case communication.Quiet:
		return t("comm.cmp.quiet")
	}
	return "—"
}

// commRange writes the days from first to last, both included, without saying a month or
// a year twice: "8 – 14 Jun 2025", "28 May – 3 Jun 2025".
func commRange(first, last time.Time, lg string) string {
	months := chartMonthsShort[chartLangIdx(lg)]
	switch {
	case first.Year() != last.Year():
		return chartDateRange(first, last, lg)
	case first.Month() != last.Month():
		return fmt.Sprintf("%d %s – %s", first.Day(), months[first.Month()-1], chartDate(last, lg))
	}
	return fmt.Sprintf("%d – %s", first.Day(), chartDate(last, lg))
}

// commMinutes is a duration in minutes, for a chart's bars.
func commMinutes(d time.Duration) float64 { return d.Minutes() }

func commWeeksBlock(ws []communication.Week, lg string) chartBlock {
	t := func(key string) string { return textIn(communicationTexts, lg, key) }
	var pts []chart.Point
	tbl := chartTable{Caption: t("comm.weekly"), Head: []string{t("comm.week"), t("comm.calltime"), t("comm.calls"), t("comm.sms"), t("comm.data")}}
	for _, w := range ws {
		start, last := w.Start.In(displayZone()), w.End.AddDate(0, 0, -1).In(displayZone())
		label := chartDateRange(start, last, lg)
		pts = append(pts, chart.Point{Label: label, Short: chartBucketShort("week", start, lg), Value: commMinutes(w.CallTime)})
		tbl.Rows = append(tbl.Rows, []string{label, commDuration(w.CallTime), strconv.Itoa(w.Calls), strconv.Itoa(w.SMS), formatBytes(w.DataBytes, lg)})
	}
	b := chart.Bar{ID: "c-comm-weeks", Title: t("comm.weekly"), Unit: "min", Lang: lg, Series: chart.Series{Name: t("comm.calltime"), Points: pts}}
	return chartBlock{ID: "comm-weeks", Heading: t("comm.weekly"), Note: t("comm.weekly.note"), SVG: b.SVG(), Table: tbl}
}

// commDays is how many of the last days the daily chart draws.
const commDays = 31

func commDaysBlock(rep communication.Report, lg string) chartBlock {
	t := func(key string) string { return textIn(communicationTexts, lg, key) }
	// The full days up to Through, the last commDays of them.
	days := rep.Days
	n := 0
	for n < len(days) && days[n].Start.Before(rep.Through) {
		n++
	}
	if n > 0 {
		days = days[:n]
	}
	days = days[max(0, len(days)-commDays):]
	var pts []chart.Point
	tbl := chartTable{Caption: t("comm.daily"), Head: []string{t("comm.day"), t("comm.calltime"), t("comm.calls"), t("comm.sms"), t("comm.data")}}
	for _, d := range days {
		day := d.Start.In(displayZone())
		label := commWeekday(day, lg) + " " + chartDate(day, lg)
		pts = append(pts, chart.Point{Label: label, Short: strconv.Itoa(day.Day()), Value: commMinutes(d.CallTime)})
		tbl.Rows = append(tbl.Rows, []string{label, commDuration(d.CallTime), strconv.Itoa(d.Calls), strconv.Itoa(d.SMS), formatBytes(d.DataBytes, lg)})
	}
	b := chart.Bar{ID: "c-comm-days", Title: t("comm.daily"), Unit: "min", Lang: lg, Series: chart.Series{Name: t("comm.calltime"), Points: pts}}
	return chartBlock{ID: "comm-days", Heading: t("comm.daily"), SVG: b.SVG(), Table: tbl}
}

func commHoursBlock(rep communication.Report, lg string) chartBlock {
	t := func(key string) string { return textIn(communicationTexts, lg, key) }
	var pts []chart.Point
	tbl := chartTable{Caption: t("comm.hourly"), Head: []string{t("comm.hour"), t("comm.calltime"), t("comm.calls"), t("comm.sms")}}
	for _, h := range rep.Hours {
		label := commHour(h.Hour, lg) + " – " + commHour(h.Hour+1, lg)
		pts = append(pts, chart.Point{Label: label, Short: commHour(h.Hour, lg), Value: commMinutes(h.CallTime)})
		tbl.Rows = append(tbl.Rows, []string{label, commDuration(h.CallTime), strconv.Itoa(h.Calls), strconv.Itoa(h.SMS)})
	}
	b := chart.Bar{ID: "c-comm-hours", Title: t("comm.hourly"), Unit: "min", Lang: lg, Series: chart.Series{Name: t("comm.calltime"), Points: pts}}
	return chartBlock{ID: "comm-hours", Heading: t("comm.hourly"), Note: t("comm.hourly.note"), SVG: b.SVG(), Table: tbl}
}

// commHour writes an hour of the day: "18 h" in French, "18:00" in English.
func commHour(h int, lg string) string {
	if lg == "fr" {
		return strconv.Itoa(h) + "\u00a0h"
	}
	return fmt.Sprintf("%02d:00", h)
}

var commWeekdays = [2][7]string{
	{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
	{"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."},
}

func commWeekday(d time.Time, lg string) string { return commWeekdays[chartLangIdx(lg)][d.Weekday()] }

// commDuration writes a length of time in words, to the minute: "30 h 12 min", "12 min",
// "45 s" under a minute.
func commDuration(d time.Duration) string {
	if d = d.Round(time.Second); d < time.Minute {
		return strconv.Itoa(int(d/time.Second)) + "\u00a0s"
	}
	m := int64(d.Round(time.Minute) / time.Minute)
	if m < 60 {
		return strconv.FormatInt(m, 10) + "\u00a0min"
	}
	return strconv.FormatInt(m/60, 10) + "\u00a0h\u00a0" + strconv.FormatInt(m%60, 10) + "\u00a0min"
}

// commCount writes a count with its noun, from a text "%s call|%s calls": the first form
// for the plural form "one" (pluralForm: 1, and in French 0), the second for the others.
func commCount(lg, forms string, n int) string {
	one, other, ok := strings.Cut(forms, "|")
	if !ok {
		other = one
	}
	f := other
	if pluralForm(lg, int64(n)) == "one" {
		f = one
	}
	if !strings.Contains(f, "%s") { // "the week before": the number is in the words
		return f
	}
	return fmt.Sprintf(f, formatInt(int64(n), lg)) // "2 354" on one line: a narrow no-break space
}

// commPercent writes a percentage as formatPercent does: "40%", "40 %" (a narrow no-break
// space in French).
func commPercent(p int, lg string) string {
	return formatPercent(float64(p), 0, lg)
}

// commList joins names: "A", "A and B", "A, B and C" — or "A; B and C" when a name holds
// a comma of its own ("Dr Lefèvre, médecin généraliste").
func commList(lg string, names []string) string {
	and, sep := " and ", ", "
	if lg == "fr" {
		and = " et "
	}
	if slices.ContainsFunc(names, func(n string) bool { return strings.Contains(n, ",") }) {
		sep = "; "
		if lg == "fr" {
			sep = "\u202f; " // a narrow no-break space, as French writes it
		}
	}
	switch len(names) {
	case 0:
		return "—"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], sep) + and + names[len(names)-1]
}
