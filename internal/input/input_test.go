package input

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCut(t *testing.T) {
	forty := strings.Repeat("é", ExcerptRunes)
	tests := []struct{ in, want string }{
		{"", ""},
		{"short", "short"},
		{forty, forty},             // exactly the limit: whole
		{forty + "x", forty + "…"}, // one more: cut
		{strings.Repeat("a", 39) + "日本", strings.Repeat("a", 39) + "日…"}, // never inside a sequence
		{strings.Repeat("\xff", 50), strings.Repeat("\xff", 40) + "…"},   // a stray byte is one character
	}
	for _, tt := range tests {
		if got := Cut(tt.in); got != tt.want {
			t.Errorf("Cut(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := strings.Repeat("€", MessageRunes+1)
	if got := CutMessage(long); got != strings.Repeat("€", MessageRunes)+"…" {
		t.Errorf("CutMessage: %d bytes", len(got))
	}
}

func TestExcerpt(t *testing.T) {
	if got := Excerpt("a\"b"); got != `"a\"b"` {
		t.Errorf("short value: %s", got)
	}
	big := strings.Repeat("x", 100<<20)
	got := Excerpt(big)
	if want := `"` + strings.Repeat("x", ExcerptRunes) + `…" (104857600 bytes)`; got != want {
		t.Errorf("100 MB value: %.80s", got)
	}
	// Cut in the middle of multi-byte characters and stray bytes, the quote is still UTF-8
	// and names the length of the whole.
	got = Excerpt(strings.Repeat("日\xff", 100))
	if !utf8.ValidString(got) || !strings.HasSuffix(got, `…" (400 bytes)`) || strings.Count(got, "日") != 20 {
		t.Errorf("mixed value: %s", got)
	}
}

func TestTextProblem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Crédit Agricole \uFFFD", ""}, // U+FFFD itself is a character like any other
		{"ab\x00c", "NUL character (U+0000) at byte 2"},
		{"ab\xffc", "not valid UTF-8 text (at byte 2)"},
		{"é\xe9t\xe9", "at byte 2"},   // Latin-1 bytes after a UTF-8 é
		{"\xed\xa0\x80", "at byte 0"}, // an encoded surrogate is not UTF-8
	}
	for _, tt := range tests {
		got := TextProblem(tt.in)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("TextProblem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
