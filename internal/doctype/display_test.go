package doctype

import (
	"strings"
	"testing"
	"testing/fstest"
)

// displayDef is a document doctype "x" with the given display keys, over a schema with a
// label, an amount and its currency, a category and a type whose values the schema declares.
func displayDef(display string) string {
	if display != "" {
		display = "," + display
	}
	return `{"name":"x","kind":"document","label":{"fr":"X","en":"X"},"description":{"fr":"X","en":"X"},"reveals":{"fr":"X","en":"X"}` +
		`,"schema":{"type":"object","properties":{"label":{"type":"string"},"amount":{"type":"string"},"currency":{"type":"string"},` +
		`"n":{"type":"number"},"category":{"type":"string"},"type":{"type":"string","enum":["a","b"]},"ref":{"type":"string"}}}` +
		display + `}`
}

const typeLabels = `"type":{"a":{"fr":"A fr","en":"A en"},"b":{"fr":"B fr","en":"B en"}}`

// TestLoadRefusesBadDisplay: a display that names a field the schema lacks, an enum value
// without both labels, a declared enum left unlabelled, or a reference to an unknown
// doctype is refused at load, with an error naming the doctype's file and the field.
func TestLoadRefusesBadDisplay(t *testing.T) {
	tests := []struct{ name, display, want string }{
		{"list field not a property", `"list":["label","vendor"],"enums":{` + typeLabels + `}`, `list field "vendor" is not a property`},
		{"list field twice", `"list":["label","label"],"enums":{` + typeLabels + `}`, `list field "label" is listed twice`},
		{"title not a property", `"title":"name","enums":{` + typeLabels + `}`, `title field "name" is not a property`},
		{"title text names unknown field", `"title_text":{"fr":"{label} {when}","en":"{label}"},"enums":{` + typeLabels + `}`, `title_text field "when" is not a property`},
		{"title text unclosed", `"title_text":{"fr":"{label","en":"{label}"},"enums":{` + typeLabels + `}`, `title_text (fr): a { is not closed`},
		{"title text without english", `"title_text":{"fr":"{label}","en":" "},"enums":{` + typeLabels + `}`, `title_text needs both fr and en`},
		{"money not a property", `"money":{"price":"currency"},"enums":{` + typeLabels + `}`, `money field "price" is not a property`},
		{"money currency not a property", `"money":{"amount":"devise"},"enums":{` + typeLabels + `}`, `currency of money field "devise" is not a property`},
		{"money is a number", `"money":{"n":"currency"},"enums":{` + typeLabels + `}`, `money field "n" must be a string`},
		{"enum value without french", `"enums":{` + typeLabels + `,"category":{"food":{"fr":"","en":"Food"}}}`, `enum field "category": value "food" needs a label in both fr and en`},
		{"enum value without english", `"enums":{` + typeLabels + `,"category":{"food":{"fr":"Courses"}}}`, `enum field "category": value "food" needs a label in both fr and en`},
		{"declared enum value unlabelled", `"enums":{"type":{"a":{"fr":"A","en":"A"}}}`, `enum field "type": value "b" has no label`},
		{"declared enum without labels", ``, `enum field "type": the schema declares its values`},
		{"enum not a property", `"enums":{` + typeLabels + `,"kind":{"a":{"fr":"A","en":"A"}}}`, `enum field "kind" is not a property`},
		{"reference not a property", `"references":{"account":"x"},"enums":{` + typeLabels + `}`, `reference field "account" is not a property`},
		{"reference to unknown doctype in a list", `"references":{"ref":["x","bill"]},"enums":{` + typeLabels + `}`, `x: reference field "ref" names unknown doctype "bill"`},
		{"reference to no doctype", `"references":{"ref":[]},"enums":{` + typeLabels + `}`, `x: reference field "ref" names no doctype`},
		{"reference to unknown doctype", `"references":{"ref":"bank.acount"},"enums":{` + typeLabels + `}`, `x: reference field "ref" names unknown doctype "bank.acount"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{"x.json": {Data: []byte(displayDef(tt.display))}})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "x") {
				t.Errorf("Load error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	ok := `"title":"label","list":["amount","category"],"money":{"amount":"currency"},"references":{"ref":"x"},"enums":{` + typeLabels + `}`
	if _, err := Load(fstest.MapFS{"x.json": {Data: []byte(displayDef(ok))}}); err != nil {
		t.Errorf("a complete display is refused: %v", err)
	}
}

// TestLoadRefusesReferenceToSeries: a reference must name a doctype that holds documents,
// which a page can link to.
func TestLoadRefusesReferenceToSeries(t *testing.T) {
	series := `{"name":"reading.x","kind":"series","label":{"fr":"X","en":"X"},"description":{"fr":"X","en":"X"},"reveals":{"fr":"X","en":"X"}}`
	_, err := Load(fstest.MapFS{"x.json": {Data: []byte(displayDef(`"references":{"ref":"reading.x"},"enums":{` + typeLabels + `}`))},
		"reading.x.json": {Data: []byte(series)}})
	if err == nil || !strings.Contains(err.Error(), `reference field "ref" names "reading.x", which holds no documents`) {
		t.Errorf("Load error %v", err)
	}
}

// TestBuiltinDisplay: the shipped declarations say what the pages need, and the same word
// reads differently in two doctypes.
func TestBuiltinDisplay(t *testing.T) {
	r := builtin(t)
	labels := []struct{ doctype, field, value, fr, en string }{
		{"bank.operation", "category", "groceries", "Courses", "Groceries"},
		{"bank.operation", "category", "energy", "Énergie", "Energy"},
		{"bank.operation", "type", "direct_debit", "Prélèvement", "Direct debit"},
		{"health.claim", "care", "pharmacy", "Pharmacie", "Pharmacy"},
		{"health.claim", "care", "dental care", "Soins dentaires", "Dental care"},
		{"telecom.record", "kind", "call", "Appel", "Call"},
		{"bill", "type", "electricity", "Électricité", "Electricity"},
		{"place", "category", "home", "Domicile", "Home"},
		{"insurance.contract", "kind", "home", "Habitation", "Home"},
	}
	for _, l := range labels {
		fr, okFR := r.EnumLabel(l.doctype, l.field, l.value, "fr")
		en, okEN := r.EnumLabel(l.doctype, l.field, l.value, "en")
		if !okFR || !okEN || fr != l.fr || en != l.en {
			t.Errorf("%s %s %q: %q/%q, want %q/%q", l.doctype, l.field, l.value, fr, en, l.fr, l.en)
		}
	}
	if _, ok := r.EnumLabel("bank.operation", "category", "astrology", "fr"); ok {
		t.Error("an undeclared value has a label")
	}
	refs := map[string]map[string]string{
		"bank.operation": {"account": "bank.account"}, "bill": {"contract": "contract", "file": "file"},
		"meter": {"contract": "contract"}, "insurance.claim": {"contract": "insurance.contract"},
		"health.reimbursement": {"claim": "health.claim"}, "visit": {"place": "place"},
	}
	for dt, want := range refs {
		d, _ := r.Get(dt)
		for f, target := range want {
			if got, ok := d.Reference(f); !ok || got[0] != target {
				t.Errorf("%s.%s refers to %q, want %q", dt, f, got, target)
			}
		}
	}
	for _, d := range r.All() {
		if d.Kind == KindDocument && (len(d.List) == 0 || d.Title == "" && d.TitleText == nil) {
			t.Errorf("%s declares no list or no title: its list would name records by their id", d.Name)
		}
	}
}

// TestTitleFrom: a title template leaves out a bracketed part whose field is missing, and
// gives up (so that the page names the record by its kind) when a required field is.
func TestTitleFrom(t *testing.T) {
	r := builtin(t)
	d, _ := r.Get("telecom.record")
	vals := func(m map[string]string) func(string) (string, bool) {
		return func(f string) (string, bool) { v, ok := m[f]; return v, ok }
	}
	tests := []struct {
		lang string
		in   map[string]string
		want string
	}{
		{"en", map[string]string{"kind": "Call", "at": "3 Mar 2026, 12:00", "durationSeconds": "12 min 00 s"}, "Call on 3 Mar 2026, 12:00, 12 min 00 s"},
		{"fr", map[string]string{"kind": "SMS", "at": "03/03/2026 à 12:00"}, "SMS du 03/03/2026 à 12:00"},
		{"fr", map[string]string{"at": "03/03/2026 à 12:00"}, ""},
	}
	for _, tt := range tests {
		if got := d.TitleFrom(tt.lang, vals(tt.in)); got != tt.want {
			t.Errorf("TitleFrom(%s, %v) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
}
