package demo

import (
	"fmt"
	"time"
)

// appointment is a health appointment, seen by the calendar, the visits and the bank.
type appointment struct {
	start     time.Time
	minutes   int
	summary   string
	organizer string
	location  string
	place     string // place id, if Camille's places know it
}

// health restores what the Assurance Maladie knows: four appointments in the year (two at the
// family doctor, each followed by the pharmacy), each paid by card and partly refunded a few
// days later by transfer; and what Camille's complementary insurer, Harmonie Mutuelle, pays
// on top a few days after that. Health data is Art. 9 GDPR: the demo keeps it to a handful.
func (g *gen) health() {
	r := g.rand("health")
	m := g.rand("mutuelle") // a stream of its own: the Assurance Maladie's draws stay as they were
	cpam, mutuelle := g.src("cpam"), g.src("harmonie-mutuelle")
	n := 0
	claim := func(d time.Time, care, provider, merchant string, cents, refund, topUp int64) {
		n++
		id, rid := fmt.Sprintf("health-claim-%02d", n), fmt.Sprintf("health-reimbursement-%02d", n)
		ref := "DS" + digits(r, 11)
		paid := nextBusinessDay(d.AddDate(0, 0, 3+r.IntN(4)))
		g.add("health.claim", cpam, id, map[string]any{
			"date": date(d), "amount": money(cents), "currency": currency,
			"provider": provider, "care": care, "reference": ref, "patient": person,
		})
		g.add("health.reimbursement", cpam, rid, map[string]any{
			"date": date(paid), "amount": money(refund), "currency": currency,
			"claim": id, "payer": "Assurance Maladie", "reference": ref,
		})
		g.ds.Links = append(g.ds.Links, Link{From: Ref{Doctype: "health.reimbursement", ID: rid}, To: Ref{Doctype: "health.claim", ID: id}})
		g.payments = append(g.payments,
			card(d, merchant, -cents, "health"),
			op{day: paid, cents: refund, label: "VIR CPAM DU RHONE REMB SOINS " + ref, category: "health",
				typ: "transfer", reference: ref, counterparty: "CPAM du Rhône", settles: Ref{Doctype: "health.reimbursement", ID: rid}})
		// The complementary insurer learns of the care from the Assurance Maladie (Noémie):
		// its record carries the Assurance Maladie's reference, never the claim's id, and its
		// transfer its own reference. One paid after the year's end is not there yet.
		topped := nextBusinessDay(paid.AddDate(0, 0, 2+m.IntN(3)))
		if topUp == 0 || !g.inYear(topped) {
			return
		}
		mid := rid + "-hm"
		g.add("health.reimbursement", mutuelle, mid, map[string]any{
			"date": date(topped), "amount": money(topUp), "currency": currency,
			"payer": "Harmonie Mutuelle", "reference": ref,
		})
		g.ds.Links = append(g.ds.Links, Link{From: Ref{Doctype: "health.reimbursement", ID: mid}, To: Ref{Doctype: "health.claim", ID: id}})
		g.payments = append(g.payments, op{day: topped, cents: topUp, label: "VIR SEPA HARMONIE MUTUELLE PRESTATIONS SANTE", category: "health",
			typ: "transfer", reference: "HM" + digits(m, 10), counterparty: "Harmonie Mutuelle", settles: Ref{Doctype: "health.reimbursement", ID: mid}})
	}
	// day picks a weekday at home around a day of the year.
	day := func(from, to int) time.Time {
		d := g.days[from+r.IntN(to-from)]
		for weekend(d) || g.away(d) {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	const doctor = "Dr Claire Lefèvre, médecin généraliste"
	for _, v := range []struct {
		from, to        int
		hour            float64
		minutes         int
		summary, who    string
		location, place string
		care, provider  string
		merchant        string
		cents, refund   int64
		topUp           int64 // what the complementary insurer pays on top
		pharmacy        int64 // cents spent at the pharmacy afterwards, if any
	}{
		{30, 90, 18.25, 20, "Médecin — Dr Lefèvre", "Dr Claire Lefèvre", "Cabinet médical, 54 rue de Créqui, 69003 Lyon", "place-doctor",
			"consultation", doctor, "DR LEFEVRE CLAIRE", 3000, 1900, 900, 2374},
		{120, 170, 12.5, 30, "Dentiste — détartrage", "Dr Paul Nguyen", "Cabinet dentaire, 12 cours Gambetta, 69003 Lyon", "",
			"dental care", "Dr Paul Nguyen, chirurgien-dentiste", "SCM DENTAIRE GAMBETTA", 2892, 2024, 868, 0},
		{180, 230, 9, 30, "Ophtalmologiste — Dr Moreau", "Dr Anne Moreau", "Centre ophtalmologique, 3 place Bellecour, 69002 Lyon", "",
			"consultation", "Dr Anne Moreau, ophtalmologiste", "DR MOREAU ANNE", 6000, 2005, 2945, 0},
		{240, 320, 17.75, 20, "Médecin — Dr Lefèvre", "Dr Claire Lefèvre", "Cabinet médical, 54 rue de Créqui, 69003 Lyon", "place-doctor",
			"consultation", doctor, "DR LEFEVRE CLAIRE", 3000, 1900, 900, 1286},
	} {
		d := day(v.from, v.to)
		g.appointments = append(g.appointments, appointment{start: g.clock(d, v.hour), minutes: v.minutes,
			summary: v.summary, organizer: v.who, location: v.location, place: v.place})
		claim(d, v.care, v.provider, v.merchant, v.cents, v.refund, v.topUp)
		if v.pharmacy > 0 {
			refund := v.pharmacy * 65 / 100
			claim(d, "pharmacy", "Pharmacie de la Guillotière", "PHARMACIE GUILLOTIERE", v.pharmacy, refund, v.pharmacy-refund)
		}
	}
}
