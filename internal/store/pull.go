package store

import (
	"context"
	"time"
)

// Pull grant states: a grant is pulled while it is ok; once the organization refuses it (the
// person withdrew it there, or it expired) it waits for the person to authorize again.
const (
	GrantOK          = "ok"
	GrantNeedsAction = "needs_action"
)

// Pull run statuses.
const (
	RunOK          = "ok"
	RunError       = "error"        // a failure that a retry may cure (the API down, a bad answer)
	RunNeedsAction = "needs_action" // only the person can cure it: authorize the organization again
)

// PullTokens are the OAuth2 tokens the person granted selfdata at an organization. They must
// stay usable, so they are not hashed; they never leave the store but to call that
// organization, and are never logged or sent to a client.
type PullTokens struct {
	Access  string
	Refresh string
	Expiry  time.Time // zero when the organization did not say
	Scope   string
}

// PullGrant is what selfdata needs to fetch a person's data from an organization's API on
// their behalf: one per connection.
type PullGrant struct {
	Connection string     `json:"connection"`
	Instance   string     `json:"-"`            // of the connection (read only)
	Org        string     `json:"organization"` // of the connection (read only)
	Provider   string     `json:"provider"`     // the connector: "enedis", "grdf"
	Subject    string     `json:"subject"`      // what is pulled at the provider: usage point, PCE
	Tokens     PullTokens `json:"-"`
	State      string     `json:"state"` // GrantOK or GrantNeedsAction
	// Fetched is the day up to which (exclusive, 00:00 UTC) data has been fetched; zero
	// before the first pull.
	Fetched time.Time `json:"fetched,omitzero"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// PullRun records one attempt at pulling a connection.
type PullRun struct {
	ID         string    `json:"id"`
	Connection string    `json:"connection"`
	Org        string    `json:"organization"` // of the connection (read only)
	Attempt    int       `json:"attempt"`      // 1 for the first try of a job, then its retries
	Started    time.Time `json:"started"`
	Finished   time.Time `json:"finished"`
	Status     string    `json:"status"`           // RunOK, RunError, RunNeedsAction
	Reason     string    `json:"reason,omitempty"` // why it failed, in words for the person
	Records    int       `json:"records"`          // documents received
	Readings   int       `json:"readings"`         // readings received
	Added      int       `json:"readings_added"`   // of which new
}

// PullAuthorization is an authorization the person started and the organization has not
// answered yet: the state sent to the organization (kept as its hash), the session that
// started it, and the PKCE verifier (a secret, kept like the tokens).
type PullAuthorization struct {
	StateHash   string
	Instance    string
	SessionHash string
	Org         string
	Verifier    string
	Created     time.Time
	Expires     time.Time
}

// Pulls keeps what the pull connectors need: grants, the runs' history, and authorizations
// under way. Grants and runs go with their connection; authorizations with their instance.
type Pulls interface {
	// PutPullGrant stores the grant of a connection, replacing any it had: a new
	// authorization starts over from a usable grant (Fetched is kept if g's is zero).
	PutPullGrant(ctx context.Context, g PullGrant) error
	PullGrant(ctx context.Context, connection string) (PullGrant, error)
	// DeletePullGrant forgets a connection's tokens (when the person revokes it); deleting
	// what does not exist is not an error.
	DeletePullGrant(ctx context.Context, connection string) error
	// ListPullGrants lists the grants in state (every grant when state is empty) whose
	// connection is active.
	ListPullGrants(ctx context.Context, state string) ([]PullGrant, error)
	// SavePullTokens replaces the tokens of a grant after a refresh.
	SavePullTokens(ctx context.Context, connection string, t PullTokens, at time.Time) error
	SetPullGrantState(ctx context.Context, connection, state string, at time.Time) error
	// SetPullFetched records that data up to day (exclusive) has been stored.
	SetPullFetched(ctx context.Context, connection string, day, at time.Time) error

	AddPullRun(ctx context.Context, r PullRun) error
	// ListPullRuns lists the runs of an instance's connections, newest first.
	ListPullRuns(ctx context.Context, instanceID string, limit int) ([]PullRun, error)

	CreatePullAuthorization(ctx context.Context, a PullAuthorization) error
	// TakePullAuthorization returns and forgets an authorization that has not expired at at
	// (ErrNotFound otherwise): a state is good for one answer.
	TakePullAuthorization(ctx context.Context, stateHash string, at time.Time) (PullAuthorization, error)
}
