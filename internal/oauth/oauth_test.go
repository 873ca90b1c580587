package oauth

import (
	"slices"
	"strings"
	"testing"
)

func TestParseScopes(t *testing.T) {
	tests := []struct {
		scopes          []string
		doctypes, verbs []string
		err             string
	}{
		{scopes: []string{"bill:read"}, doctypes: []string{"bill"}, verbs: []string{"read"}},
		{scopes: []string{"bill:read", "meter:read", "bill:read"}, doctypes: []string{"bill", "meter"}, verbs: []string{"read"}},
		{scopes: []string{"bill:read", "bill:write", "meter:read", "meter:write"}, doctypes: []string{"bill", "meter"}, verbs: []string{"read", "write"}},
		{scopes: []string{"reading.electricity:read"}, doctypes: []string{"reading.electricity"}, verbs: []string{"read"}},
		{scopes: []string{"bill:read", "meter:write"}, err: "same verbs"}, // granting the product would widen it
		{scopes: []string{"bill"}, err: "not doctype:verb"},
		{scopes: []string{":read"}, err: "not doctype:verb"},
		{scopes: []string{"bill:"}, err: "not doctype:verb"},
		{scopes: nil},
	}
	for _, tt := range tests {
		dts, verbs, err := ParseScopes(tt.scopes)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseScopes(%q) error = %v, want %q", tt.scopes, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(dts, tt.doctypes) || !slices.Equal(verbs, tt.verbs) {
			t.Errorf("ParseScopes(%q) = %q, %q, %v", tt.scopes, dts, verbs, err)
		}
	}
}

// FuzzParseScopes checks that whatever a service sends as scope, what is parsed is exactly
// what was asked: Scopes gives back the same set, never one more.
func FuzzParseScopes(f *testing.F) {
	for _, s := range []string{"bill:read", "bill:read meter:read", "a:b c:d", "x:y:z", ":", "bill:read bill:write meter:read"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		asked := strings.Fields(raw)
		dts, verbs, err := ParseScopes(asked)
		if err != nil {
			return
		}
		back := Scopes(dts, verbs)
		for _, sc := range back {
			if !slices.Contains(asked, sc) {
				t.Fatalf("ParseScopes(%q) widened to %q", asked, sc)
			}
		}
		for _, sc := range asked {
			if !slices.Contains(back, sc) {
				t.Fatalf("ParseScopes(%q) lost %q", asked, sc)
			}
		}
	})
}
