package accounts

import (
	"maps"
	"testing"
)

func claim(t testing.TB, id, date, care, amount, ref string) Claim {
	t.Helper()
	return Claim{ID: id, Date: day(t, date), Care: care, Amount: mustAmount(amount), Currency: "EUR", Reference: ref}
}

func reimb(t testing.TB, id, claimID, payer, date, amount, ref string) Reimbursement {
	t.Helper()
	return Reimbursement{ID: id, Claim: claimID, Payer: payer, Date: day(t, date), Amount: mustAmount(amount), Currency: "EUR", Reference: ref}
}

// TestMatchHealth: each reimbursement goes to its claim, each to the credit that brought it,
// and what is left for the person is the cost less what both payers paid back.
func TestMatchHealth(t *testing.T) {
	tests := []struct {
		name      string
		claims    []Claim
		reimbs    []Reimbursement
		ops       []Operation
		claimOf   map[string]string // reimbursement → claim
		creditOf  map[string]string // reimbursement → operation
		remaining map[string]string // claim → what is left
	}{
		{name: "nothing", claimOf: map[string]string{}, creditOf: map[string]string{}, remaining: map[string]string{}},
		{
			name:   "Social Security and the complementary insurer",
			claims: []Claim{claim(t, "c1", "2025-03-03", "consultation", "30.00", "DS12345678901")},
			reimbs: []Reimbursement{
				reimb(t, "cpam", "c1", "Assurance Maladie", "2025-03-07", "19.00", "DS12345678901"),
				reimb(t, "hm", "", "Harmonie Mutuelle", "2025-03-11", "9.00", "DS12345678901"),
			},
			ops: []Operation{
				op(t, "card", "2025-03-03", "CB DR LEFEVRE CLAIRE 03/03", "-30.00", ""),
				op(t, "o-cpam", "2025-03-07", "VIR CPAM DU RHONE REMB SOINS DS12345678901", "19.00", "DS12345678901"),
				op(t, "o-hm", "2025-03-11", "VIR SEPA HARMONIE MUTUELLE PRESTATIONS SANTE", "9.00", "HM0000000001"),
			},
			claimOf:   map[string]string{"cpam": "c1", "hm": "c1"},
			creditOf:  map[string]string{"cpam": "o-cpam", "hm": "o-hm"},
			remaining: map[string]string{"c1": "2.00"},
		},
		{
			name:    "the Assurance Maladie named by its local fund",
			claims:  []Claim{claim(t, "c1", "2025-03-03", "pharmacy", "23.74", "")},
			reimbs:  []Reimbursement{reimb(t, "r", "c1", "Assurance Maladie", "2025-03-07", "15.43", "")},
			ops:     []Operation{op(t, "o", "2025-03-08", "VIR CPAM DU RHONE", "15.43", "")},
			claimOf: map[string]string{"r": "c1"}, creditOf: map[string]string{"r": "o"}, remaining: map[string]string{"c1": "8.31"},
		},
		{
			name:    "not yet on the bank statement",
			claims:  []Claim{claim(t, "c1", "2025-06-27", "consultation", "30.00", "DS1")},
			reimbs:  []Reimbursement{reimb(t, "r", "c1", "Assurance Maladie", "2025-06-30", "19.00", "DS1")},
			claimOf: map[string]string{"r": "c1"}, creditOf: map[string]string{}, remaining: map[string]string{"c1": "11.00"},
		},
		{
			name:      "a claim nobody has reimbursed yet",
			claims:    []Claim{claim(t, "c1", "2025-06-27", "consultation", "60.00", "DS1")},
			claimOf:   map[string]string{},
			creditOf:  map[string]string{},
			remaining: map[string]string{"c1": "60.00"},
		},
		{
			name: "a reference on two claims, and no claim named: no claim",
			claims: []Claim{
				claim(t, "c1", "2025-03-03", "consultation", "30.00", "DS7"),
				claim(t, "c2", "2025-03-03", "pharmacy", "12.00", "DS7"),
			},
			reimbs:    []Reimbursement{reimb(t, "hm", "", "Harmonie Mutuelle", "2025-03-11", "9.00", "DS7")},
			claimOf:   map[string]string{},
			creditOf:  map[string]string{},
			remaining: map[string]string{"c1": "30.00", "c2": "12.00"},
		},
		{
			name:      "a claim named that does not exist, found by its reference",
			claims:    []Claim{claim(t, "c1", "2025-03-03", "consultation", "30.00", "DS8")},
			reimbs:    []Reimbursement{reimb(t, "r", "gone", "Assurance Maladie", "2025-03-07", "19.00", "DS8")},
			claimOf:   map[string]string{"r": "c1"},
			creditOf:  map[string]string{},
			remaining: map[string]string{"c1": "11.00"},
		},
		{
			name:   "two reimbursements of one amount on one day, one credit: neither",
			claims: []Claim{claim(t, "c1", "2025-03-03", "consultation", "30.00", ""), claim(t, "c2", "2025-03-03", "consultation", "30.00", "")},
			reimbs: []Reimbursement{
				reimb(t, "r1", "c1", "Assurance Maladie", "2025-03-07", "19.00", ""),
				reimb(t, "r2", "c2", "Assurance Maladie", "2025-03-07", "19.00", ""),
			},
			ops:       []Operation{op(t, "o", "2025-03-07", "VIR CPAM DU RHONE", "19.00", "")},
			claimOf:   map[string]string{"r1": "c1", "r2": "c2"},
			creditOf:  map[string]string{},
			remaining: map[string]string{"c1": "11.00", "c2": "11.00"},
		},
		{
			name:   "two reimbursements of one amount, told apart by their references",
			claims: []Claim{claim(t, "c1", "2025-03-03", "consultation", "30.00", "DS1"), claim(t, "c2", "2025-03-03", "consultation", "30.00", "DS2")},
			reimbs: []Reimbursement{
				reimb(t, "r1", "c1", "Assurance Maladie", "2025-03-07", "19.00", "DS00000001"),
				reimb(t, "r2", "c2", "Assurance Maladie", "2025-03-07", "19.00", "DS00000002"),
			},
			ops: []Operation{
				op(t, "o2", "2025-03-07", "VIR CPAM DU RHONE REMB SOINS DS00000002", "19.00", ""),
				op(t, "o1", "2025-03-07", "VIR CPAM DU RHONE REMB SOINS DS00000001", "19.00", ""),
			},
			claimOf:   map[string]string{"r1": "c1", "r2": "c2"},
			creditOf:  map[string]string{"r1": "o1", "r2": "o2"},
			remaining: map[string]string{"c1": "11.00", "c2": "11.00"},
		},
		{
			name:      "a debit of the same amount is no reimbursement",
			claims:    []Claim{claim(t, "c1", "2025-03-03", "consultation", "30.00", "")},
			reimbs:    []Reimbursement{reimb(t, "r", "c1", "Assurance Maladie", "2025-03-07", "19.00", "")},
			ops:       []Operation{op(t, "o", "2025-03-07", "PRLV CPAM DU RHONE", "-19.00", "")},
			claimOf:   map[string]string{"r": "c1"},
			creditOf:  map[string]string{},
			remaining: map[string]string{"c1": "11.00"},
		},
		{
			name:      "another payer's credit of the same amount is not this one",
			claims:    []Claim{claim(t, "c1", "2025-03-03", "consultation", "30.00", "")},
			reimbs:    []Reimbursement{reimb(t, "r", "c1", "Harmonie Mutuelle", "2025-03-07", "9.00", "")},
			ops:       []Operation{op(t, "o", "2025-03-07", "VIR MAIF INDEMNISATION", "9.00", "")},
			claimOf:   map[string]string{"r": "c1"},
			creditOf:  map[string]string{},
			remaining: map[string]string{"c1": "21.00"},
		},
		{
			name:   "paid back more than it cost",
			claims: []Claim{claim(t, "c1", "2025-03-03", "consultation", "25.00", "")},
			reimbs: []Reimbursement{
				reimb(t, "r1", "c1", "Assurance Maladie", "2025-03-07", "17.50", ""),
				reimb(t, "r2", "c1", "Harmonie Mutuelle", "2025-03-09", "10.00", ""),
			},
			claimOf:   map[string]string{"r1": "c1", "r2": "c1"},
			creditOf:  map[string]string{},
			remaining: map[string]string{"c1": "-2.50"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := MatchHealth(tt.claims, tt.reimbs, tt.ops)
			claimOf, creditOf, remaining := map[string]string{}, map[string]string{}, map[string]string{}
			for _, c := range h.Costs {
				remaining[c.Claim.ID] = c.Remaining.String()
				sum := mustAmount("0")
				for _, r := range c.Refunds {
					claimOf[r.Reimbursement.ID] = c.Claim.ID
					sum = sum.Add(r.Reimbursement.Amount)
					if r.Credit != nil {
						creditOf[r.Reimbursement.ID] = r.Credit.ID
						if back, _, ok := h.ForCredit(r.Credit.ID); !ok || back.Reimbursement.ID != r.Reimbursement.ID {
							t.Errorf("credit %s does not lead back to %s", r.Credit.ID, r.Reimbursement.ID)
						}
					}
				}
				if !sum.Equal(c.Reimbursed) {
					t.Errorf("claim %s: reimbursed %s, its refunds add up to %s", c.Claim.ID, c.Reimbursed, sum)
				}
			}
			for _, r := range h.Unclaimed {
				if r.Credit != nil {
					creditOf[r.Reimbursement.ID] = r.Credit.ID
				}
			}
			if !maps.Equal(claimOf, tt.claimOf) {
				t.Errorf("claims %v, want %v", claimOf, tt.claimOf)
			}
			if !maps.Equal(creditOf, tt.creditOf) {
				t.Errorf("credits %v, want %v", creditOf, tt.creditOf)
			}
			if !maps.Equal(remaining, tt.remaining) {
				t.Errorf("remaining %v, want %v", remaining, tt.remaining)
			}
		})
	}
}
