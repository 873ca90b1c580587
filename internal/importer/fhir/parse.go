package fhir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"selfdata/internal/importer"
	"selfdata/internal/importer/jsonstream"
)

// File is what one FHIR JSON file holds, by resource type, in file order.
type File struct {
	Patients  []Patient
	Coverages []Coverage
	Claims    []ExplanationOfBenefit
	// Other counts the resources of types this importer does not map, by type.
	Other map[string]int
	// Empty counts Bundle entries that carry no resource (e.g. a deleted one).
	Empty int
}

// Parse reads a single FHIR R4 resource or a Bundle of them. A Bundle's entries are decoded
// one at a time, so that memory follows the largest entry, not the file.
func Parse(r io.Reader) (*File, error) {
	s := jsonstream.New(importer.LimitReader(r), "a FHIR file")
	bundled := &File{Other: map[string]int{}}
	var keys []string
	top := map[string]jsonstream.Value{}
	rt, line := "", 0
	err := s.Object("", func(key string) error {
		if line == 0 {
			line = s.Line()
		}
		switch {
		case key == "entry" && (rt == "" || rt == "Bundle"):
			return s.Array("entry", func(i int) error {
				return parseEntry(s, fmt.Sprintf("entry[%d]", i), bundled)
			})
		case rt == "Bundle": // a Bundle's other properties (links, totals) are not needed
			return s.Skip(key)
		}
		v, err := s.Value(key)
		if err != nil {
			return err
		}
		if key == "resourceType" {
			return v.Decode(key, &rt)
		}
		if _, dup := top[key]; !dup {
			keys = append(keys, key)
		}
		top[key] = v
		return nil
	})
	if err == nil {
		err = s.End()
	}
	switch {
	case err != nil:
		return nil, err
	case rt == "":
		return nil, importer.Errorf(max(line, 1), "resourceType", "no resourceType: this is not a FHIR resource")
	case rt == "Bundle":
		return bundled, nil
	}
	f := &File{Other: map[string]int{}}
	err = addResource(f, rt, Source{Line: max(line, 1), Path: rt}, func(dst any) error {
		return decodeFields(top, keys, dst)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// parseEntry decodes one Bundle entry and files its resource.
func parseEntry(s *jsonstream.Stream, path string, f *File) error {
	v, err := s.Value(path)
	if err != nil {
		return err
	}
	var e struct {
		Resource json.RawMessage `json:"resource"`
	}
	if err := v.Decode(path, &e); err != nil {
		return err
	}
	if len(e.Resource) == 0 || string(e.Resource) == "null" {
		f.Empty++
		return nil
	}
	res := jsonstream.Value{Raw: e.Resource, Line: v.LineAt(int64(bytes.Index(v.Raw, e.Resource)))}
	path += ".resource"
	var head struct {
		ResourceType string `json:"resourceType"`
	}
	if err := res.Decode(path, &head); err != nil {
		return err
	}
	if head.ResourceType == "" {
		return importer.Errorf(res.Line, path+".resourceType", "the entry's resource has no resourceType")
	}
	return addResource(f, head.ResourceType, Source{Line: res.Line, Path: path}, func(dst any) error {
		return res.Decode(path, dst)
	})
}

// addResource decodes a resource of type rt with decode and files it.
func addResource(f *File, rt string, src Source, decode func(any) error) error {
	switch rt {
	case "Patient":
		p := Patient{Source: src}
		if err := decode(&p); err != nil {
			return err
		}
		f.Patients = append(f.Patients, p)
	case "Coverage":
		c := Coverage{Source: src}
		if err := decode(&c); err != nil {
			return err
		}
		f.Coverages = append(f.Coverages, c)
	case "ExplanationOfBenefit":
		e := ExplanationOfBenefit{Source: src}
		if err := decode(&e); err != nil {
			return err
		}
		f.Claims = append(f.Claims, e)
	default:
		f.Other[rt]++
	}
	return nil
}

// decodeFields decodes a top-level resource that was read one property at a time: each
// property is decoded on its own into dst, keeping its own line numbers.
func decodeFields(top map[string]jsonstream.Value, keys []string, dst any) error {
	for _, k := range keys {
		v := top[k]
		name, _ := json.Marshal(k) // escapes any newline, so lines stay those of v
		one := jsonstream.Value{Raw: slices.Concat([]byte("{"), name, []byte(":"), v.Raw, []byte("}")), Line: v.Line}
		if err := one.Decode("", dst); err != nil {
			return err
		}
	}
	return nil
}
