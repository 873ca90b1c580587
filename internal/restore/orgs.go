package restore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"selfdata/internal/auth"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// Prefixes of the organizations' secrets; like every secret, only their hash is stored.
const (
	OrgKeyPrefix     = "sdo_" // an organization's own key: asks for connections, claims credentials
	DepositKeyPrefix = "sdd_" // a deposit credential: one organization, one person, some doctypes, write only
)

// OrgStore is what the organization registry needs from storage.
type OrgStore interface {
	store.Organizations
	Instance(ctx context.Context, name string) (store.Instance, error)
	DeletePullGrant(ctx context.Context, connection string) error
}

// Orgs registers organizations and runs the connection life cycle: an organization asks,
// the person approves or refuses, the organization claims a deposit credential once, the
// person pauses, resumes or revokes — and the credential stops working on the next request.
type Orgs struct {
	st  OrgStore
	reg *doctype.Registry
	now func() time.Time
}

// NewOrgs returns the registry.
func NewOrgs(st OrgStore, reg *doctype.Registry) *Orgs {
	return &Orgs{st: st, reg: reg, now: time.Now}
}

var validOrgID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Add registers an organization and returns its key, shown once.
func (o *Orgs) Add(ctx context.Context, org store.Organization) (string, error) {
	if !validOrgID.MatchString(org.ID) {
		return "", fmt.Errorf("%w: organization id %q: use lowercase letters, digits and '-'", store.ErrInvalid, org.ID)
	}
	if strings.TrimSpace(org.Name) == "" {
		return "", fmt.Errorf("%w: an organization needs a name", store.ErrInvalid)
	}
	d := org.Declaration
	if len(d.Purposes) == 0 || d.Retention == "" || !slices.Contains(store.LegalBases, d.LegalBasis) || len(d.Doctypes) == 0 {
		return "", fmt.Errorf("%w: the declaration needs purposes, a retention, doctypes and a legal basis among %s", store.ErrInvalid, strings.Join(store.LegalBases, ", "))
	}
	for _, dt := range d.Doctypes {
		if _, ok := o.reg.Get(dt); !ok {
			return "", fmt.Errorf("%w: unknown doctype %q in the declaration", store.ErrInvalid, dt)
		}
	}
	key, hash, err := auth.NewSecret(OrgKeyPrefix)
	if err != nil {
		return "", err
	}
	org.KeyHash, org.Created = hash, o.now().UTC()
	return key, o.st.CreateOrganization(ctx, org)
}

// Organization authenticates an organization's key.
func (o *Orgs) Organization(ctx context.Context, key string) (store.Organization, error) {
	if !strings.HasPrefix(key, OrgKeyPrefix) {
		return store.Organization{}, auth.ErrUnauthenticated
	}
	org, err := o.st.OrganizationByKey(ctx, auth.HashSecret(key))
	if errors.Is(err, store.ErrNotFound) {
		return org, auth.ErrUnauthenticated
	}
	return org, err
}

// Request records an organization's request to deposit doctypes into a person's store; the
// doctypes must be among those its declaration names.
func (o *Orgs) Request(ctx context.Context, org store.Organization, instance string, doctypes []string) (store.Connection, error) {
	if len(doctypes) == 0 {
		return store.Connection{}, fmt.Errorf("%w: name the doctypes you will deposit", store.ErrInvalid)
	}
	for _, dt := range doctypes {
		if !slices.Contains(org.Declaration.Doctypes, dt) {
			return store.Connection{}, fmt.Errorf("%w: %q is not in your declaration (%s)", gate.ErrForbidden, dt, strings.Join(org.Declaration.Doctypes, ", "))
		}
	}
	in, err := o.st.Instance(ctx, instance)
	if err != nil {
		return store.Connection{}, err
	}
	c := store.Connection{ID: uuid.NewString(), Instance: in.ID, Org: org.ID, Doctypes: doctypes, State: store.Pending, Created: o.now().UTC()}
	if err := o.st.CreateConnection(ctx, c); err != nil {
		return c, err
	}
	c.Updated = c.Created
	return c, nil
}

// Claim returns the connection to its organization and, the first time it is asked after
// the person approved, the deposit credential (never again: only its hash is kept).
func (o *Orgs) Claim(ctx context.Context, org store.Organization, id string) (store.Connection, string, error) {
	c, err := o.st.Connection(ctx, id)
	if err != nil || c.Org != org.ID {
		return store.Connection{}, "", fmt.Errorf("connection %q: %w", id, store.ErrNotFound)
	}
	if c.State != store.Active || c.Claimed {
		return c, "", nil
	}
	secret, hash, err := auth.NewSecret(DepositKeyPrefix)
	if err != nil {
		return c, "", err
	}
	if err := o.st.ClaimCredential(ctx, org.ID, id, hash, o.now()); err != nil {
		return c, "", err
	}
	c.Claimed = true
	return c, secret, nil
}

// transitions: what the person may do, from which states.
var transitions = map[string]struct {
	to   string
	from []string
}{
	"approve": {store.Active, []string{store.Pending}},
	"refuse":  {store.Refused, []string{store.Pending}},
	"pause":   {store.Paused, []string{store.Active}},
	"resume":  {store.Active, []string{store.Paused}},
	"revoke":  {store.Revoked, []string{store.Pending, store.Active, store.Paused}},
}

// Decide applies the person's decision on one of their connections.
func (o *Orgs) Decide(ctx context.Context, instanceID, id, action string) error {
	tr, ok := transitions[action]
	if !ok {
		return fmt.Errorf("%w: unknown action %q (approve, refuse, pause, resume, revoke)", store.ErrInvalid, action)
	}
	if err := o.st.SetConnectionState(ctx, instanceID, id, tr.to, tr.from, o.now()); err != nil {
		return err
	}
	if tr.to == store.Revoked {
		// A revoked connection keeps no token to the organization's API.
		return o.st.DeletePullGrant(ctx, id)
	}
	return nil
}

// Depositor authenticates a deposit credential into a write-only principal on the
// connection's doctypes (and files). A connection that is not active is refused.
func (o *Orgs) Depositor(ctx context.Context, secret string) (gate.Principal, store.Organization, error) {
	if !strings.HasPrefix(secret, DepositKeyPrefix) {
		return gate.Principal{}, store.Organization{}, auth.ErrUnauthenticated
	}
	c, err := o.st.ConnectionByCredential(ctx, auth.HashSecret(secret))
	if errors.Is(err, store.ErrNotFound) {
		return gate.Principal{}, store.Organization{}, auth.ErrUnauthenticated
	}
	if err != nil {
		return gate.Principal{}, store.Organization{}, err
	}
	if c.State != store.Active {
		return gate.Principal{}, store.Organization{}, fmt.Errorf("%w: the person has %s this connection", gate.ErrForbidden, map[string]string{store.Paused: "paused", store.Revoked: "revoked"}[c.State])
	}
	org, err := o.st.Organization(ctx, c.Org)
	if err != nil {
		return gate.Principal{}, org, err
	}
	p := gate.Organization(c.Instance, org.ID, org.Name, strings.Join(org.Declaration.Purposes, "; "), append(slices.Clone(c.Doctypes), "file"))
	return p, org, nil
}

// Connections lists a person's connections with their organizations.
func (o *Orgs) Connections(ctx context.Context, instanceID string) ([]ConnectionView, error) {
	list, err := o.st.ListConnections(ctx, instanceID)
	if err != nil {
		return nil, err
	}
	out := make([]ConnectionView, 0, len(list))
	for _, c := range list {
		org, err := o.st.Organization(ctx, c.Org)
		if err != nil {
			return nil, err
		}
		out = append(out, ConnectionView{Connection: c, Organization: org})
	}
	return out, nil
}

// ConnectionView is a connection with what its organization declares.
type ConnectionView struct {
	store.Connection
	Organization store.Organization `json:"organization_details"`
}

// List lists the registered organizations.
func (o *Orgs) List(ctx context.Context) ([]store.Organization, error) {
	return o.st.ListOrganizations(ctx)
}

// Get reads one organization.
func (o *Orgs) Get(ctx context.Context, id string) (store.Organization, error) {
	return o.st.Organization(ctx, id)
}

// Remove deletes an organization; what it restored stays with the people it belongs to.
func (o *Orgs) Remove(ctx context.Context, id string) error { return o.st.DeleteOrganization(ctx, id) }
