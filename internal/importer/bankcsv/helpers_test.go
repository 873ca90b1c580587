package bankcsv

import (
	"os"
	"path/filepath"
	"testing"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sniffed is the Table of a test file, failing when it does not sniff.
func sniffed(t testing.TB, name string) *Table {
	t.Helper()
	tab, ok := Sniff(readTestdata(t, name))
	if !ok {
		t.Fatalf("%s does not sniff", name)
	}
	return tab
}

// table builds a Table from lines split by comma, for cases written inline.
func table(comma string, lines ...string) *Table {
	b := []byte{}
	for _, l := range lines {
		b = append(b, l+"\n"...)
	}
	t, err := Read(b, comma)
	if err != nil {
		panic(err)
	}
	return t
}
