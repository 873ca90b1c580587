package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// telecom restores Orange's call detail records of Camille's mobile: calls, text messages and
// data sessions, at the hours people use phones, with the correspondents masked as operators
// show them, roaming on the Spanish network during the holiday, and a last week busier on
// the phone than the ones before.
func (g *gen) telecom() {
	r := g.rand("telecom")
	src := g.src("orange")
	busy := g.rand("telecom-busy-week")
	var people []string // weighted: Léa and Mum call more often than the doctor
	for _, c := range contacts() {
		for range c.weight {
			people = append(people, c.phone)
		}
	}
	people = append(people, "+33 4 65 71 88 12", "+33 6 39 98 47 30", "+33 6 39 98 90 51")
	callHours := []int{0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 4, 4, 3, 3, 3, 4, 6, 7, 6, 4, 2, 1}
	smsHours := []int{1, 0, 0, 0, 0, 0, 0, 2, 4, 4, 3, 3, 5, 4, 3, 3, 4, 5, 6, 7, 7, 6, 4, 2}
	dataHours := []int{2, 1, 0, 0, 0, 0, 1, 4, 6, 4, 3, 3, 5, 4, 3, 3, 3, 4, 5, 6, 7, 7, 6, 4}

	n := 0
	for _, d := range g.days {
		type record struct {
			at   time.Time
			data map[string]any
		}
		var day []record
		add := func(kind string, hours []int, fields map[string]any) {
			at := g.clock(d, float64(weighted(r, hours))+r.Float64()).Add(time.Duration(r.IntN(60)) * time.Second)
			fields["kind"], fields["at"] = kind, instant(at)
			fields["operator"], fields["network"], fields["roaming"] = "Orange", "5G", false
			if r.IntN(3) == 0 {
				fields["network"] = "4G"
			}
			if g.away(d) {
				fields["operator"], fields["network"], fields["roaming"] = "Movistar", "4G", true
			}
			day = append(day, record{at, fields})
		}
		direction := func() string {
			if r.IntN(20) < 11 {
				return "out"
			}
			return "in"
		}
		calls := r.IntN(4)
		if weekend(d) {
			calls++
		}
		for range calls {
			add("call", callHours, map[string]any{"direction": direction(), "correspondent": mask(people[r.IntN(len(people))]),
				"durationSeconds": min(3600, 15+int(r.ExpFloat64()*150))})
		}
		for range r.IntN(6) {
			add("sms", smsHours, map[string]any{"direction": direction(), "correspondent": mask(people[r.IntN(len(people))])})
		}
		for range 1 + r.IntN(3) {
			add("data", dataHours, map[string]any{"bytes": int64(math.Min(2e9, math.Exp(15.5+1.3*r.NormFloat64()))),
				"durationSeconds": 60 + r.IntN(3540)})
		}
		if i := g.dayIndex(d); i >= len(g.days)-7 && i%2 == 1 && !g.away(d) {
			// The last week, Camille and Léa plan a surprise for a friend: long evening
			// calls, so that "My communication time" has a rise to tell about. Drawn from
			// a stream of their own, they leave the rest of the year as it was.
			at := g.clock(d, 19.5+2*busy.Float64()).Add(time.Duration(busy.IntN(60)) * time.Second)
			day = append(day, record{at, map[string]any{"kind": "call", "at": instant(at), "direction": "out",
				"correspondent": mask(contacts()[2].phone), "durationSeconds": 600 + busy.IntN(900),
				"operator": "Orange", "network": "5G", "roaming": false}})
		}
		slices.SortStableFunc(day, func(a, b record) int { return a.at.Compare(b.at) })
		for _, rec := range day {
			n++
			g.add("telecom.record", src, fmt.Sprintf("tel-%05d", n), rec.data)
		}
	}
}

// weighted draws an index with probability proportional to its weight.
func weighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// mask hides the middle of a phone number as operators do: "+33 6 39 98 12 34" becomes
// "+33 6 •• •• 12 34".
func mask(phone string) string {
	f := strings.Fields(phone)
	if len(f) == 6 {
		f[2], f[3] = "••", "••"
	}
	return strings.Join(f, " ")
}
