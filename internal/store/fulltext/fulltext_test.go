package fulltext

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"Électricité", []string{"electricite"}},
		{"ÉLECTRICITÉ de France", []string{"electricite", "de", "france"}},
		{"e\u0301te\u0301", []string{"ete"}}, // accents typed as combining marks
		{"Œuf, cœur & Æsop; Straße", []string{"oeuf", "coeur", "aesop", "strasse"}},
		{"AT&T 61,20 2026-11-30", []string{"at", "t", "61", "20", "2026", "11", "30"}},
		{`"AND" OR NOT * 'x':* (a|b)`, []string{"and", "or", "not", "x", "a", "b"}},
		{"  ", nil},
		{"Ångström Čapek Łódź Øresund", []string{"angstrom", "capek", "lodz", "oresund"}},
		{strings.Repeat("x", 100), []string{strings.Repeat("x", MaxWordRunes)}},
	} {
		if got := Words(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	for _, tt := range []struct {
		in     string
		terms  []string
		prefix bool
	}{
		{"facture EDF", []string{"facture", "edf"}, true},
		{"facture EDF ", []string{"facture", "edf"}, false},
		{"30 nov", []string{"30novembre"}, false}, // a day and a month: one word
		{"novembre 30 edf", []string{"30novembre", "edf"}, true},
		{"30 ju", []string{"30", "ju"}, true}, // juin or juillet: not yet a month
		{"1er Mai 2026", []string{"1mai", "2026"}, false},
		{"November 30, 2026", []string{"30novembre", "2026"}, false},
		{"32 novembre", []string{"32", "novembre"}, true},
		{"30/11/2026", []string{"30novembre", "2026"}, false},
		{"edf 1/2", []string{"edf", "1fevrier"}, false},
		{"32/11/2026", []string{"32", "11", "2026"}, false}, // not a date: digits, whole numbers
		{"edf EDF Edf", []string{"edf"}, true},
		{`"`, nil, false},
		{`AND OR NOT *`, []string{"and", "or", "not"}, false},
		{strings.Repeat("a b c d e f ", 5), []string{"a", "b", "c", "d", "e", "f"}, false},
	} {
		q := ParseQuery(tt.in)
		if !reflect.DeepEqual(q.Terms, tt.terms) || q.Prefix != tt.prefix {
			t.Errorf("ParseQuery(%q) = %q prefix %v, want %q prefix %v", tt.in, q.Terms, q.Prefix, tt.terms, tt.prefix)
		}
	}
	var many []string
	for i := range 40 {
		many = append(many, strings.Repeat("w", i+1))
	}
	if q := ParseQuery(strings.Join(many, " ")); len(q.Terms) != MaxTerms {
		t.Errorf("a long query keeps %d terms, want %d", len(q.Terms), MaxTerms)
	}
}

func TestDateWords(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
	}{
		{"2026-11-30", "2026 novembre november 30 30novembre"},
		{"2026-11-01T08:00:00+01:00", "2026 novembre november 1 1novembre 1er"},
		{"2026-08", "2026 aout august"},
		{"Facture 2026-02 et 2026-03-05", "2026 fevrier february 2026 mars march 5 5mars"},
		{"2026-13-01", ""},
		{"12026-11-30", ""},
		{"2026-11-300", ""},
		{"FR76 3000 4000", ""},
	} {
		if got := strings.Join(dateWords(tt.in), " "); got != tt.want {
			t.Errorf("dateWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBody(t *testing.T) {
	got := Body(json.RawMessage(`{"vendor":"EDF","label":"Électricité","amount":"61.20","date":"2026-11-30","at":"2026-11-30T10:45:00Z","lines":[{"label":"Abonnement"}],"paid":true}`), "EDF Entreprise", "2026-11")
	want := "edf electricite 61 20 2026 11 30 novembre november 30novembre abonnement entreprise"
	if got != want {
		t.Errorf("Body = %q\nwant %q", got, want)
	}
}

func TestHighlight(t *testing.T) {
	q := ParseQuery("electricite <script> nov")
	got := Highlight("<script>alert(1)</script> Électricité, novembre", q)
	want := []Segment{{Text: "<"}, {Text: "script", Match: true}, {Text: ">alert(1)</"}, {Text: "script", Match: true},
		{Text: "> "}, {Text: "Électricité", Match: true}, {Text: ", "}, {Text: "novembre", Match: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Highlight = %+v\nwant %+v", got, want)
	}
	var joined strings.Builder
	for _, s := range got {
		joined.WriteString(s.Text)
	}
	if joined.String() != "<script>alert(1)</script> Électricité, novembre" {
		t.Errorf("the segments do not make the text again: %q", joined.String())
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("avant ", 40) + "EDF" + strings.Repeat(" après", 40)
	data, _ := json.Marshal(map[string]any{"a": "rien", "b": long, "c": "EDF encore"})
	segs := Snippet(data, ParseQuery("edf"))
	var text strings.Builder
	marks := 0
	for _, s := range segs {
		text.WriteString(s.Text)
		if s.Match {
			marks++
		}
	}
	if marks != 1 || !strings.HasPrefix(text.String(), "…") || !strings.HasSuffix(text.String(), "…") || len([]rune(text.String())) > snippetRunes+5 {
		t.Errorf("Snippet = %q (%d marks)", text.String(), marks)
	}
	if segs := Snippet(data, ParseQuery("facture")); segs != nil {
		t.Errorf("Snippet without a match = %+v", segs)
	}
}

// FuzzParseQuery: the terms of any query are words — letters and digits only, folded,
// never empty — which is what lets the backends quote them without syntax leaking in.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`"`, `AND OR NOT *`, `a:* & !b`, "É\u0301", "ǅ ﬁ İ ẞ", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		q := ParseQuery(text)
		if len(q.Terms) > MaxTerms {
			t.Fatalf("%d terms", len(q.Terms))
		}
		for _, term := range q.Terms {
			if term == "" || Fold(term) != term || len(Words(term)) != 1 || Words(term)[0] != term {
				t.Fatalf("ParseQuery(%q) gives the term %q", text, term)
			}
		}
		Highlight(text, q) // no panic
	})
}
