package web

import (
	"fmt"
	"strings"
	"time"

	"selfdata/internal/services/signoflife"
)

// reportView is a sign-of-life report in words: what a relative sees (and the person, of
// what each relative sees). Only states and times: never a reading, never an amount.
type reportView struct {
	Expect    string // today's expected hour, "10:00"
	Today     []signalView
	Yesterday *signalView
	Quiet     bool // no activity by the expected hour
}

// signalView is one signal in words.
type signalView struct {
	Kind   string // signoflife.UsualActivity...
	Label  string // "Usual activity today"
	State  string // yes, no, not_yet, unknown: the class of its badge
	Word   string // "Yes", "Not yet"...
	Detail string // since when, or why it is not known
	From   string // what it was derived from
}

// reportView puts rep in lang's words.
func (s *Server) reportView(lg string, rep signoflife.Report) reportView {
	v := reportView{Expect: clock(rep.Expect.Hour()), Quiet: rep.Quiet}
	for _, sig := range rep.Today {
		v.Today = append(v.Today, s.signalView(lg, sig, "today", rep.Expect))
	}
	if rep.Yesterday != nil {
		y := s.signalView(lg, *rep.Yesterday, "yesterday", rep.Expect.AddDate(0, 0, -1))
		v.Yesterday = &y
	}
	return v
}

// signalView puts one signal in words; when is "today" or "yesterday", expect the day's
// expected hour.
func (s *Server) signalView(lg string, sig signoflife.Signal, when string, expect time.Time) signalView {
	v := signalView{Kind: sig.Kind, Label: s.t(lg, "sol.kind."+sig.Kind+"."+when), State: string(sig.State), Word: s.t(lg, "sol.state."+string(sig.State))}
	switch sig.State {
	case signoflife.Yes:
		v.Detail = fmt.Sprintf(s.t(lg, "sol.since"), moment(sig.Since, sig.Day, lg))
	case signoflife.No:
		v.Detail = fmt.Sprintf(s.t(lg, "sol.nothingby"), moment(sig.Since, sig.Day, lg))
	case signoflife.NotYet:
		v.Detail = fmt.Sprintf(s.t(lg, "sol.expected"), moment(expect, sig.Day, lg))
		if !sig.Until.IsZero() {
			v.Detail += " · " + fmt.Sprintf(s.t(lg, "sol.until"), moment(sig.Until, sig.Day, lg))
		}
	default:
		switch {
		case len(sig.Doctypes) == 0:
			v.Detail = s.t(lg, "sol.nometer."+sig.Kind)
		case sig.Until.IsZero():
			v.Detail = s.t(lg, "sol.noreadings")
		case sig.Until.Equal(sig.Day):
			v.Detail = s.t(lg, "sol.nosince.midnight") // the readings of many meters come the next day
		case sig.Until.Before(sig.Day):
			v.Detail = fmt.Sprintf(s.t(lg, "sol.nosince"), formatInstant(sig.Until, lg))
		default:
			v.Detail = fmt.Sprintf(s.t(lg, "sol.until"), moment(sig.Until, sig.Day, lg))
		}
	}
	var from []string
	for _, dt := range sig.Doctypes {
		if d, ok := s.gate.Registry().Get(dt); ok {
			from = append(from, labelIn(lg, d.Label))
		}
	}
	if len(from) > 0 {
		v.From = fmt.Sprintf(s.t(lg, "sol.from"), strings.Join(from, ", "))
	}
	return v
}

// moment writes an instant as a time of day when it falls on day (or is its end, 24:00),
// and with its date otherwise.
func moment(t, day time.Time, lg string) string {
	l := t.In(day.Location())
	switch {
	case l.Year() == day.Year() && l.YearDay() == day.YearDay():
		return l.Format("15:04")
	case l.Equal(day.AddDate(0, 0, 1)):
		return "24:00"
	}
	return formatInstant(t, lg)
}
