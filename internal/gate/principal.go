package gate

import (
	"slices"

	"selfdata/internal/store"
)

// Kind is what sort of principal is asking. The set is closed: the constants below, each
// made by its constructor in this file, so that what a kind may do is decided here and a
// principal is never assembled from request data elsewhere (a test walks the code for
// Principal literals outside this package).
type Kind string

const (
	// KindOwner is the person in their own store, through a session.
	KindOwner Kind = "owner"
	// KindToken is one of the person's personal access tokens (a script of theirs).
	KindToken Kind = "token"
	// KindService is a service (a re-user) under one of the person's grants.
	KindService Kind = "service"
	// KindOrganization is an organization restoring data into the person's store: by a
	// deposit credential, or pulled by selfdata for a connection.
	KindOrganization Kind = "organization"
	// KindOperator is the operator importing files for the person (selfdata import).
	KindOperator Kind = "operator"
	// KindOrgKey is an organization speaking for itself with its own key (asking for a
	// connection): it holds no right on anyone's data.
	KindOrgKey Kind = "orgkey"
	// KindBuiltin is a service of selfdata itself (internal/services/...) under the
	// person's grant: it reads like any service, but nothing it reads leaves the store.
	KindBuiltin Kind = "builtin"
	// KindRelative is a relative the person trusts, looking at the signs of life the person
	// shares with them (internal/services/signoflife): the reads that compute those signals
	// are made under the person's grant to that built-in service, and logged under the
	// relative's name, so that the person sees each look and a withdrawal stops it.
	KindRelative Kind = "relative"
)

// Principal is who is asking. It is built by authentication, never from request data.
type Principal struct {
	Kind      Kind
	Instance  string // instance ID; empty for KindOrgKey
	ActorID   string // token, service or organization id
	ActorName string
	Purpose   string
	Scopes    []Scope
}

// Owner is the person in their own store: every doctype, both verbs.
func Owner(instanceID string) Principal {
	return Principal{Kind: KindOwner, Instance: instanceID, ActorName: "you", Scopes: []Scope{{Doctype: "*", Read: true, Write: true}}}
}

// Token is a personal access token of the person's, with the scopes it was created with;
// a token without a label is named by its id.
func Token(instanceID, tokenID, label string, scopes []Scope) Principal {
	if label == "" {
		label = "token " + tokenID
	}
	return Principal{Kind: KindToken, Instance: instanceID, ActorID: tokenID, ActorName: label, Scopes: slices.Clone(scopes)}
}

// Service is a service under a grant: the grant's doctypes and verbs, for its purpose.
func Service(instanceID, serviceID, name, purpose string, scopes []Scope) Principal {
	return Principal{Kind: KindService, Instance: instanceID, ActorID: serviceID, ActorName: name, Purpose: purpose, Scopes: slices.Clone(scopes)}
}

// BuiltIn is a built-in service under the person's grants: their doctypes and verbs, for
// the service's purpose, logged under the service's name like any other service's reads.
func BuiltIn(instanceID, serviceID, name, purpose string, scopes []Scope) Principal {
	return Principal{Kind: KindBuiltin, Instance: instanceID, ActorID: serviceID, ActorName: name, Purpose: purpose, Scopes: slices.Clone(scopes)}
}

// Relative is a trusted relative of the person's, reading for the derived signals shared
// with them: the doctypes of scopes (the person's grant to the sign-of-life service, which
// the caller may narrow to what the shared signals need), for reading only, whatever the
// scopes say of writing — a relative never writes, and never reads "*".
func Relative(instanceID, relativeID, name, purpose string, scopes []Scope) Principal {
	var read []Scope
	for _, s := range scopes {
		if s.Read && s.Doctype != "*" && !slices.ContainsFunc(read, func(r Scope) bool { return r.Doctype == s.Doctype }) {
			read = append(read, Scope{Doctype: s.Doctype, Read: true})
		}
	}
	return Principal{Kind: KindRelative, Instance: instanceID, ActorID: relativeID, ActorName: name, Purpose: purpose, Scopes: read}
}

// Organization restores data: it writes the doctypes given, and reads nothing.
func Organization(instanceID, orgID, name, purpose string, writes []string) Principal {
	return Principal{Kind: KindOrganization, Instance: instanceID, ActorID: orgID, ActorName: name, Purpose: purpose, Scopes: writeOnly(writes)}
}

// Operator imports files into the person's store: it writes any doctype, and reads none.
func Operator(instanceID, name string) Principal {
	return Principal{Kind: KindOperator, Instance: instanceID, ActorName: name, Scopes: []Scope{{Doctype: "*", Write: true}}}
}

// OrgKey is an organization authenticated by its own key, outside any person's store.
func OrgKey(orgID, name string) Principal {
	return Principal{Kind: KindOrgKey, ActorID: orgID, ActorName: name}
}

// visible is what p may read, for the store's reads that span doctypes.
func (p Principal) visible() store.Visible {
	var v store.Visible
	for _, s := range p.Scopes {
		switch {
		case !s.Read:
		case s.Doctype == "*":
			return store.Visible{All: true}
		case !slices.Contains(v.Doctypes, s.Doctype):
			v.Doctypes = append(v.Doctypes, s.Doctype)
		}
	}
	return v
}

func writeOnly(doctypes []string) []Scope {
	var out []Scope
	for _, dt := range doctypes {
		if !slices.ContainsFunc(out, func(s Scope) bool { return s.Doctype == dt }) {
			out = append(out, Scope{Doctype: dt, Write: true})
		}
	}
	return out
}
