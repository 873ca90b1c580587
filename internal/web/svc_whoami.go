package web

// This file renders "Who am I" (services.WhoAmI): the portrait internal/services/whoami
// draws, each statement written in the person's language with links to the records it rests
// on and the names of who holds them. It computes nothing: it writes the statements' values.

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/services/whoami"
)

// whoamiView is what svc_whoami.html shows.
type whoamiView struct {
	Sections   []whoamiSection
	NotAllowed string // the categories of data the service may not read, in words
	Unreadable string
}

type whoamiSection struct {
	ID, Heading string
	Statements  []whoamiStatement
	Note        string // why it says nothing, or what it did not read
}

type whoamiStatement struct {
	Text      string
	Sensitive bool
	Holders   []whoamiHolder // who holds the records it rests on, each with links to them
}

// whoamiHolder is one source of a statement's records: its name and the links to them.
type whoamiHolder struct {
	Name  string
	Links []whoamiLink
}

type whoamiLink struct{ Href, Text string }

// whoAmIPage: GET /services/{id} for services.WhoAmI, once switched on. The grant says
// which doctypes the service may read; it asks the gate for those only.
func (s *Server) whoAmIPage(w http.ResponseWriter, r *http.Request, p gate.Principal, rd services.Reader) error {
	bp, _, err := s.cons.BuiltIn(r.Context(), p.Instance, services.WhoAmI)
	if err != nil {
		return err
	}
	allowed := func(dt string) bool {
		return slices.ContainsFunc(bp.Scopes, func(sc gate.Scope) bool { return sc.Doctype == dt && sc.Read })
	}
	portrait, err := whoami.Build(r.Context(), rd, allowed, time.Now(), displayZone())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "svc_whoami.html", page{Title: "svc." + services.WhoAmI, Data: s.whoamiBuild(portrait, lang(r))})
}

// whoamiBuild writes the portrait in lg.
func (s *Server) whoamiBuild(p whoami.Portrait, lg string) whoamiView {
	var v whoamiView
	for _, sec := range p.Sections {
		ws := whoamiSection{ID: "whoami-" + string(sec.Category), Heading: s.t(lg, "whoami."+string(sec.Category))}
		for _, st := range sec.Statements {
			ws.Statements = append(ws.Statements, s.whoamiStatement(st, lg))
		}
		missing := commList(lg, s.whoamiLabels(sec.Missing, lg))
		switch {
		case len(sec.Missing) == len(sec.Doctypes):
			ws.Note = fmt.Sprintf(s.t(lg, "whoami.closed"), missing)
		case len(sec.Missing) > 0:
			ws.Note = fmt.Sprintf(s.t(lg, "whoami.missing"), missing)
		}
		if len(ws.Statements) == 0 && len(sec.Missing) < len(sec.Doctypes) {
			ws.Note = strings.TrimSpace(s.t(lg, "whoami.silent") + " " + ws.Note)
		}
		v.Sections = append(v.Sections, ws)
	}
	if len(p.NotAllowed) > 0 {
		v.NotAllowed = fmt.Sprintf(s.t(lg, "whoami.notallowed.body"), commList(lg, s.whoamiLabels(p.NotAllowed, lg)))
	}
	if p.Unreadable > 0 {
		v.Unreadable = commCount(lg, s.t(lg, "whoami.n.unreadable"), p.Unreadable)
	}
	return v
}

// whoamiLabels are the doctypes' names in lg.
func (s *Server) whoamiLabels(doctypes []string, lg string) []string {
	out := make([]string, len(doctypes))
	for i, dt := range doctypes {
		out[i] = dt
		if d, ok := s.gate.Registry().Get(dt); ok {
			out[i] = labelIn(lg, d.Label)
		}
	}
	return out
}

// whoamiStatement writes one statement, its evidence and its holders.
func (s *Server) whoamiStatement(st whoami.Statement, lg string) whoamiStatement {
	args := make([]any, len(st.Args))
	for i, a := range st.Args {
		args[i] = s.whoamiArg(a, lg)
	}
	out := whoamiStatement{Text: fmt.Sprintf(s.t(lg, "whoami."+st.Key), args...)}
	for _, e := range st.Evidence {
		d, ok := s.gate.Registry().Get(e.Doctype)
		label := e.Doctype
		if ok {
			label = labelIn(lg, d.Label)
			out.Sensitive = out.Sensitive || d.SpecialCategory
		}
		link := whoamiLink{Href: "/data/" + url.PathEscape(e.Doctype) + "?source=" + url.QueryEscape(e.Source.Kind+"/"+e.Source.ID),
			Text: label + " (" + commCount(lg, s.t(lg, "whoami.n.record"), e.Count) + ")"}
		switch {
		case e.Series: // readings have no page of their own: their chart draws them
			link = whoamiLink{Href: "/charts/" + url.PathEscape(strings.TrimPrefix(e.Doctype, "reading.")), Text: cmp.Or(e.Label, label)}
		case e.ID != "":
			text := cmp.Or(e.Label, label)
			if e.Label == "" && !e.At.IsZero() {
				text += " — " + formatInstant(e.At, lg)
			}
			link = whoamiLink{Href: "/data/" + url.PathEscape(e.Doctype) + "/" + url.PathEscape(e.ID), Text: text}
		}
		name := sourceTitle(lg, e.Source.Kind, e.Source.Name)
		i := slices.IndexFunc(out.Holders, func(h whoamiHolder) bool { return h.Name == name })
		if i < 0 {
			out.Holders = append(out.Holders, whoamiHolder{Name: name})
			i = len(out.Holders) - 1
		}
		out.Holders[i].Links = append(out.Holders[i].Links, link)
	}
	return out
}

// whoamiArg writes one value of a statement.
func (s *Server) whoamiArg(a whoami.Arg, lg string) string {
	word := func(key string) string {
		if w := s.t(lg, key); w != key {
			return strings.ToLower(w)
		}
		_, raw, _ := strings.Cut(key, ".") // a category no table names: its own word
		return cmp.Or(raw, key)
	}
	switch a.Kind {
	case whoami.List:
		return commList(lg, a.List)
	case whoami.Enums:
		ws := make([]string, len(a.List))
		for i, k := range a.List {
			ws[i] = word(k)
		}
		return commList(lg, ws)
	case whoami.Enum:
		return word(a.Text)
	case whoami.Count:
		return commCount(lg, s.t(lg, "whoami.n."+a.Noun), int(a.N))
	case whoami.Money:
		m, _ := formatMoney(a.Amount.String(), a.Currency, lg)
		return strings.ReplaceAll(m, " ", "\u00a0") // "5 210,56 €" on one line
	case whoami.Date:
		return whoamiDate(a.Time, lg)
	case whoami.Month:
		a.Time = a.Time.In(displayZone())
		return chartMonthsLong[chartLangIdx(lg)][a.Time.Month()-1] + " " + fmt.Sprint(a.Time.Year())
	case whoami.Duration:
		return commDuration(a.Duration)
	case whoami.Percent:
		return commPercent(int(a.N), lg)
	case whoami.Slot:
		wd := whoamiWeekdays[chartLangIdx(lg)][a.N%7]
		if lg == "fr" {
			return "le " + wd + " " + whoamiPartsFR[a.Part%4]
		}
		return "on " + wd + " " + whoamiPartsEN[a.Part%4]
	case whoami.Part:
		return s.t(lg, fmt.Sprintf("whoami.part.%d", a.Part%4))
	case whoami.Hour:
		switch {
		case a.N == 24 && lg == "fr":
			return "minuit"
		case a.N == 24:
			return "midnight"
		}
		return commHour(int(a.N), lg)
	case whoami.Area:
		n := a.Text
		if lg == "fr" {
			n = strings.Replace(n, ".", ",", 1)
		}
		return n + "\u00a0m²"
	}
	return a.Text
}

var (
	whoamiWeekdays = [2][7]string{
		{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
	}
	// A weekday's part of the day: "on Saturday mornings", "le samedi matin".
	whoamiPartsEN = [4]string{"nights", "mornings", "afternoons", "evenings"}
	whoamiPartsFR = [4]string{"dans la nuit", "matin", "après-midi", "soir"}
)

// whoamiDate writes a day in words: "14 May 1991", "1er mai 1991".
func whoamiDate(t time.Time, lg string) string {
	t = t.In(displayZone())
	d := fmt.Sprint(t.Day())
	if lg == "fr" && t.Day() == 1 {
		d = "1er"
	}
	return d + " " + chartMonthsLong[chartLangIdx(lg)][t.Month()-1] + " " + fmt.Sprint(t.Year())
}
