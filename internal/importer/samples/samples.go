// Package samples finds the third-party sample files the importers' tests read.
//
// The samples are real exports written by others (banks, utilities, calendar and contact
// applications, …), several under copyleft licences (see the README beside them). They are
// kept outside the repository, in ../shared/samples beside it (or wherever
// $SELFDATA_SAMPLES points), and are never copied in. Tests read them from there and skip,
// with a message saying where they looked, when they are absent; fuzz targets then run
// with their inline seeds only.
//
// Paths given to this package are relative to the samples folder, with slashes
// ("bank/checking.ofx").
package samples

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Env names the variable that, when set, is the samples folder.
const Env = "SELFDATA_SAMPLES"

// locate returns the samples folder and nil, or where it looked and why it is not there.
func locate() (string, error) {
	if d := os.Getenv(Env); d != "" {
		if _, err := os.Stat(d); err != nil {
			return d, fmt.Errorf("$%s is %s: %w", Env, d, err)
		}
		return d, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory, so no ../shared/samples beside it")
		}
		dir = parent
	}
	d := filepath.Join(dir, "..", "shared", "samples")
	if _, err := os.Stat(d); err != nil {
		return d, err
	}
	return d, nil
}

// Dir is the samples folder: $SELFDATA_SAMPLES when set, else ../shared/samples beside the
// folder holding go.mod. It skips the test when the folder is absent.
func Dir(t testing.TB) string {
	t.Helper()
	d, err := locate()
	if err != nil {
		t.Skipf("third-party sample files not available (%v): put them in ../shared/samples beside the repository or set %s to run this test", err, Env)
	}
	return d
}

// Path is the path of the sample rel ("bank/checking.ofx"); it skips the test when the
// samples folder is absent.
func Path(t testing.TB, rel string) string {
	t.Helper()
	return filepath.Join(Dir(t), filepath.FromSlash(rel))
}

// Read returns the content of the sample rel. It skips the test when the samples folder is
// absent, and fails it when the folder is there but the file cannot be read.
func Read(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Open opens the sample rel, to be closed when the test ends. It skips the test when the
// samples folder is absent, and fails it when the folder is there but the file cannot be
// opened.
func Open(t testing.TB, rel string) *os.File {
	t.Helper()
	f, err := os.Open(Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// ReadIfPresent returns the content of the sample rel and true, or nil and false when it
// cannot be read. It is for seeding fuzz targets (f.Add), which must run without the
// samples, with only their inline seeds: it never skips.
func ReadIfPresent(rel string) ([]byte, bool) {
	d, err := locate()
	if err != nil {
		return nil, false
	}
	b, err := os.ReadFile(filepath.Join(d, filepath.FromSlash(rel)))
	if err != nil {
		return nil, false
	}
	return b, true
}

// GlobIfPresent returns the samples whose paths match pattern ("bank/*.ofx", see
// filepath.Match), relative to the samples folder and with slashes, for ReadIfPresent;
// none when the folder is absent. Like ReadIfPresent it never skips.
func GlobIfPresent(pattern string) []string {
	d, err := locate()
	if err != nil {
		return nil
	}
	paths, _ := filepath.Glob(filepath.Join(d, filepath.FromSlash(pattern)))
	rels := make([]string, 0, len(paths))
	for _, p := range paths {
		if rel, err := filepath.Rel(d, p); err == nil {
			rels = append(rels, filepath.ToSlash(rel))
		}
	}
	return rels
}

// DirIfPresent returns the samples folder, or false when it is absent (for callers that
// decide themselves what to do without it).
func DirIfPresent() (string, bool) {
	d, err := locate()
	if err != nil {
		return "", false
	}
	return d, true
}
