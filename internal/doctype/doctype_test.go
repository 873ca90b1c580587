package doctype

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"selfdata/internal/store"
)

// validExamples holds one realistic document per document doctype; the fuzz target starts
// from them too.
var validExamples = map[string]string{
	"profile":              `{"givenName":"Camille","familyName":"Martin","birthDate":"1984-06-02","email":"camille@example.org","address":{"street":"12 rue Garibaldi","postalCode":"69003","city":"Lyon","country":"FR"}}`,
	"bank.account":         `{"bank":"Banque Exemple","label":"Compte courant","currency":"EUR","type":"checking","balance":"1523.07","balanceDate":"2025-03-01","iban":"FR7630006000011234567890189"}`,
	"bank.rule":            `{"pattern":"MONOPRIX LYON","category":"groceries","learnedFrom":"op-1","example":"CB MONOPRIX LYON 3 14/03"}`,
	"bank.operation":       `{"account":"acc-1","date":"2025-03-02","label":"CB CARREFOUR LYON","amount":"-42.90","currency":"EUR","type":"card","category":"groceries","valueDate":"2025-03-03"}`,
	"bill":                 `{"vendor":"EDF","date":"2025-02-15","amount":"87.12","currency":"EUR","type":"electricity","periodStart":"2025-01-01","periodEnd":"2025-01-31","dueDate":"2025-03-01","file":"f-1"}`,
	"contract":             `{"type":"electricity","provider":"EDF","reference":"C-123","start":"2020-09-01","price":"12.44","priceUnit":"month","currency":"EUR","address":"12 rue Garibaldi, 69003 Lyon"}`,
	"meter":                `{"kind":"electricity","identifier":"09111642617347","provider":"Enedis","contract":"c-1"}`,
	"telecom.record":       `{"kind":"call","at":"2025-03-01T08:00:00Z","direction":"out","correspondent":"+33 6 •• •• 12 34","durationSeconds":125,"roaming":false}`,
	"insurance.contract":   `{"insurer":"MAIF","kind":"home","premium":"312.00","currency":"EUR","start":"2023-01-01","insured":"12 rue Garibaldi"}`,
	"insurance.claim":      `{"insurer":"MAIF","date":"2024-11-20","status":"paid","amount":"850.00","currency":"EUR","description":"dégât des eaux"}`,
	"health.claim":         `{"date":"2025-01-10","amount":"26.50","currency":"EUR","care":"consultation","provider":"Dr Dupont"}`,
	"health.reimbursement": `{"date":"2025-01-14","amount":"17.50","currency":"EUR","claim":"hc-1","payer":"CPAM du Rhône"}`,
	"place":                `{"name":"Maison","lat":45.7578,"lon":4.8320,"category":"home"}`,
	"journey":              `{"start":"2025-03-01T07:40:00Z","end":"2025-03-01T08:05:00Z","startLat":45.7578,"startLon":4.832,"endLat":45.7606,"endLon":4.8596,"endPlace":"p-2","mode":"cycling","distanceMeters":3120,"path":[{"lat":45.7578,"lon":4.832,"at":"2025-03-01T07:40:00Z"},{"lat":45.7606,"lon":4.8596}]}`,
	"visit":                `{"start":"2025-03-01T08:00:00Z","end":"2025-03-01T09:30:00Z","lat":45.7578,"lon":4.832,"place":"p-1","confidence":0.9}`,
	"calendar.event":       `{"start":"2025-03-04T14:00:00Z","end":"2025-03-04T15:00:00Z","summary":"Dentiste","allDay":false,"recurrence":"FREQ=YEARLY"}`,
	"contact":              `{"fullName":"Léa Bernard","emails":["lea@example.org"],"phones":["+33 6 12 34 56 78"],"birthday":"1990-07-14"}`,
	"energy.settings":      `{"electricity":{"unitPrice":"0.2016","subscription":"15.65"},"water":{"unitPrice":"3.62"},"goal":"90.00","silenced":["freeze"]}`,
	"import.mapping":       `{"signature":"csv1-0123456789abcdef","bank":"Banque Exemple","mapping":{"comma":";","header_row":2,"date":0,"date_layout":"02/01/2006","value_date":-1,"label":1,"label2":-1,"amount":3,"debit":-1,"credit":-1,"decimal_comma":true,"currency":"EUR","balance":-1,"account":""}}`,
	"rights.request":       `{"org":"org-1","orgName":"Énergie Verte","kind":"access","sentAt":"2026-01-31","dueAt":"2026-02-28","status":"answered","answeredAt":"2026-02-20","answer":"copie reçue"}`,
	"file":                 `{"name":"facture-2025-02.pdf","mediaType":"application/pdf","size":48213,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","documents":[{"doctype":"bill","id":"b-1"}]}`,
}

func builtin(t testing.TB) *Registry {
	t.Helper()
	r, err := Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	return r
}

func TestBuiltinDeclarations(t *testing.T) {
	r := builtin(t)
	all := r.All()
	if len(all) != 24 {
		t.Errorf("got %d doctypes, want the 24 of docs/doctypes-spec.md", len(all))
	}
	for i, d := range all {
		if i > 0 && all[i-1].Name >= d.Name {
			t.Errorf("All not sorted: %q before %q", all[i-1].Name, d.Name)
		}
		if got, ok := r.Get(d.Name); !ok || got != d {
			t.Errorf("Get(%q) does not return the declaration", d.Name)
		}
		for what, l := range map[string]Label{"label": d.Label, "description": d.Description, "reveals": d.Reveals} {
			if l.FR == "" || l.EN == "" || (what != "label" && l.FR == l.EN) {
				t.Errorf("%s: %s needs fr and en texts, got %+v", d.Name, what, l)
			}
		}
		switch d.Kind {
		case KindDocument:
			if _, ok := validExamples[d.Name]; !ok {
				t.Errorf("%s: no valid example in the tests", d.Name)
			}
			if len(d.Index) == 0 || len(d.Schema) == 0 {
				t.Errorf("%s: a document doctype needs index fields and a schema", d.Name)
			}
		case KindSeries:
			if len(d.Schema) != 0 {
				t.Errorf("%s: a series has no schema", d.Name)
			}
		}
		wantSpecial := strings.HasPrefix(d.Name, "health.")
		if d.SpecialCategory != wantSpecial {
			t.Errorf("%s: special_category = %v, want %v", d.Name, d.SpecialCategory, wantSpecial)
		}
	}
	if _, ok := r.Get("nope"); ok {
		t.Error("Get(nope) found something")
	}
}

func TestValidExamples(t *testing.T) {
	r := builtin(t)
	for name, data := range validExamples {
		t.Run(name, func(t *testing.T) {
			if err := r.Validate(name, json.RawMessage(data)); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestValidateRejects(t *testing.T) {
	r := builtin(t)
	tests := []struct {
		name, doctype, data string
		unknown             bool   // want an error wrapping ErrUnknown
		path                string // want a Problem at this path
		message             string // ... whose message contains this
	}{
		{"missing required", "bill", `{"vendor":"EDF","amount":"1.00","currency":"EUR"}`, false, "/date", "is required"},
		{"money as number", "bank.operation", `{"account":"a","date":"2025-03-02","label":"x","amount":-12.34,"currency":"EUR"}`, false, "/amount", `decimal number like "-12.34"`},
		{"money badly written", "bill", `{"vendor":"EDF","date":"2025-02-15","amount":"12,34","currency":"EUR"}`, false, "/amount", `decimal number`},
		{"bad date", "bill", `{"vendor":"EDF","date":"2025-02-30","amount":"1.00","currency":"EUR"}`, false, "/date", "2025-03-01"},
		{"bad instant", "telecom.record", `{"kind":"sms","at":"yesterday"}`, false, "/at", "instant"},
		{"wrong type", "contact", `{"fullName":42}`, false, "/fullName", "must be a string, not a number"},
		{"wrong item type", "contact", `{"fullName":"x","emails":[true]}`, false, "/emails/0", "must be a string"},
		{"nested required", "file", `{"name":"a","mediaType":"b","size":1,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","documents":[{"doctype":"bill"}]}`, false, "/documents/0/id", "is required"},
		{"not in enum", "bank.account", `{"bank":"b","label":"l","currency":"EUR","type":"piggy"}`, false, "/type", `"checking"`},
		{"bad currency", "health.claim", `{"date":"2025-01-10","amount":"1","currency":"euro"}`, false, "/currency", "ISO 4217"},
		{"out of range", "visit", `{"start":"2025-03-01T08:00:00Z","lat":91,"lon":0}`, false, "/lat", "at most 90"},
		{"not an object", "bill", `["EDF"]`, false, "", "must be a JSON object, not an array"},
		{"null", "bill", `null`, false, "", "must be a JSON object"},
		{"empty", "bill", ``, false, "", "empty"},
		{"invalid JSON", "bill", `{"vendor" "EDF"}`, false, "", "byte offset 11"},
		{"truncated JSON", "bill", `{"vendor":`, false, "", "ends too early"},
		{"trailing data", "bill", `{} {}`, false, "", "after the object"},
		{"unknown doctype", "bank.transfer", `{}`, true, "", ""},
		{"series doctype", "reading.electricity", `{}`, true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.Validate(tt.doctype, json.RawMessage(tt.data))
			if err == nil {
				t.Fatal("Validate accepted invalid data")
			}
			if tt.unknown {
				if !errors.Is(err, ErrUnknown) {
					t.Fatalf("error %v does not wrap ErrUnknown", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %v is not a *ValidationError", err)
			}
			for _, p := range ve.Problems {
				if p.Path == tt.path && strings.Contains(p.Message, tt.message) {
					return
				}
			}
			t.Errorf("no problem at %q containing %q in %v", tt.path, tt.message, err)
		})
	}
}

func TestBigNumbersNotRounded(t *testing.T) {
	r := builtin(t)
	// 2^53+1 as a float64 would round to 2^53 and still pass; the check is that decoding keeps
	// the exact value and a huge size is accepted as the integer it is.
	data := `{"name":"a","mediaType":"b","size":9007199254740993,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}`
	if err := r.Validate("file", json.RawMessage(data)); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if err := r.Validate("file", json.RawMessage(strings.Replace(data, "9007199254740993", "9007199254740993.5", 1))); err == nil {
		t.Error("a non-integer size was accepted")
	}
}

func TestIndexField(t *testing.T) {
	r := builtin(t)
	op, _ := r.Get("bank.operation")
	tests := []struct {
		path string
		want store.Field
		ok   bool
	}{
		{"date", store.Field{Path: "date", Type: store.String}, true},
		{"account", store.Field{Path: "account", Type: store.String}, true},
		{"amount", store.Field{}, false}, // in the schema but not indexed
		{"", store.Field{}, false},
	}
	for _, tt := range tests {
		got, ok := op.IndexField(tt.path)
		if got != tt.want || ok != tt.ok {
			t.Errorf("IndexField(%q) = %v, %v; want %v, %v", tt.path, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMarshalJSON(t *testing.T) {
	r := builtin(t)
	bill, _ := r.Get("bill")
	b, err := json.Marshal(bill)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"index":[{"path":"vendor","type":"string"},{"path":"date","type":"string"}`, `"name":"bill"`, `"reveals":{"fr":`, `"schema":{`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s: %s", want, b)
		}
	}
	gas, _ := r.Get("reading.gas")
	b, _ = json.Marshal(gas)
	if strings.Contains(string(b), `"schema"`) || !strings.Contains(string(b), `"index":[]`) {
		t.Errorf("series JSON: %s", b)
	}
}

func TestLoadRejectsInconsistentDeclarations(t *testing.T) {
	const texts = `"label":{"fr":"X","en":"X"},"description":{"fr":"X","en":"X"},"reveals":{"fr":"X","en":"X"}`
	tests := []struct{ name, file, want string }{
		{"name mismatch", `{"name":"y","kind":"series",` + texts + `}`, "file name"},
		{"missing english", `{"name":"x","kind":"series","label":{"fr":"X"},"description":{"fr":"X","en":"X"},"reveals":{"fr":"X","en":"X"}}`, "fr and en"},
		{"bad kind", `{"name":"x","kind":"table",` + texts + `}`, "kind"},
		{"unknown key", `{"name":"x","kind":"series","sensitive":true,` + texts + `}`, "unknown field"},
		{"document without schema", `{"name":"x","kind":"document",` + texts + `}`, "schema"},
		{"index not in schema", `{"name":"x","kind":"document",` + texts + `,"index":[{"path":"date","type":"string"}],"schema":{"type":"object","properties":{}}}`, "not a property"},
		{"index type mismatch", `{"name":"x","kind":"document",` + texts + `,"index":[{"path":"n","type":"string"}],"schema":{"type":"object","properties":{"n":{"type":"number"}}}}`, "declared string"},
		{"invalid schema", `{"name":"x","kind":"document",` + texts + `,"schema":{"type":"object","properties":{"n":{"type":"float"}}}}`, "schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{"x.json": {Data: []byte(tt.file)}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

// TestCheckReadsPeriod: the value of the declared period field comes with the checked
// document, read in the one decode, and a document without it has none.
func TestCheckReadsPeriod(t *testing.T) {
	r, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ doctype, data, period string }{
		{"bill", `{"vendor":"EDF","date":"2025-01-31","amount":"61.20","currency":"EUR"}`, "2025-01-31"},
		{"calendar.event", `{"summary":"Dentiste","start":"2025-03-04T09:00:00Z"}`, "2025-03-04T09:00:00Z"},
		{"contact", `{"fullName":"Camille Martin"}`, ""},
	} {
		v, err := r.Check(tt.doctype, json.RawMessage(tt.data))
		if err != nil {
			t.Fatalf("%s: %v", tt.doctype, err)
		}
		if v.Doctype() != tt.doctype || v.Period() != tt.period || string(v.Data()) != tt.data {
			t.Errorf("%s: Check gave %q, period %q; want period %q", tt.doctype, v.Doctype(), v.Period(), tt.period)
		}
	}
	if v, err := r.Check("bill", json.RawMessage(`{"vendor":"EDF"}`)); err == nil || v.Doctype() != "" {
		t.Errorf("an invalid bill was checked: %+v, %v", v, err)
	}
}
