package store

import (
	"context"
	"encoding/json"
	"time"
)

// Grant states.
const (
	GrantActive    = "active"
	GrantWithdrawn = "withdrawn"
	GrantExpired   = "expired"
	// GrantEnded: the service was removed from the catalog. Unlike a withdrawal, nothing the
	// person did; like one, for good: a service registered later under the same id does not
	// inherit the grant.
	GrantEnded = "ended"
)

// Consent events, the kinds of rows of a grant's consent record.
const (
	ConsentGiven     = "given"
	ConsentNarrowed  = "narrowed"
	ConsentRenewed   = "renewed"
	ConsentWithdrawn = "withdrawn"
	// ConsentServiceRemoved ends a grant whose service the operator removed.
	ConsentServiceRemoved = "service_removed"
)

// Grant is what a person gave a service: at most what the service asks for (ServiceAccess),
// for a purpose and until a date.
type Grant struct {
	ID         string     `json:"id"`
	Instance   string     `json:"instance"`
	Service    string     `json:"service"`
	Doctypes   []string   `json:"doctypes"`
	Verbs      []string   `json:"verbs"`
	Purpose    string     `json:"purpose"` // W3C DPV purpose
	LegalBasis string     `json:"legal_basis"`
	Created    time.Time  `json:"created"`
	Expires    *time.Time `json:"expires,omitempty"` // nil: until withdrawn
	State      string     `json:"state"`             // GrantActive, GrantWithdrawn, GrantExpired, GrantEnded
}

// ConsentEvent is one row of a grant's consent record: rows are only ever appended, so the
// record is the grant's whole history. Record holds the ISO/IEC TS 27560 fields as they were
// at that time.
type ConsentEvent struct {
	Grant  string          `json:"grant"`
	Seq    int64           `json:"seq"` // 1, 2, ... within the grant
	At     time.Time       `json:"at"`
	Event  string          `json:"event"` // ConsentGiven, ConsentNarrowed, ConsentRenewed, ConsentWithdrawn, ConsentServiceRemoved
	Record json.RawMessage `json:"record"`
}

// SigningKey is the public half of an instance's Ed25519 key that signs consent receipts.
type SigningKey struct {
	ID        string    `json:"id"` // the JWK kid
	Instance  string    `json:"instance"`
	PublicKey []byte    `json:"public_key"` // ed25519.PublicKey
	Created   time.Time `json:"created"`
}

// Consents keeps grants, their consent records and the instances' signing keys.
type Consents interface {
	// CreateGrant stores a new grant and the first event of its record, together. It fails
	// with ErrNotFound when g.Service is not in the catalog (removed meanwhile): a grant
	// never outlives its service's removal (see Services.DeleteService).
	CreateGrant(ctx context.Context, g Grant, first ConsentEvent) error
	// UpdateGrant replaces the grant's doctypes, verbs, expiry and state and appends ev to
	// its record, together; ev.Seq is assigned by the store. Only a grant stored as
	// GrantActive changes: ErrConflict when it was withdrawn or ended meanwhile. When the
	// new state is not GrantActive, the grant's OAuth tokens are deleted in the same
	// transaction, so that the service's next request with one of them fails.
	UpdateGrant(ctx context.Context, g Grant, ev ConsentEvent) error
	Grant(ctx context.Context, instance, id string) (Grant, error)
	// ListGrants lists the instance's grants, newest first.
	ListGrants(ctx context.Context, instance string) ([]Grant, error)
	// ConsentHistory returns a grant's record, oldest first.
	ConsentHistory(ctx context.Context, instance, grantID string) ([]ConsentEvent, error)

	// CreateSigningKey stores the instance's key pair; it fails with ErrExists when the
	// instance already has one (two first uses at once: the caller reads the winner's).
	CreateSigningKey(ctx context.Context, k SigningKey, private []byte) error
	// SigningKey returns the instance's current key and its private half.
	SigningKey(ctx context.Context, instance string) (SigningKey, []byte, error)
	// ListSigningKeys lists the instance's public keys, oldest first.
	ListSigningKeys(ctx context.Context, instance string) ([]SigningKey, error)
}
