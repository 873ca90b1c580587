package web

import (
	"context"
	"errors"
	"html/template"
	"strings"
	"unicode"

	"selfdata/internal/store"
)

// What organizations and services declare is shown in the page's language: the store keeps
// each text in English and French (store.Declaration, store.Service), and pages pick one
// with orgIn (a template function) or store.Service.In (in the handlers). A purpose from the
// W3C Data Privacy Vocabulary is a code ("dpv:OptimisationForConsumer") that a person is
// never shown: purposeIn gives its plain words from the consent screen's table.

// declFuncs are the template functions of declarations; words are the merged texts.
func declFuncs(words map[string][2]string) template.FuncMap {
	return template.FuncMap{
		"orgIn":   orgIn,
		"purpose": func(lang, p string) string { return purposeIn(words, lang, p) },
	}
}

// orgIn is the organization o (a value or a pointer) with its declaration in lang; a nil
// pointer stays nil, so that {{with orgIn $lang .Org}} skips it.
func orgIn(lang string, o any) *store.Organization {
	var out store.Organization
	switch v := o.(type) {
	case store.Organization:
		out = v.In(lang)
	case *store.Organization:
		if v == nil {
			return nil
		}
		out = v.In(lang)
	default:
		return nil
	}
	return &out
}

// purposeIn is a purpose as a person reads it in lang: a DPV code's plain words (the
// consent screen's "purpose.dpv:…" texts), or, for a code the table lacks, its name
// spelt out in words ("dpv:ImproveHealthcare" → "Improve healthcare"); an organization's
// purpose, already in words, is returned as it is.
func purposeIn(words map[string][2]string, lang, p string) string {
	name, ok := strings.CutPrefix(p, "dpv:")
	if !ok {
		return p
	}
	if _, known := words["purpose."+p]; known {
		return textIn(words, lang, "purpose."+p)
	}
	return spellOut(name)
}

// spellOut turns a CamelCase name into words, the first capitalized.
func spellOut(name string) string {
	var b strings.Builder
	for i, r := range name {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// logPurposes gives the access log's entries their purposes in lang: a service's DPV code
// in plain words, and an organization's purposes — logged in English, as its declaration's
// English was when it deposited — in lang when the declaration still says the same.
func (s *Server) logPurposes(ctx context.Context, lang string, rows []logRow) error {
	orgs := map[string]store.Organization{}
	for i := range rows {
		if id := rows[i].ActorID; rows[i].Principal == "organization" && id != "" {
			if _, seen := orgs[id]; seen {
				continue
			}
			o, err := s.orgs.Get(ctx, id)
			if err != nil && !errors.Is(err, store.ErrNotFound) { // a removed organization's entries keep their words
				return err
			}
			orgs[id] = o
		}
	}
	for i := range rows {
		e := &rows[i].LogEntry
		if o, ok := orgs[e.ActorID]; ok && o.ID != "" && e.Principal == "organization" && e.Purpose == strings.Join(o.Declaration.Purposes, "; ") {
			if lang == "fr" {
				e.Purpose = strings.Join(o.In(lang).Declaration.Purposes, " ; ") // French sets a space before a semicolon
			}
			continue
		}
		e.Purpose = purposeIn(s.words, lang, e.Purpose)
	}
	return nil
}
