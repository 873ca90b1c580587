package vcard

import (
	"os"
	"path/filepath"
	"testing"
)

// samplesDir finds ../shared/samples next to the repository (or $SELFDATA_SAMPLES), and
// skips the test when it is absent: the samples are third-party files, never copied here.
func samplesDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("SELFDATA_SAMPLES"); d != "" {
		return d
	}
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("go.mod not found: cannot locate ../shared/samples")
		}
		dir = parent
	}
	d := filepath.Join(dir, "..", "shared", "samples")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("sample files not found at %s (set SELFDATA_SAMPLES): %v", d, err)
	}
	return d
}

func openSample(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(samplesDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
