// Package home is the built-in service My home (services.Home), after Monlogis: everything
// the person's home costs — energy, water, home insurance, telephone and internet, rent or
// loan — gathered from the bills, the contracts and the bank operations, per month and per
// year, with the share of each category and the trend against the year before.
//
// The hard part is counting what was actually paid once: a bill and the debit that settled it
// are one expense, not two (see Attribute). The other service that needs that count, My
// contracts (internal/services/contracts), uses the same Attribute, so that the two pages
// never disagree on what an organization was paid.
package home

import (
	"encoding/json"
	"strings"
	"time"
	"unicode"

	"selfdata/internal/money"
	"selfdata/internal/store"
)

// Category is a kind of housing expense.
type Category string

// The housing categories. Electricity and gas are the two parts of energy.
const (
	Housing     Category = "housing" // rent or a home loan
	Electricity Category = "electricity"
	Gas         Category = "gas"
	Water       Category = "water"
	Telecom     Category = "telecom" // telephone and internet
	Insurance   Category = "insurance"
)

// Categories are the housing categories in the order the page shows them.
var Categories = []Category{Housing, Electricity, Gas, Water, Telecom, Insurance}

// IsEnergy tells whether c is part of energy.
func (c Category) IsEnergy() bool { return c == Electricity || c == Gas }

// Ref names a document.
type Ref struct{ Doctype, ID string }

// Contract is what attribution needs of a contract or an insurance policy: who it binds the
// person to, and which housing category (if any) paying it is.
type Contract struct {
	Ref      Ref
	Org      string   // the organization, as the contract names it
	Category Category // "" when paying it is not a housing expense (a car policy, a bank account)
}

// Bill is a bill as attribution reads it.
type Bill struct {
	ID        string
	Org       string    // the vendor
	Day       time.Time // the bill's date
	Pay       time.Time // when it is to be paid: its due date, else its date
	Amount    money.Amount
	Currency  string
	Type      string // the bill's declared type (electricity, ..., other)
	Contract  string // the id of the contract it bills, if it says
	Reference string
}

// Operation is a bank operation as attribution reads it.
type Operation struct {
	ID           string
	Day          time.Time
	Amount       money.Amount // negative for a debit
	Currency     string
	Label        string
	Counterparty string
	Reference    string
}

// Input is what the service read: the documents it could use, and how many it could not.
type Input struct {
	Contracts    []Contract
	ContractDocs []store.Doc // the contract and insurance.contract documents, as read
	Bills        []Bill
	Operations   []Operation
	Skipped      int // documents whose date or amount could not be read
}

// day reads a civil date ("2025-01-31") as midnight UTC: dates are days here, never instants,
// so that adding months never crosses a change of summer time.
func day(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// ContractOf reads a contract or an insurance.contract document. ok is false for a
// document of another doctype.
func ContractOf(d store.Doc) (Contract, bool) {
	switch d.Doctype {
	case "contract":
		var c struct{ Type, Provider string }
		if json.Unmarshal(d.Data, &c) != nil {
			return Contract{}, false
		}
		cat := Category("")
		switch c.Type {
		case "electricity", "gas", "water", "telecom", "housing", "insurance":
			cat = Category(c.Type) // a contract of type insurance is one of the home's contracts
		}
		return Contract{Ref: Ref{d.Doctype, d.ID}, Org: c.Provider, Category: cat}, true
	case "insurance.contract":
		var c struct{ Insurer, Kind string }
		if json.Unmarshal(d.Data, &c) != nil {
			return Contract{}, false
		}
		cat := Category("")
		if c.Kind == "home" { // only the home policy is a housing expense; a car policy is not
			cat = Insurance
		}
		return Contract{Ref: Ref{d.Doctype, d.ID}, Org: c.Insurer, Category: cat}, true
	}
	return Contract{}, false
}

// BillOf reads a bill; ok is false when its date or amount cannot be read.
func BillOf(d store.Doc) (Bill, bool) {
	var b struct{ Vendor, Date, DueDate, Amount, Currency, Type, Contract, Reference string }
	if json.Unmarshal(d.Data, &b) != nil {
		return Bill{}, false
	}
	dt, ok := day(b.Date)
	amt, err := money.Parse(b.Amount)
	if !ok || err != nil {
		return Bill{}, false
	}
	pay := dt
	if due, ok := day(b.DueDate); ok {
		pay = due
	}
	return Bill{ID: d.ID, Org: b.Vendor, Day: dt, Pay: pay, Amount: amt, Currency: b.Currency, Type: b.Type,
		Contract: b.Contract, Reference: b.Reference}, true
}

// OperationOf reads a bank operation; ok is false when its date or amount cannot be read.
func OperationOf(d store.Doc) (Operation, bool) {
	var o struct{ Date, Amount, Currency, Label, Counterparty, Reference string }
	if json.Unmarshal(d.Data, &o) != nil {
		return Operation{}, false
	}
	dt, ok := day(o.Date)
	amt, err := money.Parse(o.Amount)
	if !ok || err != nil {
		return Operation{}, false
	}
	return Operation{ID: d.ID, Day: dt, Amount: amt, Currency: o.Currency, Label: o.Label,
		Counterparty: o.Counterparty, Reference: o.Reference}, true
}

// NewInput reads the documents the service was given (contracts, insurance policies, bills
// and bank operations, in any order and mix).
func NewInput(docs ...[]store.Doc) Input {
	var in Input
	for _, list := range docs {
		for _, d := range list {
			switch d.Doctype {
			case "contract", "insurance.contract":
				if c, ok := ContractOf(d); ok {
					in.Contracts = append(in.Contracts, c)
					in.ContractDocs = append(in.ContractDocs, d)
				} else {
					in.Skipped++
				}
			case "bill":
				if b, ok := BillOf(d); ok {
					in.Bills = append(in.Bills, b)
				} else {
					in.Skipped++
				}
			case "bank.operation":
				if o, ok := OperationOf(d); ok {
					in.Operations = append(in.Operations, o)
				} else {
					in.Skipped++
				}
			}
		}
	}
	return in
}

// orgKey is an organization's name as names are compared: lower case, without accents or
// punctuation, words separated by one space ("Électricité de France" and "ELECTRICITE DE
// FRANCE" are one name).
func orgKey(name string) string {
	var b strings.Builder
	space := true
	for _, r := range strings.ToLower(name) {
		r = unaccent(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// unaccent drops the accents French names carry.
func unaccent(r rune) rune {
	switch r {
	case 'à', 'â', 'ä', 'á', 'ã':
		return 'a'
	case 'ç':
		return 'c'
	case 'é', 'è', 'ê', 'ë':
		return 'e'
	case 'î', 'ï', 'í':
		return 'i'
	case 'ô', 'ö', 'ó', 'õ':
		return 'o'
	case 'ù', 'û', 'ü', 'ú':
		return 'u'
	case 'ÿ':
		return 'y'
	case 'œ':
		return 'o'
	}
	return r
}

// hasWords tells whether the words of key appear, in order and whole, in text (both orgKeys).
func hasWords(text, key string) bool {
	if key == "" {
		return false
	}
	t, k := " "+text+" ", " "+key+" "
	return strings.Contains(t, k)
}
