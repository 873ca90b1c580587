package formats

import (
	"os"
	"path/filepath"
	"testing"
)

// samples finds ../shared/samples next to the repository (or SELFDATA_SAMPLES).
func samples(t *testing.T) string {
	if d := os.Getenv("SELFDATA_SAMPLES"); d != "" {
		return d
	}
	dir, _ := os.Getwd()
	for ; dir != "/"; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(dir, "..", "shared", "samples")
			if _, err := os.Stat(d); err != nil {
				t.Skipf("no samples at %s: skipping", d)
			}
			return d
		}
	}
	t.Skip("no go.mod above the test")
	return ""
}

// TestEverySampleHasOneFormat: each data file of the samples is claimed by exactly one
// importer, so detection never depends on the order of the list by accident.
func TestEverySampleHasOneFormat(t *testing.T) {
	dir := samples(t)
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "README.md" || filepath.Base(filepath.Dir(path)) == "consent" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		head := b[:min(len(b), 8192)]
		var claimed []string
		for _, f := range All() {
			if f.Detect(head, d.Name()) {
				claimed = append(claimed, f.Name)
			}
		}
		rel, _ := filepath.Rel(dir, path)
		if len(claimed) != 1 {
			t.Errorf("%s is claimed by %v, want exactly one format", rel, claimed)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNamesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range All() {
		if f.Name == "" || seen[f.Name] || f.Detect == nil || f.Parse == nil {
			t.Errorf("format %q is incomplete or repeated", f.Name)
		}
		seen[f.Name] = true
	}
}
