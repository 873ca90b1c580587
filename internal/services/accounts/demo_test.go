package accounts

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// demoBook seeds the demo year into a real SQLite store through the gate, as `selfdata demo`
// does, and reads it back as the service under a grant to its doctypes.
func demoBook(t *testing.T, end time.Time) (*demo.Dataset, *Book) {
	t.Helper()
	ctx := context.Background()
	db, reg := sqlitetest.Open(t)
	in, err := db.CreateInstance(ctx, "demo", "not a login")
	if err != nil {
		t.Fatal(err)
	}
	g := gate.New(db, reg)
	ds := demo.Generate(end, 1)
	if err := demo.Seed(ctx, g, in.ID, ds); err != nil {
		t.Fatal(err)
	}
	d, _ := services.Lookup(services.Accounts)
	var scopes []gate.Scope
	for _, dt := range d.Doctypes {
		scopes = append(scopes, gate.Scope{Doctype: dt, Read: true})
	}
	b, err := Load(ctx, services.Through(g, gate.BuiltIn(in.ID, d.ID, d.Name, d.Purpose, scopes)))
	if err != nil {
		t.Fatal(err)
	}
	return ds, b
}

// TestDemoTies: on the demo year, the service finds exactly the ties the generator made —
// every bill with the debit it caused, every reimbursement with its claim and the credit
// that brought it — named here from the generator's own record (demo.Dataset.Links), and
// nothing else: not the insurer's compensation, which is a credit, not the rent of another
// month of the same amount.
func TestDemoTies(t *testing.T) {
	ds, b := demoBook(t, time.Date(2025, 6, 30, 10, 42, 0, 0, time.UTC))
	for dt, n := range b.Skipped {
		t.Errorf("%d %s records could not be read", n, dt)
	}
	wantPaid := map[string]string{}     // bill → operation
	wantClaim := map[string]string{}    // reimbursement → claim
	wantCredited := map[string]string{} // reimbursement → operation
	for _, l := range ds.Links {
		switch {
		case l.From.Doctype == OperationDoctype && l.To.Doctype == BillDoctype:
			wantPaid[l.To.ID] = l.From.ID
		case l.From.Doctype == OperationDoctype && l.To.Doctype == ReimbursementDoctype:
			wantCredited[l.To.ID] = l.From.ID
		case l.From.Doctype == ReimbursementDoctype && l.To.Doctype == ClaimDoctype:
			wantClaim[l.From.ID] = l.To.ID
		default:
			t.Errorf("a link the test does not know: %+v", l)
		}
	}
	if len(wantPaid) != len(b.Bills) || len(wantPaid) < 45 || len(wantClaim) != len(b.Reimbursements) || len(wantCredited) != len(wantClaim) {
		t.Fatalf("the generator tied %d of %d bills, %d of %d reimbursements, credited %d", len(wantPaid), len(b.Bills), len(wantClaim), len(b.Reimbursements), len(wantCredited))
	}
	ties := Tie(b)

	for _, bl := range sorted(wantPaid) {
		t.Run(fmt.Sprintf("bill %s paid by %s", bl, wantPaid[bl]), func(t *testing.T) {
			p, ok := ties.Payments.ForBill(bl)
			if !ok || p.Operation.ID != wantPaid[bl] {
				t.Fatalf("found %q (%v)", p.Operation.ID, ok)
			}
			if back, ok := ties.Payments.ForOperation(wantPaid[bl]); !ok || back.Bill.ID != bl {
				t.Errorf("the operation leads to %q", back.Bill.ID)
			}
		})
	}
	if len(ties.Payments.Links) != len(wantPaid) {
		t.Errorf("%d payments found, the generator made %d", len(ties.Payments.Links), len(wantPaid))
	}

	found := map[string]string{}
	for _, c := range ties.Health.Costs {
		for _, r := range c.Refunds {
			found[r.Reimbursement.ID] = c.Claim.ID
		}
	}
	for _, r := range sorted(wantClaim) {
		t.Run(fmt.Sprintf("reimbursement %s of claim %s credited by %s", r, wantClaim[r], wantCredited[r]), func(t *testing.T) {
			if found[r] != wantClaim[r] {
				t.Errorf("tied to claim %q", found[r])
			}
			ref, _, ok := ties.Health.ForReimbursement(r)
			if !ok || ref.Credit == nil || ref.Credit.ID != wantCredited[r] {
				t.Errorf("credited by %v", ref.Credit)
			}
		})
	}
	if len(found) != len(wantClaim) || len(ties.Health.Unclaimed) != 0 {
		t.Errorf("%d reimbursements tied, %d to no claim; the generator made %d", len(found), len(ties.Health.Unclaimed), len(wantClaim))
	}

	// What is left to pay, from the generator's documents: each claim's cost less the
	// reimbursements the generator tied to it.
	amounts := map[string]string{}
	for _, bt := range ds.Docs {
		if bt.Doctype == ReimbursementDoctype || bt.Doctype == ClaimDoctype {
			for _, d := range bt.Docs {
				amounts[d.ID] = d.Data["amount"].(string)
			}
		}
	}
	for _, c := range ties.Health.Costs {
		want := mustAmount(amounts[c.Claim.ID])
		for r, cl := range wantClaim {
			if cl == c.Claim.ID {
				want = want.Sub(mustAmount(amounts[r]))
			}
		}
		if !c.Remaining.Equal(want) {
			t.Errorf("claim %s (%s): %s left to pay, want %s", c.Claim.ID, c.Claim.Care, c.Remaining, want)
		}
	}
	if c, ok := ties.Health.ForClaim("health-claim-01"); !ok || c.Remaining.String() != "2.00" || len(c.Refunds) != 2 {
		t.Errorf("the first consultation: %+v, want 30.00 less 19.00 and 9.00: 2.00", c)
	}

	// The links as record pages show them.
	firstBill := sorted(wantPaid)[0]
	if ls := ties.Of(BillDoctype, firstBill); len(ls) != 1 || ls[0].Kind != PaidBy || ls[0].ID != wantPaid[firstBill] || ls[0].Amount.Sign() >= 0 {
		t.Errorf("bill page: %+v", ls)
	}
	if ls := ties.Of(OperationDoctype, wantPaid[firstBill]); len(ls) != 1 || ls[0].Kind != Pays || ls[0].ID != firstBill {
		t.Errorf("operation page: %+v", ls)
	}
	if ls := ties.Of(ClaimDoctype, "health-claim-01"); len(ls) != 3 || ls[2].Kind != Remains || ls[2].Amount.String() != "2.00" {
		t.Errorf("claim page: %+v", ls)
	}
	if ls := ties.Of(OperationDoctype, wantCredited["health-reimbursement-01"]); len(ls) != 2 || ls[0].Kind != Credits || ls[1].ID != "health-claim-01" {
		t.Errorf("credit page: %+v", ls)
	}
	if ls := ties.Of(ReimbursementDoctype, "health-reimbursement-01-hm"); len(ls) != 2 || ls[0].ID != "health-claim-01" || ls[1].Kind != CreditedBy {
		t.Errorf("reimbursement page: %+v", ls)
	}
	if ls := ties.Of("contract", "contract-edf-electricity"); ls != nil {
		t.Errorf("a contract: %+v", ls)
	}
}

// TestDemoOverview: the demo person's two banks, the year of balances and the spending.
func TestDemoOverview(t *testing.T) {
	_, b := demoBook(t, time.Date(2025, 6, 30, 10, 42, 0, 0, time.UTC))
	ov := Summarize(b.Accounts)
	if len(ov.Banks) != 2 || ov.Banks[0].Name != "Crédit Mutuel" || ov.Banks[1].Name != "La Banque Postale" || len(ov.Totals) != 1 || ov.Unknown != 0 {
		t.Fatalf("overview %+v", ov)
	}
	sum := mustAmount("0")
	for _, a := range b.Accounts {
		sum = sum.Add(a.Balance)
	}
	if !ov.Totals[0].Amount.Equal(sum) || !ov.AsOf.Equal(day(t, "2025-06-29")) {
		t.Errorf("total %s as of %s, want %s on 2025-06-29", ov.Totals[0].Amount, ov.AsOf, sum)
	}
	y, ok := BankChart(b, nil, time.Time{})
	if !ok || len(y.Accounts) != 2 || y.Skipped != 0 {
		t.Fatalf("bank year: %+v", y)
	}
	for _, h := range y.Accounts {
		if last := h.Balances[len(h.Balances)-1]; !last.Equal(h.Account.Balance) {
			t.Errorf("%s ends at %s, its bank says %s", h.Account.Name(), last, h.Account.Balance)
		}
	}
	var cats []string
	for _, c := range y.Spending[0].Categories {
		cats = append(cats, c.Category)
		if c.Category == "savings" || c.Category == "" {
			t.Errorf("spending in %q", c.Category)
		}
	}
	if len(cats) < 8 {
		t.Errorf("spending in %v", cats)
	}
}

func sorted(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
