package main

import (
	"strings"
	"testing"
)

// TestImportColumns: a bank CSV whose columns cannot be guessed is refused with what to do
// — the candidates and --format, then its header's columns numbered and the --columns
// guessed — and imports with --columns; a --columns that does not parse is refused before
// anything is read.
func TestImportColumns(t *testing.T) {
	data := t.TempDir()
	cli(t, "a passphrase long enough\n", "instance", "create", "alice", "--data", data)
	file := "testdata/bank-odd-1.csv"
	for _, tt := range []struct {
		name string
		args []string
		code int
		want []string // in stderr, or stdout when it succeeds
	}{
		{"unsure", nil, 1, []string{"refused, nothing written", "it may be bank-csv", "--format (bank-csv)"}},
		{"columns to name", []string{"--format", "bank-csv"}, 1, []string{`0="Jour" 1="Texte" 2="Somme" 3="Reste"`, "--columns date=0,label=1,amount=2,balance=3,header=1,comma=semicolon,layout=02/01/2006,decimal=comma,currency=EUR"}},
		{"a bad flag", []string{"--columns", "date=0,when=1"}, 1, []string{`"when=1" is not ROLE=COLUMN`}},
		{"columns that do not fit", []string{"--columns", "date=1,label=0,amount=2"}, 1, []string{"row 3", "is not a date"}},
		{"columns named", []string{"--columns", "date=0,label=1,amount=2,balance=3"}, 0, []string{"bank-csv — 4 new"}}, // three operations and the account its first line names
	} {
		code, out, errOut := cli(t, "", append(append([]string{"import", "--data", data, "--instance", "alice"}, tt.args...), file)...)
		got := errOut
		if tt.code == 0 {
			got = out
		}
		if code != tt.code {
			t.Errorf("%s: exit %d\n%s%s", tt.name, code, out, errOut)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %q:\n%s", tt.name, w, got)
			}
		}
	}
}
