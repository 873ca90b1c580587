package vcard

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/importer/samples"
)

// n repeats "Ñ" (U+00D1, =C3=91 in the Android file's quoted-printable) with sep between.
func n(count int, sep string) string {
	return strings.TrimSuffix(strings.Repeat("Ñ"+sep, count), sep)
}

// The expected records were read by hand from the files. Android: cards 1 and 2 have
// only an e-mail (no FN, no N); card 4's N and FN are cut by quoted-printable soft breaks
// after the 8th "Ñ" (11 in all); card 5's three TELs are the same number, and its first
// ORG is 11 + 1 "Ñ" over a soft break; card 6's first ORG is 4 × 11 "Ñ" ending in a soft
// break before a blank line. iPhone: CR CR LF line ends, seven TELs, the pref ADR is
// item3 (home). Outlook: BDAY 19800322, the PREF ADR is the work one.
func TestSamples(t *testing.T) {
	john := map[string]any{"fullName": "Mr. John Richter James Doe Sr.", "givenName": "John", "familyName": "Doe", "organization": "IBM"}
	with := func(base map[string]any, kv ...any) map[string]any {
		m := map[string]any{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		file string
		want []map[string]any
	}{
		{"calendar/John_Doe_ANDROID.vcf", []map[string]any{
			{"fullName": "john.doe@company.com", "emails": []string{"john.doe@company.com"}},
			{"fullName": "jane.doe@company.com", "emails": []string{"jane.doe@company.com"}},
			{"fullName": n(5, " "), "familyName": n(4, " "), "phones": []string{"123456789"}},
			{"fullName": n(11, " "), "familyName": n(11, " "), "phones": []string{"123456", "234567", "3456789", "45678901"}},
			{"fullName": n(4, " "), "familyName": n(2, " "), "givenName": n(3, " "), "phones": []string{"123456"},
				"emails": []string{"bob@company.com", n(14, "")}, "organization": n(12, "")},
			{"fullName": n(4, ""), "familyName": n(4, ""), "phones": []string{"55556666"},
				"emails": []string{"henry@company.com"}, "organization": n(44, "")},
		}},
		{"calendar/John_Doe_IPHONE.vcf", []map[string]any{with(john,
			"emails", []string{"john.doe@ibm.com"},
			"phones", []string{"905-555-1234", "905-666-1234", "905-777-1234", "905-888-1234", "905-999-1234", "905-111-1234", "905-222-1234"},
			"address", "Silicon Alley 5, New York, New York, 12345, United States of America",
			"birthday", "2012-06-06")}},
		{"calendar/John_Doe_MS_OUTLOOK.vcf", []map[string]any{with(john,
			"emails", []string{"john.doe@ibm.cm"},
			"phones", []string{"(905) 555-1234", "(905) 666-1234"},
			"address", "Cresent moon drive, Albaney, New York, 12345, United States of America",
			"birthday", "1980-03-22")}},
		{"calendar/rfc6350-example.vcf", []map[string]any{{
			"fullName": "Simon Perreault", "givenName": "Simon", "familyName": "Perreault", "organization": "Viagenie",
			"emails":         []string{"simon.perreault@viagenie.ca"},
			"phones":         []string{"+1-418-656-9254 ext. 102", "+1-418-262-6501"},
			"address":        "Suite D2-630, 2875 Laurier, Quebec, QC, G1V 2M2, Canada",
			"birthdayNoYear": "--02-03"}}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			res, err := ParseResult(samples.Open(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != Name || len(res.Notes) != 0 || res.Skipped != 0 {
				t.Errorf("format %q, notes %q, skipped %d", res.Format, res.Notes, res.Skipped)
			}
			if len(res.Records) != len(tt.want) {
				t.Fatalf("%d records, want %d", len(res.Records), len(tt.want))
			}
			keys := map[string]bool{}
			for i, r := range res.Records {
				if !reflect.DeepEqual(r.Data, tt.want[i]) {
					t.Errorf("card %d:\n got %#v\nwant %#v", i+1, r.Data, tt.want[i])
				}
				if r.Doctype != Doctype || !strings.HasPrefix(r.Key, "nouid:") || keys[r.Key] {
					t.Errorf("card %d: doctype %q key %q", i+1, r.Doctype, r.Key)
				}
				keys[r.Key] = true
			}
			again, _ := ParseResult(samples.Open(t, tt.file))
			for i := range again.Records {
				if again.Records[i].Key != res.Records[i].Key {
					t.Errorf("card %d: key changed on a second import", i+1)
				}
			}
		})
	}
}

// TestDetect runs Detect on every file of the samples folder: only vCard files are
// claimed.
func TestDetect(t *testing.T) {
	root := samples.Dir(t)
	count := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(path) == "README.md" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if len(b) > 8<<10 {
			b = b[:8<<10]
		}
		want := strings.HasSuffix(path, ".vcf")
		if got := Detect(b, filepath.Base(path)); got != want {
			t.Errorf("Detect(%s) = %v, want %v", path, got, want)
		}
		count++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count < 39 {
		t.Errorf("only %d sample files seen", count)
	}
	if !Detect([]byte("\xEF\xBB\xBF\r\nbegin:vcard\r\n"), "x") || Detect([]byte("BEGIN:VCALENDAR\r\n"), "a.vcf") {
		t.Error("Detect misreads a minimal head")
	}
}
