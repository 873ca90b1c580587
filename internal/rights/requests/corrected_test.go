package requests

import (
	"strings"
	"testing"
	"time"
)

// TestLetterCorrecting: a rectification letter names the record and, for each corrected
// field, the value the organization holds and the correct one, after the request itself and
// before the deadline, in French and in English; the email's body says the same.
func TestLetterCorrecting(t *testing.T) {
	rec := Corrected{Title: "Enedis", Kind: "Facture", ID: "abc123", Values: []Value{{Field: "Montant", Held: "1 234,50 €", Correct: "1 200,00 €"}, {Field: "Référence", Held: "—", Correct: "F1"}}}
	on := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	for lang, want := range map[string][]string{
		"fr": {"L'enregistrement «\u202fEnedis\u202f» (Facture, identifiant abc123)", "– Montant\u202f: vous détenez «\u202f1 234,50 €\u202f»\u202f; la valeur exacte est «\u202f1 200,00 €\u202f».", "– Référence\u202f: vous détenez «\u202f—\u202f»"},
		"en": {"The record “Enedis” (Facture, id abc123) you sent me holds inaccurate data:", "– Montant: you hold “1 234,50 €”; the correct value is “1 200,00 €”."},
	} {
		l, err := Compose(lang, Rectification, Identity{Name: "Alice Martin", Email: "alice@example.org"}, Recipient{Name: "Enedis", DPO: "dpo@example.org"}, on, "")
		if err != nil {
			t.Fatal(err)
		}
		before := len(l.Paragraphs)
		c := l.Correcting(rec)
		if len(c.Paragraphs) != before+3 || len(l.Paragraphs) != before {
			t.Fatalf("%s: %d paragraphs, then %d (the letter itself %d)", lang, before, len(c.Paragraphs), len(l.Paragraphs))
		}
		if !strings.Contains(c.Paragraphs[0], "16") || c.Paragraphs[1] != want[0] && !strings.HasPrefix(c.Paragraphs[1], want[0]) {
			t.Errorf("%s: the record is not named right after the request: %q", lang, c.Paragraphs[:2])
		}
		text := c.Text()
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the letter lacks %q:\n%s", lang, w, text)
			}
		}
		if i, j := strings.Index(text, want[1]), strings.Index(text, FormatDate(lang, Due(on))); i < 0 || j < i {
			t.Errorf("%s: the values come after the deadline (%d, %d)", lang, i, j)
		}
	}
}
