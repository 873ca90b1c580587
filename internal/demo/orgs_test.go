package demo

import (
	"slices"
	"testing"
)

// TestDeclarationsBilingual: every demo organization and service says what it does in
// English and in French, and the French is a translation, not the English copied.
func TestDeclarationsBilingual(t *testing.T) {
	for _, o := range Organizations() {
		d := o.Declaration
		if gaps := o.Untranslated(); len(gaps) > 0 || len(d.PurposesFR) == 0 || d.RetentionFR == "" {
			t.Errorf("%s: %+v; gaps %+v", o.ID, d, gaps)
		}
		if slices.Equal(d.Purposes, d.PurposesFR) || d.Retention == d.RetentionFR {
			t.Errorf("%s: the French of the declaration is its English: %+v", o.ID, d)
		}
	}
	for _, s := range Services() {
		if gaps := s.Untranslated(); len(gaps) > 0 || s.DescriptionFR == "" || s.DescriptionFR == s.Description || s.Access.RetentionFR == "" {
			t.Errorf("%s: %+v; gaps %+v", s.ID, s, gaps)
		}
	}
}
