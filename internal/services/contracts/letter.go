package contracts

import (
	"errors"
	"regexp"
	"strings"
	"time"
)

// Kind is what a letter asks.
type Kind string

const (
	Termination Kind = "termination" // résiliation
	NonRenewal  Kind = "non-renewal" // non-reconduction at the renewal
	Closure     Kind = "closure"     // closing a bank account and ending its agreement
)

// Letter is what a letter to end a contract says, before words: the page writes it in French,
// as it goes to a French organization.
type Letter struct {
	Contract Contract
	Kind     Kind
	Date     time.Time // the day it is written
	Holder   string    // who signs it: the contract's holder, else the one most contracts name
	Address  string    // the sender's address
	City     string    // where it is written, from the address ("" when none)
}

// ErrNoLetter is returned for a contract no rule lets the person end by letter today.
var ErrNoLetter = errors.New("no letter ends this contract today")

// LetterFor is the letter for the contract named key, or ok false when there is no such
// contract; ErrNoLetter when its rule allows no letter today.
func (ov Overview) LetterFor(key string) (Letter, bool, error) {
	c, ok := ov.Find(key)
	if !ok {
		return Letter{}, false, nil
	}
	if !c.Rule.Letter {
		return Letter{Contract: c}, true, ErrNoLetter
	}
	l := Letter{Contract: c, Kind: Termination, Date: ov.AsOf, Holder: c.Holder, Address: c.Address}
	switch c.Rule.Code {
	case Chatel:
		l.Kind = NonRenewal
	case Bank:
		l.Kind = Closure
	}
	if l.Holder == "" {
		l.Holder = ov.Holder
	}
	if l.Address == "" || c.Type == "insurance" { // a policy's address is what it insures
		l.Address = ov.Address
	}
	l.City = CityOf(l.Address)
	return l, true, nil
}

var postalCity = regexp.MustCompile(`\b\d{5}\s+([^,\d][^,]*)$`)

// CityOf is the town of a French address ("18 rue Paul Bert, 69003 Lyon" is in Lyon), "" when
// the address has no postal code followed by a town.
func CityOf(address string) string {
	m := postalCity.FindStringSubmatch(strings.TrimSpace(address))
	if m == nil {
		return ""
	}
	city := strings.TrimSpace(m[1])
	// "75015 Paris Cedex 15": the town is what comes before Cedex.
	if i := strings.Index(strings.ToLower(city), " cedex"); i > 0 {
		city = city[:i]
	}
	return city
}
