package formats

import (
	"os"
	"path/filepath"
	"testing"

	"selfdata/internal/importer/samples"
)

// TestEverySampleHasOneFormat: each data file of the samples is claimed by exactly one
// importer, so detection never depends on the order of the list by accident.
func TestEverySampleHasOneFormat(t *testing.T) {
	dir := samples.Dir(t)
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

// TestNoTestFileHasTwoFormats: the files the importers' own tests construct are claimed by
// at most one importer either (a malformed one may be claimed by none): a new format's sniff
// must not take another format's files.
func TestNoTestFileHasTwoFormats(t *testing.T) {
	files, err := filepath.Glob("../*/testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 15 {
		t.Fatalf("found %d test files, want the importers' testdata", len(files))
	}
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			continue // a directory
		}
		var claimed []string
		for _, f := range All() {
			if f.Detect(b[:min(len(b), 8192)], filepath.Base(path)) {
				claimed = append(claimed, f.Name)
			}
		}
		if len(claimed) > 1 {
			t.Errorf("%s is claimed by %v, want one format at most", path, claimed)
		}
	}
}
