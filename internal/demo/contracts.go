package demo

import "time"

// contracts restores what Camille signed: energy and water supply, telecom, the lease, the
// account agreement of the checking account, the two MAIF policies, and the water damage
// claimed on the home policy during the year. Each contract says how it runs on (a term that
// renews, a commitment, or none), so that My contracts has renewal dates, notice deadlines
// and a commitment still running to show.
func (g *gen) contracts() {
	r := g.rand("contracts")
	edf := g.src("edf")
	// Regulated tariffs run without a term: they end when the customer ends them.
	g.add("contract", edf, "contract-edf-electricity", map[string]any{
		"type": "electricity", "provider": "EDF", "reference": digits(r, 10),
		"label": "Électricité — Tarif Bleu", "offer": "Tarif Bleu, option Base 6 kVA",
		"start": "2019-09-01", "price": money(elecSubscription), "priceUnit": "month",
		"currency": currency, "address": address, "holder": person,
	})
	g.add("contract", edf, "contract-edf-gas", map[string]any{
		"type": "gas", "provider": "EDF", "reference": digits(r, 10),
		"label": "Gaz naturel", "offer": "Avantage Gaz, tarif indexé",
		"start": "2019-09-01", "price": money(gasSubscription), "priceUnit": "month",
		"currency": currency, "address": address, "holder": person,
	})
	g.add("contract", g.src("eau-du-grand-lyon"), "contract-eau", map[string]any{
		"type": "water", "provider": "Eau du Grand Lyon", "reference": "EGL" + digits(r, 8),
		"label": "Abonnement eau potable et assainissement", "offer": "Tarif résidentiel",
		"start": "2019-09-01", "price": money(4 * waterSubscription), "priceUnit": "year",
		"currency": currency, "address": address, "holder": person,
	})
	// Camille moved to the 500 Mb/s offer eight months before the year's end, which came
	// with a new 12-month commitment: still running when the year ends.
	committed := time.Date(g.end.Year(), g.end.Month()-8, 15, 0, 0, 0, 0, g.loc)
	g.add("contract", g.src("orange"), "contract-orange", map[string]any{
		"type": "telecom", "provider": "Orange", "reference": "ORF" + digits(r, 9),
		"label": "Livebox Fibre + forfait mobile", "offer": "Livebox Fibre 500 Mb/s + forfait mobile 100 Go, engagement 12 mois",
		"start": "2021-02-15", "price": money(orangeMonthly), "priceUnit": "month",
		"commitmentEnd": date(committed.AddDate(1, 0, -1)), "commitmentMonths": 12,
		"currency": currency, "address": address, "holder": person,
	})
	g.add("contract", g.src("grand-lyon-habitat"), "contract-lease", map[string]any{
		"type": "housing", "provider": "Grand Lyon Habitat", "reference": "GLH-" + digits(r, 7),
		"label": "Bail — T2 de 50 m², 3e étage", "offer": "Logement social, loyer + provisions pour charges",
		"start": "2019-09-01", "price": money(rent), "priceUnit": "month",
		"currency": currency, "address": address, "holder": person,
	})
	checking, _ := g.accountNumbers()
	g.add("contract", g.src("bank-a"), "contract-lbp-account", map[string]any{
		"type": "bank", "provider": "La Banque Postale", "reference": checking,
		"label": "Convention de compte — compte courant postal", "offer": "Formule de compte Essentiel",
		"start": "2014-09-01", "price": money(accountFee), "priceUnit": "month",
		"currency": currency, "address": address, "holder": person,
	})

	// Insurance policies run for a year and renew by themselves; ending one at its due date
	// takes two months' notice.
	maif := g.src("maif")
	g.add("insurance.contract", maif, "insurance-maif-home", map[string]any{
		"insurer": "MAIF", "kind": "home", "reference": "HAB" + digits(r, 8),
		"label": "Raqvam — assurance habitation", "start": "2019-10-01",
		"premium": money(homePremium), "currency": currency,
		"insured": "Appartement T2 de 50 m², " + address, "holder": person,
		"termMonths": 12, "tacitRenewal": true, "noticeMonths": 2,
	})
	g.add("insurance.contract", maif, "insurance-maif-car", map[string]any{
		"insurer": "MAIF", "kind": "car", "reference": "VAM" + digits(r, 8),
		"label": "VAM — assurance automobile, formule Plénitude", "start": "2021-03-15",
		"premium": money(carPremium), "currency": currency,
		"insured": "Renault Clio IV, FT-482-KD", "holder": person,
		"termMonths": 12, "tacitRenewal": true, "noticeMonths": 2,
	})

	// The neighbour upstairs leaks; the expert comes; MAIF pays the painter's quote.
	g.claimDay = nextBusinessDay(g.days[100+r.IntN(90)])
	paid := nextBusinessDay(g.claimDay.AddDate(0, 0, 32))
	ref := "SIN-" + digits(r, 9)
	g.add("insurance.claim", maif, "claim-maif-water-damage", map[string]any{
		"insurer": "MAIF", "date": date(g.claimDay), "contract": "insurance-maif-home",
		"description": "Dégât des eaux : fuite chez le voisin du dessus, plafond de la salle de bains à repeindre",
		"status":      "paid", "amount": money(claimAmount), "currency": currency, "reference": ref,
	})
	g.payments = append(g.payments,
		op{day: paid, cents: claimAmount, label: "VIR MAIF INDEMNISATION " + ref, category: "insurance",
			typ: "transfer", reference: ref, counterparty: "MAIF"},
		op{day: nextBusinessDay(paid.AddDate(0, 0, 12)), cents: -claimAmount, label: "CHEQUE " + digits(r, 7),
			category: "housing", typ: "check", counterparty: "Peinture Déco Guillotière"},
	)
}

// Prices in cents, shared by the contracts, the bills and the bank statement.
const (
	elecSubscription  = 1565 // per month
	elecPerKWh        = 2016 // hundredths of a cent per kWh
	gasSubscription   = 2140 // per month
	gasPerKWh         = 1210 // hundredths of a cent per kWh
	waterSubscription = 812  // per quarter
	waterPerM3        = 362  // cents per m3, sanitation included
	orangeMonthly     = 5598
	rent              = 60027 // rent 498.27 + service charges 102.00
	accountFee        = 850   // the checking account's monthly fee
	homePremium       = 21456 // per year
	carPremium        = 61284 // per year
	claimAmount       = 48600
)

// accountNumbers are the numbers of the checking and the savings account, drawn from their
// own stream so that the account agreement and the bank statement name the same account.
func (g *gen) accountNumbers() (checking, savings string) {
	r := g.rand("accounts")
	checking = digits(r, 11)
	return checking, digits(r, 11)
}
