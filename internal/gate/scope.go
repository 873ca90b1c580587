package gate

import (
	"fmt"
	"strings"
)

// Verb is what a principal does with a doctype.
type Verb string

const (
	Read  Verb = "read"
	Write Verb = "write"
)

// Scope grants verbs on one doctype, or on every doctype with "*".
type Scope struct {
	Doctype string
	Read    bool
	Write   bool
}

// ParseScopes reads "DOCTYPE:VERBS[,DOCTYPE:VERBS...]" where VERBS is read, write, or both
// joined by "+" (e.g. "bill:read,*:read+write"). known tells whether a doctype is declared;
// an unknown one is refused so that a typo does not silently grant nothing.
func ParseScopes(s string, known func(string) bool) ([]Scope, error) {
	var out []Scope
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		dt, verbs, ok := strings.Cut(part, ":")
		if !ok || dt == "" || verbs == "" {
			return nil, fmt.Errorf("scope %q: write DOCTYPE:VERBS, e.g. bill:read or *:read+write", part)
		}
		if dt != "*" && !known(dt) {
			return nil, fmt.Errorf("scope %q: unknown doctype %q", part, dt)
		}
		sc := Scope{Doctype: dt}
		for _, v := range strings.Split(verbs, "+") {
			switch Verb(v) {
			case Read:
				sc.Read = true
			case Write:
				sc.Write = true
			default:
				return nil, fmt.Errorf("scope %q: unknown verb %q (use read, write or read+write)", part, v)
			}
		}
		out = append(out, sc)
	}
	return out, nil
}

// FormatScopes is the inverse of ParseScopes.
func FormatScopes(scopes []Scope) string {
	parts := make([]string, len(scopes))
	for i, s := range scopes {
		var v []string
		if s.Read {
			v = append(v, string(Read))
		}
		if s.Write {
			v = append(v, string(Write))
		}
		parts[i] = s.Doctype + ":" + strings.Join(v, "+")
	}
	return strings.Join(parts, ",")
}

// Allows tells whether the principal may do v on doctype.
func (p Principal) Allows(doctype string, v Verb) bool {
	for _, s := range p.Scopes {
		if s.Doctype == "*" || s.Doctype == doctype {
			if v == Read && s.Read || v == Write && s.Write {
				return true
			}
		}
	}
	return false
}
