package energy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/store"
)

// Where a price comes from.
const (
	FromSettings = "settings" // the person typed it
	FromBills    = "bills"    // derived from their bills, less the fixed part of each
	FromContract = "contract" // the contract's subscription
)

// Price is what one kind costs: a price per unit and a fixed part per month. Amounts are
// exact: money.Amount for what is shown, big.Rat for the arithmetic in between, because
// deriving a unit price divides an amount by a quantity, which money does not do.
type Price struct {
	Kind      string
	PriceUnit string       // kWh or m³
	Unit      money.Amount // per PriceUnit, rounded to 4 decimals; valid when UnitFrom != ""
	UnitFrom  string
	Bills     int          // bills the unit price was derived from
	Monthly   money.Amount // per month, rounded to the cent; valid when MonthlyFrom != ""
	// MonthlyFrom is FromSettings or FromContract.
	MonthlyFrom string
	Contract    string // the contract's label or provider, when it gave the subscription

	unit, monthly *big.Rat
}

// Known tells whether a cost can be given: a unit price is needed; the fixed part counts
// as nothing when no contract gives one.
func (p Price) Known() bool { return p.unit != nil }

// Settings are what the person set on the page.
type Settings struct {
	ID       string // the document's id, "" when none is stored yet
	Rev      string
	Prices   map[string]OwnPrice // by kind
	Goal     money.Amount        // euros a month for the three; valid when HasGoal
	HasGoal  bool
	Silenced map[string]bool // alert kinds the person does not want
}

// OwnPrice is a price the person typed; empty strings are "not set".
type OwnPrice struct {
	UnitPrice    string `json:"unitPrice,omitempty"`
	Subscription string `json:"subscription,omitempty"`
}

// SettingsID is the id of the one settings document.
const SettingsID = "energy-settings"

type settingsDoc struct {
	Electricity *OwnPrice `json:"electricity,omitempty"`
	Gas         *OwnPrice `json:"gas,omitempty"`
	Water       *OwnPrice `json:"water,omitempty"`
	Goal        string    `json:"goal,omitempty"`
	Silenced    []string  `json:"silenced,omitempty"`
}

// ReadSettings reads the person's settings; none stored is the zero Settings.
func ReadSettings(ctx context.Context, src Source) (Settings, error) {
	s := Settings{Prices: map[string]OwnPrice{}, Silenced: map[string]bool{}}
	docs, err := src.docs(ctx, SettingsDoctype)
	if err != nil {
		return s, err
	}
	for _, d := range docs {
		if d.ID != SettingsID {
			continue
		}
		var sd settingsDoc
		if err := json.Unmarshal(d.Data, &sd); err != nil {
			return s, fmt.Errorf("%s %s: %w", SettingsDoctype, d.ID, err)
		}
		s.ID, s.Rev = d.ID, d.Rev
		for k, p := range map[string]*OwnPrice{Electricity: sd.Electricity, Gas: sd.Gas, Water: sd.Water} {
			if p != nil {
				s.Prices[k] = *p
			}
		}
		if g, err := money.Parse(sd.Goal); err == nil && sd.Goal != "" {
			s.Goal, s.HasGoal = g, true
		}
		for _, k := range sd.Silenced {
			s.Silenced[k] = true
		}
	}
	return s, nil
}

// JSON is the settings as the energy.settings document holds them.
func (s Settings) JSON() json.RawMessage {
	sd := settingsDoc{}
	set := func(k string) *OwnPrice {
		if p, ok := s.Prices[k]; ok && (p.UnitPrice != "" || p.Subscription != "") {
			return &p
		}
		return nil
	}
	sd.Electricity, sd.Gas, sd.Water = set(Electricity), set(Gas), set(Water)
	if s.HasGoal {
		sd.Goal = s.Goal.String()
	}
	for _, k := range AlertKinds {
		if s.Silenced[k] {
			sd.Silenced = append(sd.Silenced, k)
		}
	}
	b, _ := json.Marshal(sd)
	return b
}

// ErrPrice is what a price the person typed that is not one gives.
var ErrPrice = errors.New("not a price")

// ParsePrice reads a non-negative decimal the person typed ("0,2016" or "0.2016"), with at
// most decimals decimals; "" is no price.
func ParsePrice(s string, decimals int) (string, error) {
	t := []rune{}
	for _, r := range s {
		switch {
		case r == ',':
			t = append(t, '.')
		case r == ' ' || r == '\u00a0' || r == '\u202f' || r == '€':
		default:
			t = append(t, r)
		}
	}
	if len(t) == 0 {
		return "", nil
	}
	a, err := money.Parse(string(t))
	if err != nil || a.Sign() < 0 || !a.Round(int32(decimals)).Equal(a) {
		return "", fmt.Errorf("%w: %q", ErrPrice, s)
	}
	return a.String(), nil
}

// rat is an amount as an exact fraction.
func rat(a money.Amount) *big.Rat {
	r, _ := new(big.Rat).SetString(a.String())
	return r
}

// amount rounds a fraction to n decimals (halves away from zero) as an Amount.
func amount(r *big.Rat, n int) money.Amount {
	a, err := money.Parse(r.FloatString(n))
	if err != nil { // FloatString writes "-0.50" or "12.3400": always a decimal
		panic(err)
	}
	return a
}

// quantity is a measured quantity as a fraction, to the thousandth of its unit.
func quantity(v float64) *big.Rat {
	r, _ := new(big.Rat).SetString(strconv.FormatFloat(v, 'f', 3, 64))
	if r == nil {
		return new(big.Rat)
	}
	return r
}

// Prices finds each kind's price: the person's own where they set one, else the fixed
// part from the current contract and the unit price from the last year of bills, each less
// its fixed part, over the consumption the meter measured in the bill's period.
func Prices(ctx context.Context, src Source, ms Meters, set Settings) (map[string]Price, error) {
	var contracts, bills []store.Doc
	if err := parallel(
		func() (err error) { contracts, err = src.docs(ctx, "contract"); return err },
		func() (err error) { bills, err = src.docs(ctx, "bill"); return err },
	); err != nil {
		return nil, err
	}
	prices := make([]Price, len(Kinds))
	var fns []func() error
	for i, k := range Kinds {
		fns = append(fns, func() (err error) {
			prices[i], err = priceOf(ctx, src, k, ms.ByKind[k], set.Prices[k], contracts, bills)
			return err
		})
	}
	if err := parallel(fns...); err != nil {
		return nil, err
	}
	out := map[string]Price{}
	for i, k := range Kinds {
		out[k] = prices[i]
	}
	return out, nil
}

// priceOf is one kind's price (see Prices); m is nil when the kind is not measured.
func priceOf(ctx context.Context, src Source, k string, m *Meter, own OwnPrice, contracts, bills []store.Doc) (Price, error) {
	p := Price{Kind: k, PriceUnit: "kWh"}
	if k == Water {
		p.PriceUnit = "m³"
	}
	if m != nil {
		p.PriceUnit = m.PriceUnit
	}
	if v, err := money.Parse(own.Subscription); err == nil && own.Subscription != "" {
		p.monthly, p.MonthlyFrom = rat(v), FromSettings
	} else if c, ok := currentContract(contracts, k, src.Now.In(src.loc())); ok {
		p.monthly, p.MonthlyFrom, p.Contract = c.monthly, FromContract, c.name
	}
	// An own unit price is per kWh (per m³ for water): it does not apply to gas measured
	// by volume only.
	if v, err := money.Parse(own.UnitPrice); err == nil && own.UnitPrice != "" && (m == nil || m.PriceUnit == map[bool]string{true: "m³", false: "kWh"}[k == Water]) {
		p.unit, p.UnitFrom = rat(v), FromSettings
	} else if m != nil {
		u, n, err := unitFromBills(ctx, src, m, bills, p.monthly)
		if err != nil {
			return Price{}, err
		}
		if u != nil { // the costs use the price shown, to the fourth decimal
			p.unit, p.UnitFrom, p.Bills = rat(amount(u, 4)), FromBills, n
		}
	}
	if p.unit != nil {
		p.Unit = amount(p.unit, 4)
	}
	if p.monthly != nil {
		p.Monthly = amount(p.monthly, 2)
	}
	return p, nil
}

type contract struct {
	name    string
	start   string
	monthly *big.Rat
}

// currentContract is the kind's contract in force on day now (the latest started, if
// several), with its price per month.
func currentContract(docs []store.Doc, kind string, now time.Time) (contract, bool) {
	today := now.Format(time.DateOnly)
	var best contract
	found := false
	for _, d := range docs {
		var c struct{ Type, Provider, Label, Start, End, Price, PriceUnit, Currency string }
		if json.Unmarshal(d.Data, &c) != nil || c.Type != kind || c.Currency != "" && c.Currency != "EUR" {
			continue
		}
		if c.Start > today || c.End != "" && c.End < today {
			continue
		}
		a, err := money.Parse(c.Price)
		if err != nil || a.Sign() < 0 {
			continue
		}
		r := rat(a)
		switch c.PriceUnit {
		case "month":
		case "year":
			r.Quo(r, big.NewRat(12, 1))
		default:
			continue
		}
		name := c.Label
		if name == "" {
			name = c.Provider
		}
		if !found || c.Start > best.start {
			best, found = contract{name: name, start: c.Start, monthly: r}, true
		}
	}
	return best, found
}

// maxBills is how many of the latest bills a unit price is derived from: a year of monthly
// bills, so that a season does not weigh more than another.
const maxBills = 12

// unitFromBills derives a unit price from the latest bills of the meter's kind whose
// period the meter covers: Σ(amount − the fixed part of the period) ÷ Σ consumption.
func unitFromBills(ctx context.Context, src Source, m *Meter, docs []store.Doc, monthly *big.Rat) (*big.Rat, int, error) {
	loc := src.loc()
	type bill struct {
		from, to time.Time // [from, to): the period's days
		amount   *big.Rat
	}
	var bs []bill
	for _, d := range docs {
		var b struct{ Type, Amount, Currency, PeriodStart, PeriodEnd string }
		if json.Unmarshal(d.Data, &b) != nil || b.Type != m.Kind || b.Currency != "" && b.Currency != "EUR" {
			continue
		}
		a, err := money.Parse(b.Amount)
		from, err1 := time.ParseInLocation(time.DateOnly, b.PeriodStart, loc)
		last, err2 := time.ParseInLocation(time.DateOnly, b.PeriodEnd, loc)
		if err != nil || err1 != nil || err2 != nil || a.Sign() <= 0 || last.Before(from) {
			continue
		}
		to := last.AddDate(0, 0, 1)
		if m.covers(from, to) {
			bs = append(bs, bill{from, to, rat(a)})
		}
	}
	if len(bs) == 0 {
		return nil, 0, nil
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].to.After(bs[j].to) })
	bs = bs[:min(len(bs), maxBills)]
	from, to := bs[0].from, bs[0].to
	for _, b := range bs {
		from, to = minTime(from, b.from), maxTime(to, b.to)
	}
	// Bills of whole months (most are) are summed by month, a dozen buckets for the store
	// to add up instead of a year of days.
	step, next := Month, func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
	for _, b := range bs {
		if b.from.Day() != 1 || b.to.Day() != 1 {
			step, next = Day, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
		}
	}
	sums, err := m.sums(ctx, src, from, to, step.store())
	if err != nil {
		return nil, 0, err
	}
	variable, used := new(big.Rat), new(big.Rat)
	for _, b := range bs {
		q := 0.0
		for d := b.from; d.Before(b.to); d = next(d) {
			q += sums[d.Unix()]
		}
		v := new(big.Rat).Set(b.amount)
		if monthly != nil {
			v.Sub(v, fixedShare(monthly, b.from, b.to))
		}
		variable.Add(variable, v)
		used.Add(used, quantity(q*m.priceFactor))
	}
	if used.Sign() <= 0 || variable.Sign() <= 0 {
		return nil, 0, nil
	}
	return variable.Quo(variable, used), len(bs), nil
}

// fixedShare is the part of a monthly fixed price that [from, to) takes: each calendar
// month it touches counts for the fraction of its time it spends there, so that a whole
// month is the monthly price exactly.
func fixedShare(monthly *big.Rat, from, to time.Time) *big.Rat {
	out := new(big.Rat)
	if monthly == nil || !to.After(from) {
		return out
	}
	for m := Month.Start(from); m.Before(to); m = m.AddDate(0, 1, 0) {
		next := m.AddDate(0, 1, 0)
		lo, hi := maxTime(m, from), minTime(next, to)
		if !hi.After(lo) {
			continue
		}
		part := big.NewRat(int64(hi.Sub(lo)/time.Second), int64(next.Sub(m)/time.Second))
		out.Add(out, part.Mul(part, monthly))
	}
	return out
}

// cost is what value (in the meter's unit) over [from, to) costs, to the cent.
func (p Price) cost(m *Meter, value float64, from, to time.Time) (money.Amount, bool) {
	if p.unit == nil {
		return money.Amount{}, false
	}
	c := new(big.Rat).Mul(p.unit, quantity(value*m.priceFactor))
	c.Add(c, fixedShare(p.monthly, from, to))
	return amount(c, 2), true
}
