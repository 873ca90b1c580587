// Package services holds selfdata's built-in services: what the person's data does for them
// inside their store (home energy, accounts, contracts, a map of their life...). Each service
// lives in a package of its own under this one, as plain Go over doctypes: functions that take
// what the gate returned and give plain structs, which internal/web renders. No service holds
// SQL or HTTP, and none reaches the store: it reads through a Reader, which is the gate with
// the principal of the service's own grant (Through), so that the person switches a service on
// by the same consent screen a third-party service gets, sees its reads in the access log
// under its name, and switches it off at once by withdrawing.
//
// This file is the catalog: which services exist, what each reads and why. Main puts them
// in the operator's services catalog (Ensure), where grants, receipts and the consents page
// find them like any other service.
package services

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"selfdata/internal/store"
)

// Prefix starts the id of every built-in service; the operator's services may not use it.
const Prefix = "selfdata-"

// The built-in services' ids.
const (
	Energy        = Prefix + "energy"
	Home          = Prefix + "home"
	Accounts      = Prefix + "accounts"
	Contracts     = Prefix + "contracts"
	Map           = Prefix + "map"
	Communication = Prefix + "communication"
	WhoAmI        = Prefix + "whoami"
	SignOfLife    = Prefix + "signoflife"
)

// Def is a built-in service as the catalog declares it. Its name and description in the
// person's language are in the pages' message catalog (keyed by ID); Name and Description
// here are what receipts and the operator's listing show.
type Def struct {
	ID          string
	Name        string
	Description string
	Purpose     string   // a W3C DPV purpose (consent.Purposes)
	Doctypes    []string // what it reads; it writes nothing
}

// Catalog lists the built-in services in the order the pages show them.
func Catalog() []Def {
	return []Def{
		{Energy, "Home energy", "Electricity, gas and water together: consumption and cost by day, week, month and year, compared with last year, with alerts on leaks, excess and freezing.",
			"dpv:OptimisationForConsumer", []string{"meter", "reading.electricity", "reading.gas", "reading.water", "bill", "contract", "energy.settings"}},
		{Home, "My home", "All the expenses of your home by category — energy, water, insurance, telephone and internet, rent or loan — per month and per year.",
			"dpv:ServiceProvision", []string{"bill", "contract", "insurance.contract", "bank.account", "bank.operation"}},
		{Accounts, "My accounts", "All your accounts in one view, operations sorted by rules you can change, each bill linked to the payment that settled it and each health cost to its reimbursements.",
			"dpv:ServiceProvision", []string{"bank.account", "bank.operation", "bill", "health.claim", "health.reimbursement"}},
		{Contracts, "My contracts", "Your energy, telephone, insurance and bank contracts with their yearly cost, renewal and notice dates, and a letter ready to change or end one.",
			"dpv:OptimisationForConsumer", []string{"contract", "insurance.contract", "bill", "bank.operation"}},
		{Map, "Mapping my life", "The places you visit most, the time you spend there, and each day's itinerary on a map drawn in your store.",
			"dpv:ServicePersonalisation", []string{"place", "visit"}},
		{Communication, "My communication time", "Time spent on calls, messages and data by day, week and hour of the day, and how it changes.",
			"dpv:ServicePersonalisation", []string{"telecom.record"}},
		{WhoAmI, "Who am I", "What your data says about you — household, home, habits, spending, places, health — each statement linked to the records it rests on.",
			"dpv:ServicePersonalisation", []string{"profile", "meter", "contract", "insurance.contract", "bill", "bank.account", "bank.operation", "place", "visit", "health.claim", "telecom.record", "reading.electricity"}},
		{SignOfLife, "Sign of life", "Tells a relative you trust, at your request, whether there was usual activity at home today — never your readings.",
			"dpv:PublicBenefit", []string{"reading.water", "reading.electricity"}},
	}
}

// Lookup finds a built-in service by id.
func Lookup(id string) (Def, bool) {
	i := slices.IndexFunc(Catalog(), func(d Def) bool { return d.ID == id })
	if i < 0 {
		return Def{}, false
	}
	return Catalog()[i], true
}

// IsBuiltIn tells whether id names a built-in service (or would: the prefix is reserved).
func IsBuiltIn(id string) bool { return strings.HasPrefix(id, Prefix) }

// Company is who runs the built-in services: the operator of this selfdata server.
const Company = "selfdata"

// Entry is the catalog entry of d: a public client with no redirect URI, so that no OAuth
// flow can ever issue a token for it; the person grants it from its page.
func (d Def) Entry(privacyPolicy string) store.Service {
	return store.Service{ID: d.ID, Name: d.Name, Company: Company, Description: d.Description, PrivacyPolicy: privacyPolicy, Public: true,
		Access: store.ServiceAccess{Doctypes: slices.Clone(d.Doctypes), Verbs: []string{"read"}, Purpose: d.Purpose, LegalBasis: "consent",
			Retention: "Nothing: it computes in your store each time you open it", LeavesStore: false}}
}

// Ensure puts every built-in service in the catalog, leaving those already there as they
// are (grants given to them stay valid across restarts). privacyPolicy is the operator's.
func Ensure(ctx context.Context, st store.Services, privacyPolicy string) error {
	for _, d := range Catalog() {
		_, err := st.Service(ctx, d.ID)
		if err == nil {
			continue
		}
		if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("built-in service %s: %w", d.ID, err)
		}
		e := d.Entry(privacyPolicy)
		e.Created = time.Now().UTC().Truncate(time.Microsecond)
		if err := st.CreateService(ctx, e); err != nil && !errors.Is(err, store.ErrExists) {
			return fmt.Errorf("built-in service %s: %w", d.ID, err)
		}
	}
	return nil
}
