// Package accounts is the built-in service My accounts (services.Accounts), after Cozy Bank:
// every account of every bank in one view with its balance over the year, operations sorted
// into categories by rules the person makes by correcting one, each bill linked to the
// operation that paid it, and each health cost to its reimbursements and their credits.
//
// It is plain Go over doctypes: it reads bank.account, bank.operation, bill, health.claim
// and health.reimbursement through the services.Reader it is handed (the gate, as the
// service), and the person's rules (bank.rule) through a reader of the person's own, since
// rules are the person's settings rather than data the service was granted. What it returns
// are plain structs with exact amounts (internal/money); internal/web only renders them.
//
// Dates of operations, bills and claims are calendar days, as statements and bills write
// them (in France: Europe/Paris days). They are held here as UTC midnights so that counting
// the days between two of them never meets a change of summer time.
package accounts

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/services"
	"selfdata/internal/store"
)

// The doctypes this service reads; RuleDoctype is the one the person writes from its page.
const (
	AccountDoctype       = "bank.account"
	OperationDoctype     = "bank.operation"
	BillDoctype          = "bill"
	ClaimDoctype         = "health.claim"
	ReimbursementDoctype = "health.reimbursement"
	RuleDoctype          = "bank.rule"
)

// Account is one bank account.
type Account struct {
	ID, Bank, Label, Type, Currency, Number string
	// HasBalance tells whether the bank gave a readable balance and its day; without it the
	// account is listed but its balance cannot be rebuilt over time.
	HasBalance  bool
	Balance     money.Amount
	BalanceDate time.Time
}

// Name is how pages name an account: "Livret A (Crédit Mutuel)".
func (a Account) Name() string {
	if a.Bank == "" {
		return strings.TrimSpace(a.Label)
	}
	return strings.TrimSpace(a.Label + " (" + a.Bank + ")")
}

// Operation is one movement on an account; a debit has a negative Amount.
type Operation struct {
	ID, Account, Label, Currency, Type, Reference, Counterparty string
	Date                                                        time.Time
	Amount                                                      money.Amount
	// Category is the category the record holds; SourceCategory is the one its source
	// (the bank, a file) gave. They differ when the person corrected it.
	Category, SourceCategory string
	// Source names who sent the operation (the bank), for "category given by ...".
	Source string
}

// Corrected tells whether the person changed the category the source gave.
func (o Operation) Corrected() bool { return o.Category != o.SourceCategory }

// Bill is one bill; Due is zero when the bill gives no due date.
type Bill struct {
	ID, Vendor, Type, Reference, Currency string
	Date, Due                             time.Time
	Amount                                money.Amount
}

// Claim is one health cost (health.claim).
type Claim struct {
	ID, Care, Provider, Reference, Currency string
	Date                                    time.Time
	Amount                                  money.Amount
}

// Reimbursement is what the Social Security or a complementary insurer paid back for a
// claim (health.reimbursement).
type Reimbursement struct {
	ID, Claim, Payer, Reference, Currency string
	Date                                  time.Time
	Amount                                money.Amount
}

// Book is what the service read: the person's accounts, operations (by date), bills,
// health claims and reimbursements, and how many records of each doctype could not be read
// (an amount or a date malformed) and are left out.
type Book struct {
	Accounts       []Account
	Operations     []Operation
	Bills          []Bill
	Claims         []Claim
	Reimbursements []Reimbursement
	Skipped        map[string]int
}

// Load reads everything the service works on through rd.
func Load(ctx context.Context, rd services.Reader) (*Book, error) {
	b := &Book{Skipped: map[string]int{}}
	steps := []func(context.Context, services.Reader, *Book) error{LoadAccounts, LoadOperations, LoadBills, LoadHealth}
	for _, step := range steps {
		if err := step(ctx, rd, b); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// LoadAccounts reads the bank accounts into b, sorted by name.
func LoadAccounts(ctx context.Context, rd services.Reader, b *Book) error {
	docs, err := rd.Docs(ctx, AccountDoctype)
	if err != nil {
		return fmt.Errorf("accounts: %w", err)
	}
	for _, d := range docs {
		var f struct{ Bank, Label, Type, Currency, Number, Balance, BalanceDate string }
		if json.Unmarshal(d.Data, &f) != nil {
			b.Skipped[AccountDoctype]++
			continue
		}
		a := Account{ID: d.ID, Bank: f.Bank, Label: f.Label, Type: f.Type, Currency: f.Currency, Number: f.Number}
		bal, err := money.Parse(f.Balance)
		day, ok := Day(f.BalanceDate)
		if err == nil && ok {
			a.HasBalance, a.Balance, a.BalanceDate = true, bal, day
		}
		b.Accounts = append(b.Accounts, a)
	}
	sort.SliceStable(b.Accounts, func(i, j int) bool { return b.Accounts[i].Name() < b.Accounts[j].Name() })
	return nil
}

// LoadOperations reads the bank operations into b, oldest first.
func LoadOperations(ctx context.Context, rd services.Reader, b *Book) error {
	docs, err := rd.Docs(ctx, OperationDoctype)
	if err != nil {
		return fmt.Errorf("operations: %w", err)
	}
	for _, d := range docs {
		o, ok := ParseOperation(d)
		if !ok {
			b.Skipped[OperationDoctype]++
			continue
		}
		b.Operations = append(b.Operations, o)
	}
	sort.SliceStable(b.Operations, func(i, j int) bool { return b.Operations[i].Date.Before(b.Operations[j].Date) })
	return nil
}

// opFields are the fields of a bank.operation this service reads.
type opFields struct {
	Account, Date, Label, Amount, Currency, Category, Type, Reference, Counterparty string
}

// ParseOperation reads one bank.operation document; ok is false when its amount or its
// date cannot be read. The category its source gave is the original of a corrected record.
func ParseOperation(d store.Doc) (Operation, bool) {
	var f opFields
	if json.Unmarshal(d.Data, &f) != nil {
		return Operation{}, false
	}
	amt, err := money.Parse(f.Amount)
	day, ok := Day(f.Date)
	if err != nil || !ok {
		return Operation{}, false
	}
	o := Operation{ID: d.ID, Account: f.Account, Label: f.Label, Currency: f.Currency, Type: f.Type, Reference: f.Reference,
		Counterparty: f.Counterparty, Date: day, Amount: amt, Category: f.Category, SourceCategory: f.Category, Source: d.Source.Name}
	if d.Corrected != nil {
		var orig struct{ Category string }
		if json.Unmarshal(d.Corrected.Original, &orig) == nil {
			o.SourceCategory = orig.Category
		}
	}
	return o, true
}

// LoadBills reads the bills into b, in the order the store gave them.
func LoadBills(ctx context.Context, rd services.Reader, b *Book) error {
	docs, err := rd.Docs(ctx, BillDoctype)
	if err != nil {
		return fmt.Errorf("bills: %w", err)
	}
	for _, d := range docs {
		var f struct{ Vendor, Type, Reference, Currency, Date, DueDate, Amount string }
		if json.Unmarshal(d.Data, &f) != nil {
			b.Skipped[BillDoctype]++
			continue
		}
		amt, err := money.Parse(f.Amount)
		day, ok := Day(f.Date)
		if err != nil || !ok {
			b.Skipped[BillDoctype]++
			continue
		}
		due, _ := Day(f.DueDate) // a bill without a due date is matched on its date
		b.Bills = append(b.Bills, Bill{ID: d.ID, Vendor: f.Vendor, Type: f.Type, Reference: f.Reference, Currency: f.Currency, Date: day, Due: due, Amount: amt})
	}
	return nil
}

// LoadHealth reads the health claims and reimbursements into b, by date.
func LoadHealth(ctx context.Context, rd services.Reader, b *Book) error {
	claims, err := rd.Docs(ctx, ClaimDoctype)
	if err != nil {
		return fmt.Errorf("health claims: %w", err)
	}
	for _, d := range claims {
		var f struct{ Care, Provider, Reference, Currency, Date, Amount string }
		c, ok := parseDated(d, &f, &f.Date, &f.Amount)
		if !ok {
			b.Skipped[ClaimDoctype]++
			continue
		}
		b.Claims = append(b.Claims, Claim{ID: d.ID, Care: f.Care, Provider: f.Provider, Reference: f.Reference, Currency: f.Currency, Date: c.day, Amount: c.amount})
	}
	reimbs, err := rd.Docs(ctx, ReimbursementDoctype)
	if err != nil {
		return fmt.Errorf("health reimbursements: %w", err)
	}
	for _, d := range reimbs {
		var f struct{ Claim, Payer, Reference, Currency, Date, Amount string }
		c, ok := parseDated(d, &f, &f.Date, &f.Amount)
		if !ok {
			b.Skipped[ReimbursementDoctype]++
			continue
		}
		b.Reimbursements = append(b.Reimbursements, Reimbursement{ID: d.ID, Claim: f.Claim, Payer: f.Payer, Reference: f.Reference, Currency: f.Currency, Date: c.day, Amount: c.amount})
	}
	sort.SliceStable(b.Claims, func(i, j int) bool { return b.Claims[i].Date.Before(b.Claims[j].Date) })
	sort.SliceStable(b.Reimbursements, func(i, j int) bool { return b.Reimbursements[i].Date.Before(b.Reimbursements[j].Date) })
	return nil
}

type dated struct {
	day    time.Time
	amount money.Amount
}

// parseDated decodes d into f and reads the date and amount f's fields point at.
func parseDated(d store.Doc, f any, date, amount *string) (dated, bool) {
	if json.Unmarshal(d.Data, f) != nil {
		return dated{}, false
	}
	amt, err := money.Parse(*amount)
	day, ok := Day(*date)
	return dated{day, amt}, err == nil && ok
}

// Day reads a calendar day ("2025-03-12") as its UTC midnight.
func Day(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// days is the number of days from a to b (negative when b is before a).
func days(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }
