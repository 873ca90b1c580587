package store

import (
	"context"
	"time"
)

// LegalBases are the bases of GDPR Art. 6(1), as organizations' declarations and services'
// requests spell them.
var LegalBases = []string{"consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests"}

// Declaration is an organization's processing record for what it restores (GDPR Art. 30):
// what the person sees next to the data.
//
// The texts a person reads are in English and French: Purposes, Retention and Recipients
// in English (the fields every reader had before French came), and the same with FR in
// French beside them, stored in the same JSON column (purposes_fr, retention_fr,
// recipients_fr). Extra keys rather than {en, fr} objects: every reader and every API
// client of the English fields goes on working, and a declaration stored before French
// came needs no rewrite — it has no French, and the store reads it with its one text in
// both languages (see In).
type Declaration struct {
	Purposes     []string `json:"purposes"`
	PurposesFR   []string `json:"purposes_fr"`
	LegalBasis   string   `json:"legal_basis"` // one of LegalBases
	Doctypes     []string `json:"doctypes"`
	Retention    string   `json:"retention"`
	RetentionFR  string   `json:"retention_fr"`
	Recipients   []string `json:"recipients"`
	RecipientsFR []string `json:"recipients_fr"`
}

// Organization is a data holder registered by the operator.
type Organization struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Website     string      `json:"website"`
	Contact     string      `json:"contact"`
	DPO         string      `json:"dpo"`
	Declaration Declaration `json:"declaration"`
	KeyHash     string      `json:"-"`
	Created     time.Time   `json:"created"`
}

// Connection states.
const (
	Pending = "pending"
	Active  = "active"
	Paused  = "paused"
	Refused = "refused"
	Revoked = "revoked"
)

// Connection links an organization to a person's store for some doctypes.
type Connection struct {
	ID       string    `json:"id"`
	Instance string    `json:"-"`
	Org      string    `json:"organization"`
	Doctypes []string  `json:"doctypes"`
	State    string    `json:"state"`
	Claimed  bool      `json:"credential_issued"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

// Organizations is the registry of data holders and their connections to people.
type Organizations interface {
	CreateOrganization(ctx context.Context, o Organization) error
	Organization(ctx context.Context, id string) (Organization, error)
	OrganizationByKey(ctx context.Context, keyHash string) (Organization, error)
	ListOrganizations(ctx context.Context) ([]Organization, error)
	DeleteOrganization(ctx context.Context, id string) error

	CreateConnection(ctx context.Context, c Connection) error
	Connection(ctx context.Context, id string) (Connection, error)
	// ConnectionByCredential finds the connection a deposit credential belongs to.
	ConnectionByCredential(ctx context.Context, credHash string) (Connection, error)
	ListConnections(ctx context.Context, instanceID string) ([]Connection, error)
	// SetConnectionState moves a connection of the instance from one of the states in from
	// to state; ErrConflict if it is in none of them.
	SetConnectionState(ctx context.Context, instanceID, id, state string, from []string, at time.Time) error
	// ClaimCredential records the hash of the credential of an active connection of org that
	// has none yet; ErrConflict otherwise.
	ClaimCredential(ctx context.Context, orgID, id, credHash string, at time.Time) error
}
