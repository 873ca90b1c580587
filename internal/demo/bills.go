package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// billSpec is one bill: the document, its PDF and the debit it causes.
type billSpec struct {
	id, org, typ, contract, refPrefix string
	title                             string // heading of the PDF
	date, due                         time.Time
	from, to                          time.Time // the period's first and last days
	cents                             int64
	detail                            []string // PDF lines between the period and the total
	debit, category                   string   // the bank statement's label and category
}

// bills restores, for each month of the year, what the organizations billed: EDF electricity
// and gas from the meters' consumption, Orange, the rent, the quarterly water bill and the
// yearly MAIF premiums. Only bills due within the year are kept, so that each has its debit.
func (g *gen) bills() {
	r := g.rand("bills")
	// From the month before the year: its bills may be due within the year.
	first := time.Date(g.start.Year(), g.start.Month(), 1, 0, 0, 0, 0, g.loc).AddDate(0, -1, 0)
	for m := first; m.Before(g.end); m = m.AddDate(0, 1, 0) {
		next := m.AddDate(0, 1, 0)
		last := next.AddDate(0, 0, -1)
		ym := m.Format("2006-01")
		if !m.Before(g.start) && !next.After(g.end) {
			g.energyBills(r, m, next)
		}
		extra := int64(0)
		if r.IntN(4) == 0 {
			extra = between(r, 150, 1200)
		}
		detail := []string{"Livebox Fibre + forfait mobile 100 Go : " + euros(orangeMonthly)}
		if extra > 0 {
			detail = append(detail, "Communications hors forfait (international) : "+euros(extra))
		}
		g.addBill(r, billSpec{
			id: "bill-orange-" + ym, org: "orange", typ: "telecom", contract: "contract-orange", refPrefix: "F",
			title: "Facture Livebox et mobile", date: next.AddDate(0, 0, 4), due: nextBusinessDay(next.AddDate(0, 0, 19)),
			from: m, to: last, cents: orangeMonthly + extra, detail: detail,
			debit: "PRLV SEPA ORANGE SA", category: "telecom",
		})
		g.addBill(r, billSpec{
			id: "bill-grand-lyon-habitat-" + ym, org: "grand-lyon-habitat", typ: "housing", contract: "contract-lease", refPrefix: "AE",
			title: "Avis d'échéance — loyer", date: m.AddDate(0, 0, -6), due: nextBusinessDay(m.AddDate(0, 0, 4)),
			from: m, to: last, cents: rent,
			detail: []string{"Loyer principal : " + euros(49827), "Provisions pour charges : " + euros(10200)},
			debit:  "PRLV SEPA GRAND LYON HABITAT LOYER", category: "housing",
		})
		if m.Month()%3 == 1 {
			g.waterBill(r, m)
		}
		if m.Month() == time.October {
			g.addBill(r, billSpec{
				id: "bill-maif-home-" + m.Format("2006"), org: "maif", typ: "insurance", contract: "insurance-maif-home", refPrefix: "ECH",
				title: "Avis d'échéance — assurance habitation", date: m.AddDate(0, 0, -25), due: nextBusinessDay(m),
				from: m, to: m.AddDate(1, 0, -1), cents: homePremium,
				detail: []string{"Contrat Raqvam, appartement T2", "Cotisation annuelle TTC : " + euros(homePremium)},
				debit:  "PRLV SEPA MAIF COTISATION HABITATION", category: "insurance",
			})
		}
		if m.Month() == time.March {
			s := m.AddDate(0, 0, 14)
			g.addBill(r, billSpec{
				id: "bill-maif-car-" + m.Format("2006"), org: "maif", typ: "insurance", contract: "insurance-maif-car", refPrefix: "ECH",
				title: "Avis d'échéance — assurance automobile", date: s.AddDate(0, 0, -25), due: nextBusinessDay(s),
				from: s, to: s.AddDate(1, 0, -1), cents: carPremium,
				detail: []string{"Contrat VAM Plénitude, Renault Clio IV FT-482-KD", "Cotisation annuelle TTC : " + euros(carPremium)},
				debit:  "PRLV SEPA MAIF COTISATION AUTO", category: "insurance",
			})
		}
	}
}

// energyBills bills the month [m, next) of electricity and gas from the daily consumption.
func (g *gen) energyBills(r *rand.Rand, m, next time.Time) {
	ym, last := m.Format("2006-01"), next.AddDate(0, 0, -1)
	date, due := next.AddDate(0, 0, 2), nextBusinessDay(next.AddDate(0, 0, 16))
	var wh, ckwh int64
	for i := g.dayIndex(m); i < g.dayIndex(next); i++ {
		wh += g.elecWh[i]
		ckwh += g.gasCkWh[i]
	}
	elec := (wh*elecPerKWh + 50_000) / 100_000
	g.addBill(r, billSpec{
		id: "bill-edf-electricity-" + ym, org: "edf", typ: "electricity", contract: "contract-edf-electricity", refPrefix: "10",
		title: "Facture d'électricité", date: date, due: due, from: m, to: last, cents: elec + elecSubscription,
		detail: []string{
			fmt.Sprintf("Consommation relevée par Enedis : %d kWh", (wh+500)/1000),
			"Énergie (Tarif Bleu Base, 0,2016 €/kWh TTC) : " + euros(elec),
			"Abonnement Base 6 kVA : " + euros(elecSubscription),
		},
		debit: "PRLV SEPA EDF ELECTRICITE", category: "energy",
	})
	gas := (ckwh*gasPerKWh + 5_000) / 10_000
	g.addBill(r, billSpec{
		id: "bill-edf-gas-" + ym, org: "edf", typ: "gas", contract: "contract-edf-gas", refPrefix: "10",
		title: "Facture de gaz naturel", date: date, due: due, from: m, to: last, cents: gas + gasSubscription,
		detail: []string{
			fmt.Sprintf("Consommation relevée par GRDF : %d kWh", (ckwh+50)/100),
			"Énergie (0,1210 €/kWh TTC) : " + euros(gas),
			"Abonnement : " + euros(gasSubscription),
		},
		debit: "PRLV SEPA EDF GAZ", category: "energy",
	})
}

// waterBill bills the quarter starting at m, if it lies within the year.
func (g *gen) waterBill(r *rand.Rand, m time.Time) {
	end := m.AddDate(0, 3, 0)
	if m.Before(g.start) || end.After(g.end) {
		return
	}
	var l int64
	for i := g.dayIndex(m); i < g.dayIndex(end); i++ {
		l += g.waterL[i]
	}
	vol := (l*waterPerM3 + 500) / 1000
	date := end.AddDate(0, 0, 11)
	g.addBill(r, billSpec{
		id: fmt.Sprintf("bill-eau-%d-q%d", m.Year(), (m.Month()+2)/3), org: "eau-du-grand-lyon", typ: "water", contract: "contract-eau", refPrefix: "EGL",
		title: "Facture d'eau trimestrielle", date: date, due: nextBusinessDay(date.AddDate(0, 0, 25)),
		from: m, to: end.AddDate(0, 0, -1), cents: vol + waterSubscription,
		detail: []string{
			"Consommation télérelevée : " + strings.Replace(fmt.Sprintf("%.1f m³", float64(l)/1000), ".", ",", 1),
			"Eau potable et assainissement (3,62 €/m³ TTC) : " + euros(vol),
			"Abonnement trimestriel : " + euros(waterSubscription),
		},
		debit: "PRLV SEPA EAU DU GRAND LYON", category: "housing",
	})
}

// addBill adds the bill, its PDF and its debit, if the debit falls within the year.
func (g *gen) addBill(r *rand.Rand, b billSpec) {
	if !g.inYear(b.due) {
		return
	}
	src := g.src(b.org)
	ref := b.refPrefix + digits(r, 10-len(b.refPrefix)+2)
	fileID := "file-" + b.id
	g.add("bill", src, b.id, map[string]any{
		"vendor": src.Name, "date": date(b.date), "amount": money(b.cents), "currency": currency,
		"type": b.typ, "contract": b.contract, "file": fileID, "reference": ref,
		"periodStart": date(b.from), "periodEnd": date(b.to), "dueDate": date(b.due),
	})
	lines := []string{
		person, address, "",
		"Facture n° " + ref + " du " + frDate(b.date),
		"Période : du " + frDate(b.from) + " au " + frDate(b.to), "",
	}
	lines = append(lines, b.detail...)
	lines = append(lines, "",
		"Montant TTC : "+euros(b.cents),
		"Prélevé le "+frDate(b.due)+" sur votre compte La Banque Postale", "",
		"Document de démonstration généré par selfdata : données fictives.")
	g.ds.Files = append(g.ds.Files, FileData{
		ID: fileID, Name: b.id + ".pdf", MediaType: "application/pdf",
		Content: pdf(ref, src.Name+" — "+b.title, lines), Source: src,
		Documents: []Ref{{Doctype: "bill", ID: b.id}},
	})
	g.payments = append(g.payments, op{
		day: b.due, cents: -b.cents, label: b.debit, category: b.category,
		typ: "direct_debit", reference: ref, counterparty: src.Name, settles: Ref{Doctype: "bill", ID: b.id},
	})
}
