package demo

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"testing"
)

// checkPDF verifies the header, that startxref points at the xref table, that every in-use
// entry points at "N 0 obj", and that the content stream's /Length is its size.
func checkPDF(content []byte) error {
	if !bytes.HasPrefix(content, []byte("%PDF-1.4\n")) {
		return fmt.Errorf("no %%PDF-1.4 header")
	}
	if !bytes.HasSuffix(content, []byte("%%EOF\n")) {
		return fmt.Errorf("no %%%%EOF trailer")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(content)
	if m == nil {
		return fmt.Errorf("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if xref >= len(content) || !bytes.HasPrefix(content[xref:], []byte("xref\n0 ")) {
		return fmt.Errorf("startxref %d does not point at the xref table", xref)
	}
	var first, count int
	if _, err := fmt.Sscanf(string(content[xref:]), "xref\n%d %d\n", &first, &count); err != nil {
		return fmt.Errorf("xref header: %v", err)
	}
	table := content[xref+bytes.IndexByte(content[xref+5:], '\n')+6:]
	for n := first; n < first+count; n++ {
		entry := table[(n-first)*20 : (n-first+1)*20]
		if n == 0 {
			if string(entry) != "0000000000 65535 f \n" {
				return fmt.Errorf("entry 0 is %q", entry)
			}
			continue
		}
		var off, gen int
		var kind string
		if _, err := fmt.Sscanf(string(entry), "%010d %05d %s", &off, &gen, &kind); err != nil || kind != "n" {
			return fmt.Errorf("entry %d %q: %v", n, entry, err)
		}
		if want := fmt.Sprintf("%d 0 obj", n); !bytes.HasPrefix(content[off:], []byte(want)) {
			return fmt.Errorf("entry %d: offset %d does not point at %q", n, off, want)
		}
	}
	if !bytes.Contains(table[count*20:], []byte(fmt.Sprintf("/Size %d /Root 1 0 R", count))) {
		return fmt.Errorf("trailer does not match the xref size %d", count)
	}
	s := regexp.MustCompile(`(?s)<< /Length (\d+) >>\nstream\n(.*?)\nendstream`).FindSubmatch(content)
	if s == nil {
		return fmt.Errorf("no content stream")
	}
	if n, _ := strconv.Atoi(string(s[1])); n != len(s[2]) {
		return fmt.Errorf("stream /Length %d, content %d bytes", n, len(s[2]))
	}
	return nil
}

func TestPDF(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []byte // bytes the content must contain
	}{
		{"empty", nil, []byte("(Title) Tj")},
		{"french", []string{"Montant TTC : 62,41 €", "Période : du 01/03/2025"}, []byte("62,41 \x80) Tj T*")},
		{"escaped", []string{"(a) b\\c"}, []byte(`(\(a\) b\\c) Tj`)},
		{"unknown rune", []string{"日本"}, []byte("(??) Tj")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pdf("REF1", "Title", tt.lines)
			if err := checkPDF(p); err != nil {
				t.Fatalf("%v\n%s", err, p)
			}
			if !bytes.Contains(p, tt.want) {
				t.Errorf("PDF lacks %q:\n%s", tt.want, p)
			}
		})
	}
}
