package contracts

import (
	"time"

	"selfdata/internal/money"
)

// RuleCode names the French rule that says how the person can change or end a contract today.
type RuleCode string

// The rules. Each cites articles checked against the consolidated codes (Légifrance); where a
// rule depends on facts the data cannot hold (a "zone tendue" for a lease), the page says so
// instead of deciding.
const (
	// Hamon: an insurance policy more than a year old can be ended at any time; it ends one
	// month after the insurer receives the notice (Code des assurances, art. L113-15-2).
	Hamon RuleCode = "hamon"
	// InsuranceAnnual: a policy can be ended at its due date, with at least two months'
	// notice (Code des assurances, art. L113-12).
	InsuranceAnnual RuleCode = "insurance-annual"
	// InsuranceWait: in its first year, past the notice deadline of the first due date, no
	// rule ends the policy before that due date; from then on Hamon applies.
	InsuranceWait RuleCode = "insurance-wait"
	// InsuranceLife: a life insurance is not ended like a risk policy: no letter.
	InsuranceLife RuleCode = "insurance-life"
	// TelecomFree: telephone or internet without a commitment still running ends at most ten
	// days after the operator receives the request (Code de la consommation, art. L224-39).
	TelecomFree RuleCode = "telecom-free"
	// TelecomEarly: a commitment of more than 12 months can be ended after its twelfth month
	// for at most a quarter of what remains due for it (Code de la consommation, art. L224-28).
	TelecomEarly RuleCode = "telecom-early"
	// TelecomCommitted: within a commitment of 12 months or less (or its first 12 months), no
	// rule ends it without paying the rest of the commitment; it is free again when it ends.
	TelecomCommitted RuleCode = "telecom-committed"
	// Energy: electricity and gas can be changed at any time; the new supplier's contract ends
	// the old one within 21 days, and ending it otherwise takes effect when the consumer
	// wishes, at the latest 30 days after notice (Code de la consommation, art. L224-14); no
	// fee can be charged for changing supplier (art. L224-15).
	Energy RuleCode = "energy"
	// Bank: an account agreement can be ended at any time, with at most 30 days' notice
	// (Code monétaire et financier, art. L312-1-1); closing an account is free and the new
	// bank moves the direct debits and transfers (mobilité bancaire, art. L312-1-7).
	Bank RuleCode = "bank"
	// Chatel: a service contract of fixed term with tacit renewal can be refused at its
	// renewal; the provider must remind the consumer in writing between three months and one
	// month before the deadline, and when it did not, the consumer may end it free of charge
	// at any time after the renewal (Code de la consommation, art. L215-1, loi Chatel).
	Chatel RuleCode = "chatel"
	// ChatelPassed: the deadline to refuse the coming renewal has passed.
	ChatelPassed RuleCode = "chatel-passed"
	// Water: water is a public service; there is no other supplier, and L215-1 does not apply
	// to it. The subscription ends when one moves out.
	Water RuleCode = "water"
	// Lease: a tenant's notice is three months, one month in the cases the law lists (among
	// them a home in a "zone tendue") (loi n° 89-462 du 6 juillet 1989, art. 15): the data
	// cannot tell which applies, and moving out is not a change of contract, so no letter.
	Lease RuleCode = "lease"
	// Ended: the contract has ended.
	Ended RuleCode = "ended"
	// Unknown: a contract of a kind no rule here covers.
	Unknown RuleCode = "unknown"
)

// Rule is what the person can do with a contract today.
type Rule struct {
	Code   RuleCode
	Letter bool // a letter can be sent now
	// Until is when the waiting ends: the end of a commitment (free the day after), the first
	// anniversary of a policy, the renewal after a missed deadline.
	Until time.Time
	// At is the date the letter ends the contract at, when it is fixed (a due date, a
	// renewal, the energy contract's chosen date); zero when it runs from receipt.
	At time.Time
	// Deadline is the last day to send the letter for At, when there is one.
	Deadline time.Time
	// Fee is the most the early end of a commitment may cost (TelecomEarly).
	Fee    money.Amount
	HasFee bool
	// Chatel tells that the contract renews tacitly at a term, so that L215-1's reminder is
	// due before its notice deadline (shown as a note when another rule is the main one).
	Chatel bool
}

// hamonKinds are the policies the decree under L113-15-2 covers: home, car and complementary
// health insurance.
var hamonKinds = map[string]bool{"home": true, "car": true, "health": true}

// RuleFor is the rule that applies to c on asOf.
func RuleFor(c Contract, asOf time.Time) Rule {
	chatel := c.TermMonths > 0 && c.TacitRenewal && c.Type != "insurance" && c.Type != "water" && c.Type != "housing"
	if !c.End.IsZero() && c.End.Before(asOf) {
		return Rule{Code: Ended, Until: c.End}
	}
	switch c.Type {
	case "insurance":
		return insuranceRule(c, asOf)
	case "telecom":
		r := telecomRule(c, asOf)
		r.Chatel = chatel
		return r
	case "electricity", "gas":
		return Rule{Code: Energy, Letter: true, At: asOf.AddDate(0, 0, 30), Chatel: chatel}
	case "bank":
		return Rule{Code: Bank, Letter: true, Chatel: chatel}
	case "water":
		return Rule{Code: Water}
	case "housing":
		return Rule{Code: Lease}
	}
	if chatel {
		deadline := NoticeDeadline(c.Renewal, c.NoticeMonths)
		if c.Renewal.IsZero() {
			return Rule{Code: Unknown}
		}
		if asOf.After(deadline) {
			return Rule{Code: ChatelPassed, Until: c.Renewal, Deadline: deadline, Chatel: true}
		}
		return Rule{Code: Chatel, Letter: true, At: c.Renewal, Deadline: deadline, Chatel: true}
	}
	return Rule{Code: Unknown}
}

func insuranceRule(c Contract, asOf time.Time) Rule {
	if c.InsuranceKind == "life" {
		return Rule{Code: InsuranceLife}
	}
	first := AddMonths(c.Start, 12)
	hamon := hamonKinds[c.InsuranceKind]
	if hamon && (c.Start.IsZero() || !asOf.Before(first)) {
		return Rule{Code: Hamon, Letter: true}
	}
	term := c.TermMonths
	if term <= 0 {
		term = 12
	}
	// The first due date whose notice deadline is still ahead: an early letter is valid.
	due := NextRenewal(c.Start, term, c.End, asOf)
	if due.IsZero() {
		return Rule{Code: Unknown}
	}
	deadline := NoticeDeadline(due, c.NoticeMonths)
	if asOf.After(deadline) {
		if hamon { // within the first year: Hamon opens at the first due date
			return Rule{Code: InsuranceWait, Until: first, Deadline: deadline}
		}
		due = RenewalAfter(c.Start, term, due)
		deadline = NoticeDeadline(due, c.NoticeMonths)
	}
	return Rule{Code: InsuranceAnnual, Letter: true, At: due, Deadline: deadline}
}

func telecomRule(c Contract, asOf time.Time) Rule {
	if c.CommitmentEnd.IsZero() || asOf.After(c.CommitmentEnd) {
		return Rule{Code: TelecomFree, Letter: true}
	}
	if c.CommitmentMonths > 12 {
		began := AddMonths(c.CommitmentEnd.AddDate(0, 0, 1), -c.CommitmentMonths)
		if !asOf.Before(AddMonths(began, 12)) {
			r := Rule{Code: TelecomEarly, Letter: true, Until: c.CommitmentEnd}
			if c.HasPrice {
				monthly := c.Price
				if c.PriceUnit == "year" {
					monthly = c.Price.Div(12)
				}
				left := monthly.Mul(money.Cents(int64(monthsLeft(asOf, c.CommitmentEnd)) * 100))
				r.Fee, r.HasFee = left.Div(4), true
			}
			return r
		}
	}
	return Rule{Code: TelecomCommitted, Until: c.CommitmentEnd}
}
