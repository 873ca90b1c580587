package store

import (
	"fmt"
	"slices"
	"strings"
)

// The texts organizations and services declare are read by people in French or English.
// Each is stored in both (see Declaration and Service); these functions pick one and say
// which is missing.

// In is o as a person reading lang ("fr" or "en") sees it: its declaration's texts in that
// language. A text with no French (a declaration stored before French came, or built in
// memory with English only) is shown in English rather than not at all.
func (o Organization) In(lang string) Organization {
	if lang == "fr" {
		d := &o.Declaration
		d.Purposes = listIn(d.PurposesFR, d.Purposes)
		d.Retention = textIn(d.RetentionFR, d.Retention)
		d.Recipients = listIn(d.RecipientsFR, d.Recipients)
	}
	return o
}

// In is s as a person reading lang ("fr" or "en") sees it: its description and retention in
// that language, or in English when it has no French.
func (s Service) In(lang string) Service {
	if lang == "fr" {
		s.Description = textIn(s.DescriptionFR, s.Description)
		s.Access.Retention = textIn(s.Access.RetentionFR, s.Access.Retention)
	}
	return s
}

// BothLanguages gives every English text of o with no French its English as French: what a
// declaration stored before French came reads as, until it is registered again.
func (o *Organization) BothLanguages() {
	d := &o.Declaration
	if len(d.PurposesFR) == 0 {
		d.PurposesFR = slices.Clone(d.Purposes)
	}
	d.RetentionFR = textIn(d.RetentionFR, d.Retention)
	if len(d.RecipientsFR) == 0 {
		d.RecipientsFR = slices.Clone(d.Recipients)
	}
}

// BothLanguages gives s's English texts with no French their English as French, as for an
// organization.
func (s *Service) BothLanguages() {
	s.DescriptionFR = textIn(s.DescriptionFR, s.Description)
	s.Access.RetentionFR = textIn(s.Access.RetentionFR, s.Access.Retention)
}

// TextGap is a text given in one language and not in the other: Path names the field
// missing, as a slash-separated path in the JSON of the organization or service
// ("declaration/purposes_fr").
type TextGap struct {
	Path    string
	Message string
}

// Untranslated lists o's texts given in one language only, or lists whose two languages
// do not have as many items. A text given in neither language is not a gap: whether it
// is required is the registry's rule (restore.Orgs.Add).
func (o Organization) Untranslated() []TextGap {
	d := o.Declaration
	var gaps []TextGap
	gaps = append(gaps, listGap("declaration/purposes", "purposes", d.Purposes, d.PurposesFR)...)
	gaps = append(gaps, textGap("declaration/retention", "retention", d.Retention, d.RetentionFR)...)
	return append(gaps, listGap("declaration/recipients", "recipients", d.Recipients, d.RecipientsFR)...)
}

// Untranslated lists s's texts given in one language only, as for an organization.
func (s Service) Untranslated() []TextGap {
	gaps := textGap("description", "description", s.Description, s.DescriptionFR)
	return append(gaps, textGap("access/retention", "retention", s.Access.Retention, s.Access.RetentionFR)...)
}

func textGap(path, what, en, fr string) []TextGap {
	en, fr = strings.TrimSpace(en), strings.TrimSpace(fr) // blanks say nothing
	switch {
	case en != "" && fr == "":
		return []TextGap{{path + "_fr", fmt.Sprintf("the %s is given in English only: give it in French too", what)}}
	case en == "" && fr != "":
		return []TextGap{{path, fmt.Sprintf("the %s is given in French only: give it in English too", what)}}
	}
	return nil
}

func listGap(path, what string, en, fr []string) []TextGap {
	switch {
	case len(en) > 0 && len(fr) == 0:
		return []TextGap{{path + "_fr", fmt.Sprintf("the %s are given in English only: give them in French too", what)}}
	case len(en) == 0 && len(fr) > 0:
		return []TextGap{{path, fmt.Sprintf("the %s are given in French only: give them in English too", what)}}
	case len(en) != len(fr):
		return []TextGap{{path + "_fr", fmt.Sprintf("%d %s in English but %d in French: give each in both languages, in the same order", len(en), what, len(fr))}}
	}
	return nil
}

func textIn(fr, en string) string {
	if strings.TrimSpace(fr) != "" {
		return fr
	}
	return en
}

func listIn(fr, en []string) []string {
	if len(fr) > 0 {
		return fr
	}
	return en
}
