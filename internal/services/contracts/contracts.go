// Package contracts is the built-in service My contracts (services.Contracts), after
// Ecospend: the person's energy, telephone and internet, insurance and bank contracts (and
// their water and housing ones) with what each costs a year, when it renews and until when
// notice can be given, what was actually paid to its organization over the last 12 months
// against its price, and which French rule lets the person change or end it now — with the
// letter that does it (letter.go).
package contracts

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/services"
	"selfdata/internal/services/home"
	"selfdata/internal/store"
)

// Contract is one contract as the page shows it, as of a day.
type Contract struct {
	// Key names the contract in the letter's address: its id, or doctype:id when a contract
	// and a policy share the id.
	Key string
	Ref home.Ref
	// Type is the contract's type (electricity, gas, water, telecom, housing, bank,
	// insurance); a policy's is insurance, with its kind in InsuranceKind.
	Type, InsuranceKind string

	Provider, Reference, Label, Offer string
	Holder, Address                   string // the holder's name and address, as the contract has them

	Start, End       time.Time // zero when not known
	TermMonths       int       // 0: no term, it runs until ended
	TacitRenewal     bool
	NoticeMonths     int
	CommitmentEnd    time.Time // last day of a minimum commitment, zero if none known
	CommitmentMonths int

	Price     money.Amount // as the contract states it, per PriceUnit
	PriceUnit string       // month or year
	HasPrice  bool
	Currency  string
	// Yearly is the price over a year (12 monthly prices, or the yearly price or premium).
	Yearly money.Amount
	// Subscription tells that the price is a subscription only: energy and water bill the
	// consumption on top, so that what is paid exceeds it.
	Subscription bool

	Renewal time.Time // the next renewal, zero without a term
	Notice  time.Time // the last day to give notice for that renewal, zero when not known

	Paid     money.Amount // paid to it over the last 12 months (home.Attribute)
	Payments int
	// Difference is Paid − Yearly, meaningful when HasPrice.
	Difference money.Amount

	Rule Rule
}

// Overview is the page of My contracts.
type Overview struct {
	AsOf             time.Time
	PaidFrom, PaidTo time.Time // the 12 months of Paid
	Contracts        []Contract
	Yearly, Paid     money.Amount // totals over the contracts that have a price / a payment
	Currency         string
	// Holder and Address are the name and address most of the contracts give, for the
	// letters of those that give none.
	Holder, Address string
	Skipped         int
}

// defaultInsuranceNotice is the notice an insurance policy takes to end at its due date when
// it says nothing else: "au moins deux mois avant la date d'échéance" (Code des assurances,
// art. L113-12).
const defaultInsuranceNotice = 2

// contractOf reads a contract or policy document, filling in what a policy leaves unsaid.
func contractOf(d store.Doc) (Contract, bool) {
	var raw struct {
		Type, Provider, Insurer, Kind, Reference, Label, Offer, Holder string
		Address                                                        json.RawMessage
		Start, End, CommitmentEnd                                      string
		TermMonths, NoticeMonths, CommitmentMonths                     *int
		TacitRenewal                                                   *bool
		Price, Premium, PriceUnit, Currency                            string
	}
	if json.Unmarshal(d.Data, &raw) != nil {
		return Contract{}, false
	}
	c := Contract{Key: d.ID, Ref: home.Ref{Doctype: d.Doctype, ID: d.ID}, Type: raw.Type, Provider: raw.Provider,
		Reference: raw.Reference, Label: raw.Label, Offer: raw.Offer, Holder: strings.TrimSpace(raw.Holder),
		Address: address(raw.Address), Currency: raw.Currency, PriceUnit: raw.PriceUnit}
	c.Start, _ = date(raw.Start)
	c.End, _ = date(raw.End)
	c.CommitmentEnd, _ = date(raw.CommitmentEnd)
	if raw.TermMonths != nil {
		c.TermMonths = max(0, *raw.TermMonths)
	}
	if raw.NoticeMonths != nil {
		c.NoticeMonths = max(0, *raw.NoticeMonths)
	}
	if raw.CommitmentMonths != nil {
		c.CommitmentMonths = max(0, *raw.CommitmentMonths)
	}
	if raw.TacitRenewal != nil {
		c.TacitRenewal = *raw.TacitRenewal
	}
	if c.CommitmentEnd.IsZero() && c.CommitmentMonths > 0 && !c.Start.IsZero() {
		c.CommitmentEnd = AddMonths(c.Start, c.CommitmentMonths).AddDate(0, 0, -1) // a commitment from the start
	}
	price := raw.Price
	if d.Doctype == "insurance.contract" {
		c.Type, c.InsuranceKind, c.Provider, price, c.PriceUnit = "insurance", raw.Kind, raw.Insurer, raw.Premium, "year"
		// A policy runs for a year and renews by itself unless it says otherwise.
		if raw.TermMonths == nil {
			c.TermMonths = 12
		}
		if raw.TacitRenewal == nil {
			c.TacitRenewal = true
		}
	}
	if c.Type == "insurance" && raw.NoticeMonths == nil {
		c.NoticeMonths = defaultInsuranceNotice
	}
	if c.TermMonths > 0 && !c.TacitRenewal && c.End.IsZero() && !c.Start.IsZero() {
		c.End = AddMonths(c.Start, c.TermMonths).AddDate(0, 0, -1) // a fixed term that does not renew ends with it
	}
	if p, err := money.Parse(price); err == nil && price != "" {
		switch c.PriceUnit {
		case "month":
			c.Price, c.Yearly, c.HasPrice = p, p.Mul(money.MustParse("12")), true
		case "year", "":
			c.Price, c.Yearly, c.HasPrice, c.PriceUnit = p, p, true, "year"
		}
	}
	c.Subscription = c.Type == "electricity" || c.Type == "gas" || c.Type == "water"
	return c, true
}

// address reads an address written as a string or as an object of the usual parts.
func address(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var o struct{ Street, PostalCode, City, Locality string }
	if json.Unmarshal(raw, &o) != nil {
		return ""
	}
	city := strings.TrimSpace(strings.TrimSpace(o.PostalCode) + " " + strings.TrimSpace(o.City+o.Locality))
	if o.Street == "" {
		return city
	}
	if city == "" {
		return strings.TrimSpace(o.Street)
	}
	return strings.TrimSpace(o.Street) + ", " + city
}

func date(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// family orders the contracts on the page: what can be changed most easily first.
var family = map[string]int{"electricity": 0, "gas": 1, "telecom": 2, "insurance": 3, "bank": 4, "water": 5, "housing": 6}

// Build is the overview of in as of asOf (a civil date at midnight UTC).
func Build(in home.Input, asOf time.Time) Overview {
	ov := Overview{AsOf: asOf, PaidFrom: AddMonths(asOf, -12), PaidTo: asOf, Skipped: in.Skipped}
	ids := map[string]int{}
	for _, d := range in.ContractDocs {
		ids[d.ID]++
	}
	a := home.Attribute(in, asOf)
	holders, addresses := map[string]int{}, map[string]int{}
	for _, d := range in.ContractDocs {
		c, ok := contractOf(d)
		if !ok {
			ov.Skipped++
			continue
		}
		if ids[d.ID] > 1 && d.Doctype != "contract" {
			c.Key = d.Doctype + ":" + d.ID
		}
		c.Renewal = NextRenewal(c.Start, c.TermMonths, c.End, asOf)
		if c.TermMonths > 0 && (c.NoticeMonths > 0 || c.Type == "insurance") {
			c.Notice = NoticeDeadline(c.Renewal, c.NoticeMonths)
		}
		for _, p := range a.Payments {
			if p.Contract == c.Ref && !p.Day.Before(ov.PaidFrom) && !p.Day.After(ov.PaidTo) {
				c.Paid = c.Paid.Add(p.Amount)
				c.Payments++
			}
		}
		if c.HasPrice {
			c.Difference = c.Paid.Sub(c.Yearly)
			ov.Yearly = ov.Yearly.Add(c.Yearly)
		}
		ov.Paid = ov.Paid.Add(c.Paid)
		if ov.Currency == "" {
			ov.Currency = c.Currency
		}
		c.Rule = RuleFor(c, asOf)
		if c.Holder != "" {
			holders[c.Holder]++
		}
		if c.Address != "" && c.Type != "insurance" {
			addresses[c.Address]++
		}
		ov.Contracts = append(ov.Contracts, c)
	}
	ov.Holder, ov.Address = most(holders), most(addresses)
	sort.SliceStable(ov.Contracts, func(i, j int) bool {
		a, b := ov.Contracts[i], ov.Contracts[j]
		fa, oka := family[a.Type]
		fb, okb := family[b.Type]
		if !oka {
			fa = len(family)
		}
		if !okb {
			fb = len(family)
		}
		if fa != fb {
			return fa < fb
		}
		if a.Provider != b.Provider {
			return a.Provider < b.Provider
		}
		return a.Label < b.Label
	})
	return ov
}

// most is the value seen most often (the smallest of equals, so that the choice is stable).
func most(counts map[string]int) string {
	best, n := "", 0
	for v, c := range counts {
		if c > n || c == n && v < best {
			best, n = v, c
		}
	}
	return best
}

// Find is the contract of the overview named by key.
func (ov Overview) Find(key string) (Contract, bool) {
	for _, c := range ov.Contracts {
		if c.Key == key {
			return c, true
		}
	}
	return Contract{}, false
}

// Load reads, through the service's reader, the contracts and the last 12 months of bills and
// operations, and builds the overview as of asOf.
func Load(ctx context.Context, rd services.Reader, asOf time.Time) (Overview, error) {
	in, err := home.Read(ctx, rd, AddMonths(asOf, -12), asOf)
	if err != nil {
		return Overview{}, err
	}
	return Build(in, asOf), nil
}
