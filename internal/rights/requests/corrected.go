package requests

import (
	"fmt"
	"slices"
)

// Corrected is a record an organization sent that the person corrected in their store: what a
// request for rectification (Art. 16) names so that the organization finds the record and
// the values to correct without a second letter. The texts are as the person reads them on
// their record's page, in the letter's language.
type Corrected struct {
	Title  string  // the record's title ("Enedis")
	Kind   string  // its kind of data ("Bill")
	ID     string  // its id in the person's store
	Values []Value // each value corrected
}

// Value is one field of a record: what the organization holds and the correct value.
type Value struct {
	Field   string // the field's label ("Amount")
	Held    string // the organization's value, "—" when it has none
	Correct string // the person's value, "—" when the field is to be removed
}

// recordWording is how a letter names a record (title, kind, id) and each value in it
// (field, held, correct), by language.
var recordWording = map[string]struct{ record, value string }{
	"fr": {record: "L'enregistrement «\u202f%s\u202f» (%s, identifiant %s) que vous m'avez transmis contient des données inexactes\u202f:",
		value: "– %s\u202f: vous détenez «\u202f%s\u202f»\u202f; la valeur exacte est «\u202f%s\u202f»."},
	"en": {record: "The record “%s” (%s, id %s) you sent me holds inaccurate data:",
		value: "– %s: you hold “%s”; the correct value is “%s”."},
}

// Correcting is the letter naming rec and each of its values, right after the request
// itself: the organization reads what to correct before the rest of the letter.
func (l Letter) Correcting(rec Corrected) Letter {
	w, ok := recordWording[l.Lang]
	if !ok {
		w = recordWording["en"]
	}
	add := []string{fmt.Sprintf(w.record, rec.Title, rec.Kind, rec.ID)}
	for _, v := range rec.Values {
		add = append(add, fmt.Sprintf(w.value, v.Field, v.Held, v.Correct))
	}
	at := min(1, len(l.Paragraphs))
	l.Paragraphs = slices.Insert(slices.Clone(l.Paragraphs), at, add...)
	return l
}
