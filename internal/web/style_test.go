package web

import (
	"strings"
	"testing"
)

// TestStylesheetNests: every block of the stylesheet is closed, and rules nest only inside
// an at-rule (@media, @supports). Browsers do not report a missing "}": they silently read
// every later rule as part of the open block — a merge once left "@media print {" open and
// the styles of four services applied only when printing.
func TestStylesheetNests(t *testing.T) {
	css, err := staticFiles.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	var open []string // the selector or at-rule of each open block
	line := 1
	var prelude strings.Builder
	s := string(css)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				t.Fatalf("line %d: a comment is never closed", line)
			}
			line += strings.Count(s[i:i+2+end], "\n")
			i += end + 3
		case c == '{':
			sel := strings.TrimSpace(prelude.String())
			prelude.Reset()
			if len(open) > 0 && !strings.HasPrefix(open[len(open)-1], "@") {
				t.Fatalf("line %d: %q opens inside the rule %q, which was never closed", line, sel, open[len(open)-1])
			}
			open = append(open, sel)
		case c == '}':
			if len(open) == 0 {
				t.Fatalf("line %d: a } closes nothing", line)
			}
			open = open[:len(open)-1]
			prelude.Reset()
		case c == ';' && len(open) == 0:
			prelude.Reset() // e.g. @import ...;
		default:
			if c == '\n' {
				line++
			}
			prelude.WriteByte(c)
		}
	}
	if len(open) > 0 {
		t.Fatalf("the stylesheet ends with %q still open", open)
	}
}
