package vcard

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/importer"
)

func vcf(cards ...string) string {
	var b strings.Builder
	for _, c := range cards {
		b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\n" + c + "\r\nEND:VCARD\r\n")
	}
	return b.String()
}

func lines(ls ...string) string { return strings.Join(ls, "\r\n") }

func TestCards(t *testing.T) {
	tests := []struct {
		name string
		in   string
		key  string // "" for a natural key
		want map[string]any
		note string
	}{
		{"uid and 3.0 escapes", vcf(lines("UID:urn:uuid:4fbe8971", `FN:Léa Bernard`, `ORG:Smith\, Jones & Co;Dept`, "EMAIL:lea@example.org", "EMAIL:LEA@example.org")),
			"urn:uuid:4fbe8971", map[string]any{"fullName": "Léa Bernard", "organization": "Smith, Jones & Co", "emails": []string{"lea@example.org"}}, ""},
		{"latin-1 quoted-printable", vcf("N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Ren=E9;Fran=E7ois"),
			"", map[string]any{"fullName": "François René", "familyName": "René", "givenName": "François"}, ""},
		{"windows-1252 without charset", vcf("FN:Ren\xe9 \x80"),
			"", map[string]any{"fullName": "René €"}, "read as Windows-1252"},
		{"broken UTF-8", vcf("FN;CHARSET=UTF-8:Ren\xe9"),
			"", map[string]any{"fullName": "Ren\uFFFD"}, "not valid UTF-8"},
		{"unknown charset", vcf("FN;CHARSET=KOI8-R:\xf0\xd2"),
			"", map[string]any{"fullName": "\uFFFD"}, "KOI8-R is not supported"},
		{"base64 text", vcf("FN;ENCODING=b:Sm9obg=="), "", map[string]any{"fullName": "John"}, ""},
		{"apple omitted year", vcf(lines("FN:A", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-03")),
			"", map[string]any{"fullName": "A", "birthdayNoYear": "--02-03"}, ""},
		{"birthday with time", vcf(lines("FN:A", "BDAY:1980-03-22T00:00:00Z")), "", map[string]any{"fullName": "A", "birthday": "1980-03-22"}, ""},
		{"reduced birthday dropped", vcf(lines("FN:A", "BDAY:1985-04", "BDAY:1990-01-01")), "", map[string]any{"fullName": "A", "birthday": "1990-01-01"}, ""},
		{"day-only birthday dropped", vcf(lines("FN:A", "BDAY:---12")), "", map[string]any{"fullName": "A"}, ""},
		{"text birthday dropped", vcf(lines("FN:A", "BDAY;VALUE=text:circa 1800")), "", map[string]any{"fullName": "A"}, ""},
		{"name from N", vcf("N:Doe;John;;Mr.;"), "", map[string]any{"fullName": "Mr. John Doe", "givenName": "John", "familyName": "Doe"}, ""},
		{"name from ORG", vcf("ORG:Viagenie"), "", map[string]any{"fullName": "Viagenie", "organization": "Viagenie"}, ""},
		{"name from phone", vcf("TEL;VALUE=uri:tel:+33-6-12"), "", map[string]any{"fullName": "+33-6-12", "phones": []string{"+33-6-12"}}, ""},
		{"first address without pref", vcf(lines("FN:A", `ADR:;;1 rue X\n2e étage;Lyon;;69001;France`, "ADR:;;2 rue Y;Paris;;;")),
			"", map[string]any{"fullName": "A", "address": "1 rue X, 2e étage, Lyon, 69001, France"}, ""},
		{"AGENT card ignored", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Boss\r\nAGENT:\r\nBEGIN:VCARD\r\nFN:Agent\r\nTEL:1\r\nEND:VCARD\r\nTEL:2\r\nEND:VCARD\r\n",
			"", map[string]any{"fullName": "Boss", "phones": []string{"2"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ParseResult(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Records) != 1 {
				t.Fatalf("%d records", len(res.Records))
			}
			r := res.Records[0]
			if !reflect.DeepEqual(r.Data, tt.want) {
				t.Errorf("data %#v, want %#v", r.Data, tt.want)
			}
			if tt.key != "" && r.Key != tt.key || tt.key == "" && !strings.HasPrefix(r.Key, "nouid:") {
				t.Errorf("key %q, want %q", r.Key, tt.key)
			}
			notes := strings.Join(res.Notes, "\n")
			if tt.note != "" && !strings.Contains(notes, tt.note) || tt.note == "" && notes != "" {
				t.Errorf("notes %q, want %q", res.Notes, tt.note)
			}
		})
	}
}

func TestKeysAndSkips(t *testing.T) {
	res, err := ParseResult(strings.NewReader(vcf("UID:u\r\nFN:A", "UID:u\r\nFN:B", "FN:C\r\nEMAIL:c@x", "FN:C\r\nEMAIL:c@x", "FN:C\r\nEMAIL:d@x", "NOTE:nobody")))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range res.Records {
		keys = append(keys, r.Key)
	}
	if len(keys) != 5 || keys[0] != "u" || keys[1] != "u#2" || keys[3] != keys[2]+"#2" || keys[4] == keys[2] {
		t.Errorf("keys %q", keys)
	}
	if res.Skipped != 1 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "2 card(s) appear more than once") {
		t.Errorf("skipped %d, notes %q", res.Skipped, res.Notes)
	}
	if l := res.LeftOut; len(l) != 1 || l[0].Line != 26 || l[0].Reason != importer.ReasonNoName || l[0].Kind != Doctype || l[0].Element != "VCARD" {
		t.Errorf("left out %+v: want the card of line 26, for having no name", l)
	}
}

// TestLeftOut: a card with a value that cannot be read, or with nothing to list it by, is
// left out whole and listed by the line of its BEGIN:VCARD and its reason, while the other
// cards import; a book of which no card imports is refused for its first bad value.
func TestLeftOut(t *testing.T) {
	res, err := ParseResult(strings.NewReader(vcf("FN:A", lines("FN:B", "BDAY:1980-02-30", "BDAY:yesterday"), "NOTE:nobody", "FN:E")))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 2 || res.Records[0].Data["fullName"] != "A" || res.Records[1].Data["fullName"] != "E" || res.Skipped != 2 || len(res.Notes) != 0 {
		t.Fatalf("records %+v, %d skipped, notes %q; want A and E, 2 skipped, no note", res.Records, res.Skipped, res.Notes)
	}
	l := res.LeftOut
	if len(l) != 2 {
		t.Fatalf("left out %+v, want 2", l)
	}
	if l[0].Line != 5 || l[0].Reason != importer.ReasonBadValue || len(l[0].Params) != 1 || l[0].Params[0] != "BDAY" || !strings.Contains(l[0].Text, `line 8: BDAY: "1980-02-30" is not a date`) {
		t.Errorf("left out %+v: want the card of line 5, for its BDAY of line 8", l[0])
	}
	if l[1].Line != 11 || l[1].Reason != importer.ReasonNoName || len(l[1].Params) != 0 {
		t.Errorf("left out %+v: want the card of line 11, for having no name", l[1])
	}
	_, err = ParseResult(strings.NewReader(vcf("NOTE:nobody", lines("FN:B", "BDAY:yesterday"))))
	var ie *importer.Error
	if !errors.As(err, &ie) || ie.Line != 8 || ie.Element != "BDAY" {
		t.Errorf("a book of no importable card: %v, want refused at line 8, BDAY", err)
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		element  string
		reason   string
	}{
		{"truncated", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\n", 1, "VCARD", "never closed"},
		{"END without BEGIN", vcf("FN:A") + "END:VCARD\r\n", 5, "END", "without a BEGIN"},
		{"property outside", "FN:A\r\n", 1, "FN", "outside"},
		{"calendar", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", 1, "BEGIN", "expected BEGIN:VCARD"},
		{"END of another thing", "BEGIN:VCARD\r\nEND:VEVENT\r\n", 2, "END", "expected END:VCARD"},
		{"too deep", strings.Repeat("BEGIN:VCARD\r\n", 12), 10, "VCARD", "nested"},
		{"bad BDAY", vcf(lines("FN:A", "BDAY:1980-02-30")), 4, "BDAY", "not a date"},
		{"bad BDAY text", vcf(lines("FN:A", "BDAY:yesterday")), 4, "BDAY", "not a date"},
		{"bad quoted-printable", "BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE:a\x00b\r\nEND:VCARD\r\n", 3, "N", "quoted-printable"},
		{"bad base64", vcf("FN;ENCODING=b:%%%"), 3, "FN", "base64"},
		{"no colon", vcf("FN"), 3, "", "no ':'"},
		{"line too long", vcf("NOTE:" + strings.Repeat("x", importer.MaxLineBytes)), 3, "", "longer than"},
		{"empty", "\r\n\r\n", 0, "VCARD", "no BEGIN:VCARD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ParseResult(strings.NewReader(tt.in))
			var ie *importer.Error
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, %v; want an *importer.Error", res, err)
			}
			if res != nil {
				t.Error("a partial result came with the error")
			}
			if ie.Line != tt.line || ie.Element != tt.element || !strings.Contains(ie.Reason, tt.reason) {
				t.Errorf("got line %d element %q reason %q; want %d %q %q", ie.Line, ie.Element, ie.Reason, tt.line, tt.element, tt.reason)
			}
		})
	}
}
