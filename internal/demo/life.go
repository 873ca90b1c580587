package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// The phone numbers are in the ranges ARCEP keeps for fiction (04 65 71, 06 39 98).

type contact struct {
	given, family, phone, email, organization, address, birthday string
	weight                                                       int // how often they call
}

func contacts() []contact {
	parents := "12 chemin de Crépieux, 69300 Caluire-et-Cuire"
	return []contact{
		{"Sylvie", "Martin", "+33 6 39 98 31 62", "sylvie.martin@example.org", "", parents, "1962-11-03", 5},
		{"Bernard", "Martin", "+33 6 39 98 74 05", "bernard.martin@example.org", "", parents, "1960-02-21", 2},
		{"Léa", "Girard", "+33 6 39 98 15 88", "lea.girard@example.net", "", "Villeurbanne", "1992-07-09", 6},
		{"Thomas", "Roux", "+33 6 39 98 66 13", "thomas.roux@example.com", "Rhône Conseil", "", "", 3},
		{"Claire", "Lefèvre", "+33 4 65 71 20 30", "", "Cabinet médical Créqui", "54 rue de Créqui, 69003 Lyon", "", 1},
	}
}

type place struct {
	id, name, category, address string
	lat, lon                    float64
}

// places are Camille's places, all more than 200 m apart (the map service tells places apart
// within 150 m); the last two are those of the summer holiday in Barcelona.
func places() []place {
	return []place{
		{"place-home", "Domicile", "home", address, 45.7589, 4.8475},
		{"place-work", "Bureau — Rhône Conseil", "work", "10 boulevard Vivier-Merle, 69003 Lyon", 45.7572, 4.8597},
		{"place-supermarket", "Lidl Guillotière", "shop", "45 rue de Marseille, 69007 Lyon", 45.7523, 4.8425},
		{"place-gym", "Keep Cool Part-Dieu", "leisure", "35 rue Servient, 69003 Lyon", 45.7608, 4.8527},
		{"place-parents", "Chez mes parents", "other", contacts()[0].address, 45.7952, 4.8607},
		{"place-doctor", "Cabinet médical Dr Lefèvre", "health", "54 rue de Créqui, 69003 Lyon", 45.7598, 4.8448},
		{"place-park", "Parc de la Tête d'Or", "leisure", "Boulevard des Belges, 69006 Lyon", 45.7772, 4.8553},
		{"place-station", "Gare de Lyon Part-Dieu", "transport", "Place Charles Béraudier, 69003 Lyon", 45.7605, 4.8612},
		{"place-hotel", "Hôtel Gràcia", "other", "Carrer de Verdi 25, 08012 Barcelona", 41.4025, 2.1570},
		{"place-sants", "Barcelona Sants", "transport", "Plaça dels Països Catalans, 08014 Barcelona", 41.3792, 2.1401},
	}
}

// life is what Camille keeps on herself: her profile, contacts, places, the visits a phone's
// location history noted, and her calendar.
func (g *gen) life() {
	owner := g.src("owner")
	g.add("profile", owner, "profile", map[string]any{
		"givenName": givenName, "familyName": familyName, "birthDate": "1991-05-14",
		"email": "camille.martin@example.org", "phone": "+33 6 39 98 20 14",
		"address": map[string]any{"street": street, "postalCode": postalCode, "city": city, "country": "FR"},
	})
	for i, c := range contacts() {
		data := map[string]any{"fullName": c.given + " " + c.family, "givenName": c.given, "familyName": c.family,
			"phones": []string{c.phone}}
		for k, v := range map[string]string{"organization": c.organization, "address": c.address, "birthday": c.birthday} {
			if v != "" {
				data[k] = v
			}
		}
		if c.email != "" {
			data["emails"] = []string{c.email}
		}
		g.add("contact", owner, fmt.Sprintf("contact-%02d", i+1), data)
	}
	for _, p := range places() {
		g.add("place", owner, p.id, map[string]any{
			"name": p.name, "category": p.category, "address": p.address, "lat": p.lat, "lon": p.lon,
		})
	}
	g.visits()
	g.calendar()
}

// calendar is a dozen events, some of which other sources confirm (the doctor's payment, the
// MAIF claim, the train ticket, the holiday's roaming).
func (g *gen) calendar() {
	r := g.rand("calendar")
	owner := g.src("owner")
	ev := func(id, summary string, start, end time.Time, more map[string]any) {
		data := map[string]any{"uid": id + "@selfdata.demo", "summary": summary, "start": instant(start), "end": instant(end)}
		for k, v := range more {
			data[k] = v
		}
		g.add("calendar.event", owner, id, data)
	}
	// weekday picks the first weekday at home from a day of the year.
	weekday := func(i int) time.Time {
		d := g.days[i]
		for weekend(d) || g.away(d) {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	h := g.holiday
	ev("event-holiday", "Vacances à Barcelone", h, h.AddDate(0, 0, 15),
		map[string]any{"allDay": true, "location": "Barcelone, Espagne"})
	ev("event-train", "TGV Lyon Part-Dieu → Barcelona Sants", g.clock(h, 7.1), g.clock(h, 12.1),
		map[string]any{"location": "Gare de Lyon Part-Dieu", "description": "Voiture 14, place 63"})
	for i, a := range g.appointments {
		ev(fmt.Sprintf("event-health-%d", i+1), a.summary, a.start, a.start.Add(time.Duration(a.minutes)*time.Minute),
			map[string]any{"location": a.location, "organizer": a.organizer})
	}
	d := weekday(60 + r.IntN(200))
	ev("event-water-meter", "Relevé du compteur d'eau — Eau du Grand Lyon", g.clock(d, 8), g.clock(d, 12),
		map[string]any{"location": address, "organizer": "Eau du Grand Lyon",
			"description": "Le technicien doit accéder au compteur dans la gaine palière."})
	d = nextBusinessDay(g.claimDay.AddDate(0, 0, 8))
	ev("event-maif-expert", "Expertise dégât des eaux (MAIF)", g.clock(d, 14), g.clock(d, 15),
		map[string]any{"location": address, "organizer": "MAIF", "description": "Plafond de la salle de bains"})
	for d := g.start; d.Before(g.end); d = d.AddDate(0, 0, 1) {
		if d.Month() == time.November && d.Day() == 3 {
			ev("event-birthday-mum", "Anniversaire de Maman", d, d.AddDate(0, 0, 1),
				map[string]any{"allDay": true, "recurrence": "FREQ=YEARLY"})
		}
	}
	d = g.start
	for d.Weekday() != time.Tuesday {
		d = d.AddDate(0, 0, 1)
	}
	ev("event-sport", "Sport — Keep Cool", g.clock(d, 19), g.clock(d, 20.25),
		map[string]any{"location": "Keep Cool Part-Dieu", "recurrence": "FREQ=WEEKLY;BYDAY=TU"})
	d = weekday(30 + r.IntN(60))
	for d.Weekday() != time.Friday {
		d = d.AddDate(0, 0, 1)
	}
	ev("event-dinner", "Dîner chez Léa", g.clock(d, 20), g.clock(d, 23.5), map[string]any{"location": "Villeurbanne"})
	d = weekday(150 + r.IntN(100))
	ev("event-tenants", "Réunion des locataires — Grand Lyon Habitat", g.clock(d, 18.5), g.clock(d, 20),
		map[string]any{"location": "Salle commune, " + address, "organizer": "Grand Lyon Habitat"})
	d = g.days[200+r.IntN(150)]
	for d.Weekday() != time.Saturday || g.away(d) {
		d = d.AddDate(0, 0, 1)
	}
	ev("event-car", "Contrôle technique — Clio", g.clock(d, 9), g.clock(d, 10),
		map[string]any{"location": "Autosur, 120 avenue Jean Jaurès, 69007 Lyon"})
}

// stop is a stay in Camille's itinerary: at one of her places (id), or somewhere a location
// history names without a place of its own (a museum in Barcelona, the dentist's).
type stop struct {
	id, name   string
	lat, lon   float64
	start, end time.Time
}

// elsewhere are the stays her phone named but her places do not hold.
func elsewhere() map[string][2]float64 {
	return map[string][2]float64{
		"Sagrada Família":              {41.4036, 2.1744},
		"Park Güell":                   {41.4145, 2.1527},
		"Platja de la Barceloneta":     {41.3784, 2.1925},
		"Museu Picasso":                {41.3852, 2.1809},
		"Casa Batlló":                  {41.3916, 2.1649},
		"Cabinet dentaire Gambetta":    {45.7537, 4.8469},
		"Centre ophtalmologique":       {45.7578, 4.8320},
		"Marché du quai Saint-Antoine": {45.7637, 4.8330},
	}
}

// trainRoute is the TGV's way from Lyon to Barcelona, for the trace of the trip.
func trainRoute() [][2]float64 {
	return [][2]float64{{44.99, 4.97}, {43.83, 4.36}, {43.60, 3.88}, {42.70, 2.88}, {42.27, 2.96}, {41.98, 2.82}}
}

// visits is Camille's location history, as a phone keeps it and Google Takeout gives it back:
// a stay at each place she went to, every day of the year (home at night, the office on
// weekdays, shopping, the gym, Sunday lunch at her parents', the park, the doctor, two weeks
// in Barcelona), and for the last three weeks and the holiday, the raw trace of points of
// each journey between them.
func (g *gen) visits() {
	r := g.rand("visits")
	byID := map[string]place{}
	for _, p := range places() {
		byID[p.id] = p
	}
	named := elsewhere()
	home := byID["place-home"]
	seq := []stop{{id: home.id, name: home.name, lat: home.lat, lon: home.lon, start: g.start}}
	// move leaves the current stop at leave (local decimal hours on day d) for id.
	move := func(d time.Time, leave float64, id string) {
		cur := &seq[len(seq)-1]
		out := g.clock(d, leave)
		if least := cur.start.Add(15 * time.Minute); out.Before(least) {
			out = least // a plan that runs late shortens the next stay, never reverses it
		}
		cur.end = out
		next := stop{id: id, name: id}
		if p, ok := byID[id]; ok {
			next.name, next.lat, next.lon = p.name, p.lat, p.lon
		} else {
			next.id, next.lat, next.lon = "", named[id][0], named[id][1]
		}
		next.start = out.Add(travel(cur.lat, cur.lon, next.lat, next.lon))
		seq = append(seq, next)
	}
	appointments := map[time.Time]appointment{}
	for _, a := range g.appointments {
		l := a.start.In(g.loc)
		appointments[time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, g.loc)] = a
	}
	hour := func(t time.Time) float64 { l := t.In(g.loc); return float64(l.Hour()) + float64(l.Minute())/60 }
	sights := []string{"Sagrada Família", "Park Güell", "Platja de la Barceloneta", "Museu Picasso", "Casa Batlló"}
	back := g.holiday.AddDate(0, 0, 15)
	for _, d := range g.days {
		switch wd := d.Weekday(); {
		case d.Equal(g.holiday): // the TGV of the calendar, 07:06 to 12:06
			move(d, 6.2, "place-station")
			move(d, 7.1, "place-sants")
			move(d, 12.4, "place-hotel")
		case g.away(d):
			first := r.IntN(len(sights))
			move(d, 9.5+r.Float64(), sights[first])
			if r.IntN(2) == 0 {
				move(d, 13+r.Float64(), sights[(first+1+r.IntN(len(sights)-1))%len(sights)])
			}
			move(d, 17.5+1.5*r.Float64(), "place-hotel")
		case d.Equal(back):
			move(d, 12.5, "place-sants")
			move(d, 13.1, "place-station")
			move(d, 18.3, "place-home")
		case weekend(d):
			switch {
			case wd == time.Sunday && d.Day() <= 7:
				move(d, 11.5+0.25*r.Float64(), "place-parents")
				move(d, 17+0.5*r.Float64(), "place-home")
			case wd == time.Sunday:
				move(d, 9.5+0.5*r.Float64(), "Marché du quai Saint-Antoine")
				move(d, 10.25+0.25*r.Float64(), "place-home")
				if d.Month() >= time.April && d.Month() <= time.September || r.IntN(3) == 0 {
					move(d, 14.5+0.5*r.Float64(), "place-park")
					move(d, 16.5+r.Float64(), "place-home")
				}
			case r.IntN(3) > 0:
				move(d, 10+0.5*r.Float64(), "place-supermarket")
				move(d, 10.9+0.25*r.Float64(), "place-home")
			default:
				move(d, 10+0.5*r.Float64(), "place-gym")
				move(d, 11.5+0.25*r.Float64(), "place-home")
			}
		default:
			a, seeing := appointments[d]
			switch {
			case seeing && hour(a.start) < 11: // on the way to work
				move(d, hour(a.start)-0.5, a.stopName())
				move(d, hour(a.start)+float64(a.minutes)/60+0.1, "place-work")
			default:
				move(d, 7.75+0.5*r.Float64(), "place-work")
			}
			if seeing && hour(a.start) >= 11 && hour(a.start) < 14 { // at lunchtime
				move(d, hour(a.start)-0.4, a.stopName())
				move(d, hour(a.start)+float64(a.minutes)/60+0.1, "place-work")
			}
			switch {
			case seeing && hour(a.start) >= 17: // after work
				move(d, hour(a.start)-0.5, a.stopName())
				move(d, hour(a.start)+float64(a.minutes)/60+0.1, "place-home")
			case (wd == time.Tuesday || wd == time.Thursday) && r.IntN(3) == 0:
				move(d, 18.5+0.25*r.Float64(), "place-gym")
				move(d, 20.25+0.25*r.Float64(), "place-home")
			case wd == time.Wednesday && r.IntN(2) == 0:
				move(d, 17.75+0.5*r.Float64(), "place-supermarket")
				move(d, hour(seq[len(seq)-1].start)+0.5+0.25*r.Float64(), "place-home")
			default:
				move(d, 17.5+r.Float64(), "place-home")
			}
		}
	}
	seq[len(seq)-1].end = g.end
	g.stops(r, seq)
}

// stopName is where the phone places an appointment: one of Camille's places, or the name
// it gives a practice her places do not hold.
func (a appointment) stopName() string {
	if a.place != "" {
		return a.place
	}
	if strings.Contains(a.location, "dentaire") {
		return "Cabinet dentaire Gambetta"
	}
	return "Centre ophtalmologique"
}

// stops writes the itinerary as visit documents: each stay with where the phone placed it (a
// few metres off the place), and the trace of the recent journeys.
func (g *gen) stops(r *rand.Rand, seq []stop) {
	owner := g.src("owner")
	trace := g.end.AddDate(0, 0, -21)
	holiday := func(t time.Time) bool {
		return !t.Before(g.holiday.AddDate(0, 0, -1)) && t.Before(g.holiday.AddDate(0, 0, 16))
	}
	round := func(v float64) float64 { return math.Round(v*1e5) / 1e5 }
	points := 0
	for i, s := range seq {
		data := map[string]any{
			"start": instant(s.start), "end": instant(s.end), "name": s.name,
			"lat": round(s.lat + 0.00012*r.NormFloat64()), "lon": round(s.lon + 0.00012*r.NormFloat64()),
			"confidence": math.Round((0.7+0.28*r.Float64())*100) / 100,
		}
		if s.id != "" {
			data["place"] = s.id
		}
		g.add("visit", owner, fmt.Sprintf("visit-%04d", i+1), data)
		if i+1 == len(seq) || !(s.end.After(trace) || holiday(s.end)) {
			continue
		}
		next := seq[i+1]
		for _, p := range path(r, s, next) {
			points++
			g.add("visit", owner, fmt.Sprintf("point-%04d", points), map[string]any{
				"start": instant(p.t), "lat": round(p.lat), "lon": round(p.lon),
				"accuracyMeters": 4 + r.IntN(20), "source": "GPS",
			})
		}
	}
}

// fix is a point of the trace.
type fix struct {
	lat, lon float64
	t        time.Time
}

// path is the trace between two stops: a fix every two minutes along the streets (one turn,
// as in a grid), or every quarter of an hour along the railway for the train.
func path(r *rand.Rand, from, to stop) []fix {
	way := [][2]float64{{from.lat, from.lon}}
	step := 2 * time.Minute
	if distance(from.lat, from.lon, to.lat, to.lon) > 100_000 {
		step = 15 * time.Minute
		route := trainRoute()
		if from.lat < to.lat {
			slices.Reverse(route)
		}
		way = append(way, route...)
	} else if r.IntN(2) == 0 {
		way = append(way, [2]float64{from.lat, to.lon})
	} else {
		way = append(way, [2]float64{to.lat, from.lon})
	}
	way = append(way, [2]float64{to.lat, to.lon})
	var total float64
	for i := 1; i < len(way); i++ {
		total += distance(way[i-1][0], way[i-1][1], way[i][0], way[i][1])
	}
	span := to.start.Sub(from.end)
	var out []fix
	for t := step; t < span; t += step {
		// how far along the way, in metres, then which leg and where on it
		along, leg := total*float64(t)/float64(span), 1
		for ; leg < len(way)-1; leg++ {
			d := distance(way[leg-1][0], way[leg-1][1], way[leg][0], way[leg][1])
			if along <= d {
				break
			}
			along -= d
		}
		a, b := way[leg-1], way[leg]
		f := 0.0
		if d := distance(a[0], a[1], b[0], b[1]); d > 0 {
			f = math.Min(1, along/d)
		}
		out = append(out, fix{a[0] + f*(b[0]-a[0]) + 0.00007*r.NormFloat64(), a[1] + f*(b[1]-a[1]) + 0.00007*r.NormFloat64(), from.end.Add(t)})
	}
	return out
}

// travel is how long Camille takes from one place to another: on foot under 2.5 km (streets
// are a third longer than the crow flies), by tram or metro up to 100 km, else the TGV's five
// hours.
func travel(lat1, lon1, lat2, lon2 float64) time.Duration {
	km := distance(lat1, lon1, lat2, lon2) / 1000
	var h float64
	switch {
	case km > 100:
		h = 5
	case km < 2.5:
		h = km * 1.3 / 4.8
	default:
		h = 0.1 + km*1.3/16
	}
	return time.Duration(math.Round(h*60)) * time.Minute
}

// distance is the great-circle distance in metres.
func distance(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * 6371008.8 * math.Asin(math.Sqrt(math.Min(1, h)))
}
