package consent

import (
	"context"
	"errors"
	"slices"

	"selfdata/internal/auth"
	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// Principal is what a service reaches under one of the person's grants, as the gate sees
// it: the grant's doctypes with the grant's verbs, for the grant's purpose — read from the
// grant at each request, so that a narrowing, an end or a withdrawal holds at once, whatever
// the token said when it was issued. A grant that is not active, or whose service left the
// catalog, is ErrUnauthenticated: the service must ask again.
func (c *Grants) Principal(ctx context.Context, instanceID, grantID string) (gate.Principal, error) {
	g, err := c.Get(ctx, instanceID, grantID)
	if errors.Is(err, store.ErrNotFound) {
		return gate.Principal{}, auth.ErrUnauthenticated
	}
	if err != nil {
		return gate.Principal{}, err
	}
	if g.State != store.GrantActive {
		return gate.Principal{}, auth.ErrUnauthenticated
	}
	svc, err := c.st.Service(ctx, g.Service)
	if errors.Is(err, store.ErrNotFound) {
		return gate.Principal{}, auth.ErrUnauthenticated
	}
	if err != nil {
		return gate.Principal{}, err
	}
	read, write := slices.Contains(g.Verbs, string(gate.Read)), slices.Contains(g.Verbs, string(gate.Write))
	var scopes []gate.Scope
	if read || write {
		for _, dt := range g.Doctypes {
			if dt == "*" {
				continue // a grant names each doctype; never everything
			}
			scopes = append(scopes, gate.Scope{Doctype: dt, Read: read, Write: write})
		}
	}
	return gate.Service(g.Instance, svc.ID, svc.Name, g.Purpose, scopes), nil
}

// Service reads a service of the catalog, for the consent screen.
func (c *Grants) Service(ctx context.Context, id string) (store.Service, error) {
	return c.st.Service(ctx, id)
}

// BuiltIn is what a built-in service (internal/services) reaches for the person: the union of
// the person's active grants to it, as the gate sees it. on is false when no grant is active:
// the service is off and reads nothing. The grants are read at each call, so a withdrawal
// switches the service off at once.
func (c *Grants) BuiltIn(ctx context.Context, instanceID, serviceID string) (p gate.Principal, on bool, err error) {
	svc, err := c.st.Service(ctx, serviceID)
	if err != nil {
		return gate.Principal{}, false, err
	}
	active, err := c.Active(ctx, instanceID, serviceID)
	if err != nil {
		return gate.Principal{}, false, err
	}
	var scopes []gate.Scope
	for _, g := range active {
		read, write := slices.Contains(g.Verbs, string(gate.Read)), slices.Contains(g.Verbs, string(gate.Write))
		for _, dt := range g.Doctypes {
			i := slices.IndexFunc(scopes, func(s gate.Scope) bool { return s.Doctype == dt })
			switch {
			case dt == "*":
			case i < 0:
				scopes = append(scopes, gate.Scope{Doctype: dt, Read: read, Write: write})
			default:
				scopes[i].Read, scopes[i].Write = scopes[i].Read || read, scopes[i].Write || write
			}
		}
	}
	if len(scopes) == 0 {
		return gate.Principal{}, false, nil
	}
	return gate.BuiltIn(instanceID, svc.ID, svc.Name, svc.Access.Purpose, scopes), true, nil
}
