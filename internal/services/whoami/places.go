package whoami

import (
	"cmp"
	"slices"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/store"
)

// topPlaces is how many of the most visited places the portrait names.
const topPlaces = 3

// places: where the person goes most, for how long, and where they work.
func (r *reader) places() []Statement {
	var out []Statement
	vs := r.visits()
	type often struct {
		name   string
		place  *store.Doc
		visits []store.Doc
		time   time.Duration
	}
	byPlace := map[string]*often{}
	var keys []string
	for _, v := range vs {
		if v.key == "" {
			continue
		}
		o := byPlace[v.key]
		if o == nil {
			o = &often{name: v.name, place: v.place}
			byPlace[v.key] = o
			keys = append(keys, v.key)
		}
		o.visits = append(o.visits, v.doc)
		if !v.end.IsZero() {
			o.time += v.end.Sub(v.start)
		}
	}
	slices.SortStableFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(byPlace[b].visits), len(byPlace[a].visits)), cmp.Compare(byPlace[b].time, byPlace[a].time))
	})
	for i, k := range keys[:min(topPlaces, len(keys))] {
		o := byPlace[k]
		key := "places.most"
		if i > 0 {
			key = "places.also"
		}
		var ev []Evidence
		if o.place != nil {
			ev = append(ev, one(*o.place, "place", o.name))
		}
		ev = append(ev, bySource("visit", o.visits)...)
		args := []Arg{text(o.name), count(len(o.visits), "visit")}
		if o.time > 0 {
			key += ".time"
			args = append(args, duration(o.time))
		}
		out = append(out, Statement{Key: key, Args: args, Evidence: ev})
	}

	pdocs := r.get("place")
	for _, d := range pdocs {
		if p, ok := decode[placeData](r, "place", d); ok && p.Category == "work" && p.Name != "" {
			args := []Arg{text(p.Name)}
			key := "places.work"
			if p.Address != "" {
				key, args = "places.work.address", append(args, text(p.Address))
			}
			out = append(out, Statement{Key: key, Args: args, Evidence: []Evidence{one(d, "place", p.Name)}})
			break
		}
	}
	return out
}

type claimData struct {
	Date     string `json:"date"`
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	Provider string `json:"provider"`
	Care     string `json:"care"`
}

// health: how many health expenses, what they cost, and whom they name. The records are
// sensitive (Art. 9 GDPR); the page marks the statements so.
func (r *reader) health() []Statement {
	docs := r.get("health.claim")
	var out []Statement
	var total money.Amount
	cur := ""
	var first, last time.Time
	var providers []string
	n := 0
	for _, d := range docs {
		c, ok := decode[claimData](r, "health.claim", d)
		a, aerr := money.Parse(c.Amount)
		date, derr := time.ParseInLocation(time.DateOnly, c.Date, r.loc)
		if !ok || aerr != nil || derr != nil || cur != "" && c.Currency != cur {
			r.bad("health.claim", d.ID)
			continue
		}
		n++
		cur, total = c.Currency, total.Add(a)
		if first.IsZero() || date.Before(first) {
			first = date
		}
		last = maxTime(last, date)
		if c.Provider != "" && !slices.Contains(providers, c.Provider) {
			providers = append(providers, c.Provider)
		}
	}
	if n == 0 {
		return nil
	}
	ev := bySource("health.claim", docs)
	out = append(out, Statement{Key: "health.claims", Args: []Arg{count(n, "claim"), amount(total, cur), day(first), day(last)}, Evidence: ev})
	if len(providers) > 0 {
		out = append(out, Statement{Key: "health.providers", Args: []Arg{count(len(providers), "provider"), list(providers)}, Evidence: ev})
	}
	return out
}
