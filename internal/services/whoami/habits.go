package whoami

import (
	"cmp"
	"math"
	"slices"
	"time"

	"selfdata/internal/services/communication"
	"selfdata/internal/store"
)

type placeData struct {
	Name     string `json:"name"`
	Category string `json:"category"`
	Address  string `json:"address"`
}

type visitData struct {
	Start string `json:"start"`
	End   string `json:"end"`
	Place string `json:"place"`
	Name  string `json:"name"`
}

// visit is a visit read, with its place when the place is known.
type visit struct {
	doc        store.Doc
	start, end time.Time // end is zero when unknown
	key, name  string    // the place's id, else its name
	category   string    // the place's category, if the place is known
	place      *store.Doc
}

// visits reads the visits and joins them to their places.
func (r *reader) visits() []visit {
	vdocs := r.get("visit")
	pdocs := r.get("place")
	places := map[string]struct {
		doc store.Doc
		placeData
	}{}
	for _, d := range pdocs {
		if p, ok := decode[placeData](r, "place", d); ok {
			places[d.ID] = struct {
				doc store.Doc
				placeData
			}{d, p}
		}
	}
	var out []visit
	for _, d := range vdocs {
		v, ok := decode[visitData](r, "visit", d)
		start, err := time.Parse(time.RFC3339, v.Start)
		if !ok || err != nil {
			r.bad("visit", d.ID)
			continue
		}
		x := visit{doc: d, start: start, key: v.Place, name: v.Name}
		if end, err := time.Parse(time.RFC3339, v.End); err == nil && end.After(start) {
			x.end = end
		}
		if p, ok := places[v.Place]; ok {
			x.category, x.place = p.Category, &p.doc
			if p.Name != "" {
				x.name = p.Name
			}
		}
		if x.key == "" {
			x.key = x.name
		}
		out = append(out, x)
	}
	return out
}

// minSlot is how many visits make a habit of a weekday's part of the day.
const minSlot = 4

// habits: when the person is out, when they call, whom they call most, when they were away.
func (r *reader) habits() []Statement {
	var out []Statement
	vs := r.visits()
	// When the home is empty: the weekday and part of the day of visits elsewhere.
	type slotKey struct {
		wd   time.Weekday
		part int
	}
	slots := map[slotKey][]store.Doc{}
	for _, v := range vs {
		if v.category == "home" {
			continue
		}
		l := v.start.In(r.loc)
		k := slotKey{l.Weekday(), int(communication.PartOf(l.Hour()))}
		slots[k] = append(slots[k], v.doc)
	}
	keys := make([]slotKey, 0, len(slots))
	for k := range slots {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b slotKey) int {
		if c := cmp.Compare(len(slots[b]), len(slots[a])); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.wd, b.wd), cmp.Compare(a.part, b.part))
	})
	for _, k := range keys[:min(2, len(keys))] {
		if n := len(slots[k]); n >= minSlot {
			out = append(out, Statement{Key: "habits.out", Args: []Arg{slot(k.wd, k.part), count(n, "visit")}, Evidence: bySource("visit", slots[k])})
		}
	}

	docs := r.get(communication.Doctype)
	recs, bad := communication.Parse(docs)
	if bad > 0 {
		good := map[string]bool{}
		for _, c := range recs {
			good[c.ID] = true
		}
		for _, d := range docs {
			if !good[d.ID] {
				r.bad(communication.Doctype, d.ID)
			}
		}
	}
	if len(recs) == 0 {
		return out
	}
	all := bySource(communication.Doctype, docs)
	rep := communication.Summarize(recs, r.now, r.loc)

	// When they call: the part of the day with most time on calls, and its share.
	var parts [4]time.Duration
	for _, h := range rep.Hours {
		parts[communication.PartOf(h.Hour)] += h.CallTime
	}
	busiest := 0
	for p := range parts {
		if parts[p] > parts[busiest] {
			busiest = p
		}
	}
	if rep.Total.CallTime > 0 {
		share := int(math.Round(100 * float64(parts[busiest]) / float64(rep.Total.CallTime)))
		out = append(out, Statement{Key: "habits.calls", Args: []Arg{partOfDay(busiest), percent(share), duration(rep.Total.CallTime), count(rep.Total.Calls, "call")}, Evidence: all})
	}

	// Whom they are most in touch with: the masked number of most calls and messages.
	byNumber := map[string]int{}
	exchanges := 0
	for _, c := range recs {
		if (c.Kind == communication.Call || c.Kind == communication.SMS) && c.Correspondent != "" {
			byNumber[c.Correspondent]++
			exchanges++
		}
	}
	top, n := "", 0
	for num, k := range byNumber {
		if k > n || k == n && num < top {
			top, n = num, k
		}
	}
	if len(byNumber) > 1 && n >= 5 {
		share := int(math.Round(100 * float64(n) / float64(exchanges)))
		out = append(out, Statement{Key: "habits.contact", Args: []Arg{text(top), count(n, "exchange"), percent(share)}, Evidence: all})
	}

	// Away: the longest run of days with records on a foreign network.
	type run struct {
		first, last       time.Time // local midnights
		operator          string
		firstDoc, lastDoc store.Doc
		firstAt, lastAt   time.Time
	}
	var best, cur run
	var prev time.Time
	byID := map[string]store.Doc{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	roam := slices.Clone(recs)
	slices.SortStableFunc(roam, func(a, b communication.Record) int { return a.At.Compare(b.At) })
	for _, c := range roam {
		if !c.Roaming {
			continue
		}
		d := midnight(c.At, r.loc)
		switch {
		case !prev.IsZero() && d.Equal(prev):
		case !prev.IsZero() && d.Equal(prev.AddDate(0, 0, 1)):
			cur.last = d
		default:
			cur = run{first: d, last: d, operator: c.Operator, firstDoc: byID[c.ID], firstAt: c.At}
		}
		cur.lastDoc, cur.lastAt = byID[c.ID], c.At
		prev = d
		if cur.last.Sub(cur.first) > best.last.Sub(best.first) || best.first.IsZero() {
			best = cur
		}
	}
	if !best.first.IsZero() {
		days := int(math.Round(best.last.Sub(best.first).Hours()/24)) + 1
		st := Statement{Key: "habits.abroad", Args: []Arg{day(best.first), day(best.last), count(days, "day")},
			Evidence: []Evidence{at(one(best.firstDoc, communication.Doctype, ""), best.firstAt), at(one(best.lastDoc, communication.Doctype, ""), best.lastAt), all[0]}}
		if best.operator != "" {
			st.Key, st.Args = "habits.abroad.network", append(st.Args, text(best.operator))
		}
		out = append(out, st)
	}
	return out
}
