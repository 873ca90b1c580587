package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"selfdata/internal/importer/samples"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite"
)

// meantToFail are the sample files that must be refused: malformed OFX, and consent
// receipts, which are not data an organization restores.
func meantToFail(rel string) bool {
	return strings.HasPrefix(rel, "bank/fail_nice/") || strings.HasPrefix(rel, "consent/")
}

// TestImportEverySample: `selfdata import` imports every sample file; those meant to fail
// fail with a clear message and write nothing; importing everything again adds nothing.
func TestImportEverySample(t *testing.T) {
	dir := samples.Dir(t)
	var good, bad []string
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != "README.md" {
			rel, _ := filepath.Rel(dir, path)
			if meantToFail(rel) {
				bad = append(bad, path)
			} else {
				good = append(good, path)
			}
		}
		return err
	})
	data := t.TempDir()
	cli(t, "a passphrase long enough\n", "instance", "create", "alice", "--data", data)
	holdings := func() string {
		st, err := sqlite.Open(context.Background(), data)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		in, _ := st.Instance(context.Background(), "alice")
		hs, _ := st.Holdings(context.Background(), in.ID, store.Visible{All: true})
		var b strings.Builder
		for _, h := range hs {
			b.WriteString(h.Doctype + "/" + h.SourceKind + "=" + itoa(h.Count) + " ")
		}
		return b.String()
	}
	// The files meant to fail, first: each is refused with where and why, and nothing lands.
	for _, f := range bad {
		code, out, errOut := cli(t, "", append([]string{"import", "--data", data, "--instance", "alice"}, f)...)
		rel, _ := filepath.Rel(dir, f)
		if code != 1 || !strings.Contains(errOut, "refused, nothing written") || out != "" {
			t.Errorf("%s: exit %d\nstdout: %s\nstderr: %s", rel, code, out, errOut)
		}
		if strings.HasPrefix(rel, "bank/") && !regexp.MustCompile(`line \d+: \S+: `).MatchString(errOut) {
			t.Errorf("%s: the message does not say where: %s", rel, errOut)
		}
	}
	if h := holdings(); h != "" {
		t.Fatalf("refused files wrote %s", h)
	}
	code, out, errOut := cli(t, "", append([]string{"import", "--data", data, "--instance", "alice"}, good...)...)
	if code != 0 {
		t.Fatalf("import of every sample: exit %d\n%s\n%s", code, out, errOut)
	}
	first := holdings()
	if lines := strings.Count(out, " new, "); lines != len(good) {
		t.Fatalf("%d reports for %d files:\n%s", lines, len(good), out)
	}
	code, out, errOut = cli(t, "", append([]string{"import", "--data", data, "--instance", "alice"}, good...)...)
	if code != 0 {
		t.Fatalf("second import: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, "  note:") {
			continue
		}
		if !strings.Contains(line, " 0 new, 0 updated") || strings.Contains(line, "series (") && !strings.Contains(line, "(0 new)") {
			t.Errorf("the second import changed something: %s", line)
		}
	}
	if again := holdings(); again != first {
		t.Fatalf("holdings changed on the second import:\n%s\n%s", first, again)
	}
	t.Logf("%d files imported; holdings: %s", len(good), first)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestImportListsLeftOut: `selfdata import` of a well-formed file with an unmappable record
// imports the rest and prints the record left out, with where it is and why.
func TestImportListsLeftOut(t *testing.T) {
	data := t.TempDir()
	cli(t, "a passphrase long enough\n", "instance", "create", "alice", "--data", data)
	f := filepath.Join(t.TempDir(), "eob.json")
	bundle := `{"resourceType": "Bundle", "type": "searchset", "entry": [
{"resource": {"resourceType": "ExplanationOfBenefit", "id": "ok", "created": "2024-02-01", "total": [{"amount": {"value": 5}}]}},
{"resource": {"resourceType": "ExplanationOfBenefit", "id": "bad", "created": "2024-02-31", "total": [{"amount": {"value": 5}}]}}
]}`
	if err := os.WriteFile(f, []byte(bundle), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, "", "import", "--data", data, "--instance", "alice", f)
	want := "  1 record(s) left out, nothing of them written:\n    line 3, entry[1].resource: claim ExplanationOfBenefit/bad not imported, nor its payment: line 3: entry[1].resource.created: \"2024-02-31\" is not a date"
	if code != 0 || !strings.Contains(out, "1 new") || !strings.Contains(out, want) || strings.Contains(out, "empty values") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s\nwant %q", code, out, errOut, want)
	}
}
