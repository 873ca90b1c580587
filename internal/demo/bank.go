package demo

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"time"
)

// op is one bank operation; cents are signed (a debit is negative).
type op struct {
	day                                           time.Time
	cents                                         int64
	label, category, typ, reference, counterparty string
}

func card(d time.Time, merchant string, cents int64, category string) op {
	return op{day: d, cents: cents, label: "CB " + merchant + " " + d.Format("02/01"),
		category: category, typ: "card", counterparty: merchant}
}

// The two accounts and their balances on the eve of the year, in cents.
const (
	checkingID      = "account-lbp-checking"
	savingsID       = "account-cm-livret-a"
	openingChecking = 264237
	openingSavings  = 845000
	keepOnChecking  = 300000 // what the monthly transfer to savings leaves after the salary
)

// bank restores the two banks: a checking account at La Banque Postale, where the salary comes
// in and every bill is debited, and a Livret A at Crédit Mutuel fed by a transfer of what is
// left after each salary. The statement is built day by day so that the transfers follow the
// balance.
func (g *gen) bank() {
	r := g.rand("bank")
	planned := make([][]op, len(g.days))
	for _, p := range g.payments {
		if g.inYear(p.day) {
			i := g.dayIndex(p.day)
			planned[i] = append(planned[i], p)
		}
	}
	var checking, savings []op
	bal, sav := int64(openingChecking), int64(openingSavings)
	for i, d := range g.days {
		today := append(g.monthly(r, d), planned[i]...)
		today = append(today, g.spending(r, d)...)
		for _, o := range today {
			bal += o.cents
		}
		checking = append(checking, today...)
		if d.Equal(nextBusinessDay(dayOfMonth(d, 28))) {
			if amt := min((bal-keepOnChecking)/10000*10000, 150000); amt > 0 {
				bal, sav = bal-amt, sav+amt
				ref := fmt.Sprintf("EPARGNE %s", d.Format("01/2006"))
				checking = append(checking, op{day: d, cents: -amt, label: "VIR SEPA VERS LIVRET A CREDIT MUTUEL",
					category: "savings", typ: "transfer", reference: ref, counterparty: person})
				savings = append(savings, op{day: d, cents: amt, label: "VIR SEPA RECU " + person,
					category: "savings", typ: "transfer", reference: ref, counterparty: person})
			}
		}
		if d.Month() == time.December && d.Day() == 31 {
			interest := sav * 24 / 1000 // 2.4 %, on the end balance for simplicity
			sav += interest
			savings = append(savings, op{day: d, cents: interest, label: fmt.Sprintf("INTERETS LIVRET A %d", d.Year()),
				category: "income", typ: "other", counterparty: "Crédit Mutuel"})
		}
	}

	last := g.days[len(g.days)-1]
	a, b := g.src("bank-a"), g.src("bank-b")
	numA, numB := g.accountNumbers()
	g.add("bank.account", a, checkingID, map[string]any{
		"bank": "La Banque Postale", "label": "Compte courant postal", "currency": currency,
		"iban": iban("20041", "01007", numA), "number": numA, "type": "checking",
		"balance": money(bal), "balanceDate": date(last), "institutionId": "20041",
	})
	g.add("bank.account", b, savingsID, map[string]any{
		"bank": "Crédit Mutuel", "label": "Livret A", "currency": currency,
		"iban": iban("10278", "07300", numB), "number": numB, "type": "savings",
		"balance": money(sav), "balanceDate": date(last), "institutionId": "10278",
	})
	for n, o := range checking {
		g.add("bank.operation", a, fmt.Sprintf("op-lbp-%04d", n+1), opData(checkingID, o))
	}
	for n, o := range savings {
		g.add("bank.operation", b, fmt.Sprintf("op-cm-%04d", n+1), opData(savingsID, o))
	}
}

func opData(account string, o op) map[string]any {
	m := map[string]any{
		"account": account, "date": date(o.day), "valueDate": date(o.day), "label": o.label,
		"amount": money(o.cents), "currency": currency, "category": o.category, "type": o.typ,
	}
	if o.reference != "" {
		m["reference"] = o.reference
	}
	if o.counterparty != "" {
		m["counterparty"] = o.counterparty
	}
	return m
}

func dayOfMonth(d time.Time, day int) time.Time {
	return time.Date(d.Year(), d.Month(), day, 0, 0, 0, 0, d.Location())
}

// monthly is what comes back every month: the salary, the transport pass, the gym, the bank fee.
func (g *gen) monthly(r *rand.Rand, d time.Time) []op {
	var ops []op
	if d.Equal(prevBusinessDay(dayOfMonth(d, 27))) {
		pay := int64(248532)
		if r.IntN(4) == 0 {
			pay += between(r, 4000, 15000) // overtime
		}
		if d.Month() == time.December {
			pay += 95000 // year-end bonus
		}
		ops = append(ops, op{day: d, cents: pay, label: "VIR SEPA RHONE CONSEIL SAS SALAIRE " + d.Format("01/2006"),
			category: "income", typ: "transfer", reference: "SAL" + d.Format("200601"), counterparty: "Rhône Conseil SAS"})
	}
	fixed := []struct {
		day          int
		cents        int64
		label, cat   string
		typ, counter string
	}{
		{2, -accountFee, "COTISATION FORMULE DE COMPTE", "other", "fee", "La Banque Postale"},
		{8, -6880, "PRLV SEPA TCL SYTRAL ABONNEMENT", "transport", "direct_debit", "TCL"},
		{10, -2990, "PRLV SEPA KEEP COOL", "leisure", "direct_debit", "Keep Cool"},
	}
	for _, f := range fixed {
		if d.Equal(nextBusinessDay(dayOfMonth(d, f.day))) {
			ops = append(ops, op{day: d, cents: f.cents, label: f.label, category: f.cat, typ: f.typ,
				reference: digits(r, 12), counterparty: f.counter})
		}
	}
	if d.Day() == 14 {
		ops = append(ops, card(d, "NETFLIX.COM", -1349, "leisure"))
	}
	return ops
}

// shop is where a card payment may happen, with its range of amounts in cents.
type shop struct {
	merchant string
	lo, hi   int64
	category string
}

// spending is one day of card payments: groceries, bakery, lunches, dinners out, leisure, fuel,
// online shopping, cash; in Barcelona during the holiday, booked two months before.
func (g *gen) spending(r *rand.Rand, d time.Time) []op {
	var ops []op
	maybe := func(p float64, shops ...shop) {
		if r.Float64() < p {
			s := shops[r.IntN(len(shops))]
			ops = append(ops, card(d, s.merchant, -between(r, s.lo, s.hi), s.category))
		}
	}
	switch {
	case d.Equal(g.holiday.AddDate(0, 0, -61)):
		ops = append(ops, card(d, "BOOKING.COM", -94500, "leisure"))
	case d.Equal(g.holiday.AddDate(0, 0, -45)):
		ops = append(ops, card(d, "SNCF CONNECT", -17800, "transport"))
	case g.away(d):
		maybe(0.9, shop{"MERCADONA BARCELONA", 800, 3200, "groceries"}, shop{"CONDIS BARCELONA", 500, 2000, "groceries"})
		maybe(0.9, shop{"BAR CELONETA", 1800, 4800, "restaurants"}, shop{"TAPAS 24 BARCELONA", 2500, 5500, "restaurants"},
			shop{"LA BOQUERIA BARCELONA", 900, 2500, "restaurants"})
		maybe(0.5, shop{"SAGRADA FAMILIA", 2600, 2600, "leisure"}, shop{"MUSEU PICASSO", 1400, 1400, "leisure"},
			shop{"TMB BARCELONA", 1140, 1140, "transport"}, shop{"CASA BATLLO", 3500, 3500, "leisure"})
		return ops
	}
	switch d.Weekday() {
	case time.Saturday:
		maybe(0.9, shop{"LIDL LYON GUILLOTIERE", 2500, 6500, "groceries"}, shop{"CARREFOUR LYON PART DIEU", 3000, 7500, "groceries"})
		maybe(0.35, shop{"BOUCHON DES FILLES", 3200, 5500, "restaurants"}, shop{"PIZZERIA LA TRAVIATA", 1800, 3200, "restaurants"})
	case time.Sunday:
		maybe(0.4, shop{"PRIMEUR PLACE GUICHARD", 800, 2200, "groceries"}, shop{"FROMAGERIE GAMBETTA", 900, 2400, "groceries"})
		maybe(0.15, shop{"LE KITCHEN CAFE", 1600, 3400, "restaurants"})
	default:
		maybe(0.25, shop{"CARREFOUR CITY LYON 3", 1200, 3800, "groceries"}, shop{"MONOPRIX LYON GAMBETTA", 1500, 4800, "groceries"},
			shop{"BIOCOOP LYON 3", 1200, 3500, "groceries"})
		maybe(0.18, shop{"LE COMPTOIR PART-DIEU", 1250, 1800, "restaurants"}, shop{"SUSHI SHOP PART DIEU", 1400, 2200, "restaurants"})
		if d.Weekday() == time.Friday {
			maybe(0.3, shop{"BOUCHON DES FILLES", 3200, 5500, "restaurants"}, shop{"LE BISTROT DE LYON", 2400, 4200, "restaurants"})
		}
	}
	maybe(0.3, shop{"BOULANGERIE PAUL BERT", 160, 900, "groceries"})
	maybe(0.1, shop{"PATHE BELLECOUR", 1240, 1240, "leisure"}, shop{"FNAC BELLECOUR", 1000, 4500, "leisure"},
		shop{"DECATHLON LYON", 1500, 6000, "leisure"}, shop{"MUSEE DES CONFLUENCES", 900, 900, "leisure"},
		shop{"LE SUCRE LYON", 1500, 2500, "leisure"})
	maybe(0.04, shop{"TOTAL ACCESS LYON", 4000, 6500, "transport"})
	maybe(0.05, shop{"AMAZON PAYMENTS", 1200, 6000, "other"})
	if r.IntN(30) == 0 {
		amt := 2000 * between(r, 2, 3)
		ops = append(ops, op{day: d, cents: -amt, label: "RETRAIT DAB " + d.Format("02/01") + " LYON GUILLOTIERE",
			category: "other", typ: "cash"})
	}
	return ops
}

// iban builds a French IBAN, with a valid RIB key and valid check digits, from the bank
// code, the branch code and an 11-digit account number.
func iban(bank, branch, account string) string {
	mod97 := func(s string) int64 {
		n, _ := new(big.Int).SetString(s, 10)
		return new(big.Int).Mod(n, big.NewInt(97)).Int64()
	}
	bban := bank + branch + account
	bban += fmt.Sprintf("%02d", 97-mod97(bban+"00"))
	return fmt.Sprintf("FR%02d%s", 98-mod97(bban+"152700"), bban) // "FR00" moved to the end, letters as numbers
}
