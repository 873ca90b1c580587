package store

import (
	"context"
	"time"
)

// ServiceAccess is what a service asks for: the most a person can grant it. A grant may
// narrow it (fewer doctypes, a shorter duration), never widen it.
type ServiceAccess struct {
	Doctypes   []string `json:"doctypes"`
	Verbs      []string `json:"verbs"`       // "read", "write"
	Purpose    string   `json:"purpose"`     // a W3C DPV purpose in compact form, e.g. "dpv:ServiceProvision"
	LegalBasis string   `json:"legal_basis"` // GDPR Art. 6, as for organizations
	Retention  string   `json:"retention"`   // how long the service keeps what it reads, in words (English)
	// RetentionFR is Retention in French (see Service on the two languages).
	RetentionFR string `json:"retention_fr"`
	// RetentionDays is the same in days when it can be said in days; 0 when not given.
	RetentionDays int `json:"retention_days,omitempty"`
	// LeavesStore tells whether the data is copied out of the person's store (to the
	// service's servers) or only used where it is.
	LeavesStore bool `json:"leaves_store"`
}

// Service is a re-user registered by the operator: what the person sees before granting
// access, and an OAuth client whose client id is the service's ID.
//
// What it says to the person is in English and French: Description and Access.Retention in
// English, DescriptionFR and Access.RetentionFR in French, as for an organization's
// Declaration (the French description is a column of its own, description_fr; the French
// retention sits in the access JSON). Name and Company are names, the same in every
// language; PrivacyPolicy is an address. A service registered before French came reads
// with its one text in both languages (see In).
type Service struct {
	ID            string        `json:"id"`
	Name          string        `json:"name"`
	Company       string        `json:"company"`
	Description   string        `json:"description"`
	DescriptionFR string        `json:"description_fr"`
	PrivacyPolicy string        `json:"privacy_policy"`
	RedirectURIs  []string      `json:"redirect_uris"`
	Access        ServiceAccess `json:"access"`
	// Public clients (an app on the person's device) hold no secret and rely on PKCE alone;
	// confidential ones have SecretHash set.
	Public     bool      `json:"public"`
	SecretHash string    `json:"-"`
	Created    time.Time `json:"created"`
}

// Services is the operator's catalog of re-users.
type Services interface {
	// CreateService fails with ErrExists when the id is taken, and with ErrInvalid when a
	// public client has a secret or a confidential one has none.
	CreateService(ctx context.Context, s Service) error
	Service(ctx context.Context, id string) (Service, error)
	// ListServices lists services by name.
	ListServices(ctx context.Context) ([]Service, error)
	// DeleteService removes a service from the catalog and, in the same transaction, ends
	// for good what it held: every grant to it still in force at `at` takes the state
	// GrantEnded and gains the event end returns for it (given the grant and the last
	// event of its record), and every OAuth code and token of the service is deleted. A
	// service registered later under the same id starts with nothing. ErrNotFound when
	// there is no such service.
	DeleteService(ctx context.Context, id string, at time.Time, end func(g Grant, last ConsentEvent) (ConsentEvent, error)) error
}
