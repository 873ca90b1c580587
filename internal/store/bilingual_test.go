package store

import (
	"reflect"
	"testing"
)

// TestIn: a page in French shows the French texts, and the English where there is none.
func TestIn(t *testing.T) {
	both := Organization{Declaration: Declaration{Purposes: []string{"Billing"}, PurposesFR: []string{"Facturation"}, Retention: "5 years", RetentionFR: "5 ans",
		Recipients: []string{"Tax office"}, RecipientsFR: []string{"Le fisc"}}}
	old := Organization{Declaration: Declaration{Purposes: []string{"Billing"}, Retention: "5 years", RetentionFR: " "}}
	for _, tt := range []struct {
		name, lang string
		in         Organization
		purposes   []string
		retention  string
	}{
		{"French", "fr", both, []string{"Facturation"}, "5 ans"},
		{"English", "en", both, []string{"Billing"}, "5 years"},
		{"English only, in French", "fr", old, []string{"Billing"}, "5 years"},
	} {
		d := tt.in.In(tt.lang).Declaration
		if !reflect.DeepEqual(d.Purposes, tt.purposes) || d.Retention != tt.retention {
			t.Errorf("%s: %+v", tt.name, d)
		}
	}
	s := Service{Description: "Compares.", DescriptionFR: "Compare.", Access: ServiceAccess{Retention: "90 days"}}.In("fr")
	if s.Description != "Compare." || s.Access.Retention != "90 days" {
		t.Errorf("service in French: %+v", s)
	}
}

// TestUntranslated: each text given in one language only is named, by the field missing.
func TestUntranslated(t *testing.T) {
	full := Declaration{Purposes: []string{"a", "b"}, PurposesFR: []string{"x", "y"}, Retention: "r", RetentionFR: "r"}
	for _, tt := range []struct {
		name  string
		edit  func(d *Declaration)
		paths []string
	}{
		{"complete", func(*Declaration) {}, nil},
		{"no recipients at all", func(d *Declaration) { d.Recipients, d.RecipientsFR = nil, nil }, nil},
		{"French purposes missing", func(d *Declaration) { d.PurposesFR = nil }, []string{"declaration/purposes_fr"}},
		{"one French purpose short", func(d *Declaration) { d.PurposesFR = d.PurposesFR[:1] }, []string{"declaration/purposes_fr"}},
		{"English retention blank", func(d *Declaration) { d.Retention = "  " }, []string{"declaration/retention"}},
		{"French recipients only", func(d *Declaration) { d.RecipientsFR = []string{"z"} }, []string{"declaration/recipients"}},
	} {
		d := full
		tt.edit(&d)
		var paths []string
		for _, g := range (Organization{Declaration: d}).Untranslated() {
			paths = append(paths, g.Path)
		}
		if !reflect.DeepEqual(paths, tt.paths) {
			t.Errorf("%s: %v, want %v", tt.name, paths, tt.paths)
		}
	}
	gaps := Service{Description: "d", Access: ServiceAccess{RetentionFR: "r"}}.Untranslated()
	if len(gaps) != 2 || gaps[0].Path != "description_fr" || gaps[1].Path != "access/retention" {
		t.Errorf("service gaps: %+v", gaps)
	}
}
