// Package whoami is "Who am I": one page stating what the person's data says about them —
// household, home, habits, spending, places, health — so that they see what anyone holding
// the same records could infer. Each statement is a sentence key with typed values (the
// page writes them in the person's language) and the records it rests on, with who holds
// them: a statement is never more than its evidence.
//
// It reads only the doctypes the person let it read. A doctype they unticked on the
// consent screen is not asked for at all (the gate would refuse, and log the attempt):
// its category says nothing and the page says why.
package whoami

import (
	"context"
	"fmt"
	"slices"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/services"
	"selfdata/internal/store"
)

// Category is one part of the portrait.
type Category string

// The categories, in the order the page shows them.
const (
	Household Category = "household"
	Home      Category = "home"
	Habits    Category = "habits"
	Spending  Category = "spending"
	Places    Category = "places"
	Health    Category = "health"
)

// CategoryDef is a part of the portrait and the doctypes it reads.
type CategoryDef struct {
	Category Category
	Doctypes []string
}

// Categories are the parts of the portrait, in order.
func Categories() []CategoryDef {
	return []CategoryDef{
		{Household, []string{"profile", "contract", "insurance.contract"}},
		{Home, []string{"profile", "meter", "contract", "insurance.contract"}},
		{Habits, []string{"visit", "place", "telecom.record", Electricity}},
		{Spending, []string{"bank.operation", "bank.account", "bill"}},
		{Places, []string{"place", "visit"}},
		{Health, []string{"health.claim"}},
	}
}

// ArgKind says how the page writes a value.
type ArgKind int

const (
	Text     ArgKind = iota // Text as it is
	List                    // List, joined ("A, B and C")
	Enums                   // List of words the page translates (a category, a kind of meter)
	Enum                    // Text is a word the page translates
	Count                   // N of Noun, with the plural right
	Money                   // Amount in Currency
	Date                    // the day of Time
	Month                   // the month of Time
	Duration                // Duration in hours and minutes
	Percent                 // N %
	Slot                    // a weekday (N, 0 is Sunday) and a part of the day (Part)
	Part                    // a part of the day (Part)
	Area                    // Text square metres
	Hour                    // N, an hour of the day (24 is midnight at the end of the day)
)

// Arg is one value of a statement.
type Arg struct {
	Kind     ArgKind
	Text     string
	List     []string
	N        int64
	Noun     string // Count: what is counted
	Amount   money.Amount
	Currency string
	Time     time.Time
	Duration time.Duration
	Part     int // 0 night, 1 morning, 2 afternoon, 3 evening
}

func text(s string) Arg                     { return Arg{Kind: Text, Text: s} }
func list(ss []string) Arg                  { return Arg{Kind: List, List: ss} }
func enums(ss []string) Arg                 { return Arg{Kind: Enums, List: ss} }
func enum(s string) Arg                     { return Arg{Kind: Enum, Text: s} }
func count(n int, noun string) Arg          { return Arg{Kind: Count, N: int64(n), Noun: noun} }
func amount(a money.Amount, cur string) Arg { return Arg{Kind: Money, Amount: a, Currency: cur} }
func day(t time.Time) Arg                   { return Arg{Kind: Date, Time: t} }
func month(t time.Time) Arg                 { return Arg{Kind: Month, Time: t} }
func duration(d time.Duration) Arg          { return Arg{Kind: Duration, Duration: d} }
func percent(p int) Arg                     { return Arg{Kind: Percent, N: int64(p)} }
func slot(wd time.Weekday, part int) Arg    { return Arg{Kind: Slot, N: int64(wd), Part: part} }
func partOfDay(part int) Arg                { return Arg{Kind: Part, Part: part} }
func hour(h int) Arg                        { return Arg{Kind: Hour, N: int64(h)} }
func area(s string) Arg                     { return Arg{Kind: Area, Text: s} }

// Evidence is what a statement rests on: one record, or the records of a doctype that one
// source holds.
type Evidence struct {
	Doctype string
	ID      string    // one record; empty for the source's records of Doctype
	Label   string    // the record's own name, if it has one
	Count   int       // how many records of the source it rests on (1 for a record)
	At      time.Time // when the record happened, to name one without a name of its own
	Source  store.Source
	Series  bool // ID is a series of readings, not a document
}

func at(e Evidence, t time.Time) Evidence { e.At = t; return e }

// Statement is one thing the data says, as a sentence key ("home.address") and its values.
type Statement struct {
	Key      string
	Args     []Arg
	Evidence []Evidence
}

// Section is one category of the portrait.
type Section struct {
	Category   Category
	Doctypes   []string // what it rests on
	Missing    []string // those of Doctypes the service may not read
	Statements []Statement
}

// Portrait is the whole page.
type Portrait struct {
	Sections   []Section
	NotAllowed []string // doctypes the service asks for and may not read
	Unreadable int      // records left out because they could not be read
}

// Input is what the portrait is drawn from: documents by doctype, and the load curve.
type Input struct {
	Docs map[string][]store.Doc
	Load *Load
}

// Build reads what allowed lets it read, each doctype once, and describes it. now is the day
// ages are counted at; loc is the zone of days and hours.
func Build(ctx context.Context, rd services.Reader, allowed func(doctype string) bool, now time.Time, loc *time.Location) (Portrait, error) {
	in := Input{Docs: map[string][]store.Doc{}}
	for _, c := range Categories() {
		for _, dt := range c.Doctypes {
			if _, done := in.Docs[dt]; done || dt == Electricity || !allowed(dt) {
				continue
			}
			d, err := rd.Docs(ctx, dt)
			if err != nil {
				return Portrait{}, fmt.Errorf("read %s: %w", dt, err)
			}
			in.Docs[dt] = d
		}
	}
	if allowed(Electricity) {
		var err error
		if in.Load, err = readLoad(ctx, rd, loc); err != nil {
			return Portrait{}, err
		}
	}
	return Describe(in, allowed, now, loc), nil
}

// Describe states what the input says. A doctype that allowed refuses is taken as unread,
// whatever the input holds for it; one the service does not ask for (see services.Catalog)
// is neither read nor said to be missing.
func Describe(in Input, allowed func(doctype string) bool, now time.Time, loc *time.Location) Portrait {
	def, _ := services.Lookup(services.WhoAmI)
	r := &reader{docs: in.Docs, allowed: allowed, loc: loc, now: now, counted: map[string]bool{}}
	if allowed(Electricity) {
		r.load = in.Load
	}
	var p Portrait
	for _, c := range Categories() {
		sec := Section{Category: c.Category}
		for _, dt := range c.Doctypes {
			if !slices.Contains(def.Doctypes, dt) && !allowed(dt) {
				continue
			}
			sec.Doctypes = append(sec.Doctypes, dt)
			if !allowed(dt) {
				sec.Missing = append(sec.Missing, dt)
				if !slices.Contains(p.NotAllowed, dt) {
					p.NotAllowed = append(p.NotAllowed, dt)
				}
			}
		}
		switch c.Category {
		case Household:
			sec.Statements = r.household()
		case Home:
			sec.Statements = r.home()
		case Habits:
			sec.Statements = append(loadHabits(r.load, loc), r.habits()...)
		case Spending:
			sec.Statements = r.spending()
		case Places:
			sec.Statements = r.places()
		case Health:
			sec.Statements = r.health()
		}
		p.Sections = append(p.Sections, sec)
	}
	p.Unreadable = len(r.counted)
	return p
}

// reader is what the categories read from.
type reader struct {
	docs    map[string][]store.Doc
	load    *Load
	allowed func(string) bool
	loc     *time.Location
	now     time.Time
	counted map[string]bool // the records that could not be read, by doctype and id
}

// get returns the documents of dt, or none if the service may not read it.
func (r *reader) get(dt string) []store.Doc {
	if !r.allowed(dt) {
		return nil
	}
	return r.docs[dt]
}

// bad counts a record of dt that could not be read, once per record whichever category
// reads it.
func (r *reader) bad(dt, id string) { r.counted[dt+"/"+id] = true }

// one is the evidence of one record.
func one(d store.Doc, dt, label string) Evidence {
	return Evidence{Doctype: dt, ID: d.ID, Label: label, Count: 1, Source: d.Source}
}

// bySource is the evidence of records, one link per source holding some, in the order
// the sources first appear.
func bySource(dt string, docs []store.Doc) []Evidence {
	var out []Evidence
	for _, d := range docs {
		i := slices.IndexFunc(out, func(e Evidence) bool { return e.Source.Kind == d.Source.Kind && e.Source.ID == d.Source.ID })
		if i < 0 {
			out = append(out, Evidence{Doctype: dt, Source: d.Source})
			i = len(out) - 1
		}
		out[i].Count++
	}
	return out
}

// midnight is the local midnight starting the day of t.
func midnight(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}
