package contentline

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/importer"
)

func readAll(t testing.TB, in string) ([]Line, error) {
	t.Helper()
	r := NewReader(strings.NewReader(in))
	var out []Line
	for {
		l, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, l)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Line
	}{
		{"SUMMARY:Daily Sync", Line{Name: "SUMMARY", Value: "Daily Sync"}},
		{"item1.EMAIL;type=INTERNET;type=pref:john.doe@ibm.com", Line{Group: "item1", Name: "EMAIL",
			Params: []Param{{"TYPE", []string{"INTERNET"}}, {"TYPE", []string{"pref"}}}, Value: "john.doe@ibm.com"}},
		{`DTSTART;TZID="GMT +0100 (Standard) / GMT +0200 (Daylight)":20150703T100000`, Line{Name: "DTSTART",
			Params: []Param{{"TZID", []string{"GMT +0100 (Standard) / GMT +0200 (Daylight)"}}}, Value: "20150703T100000"}},
		{"TEL;CELL;PREF:123456", Line{Name: "TEL", Params: []Param{{"", []string{"CELL"}}, {"", []string{"PREF"}}}, Value: "123456"}},
		{`X-A;X-ADDRESS="a:b;c";X-TITLE=:geo:52.3,7.5`, Line{Name: "X-A",
			Params: []Param{{"X-ADDRESS", []string{"a:b;c"}}, {"X-TITLE", []string{""}}}, Value: "geo:52.3,7.5"}},
		{`TEL;TYPE="work,voice",cell:tel:+1`, Line{Name: "TEL", Params: []Param{{"TYPE", []string{"work,voice", "cell"}}}, Value: "tel:+1"}},
		{"note:", Line{Name: "NOTE"}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{
		"no colon here",
		":value",
		"BAD NAME:x",
		"a..b:x",
		`DTSTART;TZID="never closed:x`,
		`DTSTART;TZID="x"y:z`,
		"DTSTART;TZID=Europe/Paris",
		"X;=v:x",
	} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) accepted a malformed line", in)
		}
	}
}

func TestReader(t *testing.T) {
	in := "\uFEFFBEGIN:VCARD\r\r\n" +
		"NOTE:one\r\n two\r\n\tthree\r\n" +
		"\r\n" +
		"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91=\r\n=20=C3=91;;;\r\n" +
		"ORG;QUOTED-PRINTABLE:A=\r\n\r\n" +
		"PHOTO;ENCODING=BASE64;JPEG:/9j/\r\nAAB+\r\n CC==\r\n\r\n" +
		"END:VCARD"
	got, err := readAll(t, in)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		num         int
		name, value string
	}{
		{1, "BEGIN", "VCARD"},
		{2, "NOTE", "onetwothree"},
		{6, "N", "=C3=91=20=C3=91;;;"},
		{8, "ORG", "A"},
		{10, "PHOTO", "/9j/AAB+CC=="},
		{14, "END", "VCARD"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Num != w.num || got[i].Name != w.name || got[i].Value != w.value {
			t.Errorf("line %d = %d %s %q, want %d %s %q", i, got[i].Num, got[i].Name, got[i].Value, w.num, w.name, w.value)
		}
	}
	if !got[2].QuotedPrintable() || !got[3].QuotedPrintable() || got[1].QuotedPrintable() {
		t.Error("QuotedPrintable misreads the encoding parameters")
	}
}

func TestReaderErrors(t *testing.T) {
	long := "X:" + strings.Repeat("a", importer.MaxLineBytes)
	folded := "X:" + strings.Repeat(strings.Repeat("a", 70)+"\r\n ", importer.MaxLineBytes/70+1)
	tests := []struct {
		name, in string
		line     int
	}{
		{"no colon", "BEGIN:VCALENDAR\r\nJUNK\r\n", 2},
		{"continuation first", " folded\r\n", 1},
		{"bad name on folded line", "A:1\r\nB:2\r\nBAD NAME\r\n :x\r\n", 3},
		{"physical line too long", "A:1\n" + long + "\n", 2},
		{"unfolded line too long", "A:1\n" + folded + "\n", 2},
	}
	for _, tt := range tests {
		_, err := readAll(t, tt.in)
		var ie *importer.Error
		if !errors.As(err, &ie) {
			t.Errorf("%s: got %v, want *importer.Error", tt.name, err)
			continue
		}
		if ie.Line != tt.line {
			t.Errorf("%s: error on line %d, want %d (%v)", tt.name, ie.Line, tt.line, err)
		}
	}
}

func TestText(t *testing.T) {
	if got := Unescape(`Roadstar 16\n12764 Happyville\, DK\;x\\y http\://z \`); got != "Roadstar 16\n12764 Happyville, DK;x\\y http://z \\" {
		t.Errorf("Unescape = %q", got)
	}
	if got := Split(`a\;b;c\\;d`, ';'); !reflect.DeepEqual(got, []string{`a\;b`, `c\\`, "d"}) {
		t.Errorf("Split = %q", got)
	}
	want := [][]string{{"Doe"}, {"John"}, {"Richter", "James"}, {"Mr."}, {"Sr."}, {"a;b"}}
	if got := Components(`Doe;John;Richter,James;Mr.;Sr.;a\;b`); !reflect.DeepEqual(got, want) {
		t.Errorf("Components = %q", got)
	}
}

func FuzzReader(f *testing.F) {
	f.Add("BEGIN:VCALENDAR\r\nX;A=\"b:c\":d\r\n e\r\nEND:VCALENDAR\r\n")
	f.Add("N;ENCODING=QUOTED-PRINTABLE:=C3=\r\n=91\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		lines, err := readAll(t, in)
		if err != nil {
			var ie *importer.Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *importer.Error", err)
			}
			return
		}
		for _, l := range lines {
			if l.Name == "" || l.Num < 1 {
				t.Fatalf("bad line %+v", l)
			}
		}
	})
}

// TestSoftBreaksLinear guards against re-copying a value at each soft line break: 200,000
// of them must read in well under a second, not minutes.
func TestSoftBreaksLinear(t *testing.T) {
	in := "NOTE;ENCODING=QUOTED-PRINTABLE:" + strings.Repeat("ab=\n", 200_000) + "c\n"
	lines, err := readAll(t, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || len(lines[0].Value) != 400_001 {
		t.Errorf("got %d lines", len(lines))
	}
}
