package web

import "testing"

// TestEveryFormatHasAName: the question "which kind of file is this?" names each format in
// both languages, so that two formats of one family offered side by side are told apart.
func TestEveryFormatHasAName(t *testing.T) {
	ts := newTestServer(t)
	seen := map[string]bool{}
	for _, f := range ts.srv.imp.Formats() {
		n, ok := formatNameTexts["format."+f]
		if !ok || n[0] == "" || n[1] == "" {
			t.Errorf("format %s has no name in both languages", f)
		}
		for i, s := range n {
			if seen[s] {
				t.Errorf("format %s: name %q (%d) is another format's too", f, s, i)
			}
			seen[s] = true
		}
	}
	if len(formatNameTexts) != len(ts.srv.imp.Formats()) {
		t.Errorf("%d names for %d formats: a name of a format that is no more", len(formatNameTexts), len(ts.srv.imp.Formats()))
	}
}
