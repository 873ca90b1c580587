package main

import (
	"regexp"
	"testing"
)

// TestOrgBilingual: org add takes each text a person reads in English and French, refuses
// one given in a single language naming the flag missing, and keeps both.
func TestOrgBilingual(t *testing.T) {
	d := t.TempDir()
	add := func(id string, extra ...string) []string {
		return append([]string{"org", "add", "--data", d, "--id", id, "--name", "Eau du Grand Lyon", "--legal-basis", "public_task", "--doctypes", "meter,bill",
			"--purposes", "Water supply; Billing", "--purposes-fr", "Distribution de l'eau ; Facturation",
			"--retention", "5 years", "--retention-fr", "5 ans", "--recipients", "Métropole de Lyon", "--recipients-fr", "Métropole de Lyon"}, extra...)
	}
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"no French purposes", add("x", "--purposes-fr", ""), 1, `--purposes-fr: the purposes are given in English only: give them in French too`},
		{"one French purpose for two", add("x", "--purposes-fr", "Distribution de l'eau"), 1, `--purposes-fr: 2 purposes in English but 1 in French`},
		{"retention in French only", add("x", "--retention", ""), 1, `--retention: the retention is given in French only`},
		{"recipients in English only", add("x", "--recipients-fr", " "), 1, `--recipients-fr: the recipients are given in English only`},
		{"nothing registered", []string{"org", "list", "--data", d}, 0, `^ID\s+NAME\s+LEGAL BASIS\s+DOCTYPES\n$`},
		{"add", add("eau"), 0, `^sdo_`},
		{"show", []string{"org", "show", "eau", "--data", d}, 0,
			`(?s)"purposes": \[\s+"Water supply",\s+"Billing"\s+\],\s+"purposes_fr": \[\s+"Distribution de l'eau",\s+"Facturation"\s+\].*"retention_fr": "5 ans"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, "", tt.args...)
			if code != tt.code || !regexp.MustCompile(tt.out).MatchString(out+errOut) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant match: %s", code, tt.code, out, errOut, tt.out)
			}
		})
	}
}
