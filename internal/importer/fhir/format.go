package fhir

import (
	"bytes"
	"encoding/json"
	"io"

	"selfdata/internal/importer"
	"selfdata/internal/importer/jsonstream"
)

// Name is the format's name in Results and reports.
const Name = "fhir.r4"

// mapped are the resource types the adapter turns into records.
var mapped = map[string]bool{"Patient": true, "Coverage": true, "ExplanationOfBenefit": true}

// Format is the FHIR R4 JSON importer.
func Format() importer.Format {
	return importer.Format{Name: Name, Detect: Detect, Parse: parseAndAdapt}
}

// Detect claims JSON whose top-level resourceType is Bundle, Patient, Coverage or
// ExplanationOfBenefit (or, when the head is cut before the top-level one, any nested
// resource of the mapped types). No other format here has a resourceType property.
func Detect(head []byte, _ string) bool {
	if b := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\uFEFF")), " \t\r\n"); len(b) == 0 || b[0] != '{' {
		return false
	}
	found := false
	jsonstream.Sniff(head, func(depth int, key string, v json.Token) bool {
		if key != "resourceType" {
			return true
		}
		rt, _ := v.(string)
		if depth == 1 {
			found = rt == "Bundle" || mapped[rt]
			return false
		}
		found = mapped[rt]
		return !found
	})
	return found
}

func parseAndAdapt(r io.Reader) (*importer.Result, error) {
	f, err := Parse(r)
	if err != nil {
		return nil, err
	}
	return Adapt(f)
}
