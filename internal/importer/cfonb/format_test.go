package cfonb

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"selfdata/internal/importer/samples"
)

func TestDetect(t *testing.T) {
	good := strings.Join(statement(), "\r\n")
	for _, tt := range []struct {
		name, head, file string
		want             bool
	}{
		{"a statement", good, "releve.txt", true},
		{"without line breaks", strings.Join(statement(), ""), "RELEVE", true},
		{"trimmed first line", strings.TrimRight(statement()[0], " ") + "\n" + statement()[1], "x.cfonb", true},
		{"cut in the middle of a record, 8 KiB read", strings.Repeat(strings.Join(statement(), "\n")+"\n", 30)[:8<<10], "x.dat", true},
		{"named as a CSV", good, "releve.csv", false},
		{"starts with a movement", strings.Join(statement()[1:], "\n"), "x.txt", false},
		{"a bad date in the old balance", balanceRec(codeOld, acA, "320426", "0000000001000{"), "x.txt", false},
		{"a bad amount in the old balance", balanceRec(codeOld, acA, "010426", "000000000100X{"), "x.txt", false},
		{"an unknown record after it", statement()[0] + "\n" + "31" + statement()[1][2:], "x.txt", false},
		{"a CFONB 240 record", "31" + strings.Repeat("0", 238), "x.txt", false},
		{"a short first line", statement()[0][:60] + "\n", "x.txt", false},
		{"a CSV", "date;label;amount\n2026-04-01;PRLV;-20,00\n", "x.txt", false},
		{"an OFX file", "OFXHEADER:100\nDATA:OFXSGML\n", "x.txt", false},
		{"nothing", "", "x.txt", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect([]byte(tt.head), tt.file); got != tt.want {
				t.Errorf("Detect = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestDetectNoSample: none of the other formats' sample files is claimed, and every test
// file is.
func TestDetectNoSample(t *testing.T) {
	dir, ok := samples.DirIfPresent()
	var files []string
	if ok {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, path)
			}
			return err
		})
	}
	tests, _ := filepath.Glob("testdata/*.txt")
	for _, path := range append(files, tests...) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.HasPrefix(path, "testdata/")
		if got := Detect(data[:min(len(data), 8<<10)], filepath.Base(path)); got != want {
			t.Errorf("Detect(%s) = %v, want %v", path, got, want)
		}
	}
	if len(tests) < 7 {
		t.Errorf("only %d test files", len(tests))
	}
}
