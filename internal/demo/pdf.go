package demo

import (
	"bytes"
	"fmt"
	"strings"
)

// pdf renders a one-page A4 PDF 1.4 document: a bold heading and lines of Helvetica text. The
// base-14 fonts need no embedding, and WinAnsiEncoding covers French (é, °, €), so a bill is a
// few hundred bytes that every viewer opens.
func pdf(title, heading string, lines []string) []byte {
	var text bytes.Buffer
	fmt.Fprintf(&text, "BT /F2 16 Tf 56 780 Td (%s) Tj ET\n", pdfString(heading))
	text.WriteString("BT /F1 11 Tf 16 TL 56 740 Td\n")
	for _, l := range lines {
		fmt.Fprintf(&text, "(%s) Tj T*\n", pdfString(l))
	}
	text.WriteString("ET\n")

	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " +
			"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", text.Len(), text.Bytes()),
		fmt.Sprintf("<< /Title (%s) /Producer (selfdata demo) >>", pdfString(title)),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n") // binary comment: tells transfer tools it is binary
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	// Each xref entry is exactly 20 bytes, its end of line being " \n".
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(objects)+1, len(objects), xref)
	return b.Bytes()
}

// pdfString encodes s as the bytes of a PDF literal string in WinAnsiEncoding.
func pdfString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x80 || (r >= 0xa0 && r <= 0xff):
			b.WriteByte(byte(r))
		case r == '€':
			b.WriteByte(0x80)
		case r == '’':
			b.WriteByte(0x92)
		case r == '•':
			b.WriteByte(0x95)
		case r == '–':
			b.WriteByte(0x96)
		case r == '—':
			b.WriteByte(0x97)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
