package fulltext

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// valueHolds tells whether a value Values gives holds needle (lower case): the old
// substring search, kept as the reference the walk below checks Values against.
func valueHolds(data json.RawMessage, needle string) bool {
	found := false
	Values(data, func(v string) bool {
		found = strings.Contains(strings.ToLower(v), needle)
		return !found
	})
	return found
}

func TestValues(t *testing.T) {
	doc := `{"vendor":"AT\u0026T","lines":[{"label":"Forfait","amount":29.99},"roaming"],"meta":{"vendor":{"x":null,"y":true}},"n":12}`
	tests := []struct {
		needle string
		want   bool
	}{
		{"at&t", true},    // an escape in the stored text, decoded
		{"forfait", true}, // a value inside an array of objects
		{"29.9", true},    // a number
		{"roaming", true}, // a string in an array
		{"vendor", false}, // a key, at two levels
		{"label", false},  // a key inside an array
		{"true", false},   // booleans and null are not text
		{"null", false},
		{"12", true},
		{"x", false},
	}
	for _, tt := range tests {
		if got := valueHolds(json.RawMessage(doc), tt.needle); got != tt.want {
			t.Errorf("valueHolds(%q) = %v, want %v", tt.needle, got, tt.want)
		}
	}
}

// FuzzValues compares Values, which streams tokens, with a plain walk of the
// decoded document.
func FuzzValues(f *testing.F) {
	f.Add(`{"a":"Bc","d":[1,{"e":"f"}]}`, "bc")
	f.Add(`["x",{"y":{"z":"w"}}]`, "y")
	f.Add(`{"k":{"k":"k"}}`, "k")
	f.Add(`{"a":"x","a":"y"}`, "x")
	f.Fuzz(func(t *testing.T, doc, needle string) {
		needle = strings.ToLower(needle)
		dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil || dec.More() {
			return // not one JSON document: the store holds none such
		}
		valueHolds(json.RawMessage(doc), needle) // any input: no panic
		// Compared on the document as the store writes it back (a key given twice kept once,
		// as the walk sees it).
		canon, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := valueHolds(canon, needle), walkHolds(v, needle); got != want {
			t.Fatalf("valueHolds(%s, %q) = %v, a walk says %v", canon, needle, got, want)
		}
	})
}

func walkHolds(v any, needle string) bool {
	switch v := v.(type) {
	case string:
		return strings.Contains(strings.ToLower(v), needle)
	case json.Number: // folded like text: "0E0" holds "e" as the search sees it
		return strings.Contains(strings.ToLower(string(v)), needle)
	case []any:
		for _, e := range v {
			if walkHolds(e, needle) {
				return true
			}
		}
	case map[string]any:
		for _, e := range v {
			if walkHolds(e, needle) {
				return true
			}
		}
	}
	return false
}
