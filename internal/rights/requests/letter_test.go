package requests

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestComposeEveryKindAndLanguage(t *testing.T) {
	who := Identity{Name: "Camille Martin", Address: []string{"12 rue des Lilas", "69003 Lyon"}, Email: "camille@example.org"}
	to := Recipient{Name: "Énergie Verte", DPO: "dpo@energie-verte.example"}
	on := time.Date(2026, time.January, 31, 10, 0, 0, 0, time.UTC)
	due := map[string]string{"fr": "28 février 2026", "en": "28 February 2026"}
	names := map[string]map[string]string{
		"fr": {Access: "d'accès", Rectification: "de rectification", Erasure: "à l'effacement", Restriction: "à la limitation", Portability: "à la portabilité", Objection: "d'opposition"},
		"en": {Access: "of access", Rectification: "to rectification", Erasure: "to erasure", Restriction: "to restriction", Portability: "to data portability", Objection: "to object"},
	}
	arts := map[string]string{Access: "15", Rectification: "16", Erasure: "17", Restriction: "18", Portability: "20", Objection: "21"}
	for _, lang := range []string{"fr", "en"} {
		for _, kind := range Kinds {
			t.Run(lang+"/"+kind, func(t *testing.T) {
				l, err := Compose(lang, kind, who, to, on, "")
				if err != nil {
					t.Fatal(err)
				}
				text := l.Subject + "\n" + l.Text()
				art := map[string]string{"fr": "article " + arts[kind], "en": "Article " + arts[kind]}[lang]
				for _, want := range []string{art, names[lang][kind], due[lang], "12", who.Email} {
					if !strings.Contains(text, want) {
						t.Errorf("the letter lacks %q:\n%s", want, text)
					}
				}
				if !strings.Contains(strings.Join(l.Recipient, "\n"), to.DPO) || l.Recipient[1] != to.Name {
					t.Errorf("recipient %q: want the organization and its DPO", l.Recipient)
				}
				if l.Sender[0] != who.Name || l.Signature != who.Name {
					t.Errorf("sender %q, signature %q", l.Sender, l.Signature)
				}
				if !l.Due.Equal(time.Date(2026, time.February, 28, 10, 0, 0, 0, time.UTC)) {
					t.Errorf("due %v", l.Due)
				}
			})
		}
	}
}

func TestComposeFrenchTypography(t *testing.T) {
	l, err := Compose("fr", Restriction, Identity{Name: "A"}, Recipient{Name: "B"}, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "mon adresse")
	if err != nil {
		t.Fatal(err)
	}
	text := l.Text()
	if strings.Contains(text, " :") || strings.Contains(text, " ;") || !strings.Contains(text, "\u202f:") {
		t.Errorf("French punctuation wants U+202F before : and ;\n%s", text)
	}
	if l.PlaceDate != "1er mars 2026" || !strings.Contains(text, "1er avril 2026") || !strings.Contains(text, "Précisément\u202f: mon adresse") {
		t.Errorf("date %q, text:\n%s", l.PlaceDate, text)
	}
	if !strings.Contains(text, "mes nom et adresse") {
		t.Errorf("without an email the person is identified by the letter's head:\n%s", text)
	}
}

func TestComposeUnknownKind(t *testing.T) {
	if _, err := Compose("en", "deletion", Identity{}, Recipient{}, time.Now(), ""); err == nil || !strings.Contains(err.Error(), `"deletion"`) {
		t.Errorf("err = %v, want one naming the kind", err)
	}
}

func TestDue(t *testing.T) {
	for _, c := range []struct{ sent, due string }{
		{"2026-01-15", "2026-02-15"},
		{"2026-01-31", "2026-02-28"},
		{"2028-01-31", "2028-02-29"},
		{"2026-03-31", "2026-04-30"},
		{"2026-12-03", "2027-01-03"},
		{"2026-08-31", "2026-09-30"},
	} {
		s, _ := time.Parse(time.DateOnly, c.sent)
		if got := Due(s).Format(time.DateOnly); got != c.due {
			t.Errorf("Due(%s) = %s, want %s", c.sent, got, c.due)
		}
	}
}

func TestMailtoAndEmailOf(t *testing.T) {
	l, _ := Compose("en", Access, Identity{Name: "A & B"}, Recipient{Name: "Org"}, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), "")
	for _, c := range []struct{ contact, email string }{
		{"dpo@org.example", "dpo@org.example"},
		{"mailto:dpo@org.example", "dpo@org.example"},
		{"DPO, 1 rue X, Paris (dpo@org.example).", "dpo@org.example"},
		{"https://org.example/privacy", ""},
		{"1 rue de la Paix, 75002 Paris", ""},
	} {
		if got := EmailOf(c.contact); got != c.email {
			t.Errorf("EmailOf(%q) = %q, want %q", c.contact, got, c.email)
		}
	}
	m := l.Mailto("dpo@org.example")
	u, err := url.Parse(m)
	if err != nil || u.Scheme != "mailto" || u.Opaque != "dpo@org.example" {
		t.Fatalf("mailto %q: %v", m, err)
	}
	q, _ := url.ParseQuery(u.RawQuery)
	if q.Get("subject") != l.Subject || q.Get("body") != l.Text() {
		t.Errorf("the link does not carry the letter: %q", m)
	}
	if l.Mailto("not an address") != "" {
		t.Error("a non-address gave a link")
	}
}

// FuzzEmailOf: whatever an operator typed as a DPO contact, the address found is a part of
// it with one @ inside, and the link made from it parses as a mailto: URL to that address.
func FuzzEmailOf(f *testing.F) {
	for _, s := range []string{"dpo@org.example", "mailto:dpo@org.example", "DPO (dpo@org.example), 1 rue X", "https://org.example", "@", "a@b"} {
		f.Add(s)
	}
	l, _ := Compose("fr", Access, Identity{Name: "A"}, Recipient{Name: "B"}, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), "")
	f.Fuzz(func(t *testing.T, contact string) {
		e := EmailOf(contact)
		if e == "" {
			return
		}
		if !strings.Contains(contact, e) || strings.IndexByte(e, '@') <= 0 {
			t.Fatalf("EmailOf(%q) = %q", contact, e)
		}
		m := l.Mailto(e)
		if m == "" {
			return
		}
		u, err := url.Parse(m)
		if err != nil || u.Scheme != "mailto" {
			t.Fatalf("Mailto(%q) = %q: %v", e, m, err)
		}
		if got, err := url.PathUnescape(u.Opaque); err != nil || got != e {
			t.Fatalf("Mailto(%q) addresses %q (%v)", e, got, err)
		}
	})
}
