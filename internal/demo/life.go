package demo

import (
	"fmt"
	"math"
	"slices"
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

func places() []place {
	return []place{
		{"place-home", "Domicile", "home", address, 45.7589, 4.8475},
		{"place-work", "Bureau — Rhône Conseil", "work", "107 boulevard Vivier-Merle, 69003 Lyon", 45.7601, 4.8598},
		{"place-supermarket", "Lidl Guillotière", "shop", "45 rue de Marseille, 69007 Lyon", 45.7523, 4.8425},
		{"place-gym", "Keep Cool Part-Dieu", "leisure", "35 rue Servient, 69003 Lyon", 45.7608, 4.8527},
		{"place-parents", "Chez mes parents", "other", contacts()[0].address, 45.7952, 4.8607},
		{"place-doctor", "Cabinet médical Dr Lefèvre", "health", "54 rue de Créqui, 69003 Lyon", 45.7598, 4.8448},
		{"place-park", "Parc de la Tête d'Or", "leisure", "Boulevard des Belges, 69006 Lyon", 45.7772, 4.8553},
		{"place-station", "Gare de Lyon Part-Dieu", "transport", "Place Charles Béraudier, 69003 Lyon", 45.7605, 4.8612},
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

// visits is a partial location history: Saturday shopping, some gym evenings, Sunday lunch at
// the parents', walks in the park, the doctor, the train station on the way to Barcelona.
func (g *gen) visits() {
	r := g.rand("visits")
	byID := map[string]place{}
	for _, p := range places() {
		byID[p.id] = p
	}
	type visit struct {
		place      string
		start, end time.Time
	}
	var vs []visit
	at := func(d time.Time, id string, from, to float64) {
		vs = append(vs, visit{id, g.clock(d, from+0.25*r.Float64()), g.clock(d, to+0.25*r.Float64())})
	}
	for _, d := range g.days {
		if g.away(d) {
			continue
		}
		switch wd := d.Weekday(); {
		case wd == time.Saturday && r.IntN(2) == 0:
			at(d, "place-supermarket", 10, 10.75)
		case (wd == time.Tuesday || wd == time.Thursday) && r.IntN(4) == 0:
			at(d, "place-gym", 19, 20.25)
		case wd == time.Sunday && d.Day() <= 7:
			at(d, "place-parents", 12, 17)
		case wd == time.Sunday && d.Month() >= time.April && d.Month() <= time.September && r.IntN(3) == 0:
			at(d, "place-park", 15, 17.5)
		}
	}
	for _, a := range g.appointments {
		if a.place != "" {
			vs = append(vs, visit{a.place, a.start.Add(-10 * time.Minute), a.start.Add(time.Duration(a.minutes) * time.Minute)})
		}
	}
	at(g.holiday, "place-station", 6.6, 7.0)
	at(g.holiday.AddDate(0, 0, 15), "place-station", 18.1, 18.3)
	slices.SortFunc(vs, func(a, b visit) int { return a.start.Compare(b.start) })
	owner := g.src("owner")
	for i, v := range vs {
		p := byID[v.place]
		g.add("visit", owner, fmt.Sprintf("visit-%03d", i+1), map[string]any{
			"start": instant(v.start), "end": instant(v.end), "place": p.id, "name": p.name,
			"lat":        math.Round((p.lat+0.0004*r.NormFloat64())*1e5) / 1e5,
			"lon":        math.Round((p.lon+0.0004*r.NormFloat64())*1e5) / 1e5,
			"confidence": math.Round((0.7+0.28*r.Float64())*100) / 100,
		})
	}
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
