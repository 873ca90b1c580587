package doctype

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

// FuzzValidate checks that no input can crash a write path and that nothing but a JSON object
// is ever accepted as a document.
func FuzzValidate(f *testing.F) {
	r := builtin(f)
	var names []string
	for _, d := range r.All() {
		names = append(names, d.Name)
	}
	for name, data := range validExamples {
		f.Add(uint8(slices.Index(names, name)), []byte(data))
	}
	f.Add(uint8(0), []byte(`[]`))
	f.Add(uint8(0), []byte(`{"amount":1e400}`))
	f.Fuzz(func(t *testing.T, i uint8, data []byte) {
		name := names[int(i)%len(names)]
		err := r.Validate(name, data)
		if err == nil {
			if !json.Valid(data) || bytes.TrimLeft(data, " \t\r\n")[0] != '{' {
				t.Fatalf("Validate(%s) accepted %q, which is not a JSON object", name, data)
			}
			return
		}
		var ve *ValidationError
		if !errors.As(err, &ve) && !errors.Is(err, ErrUnknown) {
			t.Fatalf("Validate(%s): unexpected error type %T: %v", name, err, err)
		}
		if ve != nil && len(ve.Problems) == 0 {
			t.Fatalf("Validate(%s): a ValidationError without problems", name)
		}
	})
}
