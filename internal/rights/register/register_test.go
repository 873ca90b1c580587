package register

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultIsComplete(t *testing.T) {
	if err := Default().Check(); err != nil {
		t.Fatal(err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := Default().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "register.json")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, Default()) {
		t.Errorf("the register read back differs:\n%+v", got)
	}
}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	r := Default()
	if err := r.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(r.Activities) || !reflect.DeepEqual(rows[0], csvHeader) {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	col := func(name string) int {
		for i, h := range csvHeader {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	first := rows[1]
	a := r.Activities[0]
	if first[col("id")] != a.ID || first[col("name_fr")] != a.Name.FR || first[col("retention_en")] != a.Retention.EN {
		t.Errorf("first row %q", first)
	}
	if want := a.Purposes[0].FR + " | " + a.Purposes[1].FR; first[col("purposes_fr")] != want {
		t.Errorf("purposes_fr %q, want %q", first[col("purposes_fr")], want)
	}
}

func TestParseRefuses(t *testing.T) {
	var b bytes.Buffer
	if err := Default().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	good := b.String()
	for _, c := range []struct{ name, in, want string }{
		{"not JSON", "{\n\"controller\": ,}", "line 2"},
		{"unknown field", strings.Replace(good, `"retention"`, `"retension"`, 1), `unknown field "retension"`},
		{"no French", strings.Replace(good, `"fr": "La personne seule"`, `"fr": ""`, 1), `activity "access-log": recipients[0]: the text is needed in English (en) and French (fr)`},
		{"duplicate id", strings.Replace(good, `"id": "accounts"`, `"id": "personal-store"`, 1), `activities[1]: an id, unique`},
		{"two values", good + "{}", "more than one JSON value"},
		{"no activity", `{"controller":"X","activities":[]}`, "activities: none"},
		{"no controller", `{"activities":[]}`, "controller"},
		{"wrong type", "{\n\"activities\": 3}", "line 2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	var b bytes.Buffer
	Default().WriteJSON(&b)
	f.Add(b.Bytes())
	f.Add([]byte(`{"controller":"X","activities":[{"id":"a"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		if err := r.Check(); err != nil {
			t.Fatalf("Parse accepted a register Check refuses: %v", err)
		}
		var out bytes.Buffer
		if err := r.WriteJSON(&out); err != nil {
			t.Fatal(err)
		}
		again, err := Parse(&out)
		if err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("the register written does not read back: %v", err)
		}
	})
}

// TestDefaultSaysEachLanguageApart: the built-in register's placeholders for the operator
// are written once per language, not both on one line of either page.
func TestDefaultSaysEachLanguageApart(t *testing.T) {
	d := Default()
	for _, s := range []string{d.Controller, d.ControllerFR, d.Contact, d.ContactFR} {
		if s == "" || strings.Contains(s, " / ") {
			t.Errorf("%q: want one language's text", s)
		}
	}
}
