package formats

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"selfdata/internal/importer"
	"selfdata/internal/importer/samples"
)

// unprefixedTag is a start or end tag whose element name has no prefix.
var unprefixedTag = regexp.MustCompile(`<(/?)([A-Za-z_][A-Za-z0-9_.\-]*)([\s/>])`)

// prefixed rewrites an XML document so that every element without a prefix gets p, and
// the default namespace becomes the namespace of p: the same document, as the production
// APIs of some utilities and banks write it (<ns1:feed xmlns:ns1="...">).
func prefixed(p string) func([]byte) []byte {
	return func(b []byte) []byte {
		b = unprefixedTag.ReplaceAll(b, []byte("<${1}"+p+":${2}${3}"))
		b = bytes.ReplaceAll(b, []byte(`xmlns="`), []byte(`xmlns:`+p+`="`))
		// OFX declares no namespace; a prefixed OFX 2 file declares its own.
		return bytes.Replace(b, []byte("<"+p+":OFX>"), []byte(`<`+p+`:OFX xmlns:`+p+`="http://ofx.net/ifx/2.0/ofx">`), 1)
	}
}

// ofxPI is the OFX 2 header; without it, detection has the root alone.
var ofxPI = regexp.MustCompile(`<\?OFX [^>]*\?>`)

// TestPrefixedXMLImportsTheSame: every XML sample, its elements rewritten with a prefix, is
// detected as the same format and imports exactly as the original.
func TestPrefixedXMLImportsTheSame(t *testing.T) {
	type variant struct {
		name string
		edit func([]byte) []byte
	}
	variants := []variant{
		{"ns1", prefixed("ns1")},
		{"atom", prefixed("atom")},
		{"ns0 after a BOM", func(b []byte) []byte { return append([]byte("\xef\xbb\xbf"), prefixed("ns0")(b)...) }},
	}
	files := append(append(samples.GlobIfPresent("greenbutton/*.xml"), samples.GlobIfPresent("bank/*.xml")...),
		"bank/anzcc.ofx", "bank/suncorp.ofx", "enedis/ConsultationMesuresDetaillees_C5-PA_response.xml")
	for _, rel := range files {
		orig, ok := samples.ReadIfPresent(rel)
		if !ok {
			continue
		}
		want, f := importAs(t, orig, rel)
		if f == "" {
			t.Fatalf("%s: the original is not detected", rel)
		}
		vs := variants
		if strings.HasSuffix(rel, ".ofx") {
			vs = append(vs, variant{"prefixed, no OFX header", func(b []byte) []byte { return prefixed("ofx")(ofxPI.ReplaceAll(b, nil)) }})
		}
		for _, v := range vs {
			t.Run(rel+"/"+v.name, func(t *testing.T) {
				got, g := importAs(t, v.edit(orig), rel)
				if g != f {
					t.Fatalf("detected as %q, want %q", g, f)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("the prefixed file imports differently: %d records, %d series, want %d, %d",
						len(got.Records), len(got.Series), len(want.Records), len(want.Series))
				}
			})
		}
	}
}

// importAs detects b's format from its head and parses it; "" when no format claims it.
func importAs(t *testing.T, b []byte, name string) (*importer.Result, string) {
	t.Helper()
	for _, f := range All() {
		if f.Detect(b[:min(len(b), 8192)], name) {
			res, err := f.Parse(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s as %s: %v", name, f.Name, err)
			}
			return res, f.Name
		}
	}
	return nil, ""
}

// TestEveryXMLFormatRefusesADTD: a DOCTYPE with an entity, put before the root of every XML
// sample, is refused by the one guard (importer.RefuseDTD) of each XML format.
func TestEveryXMLFormatRefusesADTD(t *testing.T) {
	files := append(append(samples.GlobIfPresent("greenbutton/*.xml"), samples.GlobIfPresent("bank/*.xml")...),
		"bank/anzcc.ofx", "bank/suncorp.ofx", "enedis/ConsultationMesuresDetaillees_C5-PA_response.xml")
	root := regexp.MustCompile(`<[A-Za-z]`)
	for _, rel := range files {
		orig, ok := samples.ReadIfPresent(rel)
		if !ok {
			continue
		}
		t.Run(rel, func(t *testing.T) {
			i := root.FindIndex(orig)[0]
			b := append(append(append([]byte{}, orig[:i]...), `<!DOCTYPE r [<!ENTITY lol "lol">]>`...), orig[i:]...)
			for _, f := range All() {
				if !f.Detect(b[:min(len(b), 8192)], rel) {
					continue
				}
				_, err := f.Parse(bytes.NewReader(b))
				if err == nil || !strings.Contains(err.Error(), "DOCTYPE and ENTITY declarations are refused") {
					t.Errorf("as %s: %v, want the DTD refused", f.Name, err)
				}
				return
			}
			t.Errorf("not detected")
		})
	}
}
