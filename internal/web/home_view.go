package web

import (
	"net/mail"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/store/fulltext"
)

// homeNewMax is how many new categories the summary names; the others are counted.
const homeNewMax = 8

// homeView is the home page in the person's language: the summary at the top, then one
// compact card per source. Everything is written out here, so the template only places it.
type homeView struct {
	Orgs      int        // organizations holding data on the person
	Records   string     // "4,702 records", all sources together
	Readings  string     // "56,209 readings"; empty without series
	Kinds     []homeLink // each document kind with its count, to its list
	Series    []homeLink // each series kind with its count, to its chart
	Sensitive []homeSensitive
	Visit     visit
	VisitAt   string     // when the previous visit ended, in words
	New       []homeLink // the categories updated since, to their records
	NewMore   int        // how many more were updated, beyond those named
	Pending   int        // connection requests waiting for the person's answer
	Cards     []homeCard
	Services  []*serviceUser
}

// homeLink is a text with its count and where it leads.
type homeLink struct {
	Text, Count, Href string
}

// homeSensitive is a special category (health) and who holds it.
type homeSensitive struct {
	homeLink
	Holders []homeLink
}

// homeCard is one source's card, written out.
type homeCard struct {
	*card
	Anchor  string // the id of the card's heading, which other pages and tests point at
	Title   string
	Updated string
	Cats    []homeCat
	// Teaser is the declaration in one line (purposes, legal basis), the summary of the card's
	// folded part; the person opens it for the rest.
	Teaser    string
	Basis     string
	Purposes  string
	Recipient string
	Retention string
	DPO       homeAddress
	Contact   homeAddress
}

// homeCat is one category of a card.
type homeCat struct {
	Label, Href, Count, Period, Reveals string
	Sensitive                           bool
}

// homeAddress is an organization's contact: a mailto: link when it is an address.
type homeAddress struct {
	Text, Href string
}

// buildHome writes the page from the cards (holdingCards), the time the previous visit
// ended and the pending requests, in language l. It computes nothing the store did not.
func buildHome(l string, cards []*card, v visit, pending int) homeView {
	hv := homeView{Visit: v, Pending: pending}
	if !v.Last.IsZero() {
		hv.VisitAt = formatInstant(v.Last, l)
	}
	var kinds homeTotals
	for _, c := range cards {
		if c.Kind == "organization" {
			hv.Orgs++
		}
		hc := writeCard(l, c)
		hv.Cards = append(hv.Cards, hc)
		for i, cat := range c.Categories {
			kinds.add(cat, homeLink{Text: hc.Title, Href: hc.Cats[i].Href})
			if !v.Last.IsZero() && cat.Updated.After(v.Last) {
				hv.noteNew(homeLink{Text: hc.Cats[i].Label + " — " + hc.Title, Href: hc.Cats[i].Href})
			}
		}
	}
	kinds.write(&hv, l)
	return hv
}

// noteNew adds a category updated since the last visit to the summary, or counts it
// beyond the first few.
func (hv *homeView) noteNew(link homeLink) {
	if len(hv.New) < homeNewMax {
		hv.New = append(hv.New, link)
		return
	}
	hv.NewMore++
}

// homeTotals adds up the categories of every source, by doctype, in the order met.
type homeTotals struct {
	list           []*homeTotal
	byName         map[string]*homeTotal
	docs, readings int64
}

// homeTotal is one doctype across sources, with who holds it when it is sensitive.
type homeTotal struct {
	d       *doctype.Doctype
	n       int64
	holders []homeLink
}

// add counts one source's category; holder names the source and links to its records.
func (ts *homeTotals) add(cat category, holder homeLink) {
	t := ts.byName[cat.Doctype.Name]
	if t == nil {
		if ts.byName == nil {
			ts.byName = map[string]*homeTotal{}
		}
		t = &homeTotal{d: cat.Doctype}
		ts.byName[cat.Doctype.Name] = t
		ts.list = append(ts.list, t)
	}
	t.n += cat.Count
	if cat.Doctype.Kind == doctype.KindSeries {
		ts.readings += cat.Count
	} else {
		ts.docs += cat.Count
	}
	if cat.Doctype.SpecialCategory {
		t.holders = append(t.holders, holder)
	}
}

// write puts the totals into the summary: documents and series apart, each sorted by its
// name in l, and the sensitive ones with who holds them.
func (ts *homeTotals) write(hv *homeView, l string) {
	sort.SliceStable(ts.list, func(i, j int) bool {
		return homeSortKey(labelIn(l, ts.list[i].d.Label)) < homeSortKey(labelIn(l, ts.list[j].d.Label))
	})
	for _, t := range ts.list {
		link := homeLink{Text: labelIn(l, t.d.Label), Count: groupDigits(strconv.FormatInt(t.n, 10), l), Href: homeHref(t.d, "")}
		if t.d.Kind == doctype.KindSeries {
			hv.Series = append(hv.Series, link)
		} else {
			hv.Kinds = append(hv.Kinds, link)
		}
		if t.d.SpecialCategory {
			hv.Sensitive = append(hv.Sensitive, homeSensitive{homeLink: link, Holders: t.holders})
		}
	}
	hv.Records = countText(l, ts.docs, false)
	if ts.readings > 0 {
		hv.Readings = countText(l, ts.readings, true)
	}
}

// writeCard writes one source's card in language l.
func writeCard(l string, c *card) homeCard {
	hc := homeCard{card: c, Anchor: "c-" + c.Kind + "-" + c.ID, Title: c.Title(l), Updated: formatDay(c.Updated, l)}
	source := c.Kind + "/" + c.ID
	for _, cat := range c.Categories {
		d := cat.Doctype
		hc.Cats = append(hc.Cats, homeCat{Label: labelIn(l, d.Label), Href: homeHref(d, source), Count: countText(l, cat.Count, d.Kind == doctype.KindSeries),
			Period: homePeriod(cat.From, cat.To, l), Reveals: labelIn(l, d.Reveals), Sensitive: d.SpecialCategory})
	}
	if c.Org != nil {
		o := c.Org.In(l) // the declaration in the page's language
		dc := o.Declaration
		hc.Retention = dc.Retention
		hc.Purposes = strings.Join(dc.Purposes, " · ")
		hc.Basis = dc.LegalBasis // a basis of Art. 6(1) in words; anything else as declared
		if _, ok := homeTexts["basis."+dc.LegalBasis]; ok {
			hc.Basis = textIn(homeTexts, l, "basis."+dc.LegalBasis)
		}
		hc.Recipient = strings.Join(dc.Recipients, " · ")
		hc.Teaser = hc.Purposes
		if hc.Basis != "" {
			hc.Teaser += " — " + hc.Basis
		}
		hc.DPO, hc.Contact = homeMail(o.DPO), homeMail(o.Contact)
	}
	return hc
}

// homeSortKey is how a label sorts in a list a person reads: regardless of case and accents,
// folded as the search folds them, so that "Événement" sorts among the E and not after Z.
func homeSortKey(s string) string { return fulltext.Fold(s) }

// homeHref links a category to exactly the records of that source (every source when
// source is empty), or a series to its chart. Only the charts that exist are linked: a
// series kind without one leads to the charts' index, never to a page that is not there.
func homeHref(d *doctype.Doctype, source string) string {
	if d.Kind != doctype.KindSeries {
		return holdingHref(d, source)
	}
	switch kind := strings.TrimPrefix(d.Name, "reading."); kind {
	case "electricity", "gas", "water":
		return "/charts/" + url.PathEscape(kind)
	}
	return "/charts"
}

// homeMail is an organization's address as a mailto: link, or its text alone when it is not
// an e-mail address (a postal address, a telephone number).
func homeMail(s string) homeAddress {
	s = strings.TrimSpace(s)
	if a, err := mail.ParseAddress(s); err == nil && !strings.ContainsAny(a.Address, " <>") {
		return homeAddress{Text: a.Address, Href: "mailto:" + a.Address}
	}
	return homeAddress{Text: s}
}

// homePeriod writes the period a category covers the way a person says it, at the month:
// "9 Jun 2026" for one day, "Jun 2026" within a month, "Feb – Nov 2026" within a year,
// "Dec 2024 – Dec 2026" across years; "" when the period is not known. from and to are
// dates or instants (an event's start), instants being shown in the platform's zone.
func homePeriod(from, to, l string) string {
	a, okA := homeDay(from)
	b, okB := homeDay(to)
	switch {
	case !okA && !okB:
		return ""
	case !okB:
		b = a
	case !okA:
		a = b
	}
	if b.Before(a) {
		a, b = b, a
	}
	months := chartMonthsShort[chartLangIdx(l)]
	month := func(t time.Time) string { return months[t.Month()-1] }
	year := func(t time.Time) string { return strconv.Itoa(t.Year()) }
	switch {
	case a.Equal(b):
		return chartDate(a, l)
	case a.Year() == b.Year() && a.Month() == b.Month():
		return month(a) + " " + year(a)
	case a.Year() == b.Year():
		return month(a) + " – " + month(b) + " " + year(b)
	}
	return month(a) + " " + year(a) + " – " + month(b) + " " + year(b)
}

// homeDay reads a date or an instant as the day it falls on in the platform's zone.
func homeDay(s string) (time.Time, bool) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false
	}
	y, m, d := t.In(displayZone()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
}
