// Package demo generates one year of restored data for a fictional person, Camille Martin, who
// rents a 50 m² flat in Lyon 3e: what a newcomer sees first, before connecting any real
// organization. The data crosses on purpose (bills match bank debits and meter readings, health
// claims match pharmacy payments, visits match appointments) because crossing sources is what
// the built-in services are for.
//
// The package is pure: Generate returns values and never touches storage. The output depends
// only on the end date and the seed; each organization draws from its own random stream so that
// changing one generator does not reshuffle the others.
package demo

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"
	// The demo must run on hosts without a zoneinfo database (scratch containers).
	_ "time/tzdata"

	"selfdata/internal/store"
)

// Dataset is everything the demo person's organizations restore, plus the person's own data.
type Dataset struct {
	Docs   []Batch
	Series []SeriesData
	Files  []FileData
	Links  []Link // what the generator tied on purpose (bank.go), for the services' tests
}

// Batch is the documents of one doctype deposited by one source.
type Batch struct {
	Doctype string
	Source  store.Source
	Docs    []Doc
}

// Doc is one document; Data follows docs/doctypes-spec.md.
type Doc struct {
	ID   string
	Data map[string]any
}

// SeriesData is a series with all its readings.
type SeriesData struct {
	Series   store.Series
	Readings []store.Reading
}

// FileData is a file (a bill's PDF) and the documents it belongs to.
type FileData struct {
	ID        string
	Name      string
	MediaType string
	Content   []byte
	Source    store.Source
	Documents []Ref
}

// Ref points at a document.
type Ref struct {
	Doctype string `json:"doctype"`
	ID      string `json:"id"`
}

// The demo person.
const (
	givenName  = "Camille"
	familyName = "Martin"
	person     = givenName + " " + familyName
	street     = "18 rue Paul Bert"
	postalCode = "69003"
	city       = "Lyon"
	address    = street + ", " + postalCode + " " + city
	currency   = "EUR"
)

// Generate returns the year ending at end, truncated to the day in Europe/Paris: the days from
// that midnight one year earlier up to (not including) that midnight.
func Generate(end time.Time, seed int64) *Dataset {
	g := newGen(end, seed)
	g.energy()
	g.contracts()
	g.bills()
	g.health()
	g.life()
	g.telecom()
	g.bank()
	return g.ds
}

// gen holds the year being generated and the facts that one generator leaves for the next
// (daily consumption for the bills, payments for the bank statement).
type gen struct {
	seed       int64
	loc        *time.Location
	start, end time.Time   // local midnights; the year is [start, end)
	days       []time.Time // local midnights of the year
	at         time.Time   // when the demo deposits happen
	holiday    time.Time   // first day of the two weeks in Barcelona
	temps      []float64   // daily mean outdoor temperature (°C), by day index
	ds         *Dataset

	elecWh  []int64 // electricity per day (Wh)
	gasCkWh []int64 // gas per day (hundredths of kWh)
	waterL  []int64 // water per day (L)

	claimDay     time.Time     // the water damage
	appointments []appointment // health appointments, for the calendar and visits
	payments     []op          // what the other organizations debit or credit on the checking account
}

func newGen(end time.Time, seed int64) *gen {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(fmt.Sprintf("demo: time zone database: %v", err)) // embedded by time/tzdata
	}
	e := end.In(loc)
	g := &gen{
		seed: seed,
		loc:  loc,
		end:  time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, loc),
		at:   end.UTC().Truncate(time.Millisecond),
		ds:   &Dataset{},
	}
	g.start = g.end.AddDate(-1, 0, 0)
	for d := g.start; d.Before(g.end); d = d.AddDate(0, 0, 1) {
		g.days = append(g.days, d)
	}
	g.holiday = g.summerHoliday()
	g.temps = g.weather()
	return g
}

// summerHoliday picks two weeks in summer that fit in the year, starting on a Saturday.
func (g *gen) summerHoliday() time.Time {
	for _, y := range []int{g.end.Year(), g.end.Year() - 1} {
		for _, md := range [][2]int{{8, 2}, {7, 19}, {8, 16}} {
			d := time.Date(y, time.Month(md[0]), md[1], 0, 0, 0, 0, g.loc)
			for d.Weekday() != time.Saturday {
				d = d.AddDate(0, 0, 1)
			}
			if !d.Before(g.start) && d.AddDate(0, 0, 16).Before(g.end) {
				return d
			}
		}
	}
	return g.start.AddDate(0, 6, 0) // unreachable for a one-year window
}

// away reports whether Camille is on holiday on the day of t.
func (g *gen) away(t time.Time) bool {
	return !t.Before(g.holiday) && t.Before(g.holiday.AddDate(0, 0, 15))
}

// dayIndex is the index in g.days of the local day of t.
func (g *gen) dayIndex(t time.Time) int {
	l := t.In(g.loc)
	d := time.Date(l.Year(), l.Month(), l.Day(), 12, 0, 0, 0, time.UTC)
	s := time.Date(g.start.Year(), g.start.Month(), g.start.Day(), 12, 0, 0, 0, time.UTC)
	return int(d.Sub(s).Hours() / 24)
}

func (g *gen) inYear(t time.Time) bool { return !t.Before(g.start) && t.Before(g.end) }

// rand returns the random stream of one generator.
func (g *gen) rand(stream string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(stream))
	return rand.New(rand.NewPCG(uint64(g.seed), h.Sum64()))
}

// src is the provenance of what an organization (or, for "owner", the person) deposits.
func (g *gen) src(id string) store.Source {
	names := map[string]string{
		"enedis":             "Enedis",
		"grdf":               "GRDF",
		"eau-du-grand-lyon":  "Eau du Grand Lyon",
		"edf":                "EDF",
		"orange":             "Orange",
		"maif":               "MAIF",
		"bank-a":             "La Banque Postale",
		"bank-b":             "Crédit Mutuel",
		"grand-lyon-habitat": "Grand Lyon Habitat",
		"cpam":               "Assurance Maladie",
		"harmonie-mutuelle":  "Harmonie Mutuelle",
	}
	batch := fmt.Sprintf("demo-%s-%s", id, g.end.Format("20060102"))
	if id == "owner" {
		return store.Source{Kind: "owner", Name: person, Batch: batch, At: g.at}
	}
	return store.Source{Kind: "organization", ID: id, Name: names[id], Batch: batch, At: g.at}
}

// add appends a document to the batch of its doctype and source.
func (g *gen) add(doctype string, src store.Source, id string, data map[string]any) {
	for i := range g.ds.Docs {
		b := &g.ds.Docs[i]
		if b.Doctype == doctype && b.Source.Kind == src.Kind && b.Source.ID == src.ID {
			b.Docs = append(b.Docs, Doc{ID: id, Data: data})
			return
		}
	}
	g.ds.Docs = append(g.ds.Docs, Batch{Doctype: doctype, Source: src, Docs: []Doc{{ID: id, Data: data}}})
}

// clock is a local time on the day of d; hour may be fractional (18.5 is 18:30).
func (g *gen) clock(d time.Time, hour float64) time.Time {
	m := int(hour * 60)
	return time.Date(d.Year(), d.Month(), d.Day(), m/60, m%60, 0, 0, g.loc)
}

func date(t time.Time) string    { return t.Format("2006-01-02") }
func instant(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
func frDate(t time.Time) string  { return t.Format("02/01/2006") }

// money formats cents as an exact decimal string: -4210 is "-42.10".
func money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// euros formats cents the French way, for the PDFs: "1 234,50 €".
func euros(cents int64) string {
	s := strings.Replace(money(cents), ".", ",", 1)
	if n := strings.Index(s, ","); n > 4 {
		s = s[:n-3] + " " + s[n-3:]
	}
	return s + " €"
}

// between draws an integer in [lo, hi].
func between(r *rand.Rand, lo, hi int64) int64 { return lo + r.Int64N(hi-lo+1) }

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// nextBusinessDay moves a Saturday or Sunday to the Monday after, as banks do with debits.
func nextBusinessDay(d time.Time) time.Time {
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// prevBusinessDay moves a Saturday or Sunday to the Friday before, as employers do with pay.
func prevBusinessDay(d time.Time) time.Time {
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

func weekend(d time.Time) bool { return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday }
