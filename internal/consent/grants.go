package consent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"selfdata/internal/doctype"
	"selfdata/internal/store"
)

// GrantStore is what grants need of the store: the catalog, the people and their consents.
type GrantStore interface {
	store.Consents
	Service(ctx context.Context, id string) (store.Service, error)
	Instance(ctx context.Context, name string) (store.Instance, error)
	InstanceByID(ctx context.Context, id string) (store.Instance, error)
}

// Grants are the consents people give services. Each grant is at most what its service asks
// for; every change is appended to its consent record, and the person can take away a
// receipt signed with their instance's key, which anyone can check against the instance's
// published JWKS.
type Grants struct {
	st  GrantStore
	reg *doctype.Registry
	now func() time.Time
	// Jurisdiction is the ISO 3166 country code written in receipts: where the platform
	// operates, whose law governs the consent.
	Jurisdiction string
}

// NewGrants returns the grants kept in st; doctype labels and sensitivity come from reg.
func NewGrants(st GrantStore, reg *doctype.Registry) *Grants {
	return &Grants{st: st, reg: reg, now: time.Now, Jurisdiction: "FR"}
}

// Grant records the person's consent to service for some of what it asks: doctypes and verbs
// must be among the service's, and duration at most its retention when it states one in days
// (0 means that retention, or until withdrawn when it states none). Asking for more is
// refused: a grant narrows a request, never widens it.
func (c *Grants) Grant(ctx context.Context, instanceID, serviceID string, doctypes, verbs []string, duration time.Duration) (store.Grant, error) {
	svc, err := c.st.Service(ctx, serviceID)
	if err != nil {
		return store.Grant{}, err
	}
	var p []string
	doctypes, p = subset("doctype", doctypes, svc.Access.Doctypes, p)
	verbs, p = subset("verb", verbs, svc.Access.Verbs, p)
	longest := time.Duration(svc.Access.RetentionDays) * 24 * time.Hour
	switch {
	case duration < 0:
		p = append(p, "the duration cannot be negative")
	case longest > 0 && duration > longest:
		p = append(p, fmt.Sprintf("the duration is longer than the %d days the service asks for", svc.Access.RetentionDays))
	case duration == 0:
		duration = longest
	}
	if len(p) > 0 {
		return store.Grant{}, fmt.Errorf("%w: grant to %q: %s", store.ErrInvalid, serviceID, strings.Join(p, "; "))
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	g := store.Grant{ID: uuid.Must(uuid.NewV7()).String(), Instance: instanceID, Service: svc.ID, Doctypes: doctypes, Verbs: verbs,
		Purpose: svc.Access.Purpose, LegalBasis: svc.Access.LegalBasis, Created: now, State: store.GrantActive}
	if duration > 0 {
		exp := now.Add(duration)
		g.Expires = &exp
	}
	rec, err := c.record(ctx, g, svc, store.ConsentGiven, now, nil)
	if err != nil {
		return store.Grant{}, err
	}
	if err := c.st.CreateGrant(ctx, g, store.ConsentEvent{At: now, Event: store.ConsentGiven, Record: rec}); err != nil {
		return store.Grant{}, err
	}
	return g, nil
}

// subset checks that each of asked is offered, and drops repeats; problems are appended to p.
func subset(what string, asked, offered, p []string) ([]string, []string) {
	if len(asked) == 0 {
		return nil, append(p, fmt.Sprintf("grant at least one %s", what))
	}
	var out []string
	for _, a := range asked {
		a = strings.TrimSpace(a)
		switch {
		case !slices.Contains(offered, a):
			p = append(p, fmt.Sprintf("%s %q is not among those the service asks for (%s)", what, a, strings.Join(offered, ", ")))
		case !slices.Contains(out, a):
			out = append(out, a)
		}
	}
	return out, p
}

// Withdraw ends a grant: the service's access stops, and the record shows when. The
// grant's OAuth codes and tokens are deleted in the same transaction as the state change
// (store.Consents.UpdateGrant), so the service's next request fails.
func (c *Grants) Withdraw(ctx context.Context, instanceID, grantID string) (store.Grant, error) {
	g, err := c.Get(ctx, instanceID, grantID)
	if err != nil {
		return g, err
	}
	switch g.State {
	case store.GrantWithdrawn:
		return g, fmt.Errorf("%w: grant %q is already withdrawn", store.ErrInvalid, grantID)
	case store.GrantEnded:
		return g, fmt.Errorf("%w: grant %q has ended: its service was removed", store.ErrInvalid, grantID)
	}
	g.State = store.GrantWithdrawn
	err = c.change(ctx, g, store.ConsentWithdrawn, c.now().UTC().Truncate(time.Microsecond))
	if errors.Is(err, store.ErrConflict) {
		// Withdrawn in another window, or ended by the service's removal, meanwhile.
		return g, fmt.Errorf("%w: %w", store.ErrInvalid, err)
	}
	return g, err
}

// change stores a grant's new state together with the event of its record.
func (c *Grants) change(ctx context.Context, g store.Grant, event string, at time.Time) error {
	svc, err := c.st.Service(ctx, g.Service)
	if err != nil {
		return err
	}
	hist, err := c.st.ConsentHistory(ctx, g.Instance, g.ID)
	if err != nil {
		return err
	}
	rec, err := c.record(ctx, g, svc, event, at, hist)
	if err != nil {
		return err
	}
	return c.st.UpdateGrant(ctx, g, store.ConsentEvent{At: at, Event: event, Record: rec})
}

// Active lists the person's active grants to a service, newest first.
func (c *Grants) Active(ctx context.Context, instanceID, serviceID string) ([]store.Grant, error) {
	all, err := c.List(ctx, instanceID)
	var out []store.Grant
	for _, g := range all {
		if g.Service == serviceID && g.State == store.GrantActive {
			out = append(out, g)
		}
	}
	return out, err
}

// Narrow changes an active grant, only ever towards less: it keeps the doctypes of keep
// (at least one, all among the grant's) and, when expires is set, brings the grant's end
// closer (never later, never past). The record shows the change; the service's next
// request sees it, since its tokens read the grant at each request.
func (c *Grants) Narrow(ctx context.Context, instanceID, grantID string, keep []string, expires *time.Time) (store.Grant, error) {
	g, err := c.Get(ctx, instanceID, grantID)
	if err != nil {
		return g, err
	}
	if g.State != store.GrantActive {
		return g, fmt.Errorf("%w: grant %q is %s: only an active grant can change", store.ErrInvalid, grantID, g.State)
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	kept, p := subset("doctype", keep, g.Doctypes, nil)
	if len(kept) == 0 {
		p = append(p, "keep at least one doctype, or withdraw the grant")
	}
	end := g.Expires
	if expires != nil {
		e := expires.UTC().Truncate(time.Microsecond)
		switch {
		case !e.After(now):
			p = append(p, "the new end is not in the future; withdraw the grant to end it now")
		case g.Expires != nil && e.After(*g.Expires):
			p = append(p, "a grant's end can only come closer")
		}
		end = &e
	}
	if len(p) == 0 && len(kept) == len(g.Doctypes) && (end == g.Expires || end != nil && g.Expires != nil && end.Equal(*g.Expires)) {
		p = append(p, "nothing would change")
	}
	if len(p) > 0 {
		return g, fmt.Errorf("%w: narrowing grant %q: %s", store.ErrInvalid, grantID, strings.Join(p, "; "))
	}
	g.Doctypes, g.Expires = kept, end
	return g, c.change(ctx, g, store.ConsentNarrowed, now)
}

// Get reads one grant, in its state at this moment (an active grant past its end is expired).
func (c *Grants) Get(ctx context.Context, instanceID, grantID string) (store.Grant, error) {
	g, err := c.st.Grant(ctx, instanceID, grantID)
	if err != nil {
		return g, err
	}
	return c.current(g), nil
}

// List lists the person's grants, newest first, in their state at this moment.
func (c *Grants) List(ctx context.Context, instanceID string) ([]store.Grant, error) {
	gs, err := c.st.ListGrants(ctx, instanceID)
	for i := range gs {
		gs[i] = c.current(gs[i])
	}
	return gs, err
}

func (c *Grants) current(g store.Grant) store.Grant {
	if g.State == store.GrantActive && g.Expires != nil && !c.now().Before(*g.Expires) {
		g.State = store.GrantExpired
	}
	return g
}

// History is the grant's consent record, oldest first.
func (c *Grants) History(ctx context.Context, instanceID, grantID string) ([]store.ConsentEvent, error) {
	return c.st.ConsentHistory(ctx, instanceID, grantID)
}

// Record is a consent record with the fields of ISO/IEC TS 27560, as kept at each event.
type Record struct {
	RecordID    string      `json:"record_id"` // the grant's id
	Subject     string      `json:"subject"`   // the instance (the person's store)
	SubjectName string      `json:"subject_name"`
	Controller  RecordParty `json:"controller"`
	Service     string      `json:"service"`
	// ServiceName and ServiceDescription are what the consent screen showed of the service,
	// so that a receipt names it as the person saw it, even once it left the catalog.
	ServiceName        string         `json:"service_name,omitempty"`
	ServiceDescription string         `json:"service_description,omitempty"`
	Purposes           []string       `json:"purposes"` // W3C DPV purposes
	DataCategories     []string       `json:"data_categories"`
	Processing         []string       `json:"processing"` // verbs
	LegalBasis         string         `json:"legal_basis"`
	LeavesStore        bool           `json:"leaves_store"`
	Time               time.Time      `json:"time"` // when consent was given
	Expires            *time.Time     `json:"expires,omitempty"`
	Retention          string         `json:"retention"`
	State              string         `json:"state"`
	StateHistory       []RecordChange `json:"state_history"`
}

// RecordParty names the controller.
type RecordParty struct {
	Name          string `json:"name"`
	PrivacyPolicy string `json:"privacy_policy"`
}

// RecordChange is one event of the state history.
type RecordChange struct {
	Event string    `json:"event"`
	At    time.Time `json:"at"`
}

func (c *Grants) record(ctx context.Context, g store.Grant, svc store.Service, event string, at time.Time, before []store.ConsentEvent) (json.RawMessage, error) {
	in, err := c.st.InstanceByID(ctx, g.Instance)
	if err != nil {
		return nil, err
	}
	r := Record{RecordID: g.ID, Subject: in.ID, SubjectName: in.Name, Controller: RecordParty{Name: svc.Company, PrivacyPolicy: svc.PrivacyPolicy},
		Service: svc.ID, ServiceName: svc.Name, ServiceDescription: svc.Description, Purposes: []string{g.Purpose}, DataCategories: g.Doctypes, Processing: g.Verbs, LegalBasis: g.LegalBasis,
		LeavesStore: svc.Access.LeavesStore, Time: g.Created, Expires: g.Expires, Retention: svc.Access.Retention, State: g.State}
	for _, e := range before {
		r.StateHistory = append(r.StateHistory, RecordChange{Event: e.Event, At: e.At})
	}
	r.StateHistory = append(r.StateHistory, RecordChange{Event: event, At: at})
	return json.Marshal(r)
}
