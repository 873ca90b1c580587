package export

import (
	"path"
	"strings"
	"testing"
)

// FuzzSafeName: whatever a source named a file or a series, its name in the archive stays
// one element inside its folder.
func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"scan.pdf", "../../etc/passwd", "..", ".", "", "a/b\\c", "relevé\x00.txt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := safeName(s)
		if got == "" || got == "." || got == ".." || strings.ContainsAny(got, "/\\") || path.Clean("files/x/"+got) != "files/x/"+got {
			t.Errorf("safeName(%q) = %q", s, got)
		}
	})
}
